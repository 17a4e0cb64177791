/**
 * The key cache may leave the curve equation to the backend's import (node:crypto does it), so
 * both backends must still refuse, through the cache, every EC key that decodeCoseKey refuses.
 */
import { describe, it } from 'vitest';
import { clearKeyCache, getPreparedKey } from '../../src/crypto/key-cache.js';
import { expectCodeAsync } from '../helpers/expect-code.js';
import { encodeCose, testKey } from '../helpers/keys.js';

const PRIMES: Record<string, string> = {
  ES256: 'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff',
  ES256K: 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f',
};

describe('key cache: EC points are checked on every backend', () => {
  for (const name of ['ES256', 'ES384', 'ES512', 'ES256K'] as const) {
    it(`${name}: a point off the curve → ERR_COSE_KEY_INVALID`, async () => {
      clearKeyCache();
      const entries = testKey(name).entries();
      const y = new Uint8Array(entries.get(-3) as Uint8Array);
      y[y.length - 1]! ^= 0x01;
      entries.set(-3, y);
      await expectCodeAsync(async () => getPreparedKey(encodeCose(entries)), 'ERR_COSE_KEY_INVALID');
    });
  }
  for (const [name, prime] of Object.entries(PRIMES)) {
    it(`${name}: a coordinate equal to p → ERR_COSE_KEY_INVALID`, async () => {
      clearKeyCache();
      const entries = testKey(name as 'ES256').entries();
      entries.set(-2, new Uint8Array(Buffer.from(prime, 'hex')));
      await expectCodeAsync(async () => getPreparedKey(encodeCose(entries)), 'ERR_COSE_KEY_INVALID');
    });
  }
});
