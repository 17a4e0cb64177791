/**
 * The little curve arithmetic key validation needs (validate-key.ts), without a curve library:
 * the domain parameters p, a, b of the four short-Weierstrass curves and the "does this y have an
 * x" test of RFC 8032 point decoding for Ed25519 and Ed448. Verification itself is never done
 * here (node:crypto, WebCrypto or @noble do it), so no constant-time concerns apply: the inputs are
 * public keys.
 *
 * Keeping @noble/curves out of this module keeps it out of the sign-in bundle; the constants are
 * checked against @noble/curves in test/crypto/curve-arithmetic.test.ts.
 *
 * @module
 */
import type { EcCurveName, OkpCurveName } from '../parse/cose-constants.js';

/** y² = x³ + ax + b over GF(p); `a` is stored reduced (p − 3 for the NIST curves). */
export interface WeierstrassParams {
  readonly p: bigint;
  readonly a: bigint;
  readonly b: bigint;
}

const P256 = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P384 = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn;
const P521 = (1n << 521n) - 1n;
const SECP256K1 = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

/** FIPS 186-5 / SP 800-186 §3.2.1 (P-256, P-384, P-521) and SEC 2 v2 §2.4.1 (secp256k1). */
export const WEIERSTRASS: Readonly<Record<EcCurveName, WeierstrassParams>> = Object.freeze({
  'P-256': { p: P256, a: P256 - 3n, b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn },
  'P-384': {
    p: P384,
    a: P384 - 3n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
  'P-521': {
    p: P521,
    a: P521 - 3n,
    b: 0x51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  },
  secp256k1: { p: SECP256K1, a: 0n, b: 7n },
});

/**
 * RFC 8032 §5.1 (edwards25519: −x² + y² = 1 + d·x²·y²) and §5.2 (edwards448: x² + y² = 1 + d·x²·y²).
 * `sign` is the sign of the x² coefficient: solving for x² gives (y² − 1) / (d·y² − sign).
 */
interface EdwardsParams {
  readonly p: bigint;
  readonly d: bigint;
  readonly sign: bigint;
}

const ED25519_P = (1n << 255n) - 19n;
const ED448_P = (1n << 448n) - (1n << 224n) - 1n;

const EDWARDS: Readonly<Record<OkpCurveName, EdwardsParams>> = Object.freeze({
  // d = −121665 / 121666 mod p
  Ed25519: { p: ED25519_P, d: 0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3n, sign: -1n },
  Ed448: { p: ED448_P, d: ED448_P - 39081n, sign: 1n },
});

function mod(value: bigint, p: bigint): bigint {
  const r = value % p;
  return r < 0n ? r + p : r;
}

function powMod(base: bigint, exponent: bigint, p: bigint): bigint {
  let result = 1n;
  let b = mod(base, p);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % p;
    b = (b * b) % p;
    e >>= 1n;
  }
  return result;
}

/** Little-endian bytes to a bigint, with the top bit of the last byte (the x sign bit) cleared. */
function edwardsY(encoded: Uint8Array): bigint {
  let y = 0n;
  for (let i = encoded.length - 1; i >= 0; i--) {
    const byte = i === encoded.length - 1 ? (encoded[i] as number) & 0x7f : (encoded[i] as number);
    y = (y << 8n) | BigInt(byte);
  }
  return y;
}

/**
 * RFC 8032 §5.1.3 step 2 / §5.2.3 step 2: true when the y of the encoded point (below p: the
 * caller has checked canonicity) has an x on the curve, i.e. when u/v = (y² − 1)/(d·y² ∓ 1) is a
 * square (or zero) in GF(p). Decided by Euler's criterion on u·v, which has the quadratic
 * character of u/v (v ≠ 0: d is not a square), so one exponentiation, no square root.
 */
export function edwardsHasX(curve: OkpCurveName, encoded: Uint8Array): boolean {
  const { p, d, sign } = EDWARDS[curve];
  const y = edwardsY(encoded);
  if (y >= p) return false;
  const y2 = (y * y) % p;
  const u = mod(y2 - 1n, p);
  const v = mod(d * y2 - sign, p);
  if (u === 0n) return true;
  const character = powMod(u * v, (p - 1n) >> 1n, p);
  return character === 1n;
}
