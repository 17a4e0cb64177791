/**
 * curve-arithmetic.ts against @noble/curves (a test-time reference): the domain parameters are the
 * same, and "y has an x" agrees with noble's strict RFC 8032 point decoding on random encodings.
 */
import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { edwardsHasX, WEIERSTRASS } from '../../src/crypto/curve-arithmetic.js';

describe('Weierstrass domain parameters', () => {
  it.each([
    ['P-256', p256],
    ['P-384', p384],
    ['P-521', p521],
    ['secp256k1', secp256k1],
  ] as const)('%s p, a, b equal @noble/curves', (name, curve) => {
    const { p, a, b } = curve.Point.CURVE();
    expect(WEIERSTRASS[name]).toEqual({ p, a, b });
  });
});

describe('edwardsHasX agrees with @noble strict decoding', () => {
  function nobleDecodes(point: typeof ed25519.Point | typeof ed448.Point, bytes: Uint8Array): boolean {
    try {
      point.fromBytes(bytes, false);
      return true;
    } catch {
      return false;
    }
  }

  it.each([
    ['Ed25519', ed25519.Point, 32],
    ['Ed448', ed448.Point, 57],
  ] as const)('%s: 400 random canonical encodings, and real public keys', (name, point, length) => {
    let points = 0;
    for (let i = 0; i < 400; i++) {
      const bytes = new Uint8Array(randomBytes(length));
      bytes[length - 1] = name === 'Ed448' ? 0 : (bytes[length - 1] as number) & 0x7f;
      if (name === 'Ed25519' && bytes[31] === 0x7f) bytes[31] = 0x3f; // keep y < p
      const expected = nobleDecodes(point, bytes);
      expect(edwardsHasX(name, bytes)).toBe(expected);
      if (expected) points++;
    }
    // About half of all y have an x: both outcomes were exercised.
    expect(points).toBeGreaterThan(120);
    expect(points).toBeLessThan(280);
    const curve = name === 'Ed25519' ? ed25519 : ed448;
    for (let i = 0; i < 20; i++) expect(edwardsHasX(name, curve.getPublicKey(curve.utils.randomSecretKey()))).toBe(true);
  });

  it('y = 1 (x = 0) has an x; y ≥ p has none', () => {
    const one = new Uint8Array(32);
    one[0] = 1;
    expect(edwardsHasX('Ed25519', one)).toBe(true);
    expect(edwardsHasX('Ed25519', new Uint8Array(32).fill(0xff).map((b, i) => (i === 31 ? 0x7f : b)))).toBe(false);
  });
});
