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
 * - mixed-order points (prime-order point plus torsion) are accepted: checking the subgroup
 *   costs a full scalar multiplication (~1 ms), honest keys never have a torsion part, and such a
 *   key only lets its own holder make signatures that some verifiers accept and others refuse.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { fail } from '../errors.js';
import type { CosePublicKey, EcCurveName, OkpCurveName } from '../parse/cose-constants.js';
import { assertCosePublicKey, parseCoseKey } from '../parse/cose-key.js';

const STEP = '5.8.5';

interface WeierstrassParams {
  readonly p: bigint;
  readonly a: bigint;
  readonly b: bigint;
}

function params(curve: { Point: { CURVE(): { p: bigint; a: bigint; b: bigint } } }): WeierstrassParams {
  const { p, a, b } = curve.Point.CURVE();
  return { p, a, b };
}

// All four curves have cofactor 1: every affine solution of the equation is a group element, and
// the identity has no affine form (b ≠ 0 also rules out (0, 0)), so "on the curve" is the check.
const WEIERSTRASS: Readonly<Record<EcCurveName, WeierstrassParams>> = {
  'P-256': params(p256),
  'P-384': params(p384),
  'P-521': params(p521),
  secp256k1: params(secp256k1),
};

const EDWARDS: Readonly<Record<OkpCurveName, typeof ed25519.Point | typeof ed448.Point>> = {
  Ed25519: ed25519.Point,
  Ed448: ed448.Point,
};

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
 * the curve (P-256, P-384, P-521, secp256k1); Ed25519/Ed448 `x` a canonical encoding of a point
 * that is not of small order. RSA and ML-DSA keys have no further check here (their shape rules
 * are in `parseCoseKey`). Returns the key; throws `ERR_COSE_KEY_INVALID` (step 5.8.5).
 */
export function validateCosePublicKey(key: CosePublicKey): CosePublicKey {
  switch (key.kty) {
    case 'EC2': {
      const verdict = isOnCurve(key.crv, key.x, key.y);
      if (verdict === 'x' || verdict === 'y') invalid(`${verdict} coordinate is not below the field prime`, verdict);
      if (verdict === 'curve') invalid(`the point is not on ${key.crv}`, 'y');
      return key;
    }
    case 'OKP': {
      let point: ReturnType<typeof ed25519.Point.fromBytes> | ReturnType<typeof ed448.Point.fromBytes>;
      try {
        point = EDWARDS[key.crv].fromBytes(key.x, false);
      } catch (error) {
        invalid(`x is not a canonical ${key.crv} point encoding`, 'x', error);
      }
      if (point.isSmallOrder()) invalid(`x is a small-order ${key.crv} point`, 'x');
      return key;
    }
    default:
      return key;
  }
}

/**
 * Decodes COSE_Key bytes into a validated {@link CosePublicKey}: `parseCoseKey` (shape, WebAuthn
 * L3 §5.8.5) and {@link validateCosePublicKey} (the point is on its curve). This is the check to
 * run on a credential public key at registration, whatever the attestation format.
 *
 * Throws `ERR_CBOR_*`, `ERR_ALG_UNSUPPORTED` or `ERR_COSE_KEY_INVALID`.
 */
export function decodeCoseKey(bytes: Uint8Array): CosePublicKey {
  return validateCosePublicKey(parseCoseKey(bytes));
}

/**
 * Checks a {@link CosePublicKey} object built by the caller: its shape (as `parseCoseKey` would)
 * and its arithmetic validity. Throws `ERR_ALG_UNSUPPORTED` or `ERR_COSE_KEY_INVALID`.
 */
export function assertValidCosePublicKey(key: CosePublicKey): CosePublicKey {
  assertCosePublicKey(key);
  return validateCosePublicKey(key);
}
