import { verify as nodeVerify } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import {
  ECDSA_CURVES,
  ecdsaDerToP1363,
  ecdsaPartsToP1363,
  isStrictEcdsaDer,
  parseEcdsaSignatureDer,
} from '../../src/crypto/ecdsa-der.js';
import { WebAuthnError } from '../../src/errors.js';
import type { EcCurveName } from '../../src/parse/cose-constants.js';
import { createPublicKey } from 'node:crypto';
import { derSignature, derToRs, testKey } from '../helpers/keys.js';

const NOBLE = { 'P-256': p256, 'P-384': p384, 'P-521': p521, secp256k1 } as const;
const CURVES = Object.keys(ECDSA_CURVES) as EcCurveName[];

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function bytes(...parts: (number | number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else out.push(...part);
  }
  return new Uint8Array(out);
}

function int(value: number[]): number[] {
  return [0x02, value.length, ...value];
}

function seq(...items: number[][]): Uint8Array {
  const body = items.flat();
  return bytes(0x30, body.length < 0x80 ? [body.length] : [0x81, body.length], body);
}

function bigToBytes(value: bigint): number[] {
  let h = value.toString(16);
  if (h.length % 2) h = `0${h}`;
  return [...Buffer.from(h, 'hex')];
}

describe('curve constants', () => {
  it.each(CURVES)('%s order and size match @noble/curves', (curve) => {
    const { Fn, Fp } = NOBLE[curve].Point;
    expect(BigInt(`0x${hex(ECDSA_CURVES[curve].order)}`)).toBe(Fn.ORDER);
    expect(ECDSA_CURVES[curve].size).toBe(Fp.BYTES);
    expect(ECDSA_CURVES[curve].order.length).toBe(Fp.BYTES);
    expect(ECDSA_CURVES[curve].order[0]).not.toBe(0);
  });
});

describe('§6.5.5 strict DER Ecdsa-Sig-Value', () => {
  it('accepts the minimal encoding and pads r and s to the field size', () => {
    const sig = seq(int([1]), int([0x00, 0x80]));
    expect(isStrictEcdsaDer(sig, 'P-256')).toBe(true);
    const { r, s } = parseEcdsaSignatureDer(sig, 'P-256');
    expect(r.length).toBe(32);
    expect(s.length).toBe(32);
    expect(r[31]).toBe(1);
    expect(s[31]).toBe(0x80);
    expect(r.subarray(0, 31).every((b) => b === 0)).toBe(true);
    expect(ecdsaDerToP1363(sig, 'P-256')).toEqual(ecdsaPartsToP1363({ r, s }));
  });

  it.each(CURVES)('%s: real signatures convert to the P1363 form node:crypto accepts', (curve) => {
    const name = ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', secp256k1: 'ES256K' } as const)[curve];
    const key = testKey(name);
    const entries = key.entries();
    const publicKey = createPublicKey({
      key: {
        kty: 'EC',
        crv: curve,
        x: Buffer.from(entries.get(-2) as Uint8Array).toString('base64url'),
        y: Buffer.from(entries.get(-3) as Uint8Array).toString('base64url'),
      },
      format: 'jwk',
    });
    const hash = curve === 'P-384' ? 'sha384' : curve === 'P-521' ? 'sha512' : 'sha256';
    for (let i = 0; i < 20; i++) {
      const data = Uint8Array.of(i, 1, 2, 3);
      const der = key.sign(data);
      expect(isStrictEcdsaDer(der, curve)).toBe(true);
      const rs = ecdsaDerToP1363(der, curve);
      expect(rs).not.toBeNull();
      expect(nodeVerify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, rs as Uint8Array)).toBe(true);
      const { r, s } = derToRs(der);
      expect(derSignature(r, s)).toEqual(der);
    }
  });

  it('P-521 uses the minimal long-form SEQUENCE length (0x81) and accepts 66-byte integers', () => {
    const n = BigInt(`0x${hex(ECDSA_CURVES['P-521'].order)}`);
    const sig = derSignature(n - 1n, n - 2n);
    expect(sig[1]).toBe(0x81);
    expect(isStrictEcdsaDer(sig, 'P-521')).toBe(true);
  });

  it('accepts r, s = n - 1 and high-S values (no low-S rule in WebAuthn)', () => {
    for (const curve of CURVES) {
      const n = BigInt(`0x${hex(ECDSA_CURVES[curve].order)}`);
      expect(isStrictEcdsaDer(derSignature(n - 1n, n - 1n), curve)).toBe(true);
      expect(isStrictEcdsaDer(derSignature(1n, n / 2n + 1n), curve)).toBe(true);
    }
  });

  describe('F.50 / F.51 rejections', () => {
    const good = seq(int([0x11, 0x22]), int([0x33]));
    const cases: [string, Uint8Array][] = [
      ['empty input', new Uint8Array(0)],
      ['raw r‖s of 64 bytes', new Uint8Array(64).fill(0x42)],
      ['raw r‖s of 64 bytes starting with 0x30', bytes(0x30, 0x3e, new Uint8Array(62).fill(0x42))],
      ['a SET instead of a SEQUENCE', bytes(0x31, good.subarray(1))],
      ['a trailing byte after the SEQUENCE', bytes(good, 0x00)],
      ['a trailing byte inside the SEQUENCE', seq(int([0x11, 0x22]), int([0x33]), [0x00])],
      ['an extra INTEGER', seq(int([1]), int([2]), int([3]))],
      ['a single INTEGER', seq(int([1]))],
      ['SEQUENCE length too long', bytes(0x30, 0x09, good.subarray(2))],
      ['SEQUENCE length too short', bytes(0x30, 0x06, good.subarray(2))],
      ['indefinite SEQUENCE length', bytes(0x30, 0x80, good.subarray(2), 0x00, 0x00)],
      ['non-minimal long-form SEQUENCE length (0x81 0x07)', bytes(0x30, 0x81, 0x07, good.subarray(2))],
      ['two-byte SEQUENCE length (0x82)', bytes(0x30, 0x82, 0x00, 0x07, good.subarray(2))],
      ['long-form INTEGER length', seq([0x02, 0x81, 0x01, 0x01], int([0x33]))],
      ['r with a non-minimal leading zero', seq(int([0x00, 0x11]), int([0x33]))],
      ['s with a non-minimal leading zero', seq(int([0x11]), int([0x00, 0x7f]))],
      ['r with two leading zeros', seq(int([0x00, 0x00, 0x80]), int([0x33]))],
      ['negative r (MissingZero)', seq(int([0x80]), int([0x33]))],
      ['negative s', seq(int([0x11]), int([0xff, 0x01]))],
      ['r = 0', seq(int([0x00]), int([0x33]))],
      ['s = 0', seq(int([0x11]), int([0x00]))],
      ['empty INTEGER r', seq([0x02, 0x00], int([0x33]))],
      ['wrong tag for r (OCTET STRING)', seq([0x04, 0x01, 0x11], int([0x33]))],
      ['wrong tag for s (BIT STRING)', seq(int([0x11]), [0x03, 0x01, 0x33])],
      ['INTEGER length past the SEQUENCE', seq(int([0x11]), [0x02, 0x05, 0x33])],
    ];
    it.each(cases)('%s', (_, sig) => {
      for (const curve of CURVES) {
        expect(isStrictEcdsaDer(sig, curve)).toBe(false);
        expect(ecdsaDerToP1363(sig, curve)).toBeNull();
        expect(() => parseEcdsaSignatureDer(sig, curve)).toThrow(expect.objectContaining({ name: 'WebAuthnError', code: 'ERR_SIGNATURE_INVALID' }));
      }
    });

    it.each(CURVES)('%s: r or s equal to n, above n, or longer than the field', (curve) => {
      const n = BigInt(`0x${hex(ECDSA_CURVES[curve].order)}`);
      const size = ECDSA_CURVES[curve].size;
      for (const [r, s] of [
        [n, 1n],
        [1n, n],
        [n + 1n, 1n],
        [1n, n + 1n],
        [2n ** BigInt(8 * size) - 1n, 1n],
        [1n, 2n ** BigInt(8 * size + 8) - 1n],
      ] as const) {
        const sig = derSignature(r, s);
        expect(isStrictEcdsaDer(sig, curve), `${curve} r=${r} s=${s}`).toBe(false);
      }
      // n - 1 with a needless sign byte: still non-minimal.
      const body = bigToBytes(n - 1n);
      if ((body[0] as number) < 0x80) expect(isStrictEcdsaDer(seq(int([0, ...body]), int([1])), curve)).toBe(false);
    });

    it('errors carry ERR_SIGNATURE_INVALID and step 6.5.5', () => {
      try {
        parseEcdsaSignatureDer(new Uint8Array(64), 'P-256');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(WebAuthnError);
        expect((error as WebAuthnError).code).toBe('ERR_SIGNATURE_INVALID');
        expect((error as WebAuthnError).step).toBe('6.5.5');
      }
    });
  });
});
