/**
 * Strict DER `Ecdsa-Sig-Value` (RFC 3279 §2.2.3, SEC 1 §C.5), the only ECDSA signature encoding
 * WebAuthn allows (§6.5.5). WebCrypto wants IEEE P1363 `r ‖ s`, so the conversion must be exactly
 * as strict as OpenSSL's DER check: a lenient converter would let BER variants of one signature
 * verify (malleability) and raw `r ‖ s` signatures through (checklist F.50, F.51).
 *
 * Integers are range-checked against the curve order by comparing big-endian bytes: no bigint.
 */
import { fail } from '../errors.js';
import { fromHex } from '../encoding/bytes.js';
import type { EcCurveName } from '../parse/cose-constants.js';

/** Field size in bytes and group order (big-endian, exactly `size` bytes) of an ECDSA curve. */
export interface EcdsaCurveParams {
  readonly size: number;
  readonly order: Uint8Array;
}

/** Curve orders from SEC 2 / FIPS 186-5. Each has a non-zero top byte at exactly `size` bytes. */
export const ECDSA_CURVES: Readonly<Record<EcCurveName, EcdsaCurveParams>> = Object.freeze({
  'P-256': {
    size: 32,
    order: fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  },
  'P-384': {
    size: 48,
    order: fromHex(
      'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    ),
  },
  'P-521': {
    size: 66,
    order: fromHex(
      '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' +
        'fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    ),
  },
  secp256k1: {
    size: 32,
    order: fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
  },
});

/** The two integers of an ECDSA signature, each left-padded to the curve's field size. */
export interface EcdsaSignatureParts {
  readonly r: Uint8Array;
  readonly s: Uint8Array;
}

// Offsets found by the last successful scan: rStart, rLength, sStart, sLength (value bytes only,
// without the sign byte). Module scratch is safe: the scan is synchronous and not re-entrant.
const scratch = new Int32Array(4);

/**
 * Reads one DER INTEGER at `at`, storing its magnitude's offset and length in `scratch[slot]`.
 * Returns the offset after the INTEGER, or -1 when it is not a minimal, positive INTEGER in
 * [1, order).
 */
function readInteger(der: Uint8Array, at: number, end: number, curve: EcdsaCurveParams, slot: number): number {
  if (at + 2 > end || der[at] !== 0x02) return -1;
  const length = der[at + 1] as number;
  // A long-form length would encode ≥ 128 content bytes (or be non-minimal): no integer below
  // any supported order is that long.
  if (length === 0 || length >= 0x80) return -1;
  let start = at + 2;
  const stop = start + length;
  if (stop > end) return -1;
  const first = der[start] as number;
  if (first >= 0x80) return -1; // negative
  if (first === 0) {
    // A leading zero is allowed only as the sign byte of a magnitude whose top bit is set; this
    // also rejects the value 0 itself.
    if (length === 1 || (der[start + 1] as number) < 0x80) return -1;
    start++;
  }
  const size = stop - start;
  if (size > curve.size) return -1;
  if (size === curve.size) {
    const order = curve.order;
    let i = 0;
    while (i < size && der[start + i] === order[i]) i++;
    if (i === size || (der[start + i] as number) > (order[i] as number)) return -1; // ≥ n
  }
  scratch[slot] = start;
  scratch[slot + 1] = size;
  return stop;
}

function scan(der: Uint8Array, curve: EcdsaCurveParams): boolean {
  const total = der.length;
  if (total < 8 || der[0] !== 0x30) return false;
  let length = der[1] as number;
  let at = 2;
  if (length === 0x81) {
    // Minimal long form only: one length byte, and only for lengths the short form cannot hold.
    length = der[2] as number;
    at = 3;
    if (length < 0x80) return false;
  } else if (length >= 0x80) {
    return false; // indefinite length, or a multi-byte length no supported curve needs
  }
  if (at + length !== total) return false; // trailing bytes after the SEQUENCE, or truncated
  at = readInteger(der, at, total, curve, 0);
  if (at < 0) return false;
  at = readInteger(der, at, total, curve, 2);
  return at === total; // exactly two INTEGERs, nothing after them inside the SEQUENCE
}

/**
 * True when `der` is a strict DER Ecdsa-Sig-Value for `curve`: a SEQUENCE of exactly two minimal
 * positive INTEGERs r, s with 1 ≤ r, s < n, minimal lengths, and no byte before, between or after.
 * High-S values are accepted (WebAuthn has no low-S rule). Allocation-free.
 */
export function isStrictEcdsaDer(der: Uint8Array, curve: EcCurveName | EcdsaCurveParams): boolean {
  return scan(der, typeof curve === 'string' ? ECDSA_CURVES[curve] : curve);
}

function curveName(curve: EcCurveName | EcdsaCurveParams): string {
  if (typeof curve === 'string') return curve;
  for (const [name, params] of Object.entries(ECDSA_CURVES)) if (params === curve) return name;
  return 'the curve';
}

function invalid(curve: EcCurveName | EcdsaCurveParams): never {
  fail('ERR_SIGNATURE_INVALID', `Not a strict DER ECDSA signature for ${curveName(curve)}`, {
    step: '6.5.5',
    details: { field: 'signature', expected: 'DER Ecdsa-Sig-Value' },
  });
}

/**
 * Parses a strict DER Ecdsa-Sig-Value (see {@link isStrictEcdsaDer}) into `r` and `s`, each
 * left-padded to the field size. Throws `ERR_SIGNATURE_INVALID` (step 6.5.5) otherwise.
 */
export function parseEcdsaSignatureDer(der: Uint8Array, curve: EcCurveName | EcdsaCurveParams): EcdsaSignatureParts {
  const params = typeof curve === 'string' ? ECDSA_CURVES[curve] : curve;
  if (!scan(der, params)) invalid(curve);
  const size = params.size;
  const r = new Uint8Array(size);
  const s = new Uint8Array(size);
  r.set(der.subarray(scratch[0] as number, (scratch[0] as number) + (scratch[1] as number)), size - (scratch[1] as number));
  s.set(der.subarray(scratch[2] as number, (scratch[2] as number) + (scratch[3] as number)), size - (scratch[3] as number));
  return { r, s };
}

/**
 * Converts a strict DER Ecdsa-Sig-Value into IEEE P1363 `r ‖ s` (2 × field size bytes), the form
 * WebCrypto and @noble's `compact` format take. Returns null when `der` is not strict DER.
 */
export function ecdsaDerToP1363(der: Uint8Array, curve: EcCurveName | EcdsaCurveParams): Uint8Array<ArrayBuffer> | null {
  const params = typeof curve === 'string' ? ECDSA_CURVES[curve] : curve;
  if (!scan(der, params)) return null;
  const size = params.size;
  const out = new Uint8Array(2 * size);
  const rStart = scratch[0] as number;
  const rLength = scratch[1] as number;
  const sStart = scratch[2] as number;
  const sLength = scratch[3] as number;
  out.set(der.subarray(rStart, rStart + rLength), size - rLength);
  out.set(der.subarray(sStart, sStart + sLength), 2 * size - sLength);
  return out;
}

/** `r ‖ s` (IEEE P1363) of parsed signature parts. */
export function ecdsaPartsToP1363(parts: EcdsaSignatureParts): Uint8Array {
  const out = new Uint8Array(parts.r.length + parts.s.length);
  out.set(parts.r, 0);
  out.set(parts.s, parts.r.length);
  return out;
}

function derLength(length: number): number[] {
  return length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
}

function derPositiveInteger(bytes: Uint8Array): number[] {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const body = Array.from(bytes.subarray(start));
  if ((body[0] as number) & 0x80) body.unshift(0);
  return [0x02, ...derLength(body.length), ...body];
}

/**
 * DER Ecdsa-Sig-Value of a fixed-size r‖s signature (the JOSE/COSE form, RFC 7518 §3.4), or null
 * when `raw` is not exactly twice the curve's field size. The result still goes through the strict
 * DER and range checks of verification.
 */
export function ecdsaP1363ToDer(raw: Uint8Array, curve: EcCurveName | EcdsaCurveParams): Uint8Array | null {
  const size = (typeof curve === 'string' ? ECDSA_CURVES[curve] : curve).size;
  if (raw.length !== 2 * size) return null;
  const body = [...derPositiveInteger(raw.subarray(0, size)), ...derPositiveInteger(raw.subarray(size))];
  return new Uint8Array([0x30, ...derLength(body.length), ...body]);
}
