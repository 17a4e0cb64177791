import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ECDSA_CURVES, ecdsaDerToP1363, ecdsaP1363ToDer, isStrictEcdsaDer } from '../../src/crypto/ecdsa-der.js';

describe('ecdsaP1363ToDer (JOSE r‖s → DER)', () => {
  for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
    const size = ECDSA_CURVES[curve].size;
    it(`${curve}: round-trips with ecdsaDerToP1363 for r, s in range, including leading zeros and high bits`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: size, maxLength: size }), fc.uint8Array({ minLength: size, maxLength: size }), (r, s) => {
          r[0] = curve === 'P-521' ? r[0]! & 0x01 : r[0]! & 0x7f; // keep r, s below the order
          s[0] = curve === 'P-521' ? s[0]! & 0x01 : s[0]! & 0x7f;
          r[size - 1] = r[size - 1]! | 1; // non-zero
          s[size - 1] = s[size - 1]! | 1;
          const raw = new Uint8Array([...r, ...s]);
          const der = ecdsaP1363ToDer(raw, curve);
          expect(der).not.toBeNull();
          expect(isStrictEcdsaDer(der!, curve)).toBe(true);
          expect(ecdsaDerToP1363(der!, curve)).toEqual(raw);
        }),
        { numRuns: 200 },
      );
    });
  }
  it('refuses a raw signature of the wrong length', () => {
    expect(ecdsaP1363ToDer(new Uint8Array(63), 'P-256')).toBeNull();
    expect(ecdsaP1363ToDer(new Uint8Array(65), 'P-256')).toBeNull();
  });
});
