/**
 * §5.8.5 key validation byte by byte (validate-key.ts): Edwards canonical form (RFC 8032 §5.1.3:
 * y < p compared from the top byte down to byte 0, the sign bit on x = 0 only for y = 1 or p − 1),
 * small-order points, points without an x; EC2 coordinates against p with and without the curve
 * equation, and assertValidCosePublicKey's shape check first. Every refusal asserts code, step,
 * field and message. Written against the survivors of a mutation run (docs/security.md).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { assertValidCosePublicKey, validateCosePublicKey } from '../../src/crypto/validate-key.js';
import { fromHex } from '../../src/encoding/bytes.js';
import type { CosePublicKey } from '../../src/parse/cose-constants.js';
import { expectCode } from '../helpers/expect-code.js';

const ED25519_P_LE = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
const P256_P = fromHex('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff');

const okp = (x: Uint8Array) => ({ kty: 'OKP', alg: -8, crv: 'Ed25519', x }) as CosePublicKey;
const ec = (x: Uint8Array, y: Uint8Array) => ({ kty: 'EC2', alg: -7, crv: 'P-256', x, y }) as CosePublicKey;
const NO_DECODE = { decodeEdwardsPoint: false } as const;

/** 32 bytes little-endian: `low` bytes from index 0, `top` as the last byte. */
function le(low: readonly number[], top = 0): Uint8Array {
  const out = new Uint8Array(32);
  out.set(low);
  out[31] = top;
  return out;
}

function refused(fn: () => unknown, message: string, field: string, extra: Record<string, unknown> = {}) {
  const error = expectCode(fn, 'ERR_COSE_KEY_INVALID');
  expect(error.step).toBe('5.8.5');
  expect(error.message).toBe(`COSE_Key: ${message}`);
  expect(error.details).toEqual({ field, ...extra });
}

describe('Ed25519 canonical encodings', () => {
  it('y = p is refused; y = p − 2 (differing from p in byte 0 only) is canonical', () => {
    refused(() => validateCosePublicKey(okp(ED25519_P_LE), NO_DECODE), 'x is not a canonical Ed25519 point encoding', 'x');
    const pMinus2 = new Uint8Array(ED25519_P_LE);
    pMinus2[0] = 0xeb;
    expect(validateCosePublicKey(okp(pMinus2), NO_DECODE)).toBeDefined();
    const pPlus1 = new Uint8Array(ED25519_P_LE);
    pPlus1[0] = 0xee;
    refused(() => validateCosePublicKey(okp(pPlus1), NO_DECODE), 'x is not a canonical Ed25519 point encoding', 'x');
  });

  it('the sign bit is refused only on y = 1 and y = p − 1 (x = 0)', () => {
    refused(() => validateCosePublicKey(okp(le([1], 0x80)), NO_DECODE), 'x is not a canonical Ed25519 point encoding', 'x');
    const minusOne = new Uint8Array(ED25519_P_LE);
    minusOne[0] = 0xec;
    minusOne[31] = 0xff;
    refused(() => validateCosePublicKey(okp(minusOne), NO_DECODE), 'x is not a canonical Ed25519 point encoding', 'x');
    // Near misses keep their sign bit: y = 1 + 5·256, y = 1 + 2^248, y = p − 1 − 256, y = 2.
    for (const x of [le([1, 5], 0x80), le([1], 0x81), le([0xec, 0xfe, ...new Array(29).fill(0xff)], 0xff), le([2], 0x80)]) {
      expect(validateCosePublicKey(okp(x), NO_DECODE).kty).toBe('OKP');
    }
  });

  it('small-order points are refused as such, the identity included (not as non-canonical)', () => {
    refused(() => validateCosePublicKey(okp(le([1]))), 'x is a small-order Ed25519 point', 'x');
    refused(() => validateCosePublicKey(okp(le([])), NO_DECODE), 'x is a small-order Ed25519 point', 'x');
  });

  it('a canonical y without an x on the curve: refused when decoding, accepted by the key cache’s mode', () => {
    let y = 2;
    let x = le([y]);
    for (; y < 256; y++) {
      x = le([y]);
      try {
        ed25519.Point.fromBytes(x);
      } catch {
        break;
      }
    }
    expect(y).toBeLessThan(256);
    refused(() => validateCosePublicKey(okp(x)), 'x is not a Ed25519 point', 'x');
    expect(validateCosePublicKey(okp(x), NO_DECODE).kty).toBe('OKP');
    const real = ed25519.getPublicKey(new Uint8Array(32).fill(9));
    expect(validateCosePublicKey(okp(real)).kty).toBe('OKP');
  });
});

describe('EC2 coordinates', () => {
  const generator = {
    x: fromHex('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    y: fromHex('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
  };

  it('the P-256 generator is accepted with and without the curve equation', () => {
    expect(validateCosePublicKey(ec(generator.x, generator.y)).kty).toBe('EC2');
    expect(validateCosePublicKey(ec(generator.x, generator.y), { checkCurveEquation: false }).kty).toBe('EC2');
  });

  it('x or y equal to p is refused, naming the coordinate, in both modes', () => {
    for (const options of [{}, { checkCurveEquation: false }]) {
      refused(() => validateCosePublicKey(ec(P256_P, generator.y), options), 'x coordinate is not below the field prime', 'x');
      refused(() => validateCosePublicKey(ec(generator.x, P256_P), options), 'y coordinate is not below the field prime', 'y');
    }
  });

  it('below p by its first byte alone, or sharing p’s leading bytes: range-checked byte by byte', () => {
    // ff ff ff fe …: equal to p in byte 0, below it at byte 3.
    const high = fromHex('fffffffe00000000000000000000000000000000000000000000000000000000');
    expect(validateCosePublicKey(ec(high, generator.y), { checkCurveEquation: false }).kty).toBe('EC2');
    expect(validateCosePublicKey(ec(generator.x, high), { checkCurveEquation: false }).kty).toBe('EC2');
    const pMinus1 = new Uint8Array(P256_P);
    pMinus1[31] = 0xfe;
    expect(validateCosePublicKey(ec(generator.x, pMinus1), { checkCurveEquation: false }).kty).toBe('EC2');
  });

  it('a point off the curve: refused with the equation, left to the backend without it', () => {
    const offY = new Uint8Array(generator.y);
    offY[31] = (offY[31] ?? 0) ^ 1;
    refused(() => validateCosePublicKey(ec(generator.x, offY)), 'the point is not on P-256', 'y');
    expect(validateCosePublicKey(ec(generator.x, offY), { checkCurveEquation: false }).kty).toBe('EC2');
  });
});

describe('assertValidCosePublicKey checks the shape first', () => {
  it('a 31-byte x is a shape error, not an off-curve point', () => {
    refused(() => assertValidCosePublicKey(ec(new Uint8Array(31).fill(1), new Uint8Array(32).fill(1))), 'x is 31 bytes, not 32', 'x', {
      expected: 32,
      received: 31,
    });
  });
});
