import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { backend } from '../../src/crypto/backend.js';
import { assertValidCosePublicKey, decodeCoseKey, validateCosePublicKey } from '../../src/crypto/validate-key.js';
import { KeyCache, getPreparedKey } from '../../src/crypto/key-cache.js';
import { verifyPrepared, verifySignature } from '../../src/crypto/verify-signature.js';
import { WebAuthnError } from '../../src/errors.js';
import { ALG, encodeCose, testKey } from '../helpers/keys.js';

function okp(alg: number, crv: number, x: Uint8Array): Uint8Array {
  return encodeCose([
    [1, 1],
    [3, alg],
    [-1, crv],
    [-2, x],
  ]);
}

function expectInvalid(fn: () => unknown, field?: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebAuthnError);
    expect((error as WebAuthnError).code).toBe('ERR_COSE_KEY_INVALID');
    expect((error as WebAuthnError).step).toBe('5.8.5');
    if (field !== undefined) expect((error as WebAuthnError).details?.field).toBe(field);
    return;
  }
  expect.unreachable('expected ERR_COSE_KEY_INVALID');
}

const P25519 = 2n ** 255n - 19n;

/** Runs the key-cache miss path (its lighter Edwards checks) on a fresh cache. */
function getPreparedKeyFresh(cose: Uint8Array): unknown {
  return new KeyCache(4).get(cose);
}
// A point of order 8 (its canonical encoding).
const smallOrderHex = 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a';

function le(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = 0; i < length; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Canonical encodings of the 8 small-order Ed25519 points: the multiples of a point of order 8. */
function smallOrder25519(): Uint8Array[] {
  const T = ed25519.Point.fromBytes(Uint8Array.from(Buffer.from(smallOrderHex, 'hex')));
  const all = new Map<string, Uint8Array>();
  let q = ed25519.Point.ZERO;
  for (let i = 0; i < 8; i++) {
    const bytes = q.toBytes();
    all.set(Buffer.from(bytes).toString('hex'), bytes);
    q = q.add(T);
  }
  return [...all.values()];
}

describe('EC2 on-curve validation (E.47)', () => {
  it('accepts generated keys of every curve', () => {
    for (const name of ['ES256', 'ES384', 'ES512', 'ES256K', 'ESP256', 'ESP384', 'ESP512'] as const) {
      expect(decodeCoseKey(testKey(name).cose).kty).toBe('EC2');
    }
  });

  it('accepts the generator and refuses its negation with a wrong sign, x = p, y = p', () => {
    const G = p256.Point.BASE.toAffine();
    const p = p256.Point.CURVE().p;
    const bytes = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
    const key = (x: bigint, y: bigint) => ({ kty: 'EC2', alg: ALG.ES256, crv: 'P-256', x: bytes(x), y: bytes(y) }) as const;
    expect(validateCosePublicKey(key(G.x, G.y))).toEqual(key(G.x, G.y));
    expect(validateCosePublicKey(key(G.x, p - G.y))).toEqual(key(G.x, p - G.y));
    expectInvalid(() => validateCosePublicKey(key(G.x, G.y + 1n)), 'y');
    // y + p is congruent but not reduced: must not be accepted as the same point.
    expectInvalid(() => validateCosePublicKey(key(G.x, G.y + p)), 'y');
    expectInvalid(() => validateCosePublicKey(key(p, G.y)), 'x');
    expectInvalid(() => validateCosePublicKey(key(0n, 0n)));
    // The point with x = 0 on P-256 has y² = b; (0, 0) is not it.
    expectInvalid(() => validateCosePublicKey(key(0n, 1n)));
  });
});

describe('OKP validation (Ed25519 / Ed448 policy)', () => {
  it('refuses every small-order Ed25519 point (identity, order 2, 4, 8)', () => {
    const encodings = smallOrder25519();
    expect(encodings.length).toBe(8);
    for (const x of encodings) {
      expectInvalid(() => decodeCoseKey(okp(ALG.EdDSA, 6, x)), 'x');
      expectInvalid(() => decodeCoseKey(okp(ALG.Ed25519, 6, x)), 'x');
    }
  });

  it('refuses non-canonical Ed25519 encodings: y ≥ p, and x = 0 with the sign bit', () => {
    // Every y ≥ p is refused, whatever it reduces to (p + 1 would be the identity's y).
    for (const y of [P25519, P25519 + 1n, P25519 + 9n, 2n ** 255n - 1n]) {
      expectInvalid(() => decodeCoseKey(okp(ALG.EdDSA, 6, le(y, 32))), 'x');
    }
    const signedIdentity = le(1n, 32);
    signedIdentity[31] = 0x80;
    expectInvalid(() => decodeCoseKey(okp(ALG.EdDSA, 6, signedIdentity)), 'x');
  });

  it('refuses an Ed25519 y that is not on the curve', () => {
    let y = 2n;
    while (ed25519.utils.isValidPublicKey(le(y, 32), false)) y++;
    expectInvalid(() => decodeCoseKey(okp(ALG.EdDSA, 6, le(y, 32))), 'x');
  });

  it('refuses small-order, non-canonical and off-curve Ed448 keys', () => {
    expectInvalid(() => decodeCoseKey(okp(ALG.Ed448, 7, ed448.Point.ZERO.toBytes())), 'x');
    const p448 = 2n ** 448n - 2n ** 224n - 1n;
    expectInvalid(() => decodeCoseKey(okp(ALG.Ed448, 7, le(p448 + 1n, 57))), 'x');
    const highBits = new Uint8Array(testKey('Ed448').entries().get(-2) as Uint8Array);
    highBits[56] = (highBits[56] as number) | 0x01;
    expectInvalid(() => decodeCoseKey(okp(ALG.Ed448, 7, highBits)), 'x');
    let y = 2n;
    while (ed448.utils.isValidPublicKey(le(y, 57), false)) y++;
    expectInvalid(() => decodeCoseKey(okp(ALG.Ed448, 7, le(y, 57))), 'x');
  });

  it('refuses a small-order key through verifySignature on this backend (no forgery with S = 0)', async () => {
    const identity = le(1n, 32);
    const forged = new Uint8Array(64);
    forged.set(identity, 0);
    await expect(verifySignature(okp(ALG.EdDSA, 6, identity), Uint8Array.of(1, 2, 3), forged)).rejects.toMatchObject({
      code: 'ERR_COSE_KEY_INVALID',
    });
    expect(backend.name).toMatch(/node|web/);
  });

  it('accepts a mixed-order Ed25519 key (documented: not checked, ~1 ms per key)', () => {
    const A = ed25519.Point.fromBytes(testKey('EdDSA').entries().get(-2) as Uint8Array);
    const torsion = ed25519.Point.fromBytes(Uint8Array.from(Buffer.from(smallOrderHex, 'hex')));
    const mixed = A.add(torsion).toBytes();
    expect(decodeCoseKey(okp(ALG.EdDSA, 6, mixed)).kty).toBe('OKP');
  });
});

describe('Edwards checks on the key-cache path (no square root)', () => {
  it('its byte-level small-order list is exactly the small-order points', () => {
    for (const x of smallOrder25519()) {
      expect(() => getPreparedKeyFresh(okp(ALG.EdDSA, 6, x))).toThrow(expect.objectContaining({ code: 'ERR_COSE_KEY_INVALID' }));
    }
    const P = ed448.Point;
    const minusOne = P.Fp.neg(1n);
    for (const point of [P.ZERO, P.fromAffine({ x: 0n, y: minusOne }), P.fromAffine({ x: 1n, y: 0n }), P.fromAffine({ x: minusOne, y: 0n })]) {
      expect(point.isSmallOrder()).toBe(true);
      expect(() => getPreparedKeyFresh(okp(ALG.Ed448, 7, point.toBytes()))).toThrow(
        expect.objectContaining({ code: 'ERR_COSE_KEY_INVALID' }),
      );
    }
  });

  it('refuses non-canonical encodings, including x = 0 with the sign bit', () => {
    const signed = (y: bigint, length: number) => {
      const bytes = le(y, length);
      bytes[length - 1] = (bytes[length - 1] as number) | 0x80;
      return bytes;
    };
    const p448 = 2n ** 448n - 2n ** 224n - 1n;
    const cases: [number, number, Uint8Array][] = [
      [ALG.EdDSA, 6, le(P25519, 32)],
      [ALG.EdDSA, 6, le(P25519 + 5n, 32)],
      [ALG.EdDSA, 6, signed(1n, 32)],
      [ALG.EdDSA, 6, signed(P25519 - 1n, 32)],
      [ALG.Ed448, 7, le(p448, 57)],
      [ALG.Ed448, 7, signed(1n, 57)],
      [ALG.Ed448, 7, signed(p448 - 1n, 57)],
    ];
    for (const [alg, crv, x] of cases) {
      expect(() => getPreparedKeyFresh(okp(alg, crv, x))).toThrow(expect.objectContaining({ code: 'ERR_COSE_KEY_INVALID' }));
      expectInvalid(() => decodeCoseKey(okp(alg, crv, x)), 'x');
    }
  });

  it('a key that is not a point is never usable: refused on import or never verifies', async () => {
    for (const [alg, crv, size, curve] of [
      [ALG.EdDSA, 6, 32, ed25519],
      [ALG.Ed448, 7, 57, ed448],
    ] as const) {
      let y = 2n;
      while (curve.utils.isValidPublicKey(le(y, size), false)) y++;
      const cose = okp(alg, crv, le(y, size));
      expectInvalid(() => decodeCoseKey(cose), 'x');
      let prepared: Awaited<ReturnType<typeof getPreparedKey>>;
      try {
        prepared = await getPreparedKey(cose);
      } catch (error) {
        expect((error as WebAuthnError).code).toBe('ERR_COSE_KEY_INVALID');
        continue;
      }
      for (const signature of [new Uint8Array(2 * size), new Uint8Array(2 * size).fill(1), testKey(alg === ALG.EdDSA ? 'EdDSA' : 'Ed448').sign(Uint8Array.of(1))]) {
        expect(await verifyPrepared(prepared, Uint8Array.of(1), signature)).toBe(false);
      }
    }
  });
});

describe('assertValidCosePublicKey', () => {
  it('checks shape and arithmetic of caller-built keys', () => {
    const good = decodeCoseKey(testKey('ES256').cose);
    expect(assertValidCosePublicKey(good)).toBe(good);
    if (good.kty !== 'EC2') throw new Error('kty');
    const y = new Uint8Array(good.y);
    y[5] = (y[5] as number) ^ 4;
    expectInvalid(() => assertValidCosePublicKey({ ...good, y }), 'y');
    expectInvalid(() => assertValidCosePublicKey({ ...good, y: y.subarray(1) }), 'y');
  });
});
