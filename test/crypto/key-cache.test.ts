import { describe, expect, it } from 'vitest';
import type { CryptoBackend, PreparedKey } from '../../src/crypto/backend-types.js';
import { clearKeyCache, DEFAULT_KEY_CACHE_CAPACITY, getPreparedKey, KeyCache } from '../../src/crypto/key-cache.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { WebAuthnError } from '../../src/errors.js';
import type { CosePublicKey } from '../../src/parse/cose-constants.js';
import { expectCode } from '../helpers/expect-code.js';
import { generateTestKey, testKey } from '../helpers/keys.js';

function countingBackend(
  impl: (key: CosePublicKey, call: number) => PreparedKey | Promise<PreparedKey> = (key) => ({ cose: key, handle: null }),
): Pick<CryptoBackend, 'prepareKey'> & { calls: number } {
  const fake = {
    calls: 0,
    prepareKey(key: CosePublicKey) {
      fake.calls++;
      return impl(key, fake.calls);
    },
  };
  return fake;
}

describe('KeyCache', () => {
  it('returns the same prepared key on a hit, for bytes and for base64url (one entry each)', async () => {
    const cache = new KeyCache(8);
    const key = testKey('ES256');
    const first = await cache.get(key.cose);
    expect(await cache.get(key.cose)).toBe(first);
    expect(await cache.get(new Uint8Array(key.cose))).toBe(first);
    expect(cache.size).toBe(1);
    const text = bytesToBase64Url(key.cose);
    const fromText = await cache.get(text);
    expect(await cache.get(text)).toBe(fromText);
    expect(fromText.cose).toEqual(first.cose);
    expect(cache.size).toBe(2);
    expect(first.cose.alg).toBe(key.alg);
  });

  it('never serves a byte-keyed entry to text that is not base64url', async () => {
    const cache = new KeyCache(8);
    const cose = testKey('ES256').cose;
    await cache.get(cose);
    const byteId = `\u0001${String.fromCharCode(...cose)}`;
    expect(() => cache.get(byteId)).toThrow(expect.objectContaining({ code: 'ERR_BASE64URL_INVALID' }));
  });

  it('handles large keys (ML-DSA-87, 2.6 kB) as bytes', async () => {
    const cache = new KeyCache(8);
    const cose = testKey('ML-DSA-87').cose;
    const first = await cache.get(cose);
    expect(await cache.get(new Uint8Array(cose))).toBe(first);
    const other = new Uint8Array(cose);
    other[other.length - 1] = (other[other.length - 1] as number) ^ 1;
    expect(await cache.get(other)).not.toBe(first);
  });

  it('evicts the least recently used key beyond its capacity', () => {
    const fake = countingBackend();
    const cache = new KeyCache(2, fake);
    const [a, b, c] = ['ES256', 'ES384', 'EdDSA'].map((name) => generateTestKey(name as 'ES256').cose) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    const pa = cache.get(a);
    cache.get(b);
    expect(cache.get(a)).toBe(pa); // a is now the most recent
    cache.get(c); // evicts b
    expect(cache.size).toBe(2);
    expect(fake.calls).toBe(3);
    expect(cache.get(a)).toBe(pa);
    cache.get(b); // miss: imported again, evicts c
    expect(fake.calls).toBe(4);
    cache.get(c);
    expect(fake.calls).toBe(5);
  });

  it('does not cache keys that fail to decode (thrown synchronously)', () => {
    const fake = countingBackend();
    const cache = new KeyCache(4, fake);
    const entries = testKey('ES256').entries();
    const y = new Uint8Array(entries.get(-3) as Uint8Array);
    y[0] = (y[0] as number) ^ 1;
    entries.set(-3, y);
    const bad = bytesToBase64Url(new Uint8Array([0xa1, 0x01, 0x02]));
    for (let i = 0; i < 2; i++) {
      expect(() => cache.get(bad)).toThrow(expect.objectContaining({ name: 'WebAuthnError', code: 'ERR_COSE_KEY_INVALID' }));
      expect(() => cache.get('!!')).toThrow(expect.objectContaining({ code: 'ERR_BASE64URL_INVALID' }));
    }
    expect(cache.size).toBe(0);
    expect(fake.calls).toBe(0);
    expect(expectCode(() => cache.get(42 as unknown as string), 'ERR_OPTIONS_INVALID').details?.field).toBe('cose');
  });

  it('does not cache failed imports, and swaps a settled import in for its promise', async () => {
    const fake = countingBackend((key, call) =>
      call === 1 ? Promise.reject(new WebAuthnError('ERR_COSE_KEY_INVALID', 'refused')) : Promise.resolve({ cose: key, handle: call }),
    );
    const cache = new KeyCache(4, fake);
    const cose = testKey('ES256').cose;
    await expect(cache.get(cose)).rejects.toMatchObject({ code: 'ERR_COSE_KEY_INVALID' });
    expect(cache.size).toBe(0);
    const pending = cache.get(cose);
    expect(pending).toBeInstanceOf(Promise);
    const value = await pending;
    expect(value.handle).toBe(2);
    const hit = cache.get(cose);
    expect(hit).not.toBeInstanceOf(Promise);
    expect(hit).toBe(value);
    expect(fake.calls).toBe(2);
  });

  it('validates its arguments: ERR_OPTIONS_INVALID naming the argument', () => {
    for (const capacity of [0, 1.5, -1, Number.NaN, '8']) {
      expect(expectCode(() => new KeyCache(capacity as number), 'ERR_OPTIONS_INVALID').details?.field).toBe('capacity');
    }
    expect(expectCode(() => new KeyCache(4, {} as never), 'ERR_OPTIONS_INVALID').details?.field).toBe('keyBackend');
    expect(expectCode(() => new KeyCache(4, undefined, null as never), 'ERR_OPTIONS_INVALID').details?.field).toBe('keyOptions');
    expect(
      expectCode(() => new KeyCache(4, undefined, { allowLegacyKeyWithoutCurve: 'yes' as never }), 'ERR_OPTIONS_INVALID').details?.field,
    ).toBe('keyOptions.allowLegacyKeyWithoutCurve');
    expect(new KeyCache().capacity).toBe(DEFAULT_KEY_CACHE_CAPACITY);
    expect(DEFAULT_KEY_CACHE_CAPACITY).toBe(1024);
  });
});

describe('getPreparedKey / clearKeyCache (shared cache)', () => {
  it('caches across calls until cleared', async () => {
    const cose = testKey('EdDSA').cose;
    const first = await getPreparedKey(cose);
    expect(await getPreparedKey(new Uint8Array(cose))).toBe(first);
    const text = bytesToBase64Url(cose);
    expect(await getPreparedKey(text)).toBe(await getPreparedKey(text));
    clearKeyCache();
    const again = await getPreparedKey(cose);
    expect(again).not.toBe(first);
    expect(again.cose).toEqual(first.cose);
  });
});
