/**
 * The arithmetic half of WebAuthn L3 §5.8.5 (and its note: keys are validated at registration
 * even for attestation "none"): an EC2 key must be a point of its curve, an OKP key must decode
 * to a point of its Edwards curve. `parse/cose-key.ts` has already checked the shape.
 *
 * Policy for Ed25519/Ed448 keys (SECURITY-CHECKLIST E, F.54):
 * - non-canonical encodings (y ≥ p, or x = 0 with the sign bit set) are refused, as RFC 8032
 *   §5.1.3 / §5.2.3 decoding requires;
 * - small-order points (the 8 / 4 torsion points, e.g. the identity) are refused: a signature
 *   made "with" them proves nothing (for the identity, S = 0 with R = identity verifies any
 *   message), and honest keys are never small-order;
 * - a y with no x on the curve (not a point at all) is refused by {@link decodeCoseKey}. That
 *   check is a field square root (≈ 75 µs for Ed25519, ≈ 300 µs for Ed448, in JS), so the key
 *   cache, whose keys are only ever used to verify, skips it: every verifier (OpenSSL, WebCrypto,
 *   @noble) decodes the key inside verify and fails, so such a key can never verify anything;
 * - mixed-order points (prime-order point plus torsion) are accepted: checking the subgroup
 *   costs a full scalar multiplication (~1 ms), honest keys never have a torsion part, and such a
 *   key only lets its own holder make signatures that some verifiers accept and others refuse.
 *
 * The first two checks compare bytes (no field arithmetic): the key cache's cold path stays
 * within a few µs of a plain JWK import. The curve constants and the Edwards decoding test are in
 * curve-arithmetic.ts, without a curve library, so this module stays off @noble/curves.
 */
import { bytesToBigInt as bytesToNumberBE, equalBytes, fromHex } from '../encoding/bytes.js';
import { fail } from '../errors.js';
import type { CosePublicKey, EcCurveName, OkpCurveName } from '../parse/cose-constants.js';
import { type CoseKeyOptions, assertCosePublicKey, parseCoseKey } from '../parse/cose-key.js';
import { edwardsHasX, WEIERSTRASS } from './curve-arithmetic.js';

const STEP = '5.8.5';

// All four curves have cofactor 1: every affine solution of the equation is a group element, and
// the identity has no affine form (b ≠ 0 also rules out (0, 0)), so "on the curve" is the check.

const FIELD_SIZES: Readonly<Record<EcCurveName, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, secp256k1: 32 };

// Each curve's field prime as big-endian bytes of the coordinate size, for byte-wise range checks.
const PRIME_BYTES: Readonly<Record<EcCurveName, Uint8Array>> = Object.fromEntries(
  (Object.keys(WEIERSTRASS) as EcCurveName[]).map((curve) => [
    curve,
    fromHex(WEIERSTRASS[curve].p.toString(16).padStart(2 * FIELD_SIZES[curve], '0')),
  ]),
) as Record<EcCurveName, Uint8Array>;

interface EdwardsRules {
  /** The field prime, little-endian, over the whole encoding length (sign bit position clear). */
  readonly primeLE: Uint8Array;
  /** Canonical encodings of the curve's small-order points (RFC 8032 encodings, cofactor 8 / 4). */
  readonly smallOrder: readonly Uint8Array[];
}

const EDWARDS: Readonly<Record<OkpCurveName, EdwardsRules>> = {
  Ed25519: {
    primeLE: fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
    smallOrder: [
      '0100000000000000000000000000000000000000000000000000000000000000',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0000000000000000000000000000000000000000000000000000000000000080',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
    ].map(fromHex),
  },
  Ed448: {
    primeLE: fromHex(
      'fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff00',
    ),
    smallOrder: [
      '010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
      'fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff00',
      '000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
      '000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000080',
    ].map(fromHex),
  },
};

/**
 * RFC 8032 §5.1.3 / §5.2.3 canonical form, by bytes: y (the encoding without its sign bit) < p,
 * and no sign bit on x = 0, i.e. on y = 1 or y = p − 1 (the only y values with x = 0).
 */
function isCanonicalEdwards(x: Uint8Array, primeLE: Uint8Array): boolean {
  const last = x.length - 1;
  const sign = (x[last] as number) & 0x80;
  // y < p, compared from the most significant byte down.
  let below = false;
  for (let i = last; i >= 0; i--) {
    const a = i === last ? (x[i] as number) & 0x7f : (x[i] as number);
    const b = primeLE[i] as number;
    if (a !== b) {
      below = a < b;
      break;
    }
  }
  if (!below) return false;
  if (sign === 0) return true;
  // y = 1: byte 0 is 1, all others (sign bit aside) 0. y = p − 1: p's bytes with byte 0 minus one.
  let isOne = x[0] === 1;
  let isMinusOne = x[0] === (primeLE[0] as number) - 1;
  for (let i = 1; i <= last && (isOne || isMinusOne); i++) {
    const a = i === last ? (x[i] as number) & 0x7f : (x[i] as number);
    isOne &&= a === 0;
    isMinusOne &&= a === primeLE[i];
  }
  return !isOne && !isMinusOne;
}

/** Options of {@link validateCosePublicKey}. */
export interface ValidateKeyOptions {
  /**
   * Also check that an Ed25519/Ed448 `x` decodes to a curve point (a field square root, tens to
   * hundreds of µs). Default true. The key cache turns it off: see the module comment.
   */
  readonly decodeEdwardsPoint?: boolean;
  /**
   * Also check an EC2 point against the curve equation (bigint arithmetic, ≈ 2–3 µs for P-256).
   * Default true. The key cache turns it off when the backend's import checks the point itself
   * (node:crypto/OpenSSL does); coordinates are still checked to be below p here.
   */
  readonly checkCurveEquation?: boolean;
}

/** True when big-endian `bytes` (of the field size) are below the big-endian `prime`. */
function isBelow(bytes: Uint8Array, prime: Uint8Array): boolean {
  for (let i = 0; i < prime.length; i++) {
    const a = bytes[i] as number;
    const b = prime[i] as number;
    if (a !== b) return a < b;
  }
  return false;
}

function invalid(message: string, field: string, cause?: unknown): never {
  fail('ERR_COSE_KEY_INVALID', `COSE_Key: ${message}`, {
    step: STEP,
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** True when (x, y), big-endian bytes, are both below p and satisfy y² = x³ + ax + b (mod p). */
function isOnCurve(curve: EcCurveName, xBytes: Uint8Array, yBytes: Uint8Array): 'x' | 'y' | 'curve' | true {
  const { p, a, b } = WEIERSTRASS[curve];
  const x = bytesToNumberBE(xBytes);
  if (x >= p) return 'x';
  const y = bytesToNumberBE(yBytes);
  if (y >= p) return 'y';
  const right = (((x * x) % p) * x + a * x + b) % p;
  // a is stored reduced (p - 3 for the NIST curves), so `right` is non-negative.
  return (y * y) % p === right ? true : 'curve';
}

/**
 * Checks the arithmetic validity of a structurally valid key: EC2 coordinates below p and on
 * the curve (P-256, P-384, P-521, secp256k1); Ed25519/Ed448 `x` a canonical encoding, not of a
 * small-order point, and (unless `decodeEdwardsPoint` is false) of a curve point. RSA and ML-DSA
 * keys have no further check here (their shape rules are in `parseCoseKey`). Returns the key;
 * throws `ERR_COSE_KEY_INVALID` (step 5.8.5).
 */
export function validateCosePublicKey(key: CosePublicKey, options: ValidateKeyOptions = {}): CosePublicKey {
  switch (key.kty) {
    case 'EC2': {
      if (options.checkCurveEquation === false) {
        const prime = PRIME_BYTES[key.crv];
        if (!isBelow(key.x, prime)) invalid('x coordinate is not below the field prime', 'x');
        if (!isBelow(key.y, prime)) invalid('y coordinate is not below the field prime', 'y');
        return key;
      }
      const verdict = isOnCurve(key.crv, key.x, key.y);
      if (verdict === 'x' || verdict === 'y') invalid(`${verdict} coordinate is not below the field prime`, verdict);
      if (verdict === 'curve') invalid(`the point is not on ${key.crv}`, 'y');
      return key;
    }
    case 'OKP': {
      const rules = EDWARDS[key.crv];
      if (!isCanonicalEdwards(key.x, rules.primeLE)) invalid(`x is not a canonical ${key.crv} point encoding`, 'x');
      for (const small of rules.smallOrder) {
        if (equalBytes(small, key.x)) invalid(`x is a small-order ${key.crv} point`, 'x');
      }
      // RFC 8032 §5.1.3 / §5.2.3 step 2: the y must have an x on the curve.
      if (options.decodeEdwardsPoint !== false && !edwardsHasX(key.crv, key.x)) invalid(`x is not a ${key.crv} point`, 'x');
      return key;
    }
    default:
      return key;
  }
}

/**
 * Decodes COSE_Key bytes into a validated {@link CosePublicKey}: `parseCoseKey` (shape, WebAuthn
 * L3 §5.8.5) and `validateCosePublicKey` (the point is on its curve). This is the check to
 * run on a credential public key at registration, whatever the attestation format.
 *
 * Throws `ERR_CBOR_*`, `ERR_ALG_UNSUPPORTED` or `ERR_COSE_KEY_INVALID`.
 */
export function decodeCoseKey(bytes: Uint8Array, options?: CoseKeyOptions): CosePublicKey {
  return validateCosePublicKey(parseCoseKey(bytes, options));
}

/**
 * Checks a {@link CosePublicKey} object built by the caller: its shape (as `parseCoseKey` would)
 * and its arithmetic validity. Throws `ERR_ALG_UNSUPPORTED` or `ERR_COSE_KEY_INVALID`.
 */
export function assertValidCosePublicKey(key: CosePublicKey): CosePublicKey {
  assertCosePublicKey(key);
  return validateCosePublicKey(key);
}
