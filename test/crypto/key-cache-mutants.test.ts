/**
 * The key cache's decisions one by one (key-cache.ts): ids of keys longer than one 4096-byte chunk,
 * the curve equation left to a backend that checks points on import, the Edwards square root left
 * to the verifier, settled imports swapped in only while their entry is still the pending one,
 * the strict and the legacy shared caches, and misuse by argument name. Written against the
 * survivors of a mutation run (docs/security.md, "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import type { CryptoBackend, PreparedKey } from '../../src/crypto/backend-types.js';
import { KeyCache, clearKeyCache, getPreparedKey } from '../../src/crypto/key-cache.js';
import { fromHex } from '../../src/encoding/bytes.js';
import type { CosePublicKey } from '../../src/parse/cose-constants.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';

type Item = number | Uint8Array | Map<Item, Item>;
function head(major: number, n: number): number[] {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  return [m | 25, n >> 8, n & 0xff];
}
function cbor(item: Item): number[] {
  if (typeof item === 'number') return item < 0 ? head(1, -1 - item) : head(0, item);
  if (item instanceof Uint8Array) return [...head(2, item.length), ...item];
  return [...head(5, item.size), ...[...item].flatMap(([k, v]) => [...cbor(k), ...cbor(v)])];
}

const GX = fromHex('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296');
const GY = fromHex('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5');

/** ES256 COSE_Key of the P-256 generator (or another y), with an optional kid (label 2). */
function es256(options: { kid?: Uint8Array; y?: Uint8Array; crv?: boolean } = {}): Uint8Array {
  const map = new Map<Item, Item>([
    [1, 2],
    [3, -7],
  ]);
  if (options.crv !== false) map.set(-1, 1);
  map.set(-2, GX);
  map.set(-3, options.y ?? GY);
  if (options.kid !== undefined) map.set(2, options.kid);
  return new Uint8Array(cbor(map));
}

function fakeBackend(extra: Partial<CryptoBackend> = {}) {
  let imports = 0;
  const backend = {
    ...extra,
    prepareKey: (cose: CosePublicKey): PreparedKey => ({ cose, handle: ++imports }),
  };
  return { backend, imports: () => imports };
}

describe('cache ids of long keys', () => {
  it('a key over 4096 bytes (a long kid) hits on the same bytes and misses on a change past the first chunk', () => {
    const { backend, imports } = fakeBackend();
    const cache = new KeyCache(8, backend);
    const kid = new Uint8Array(6000).fill(7);
    const first = cache.get(es256({ kid })) as PreparedKey;
    expect(cache.get(es256({ kid }))).toBe(first);
    const changed = new Uint8Array(kid);
    changed[5999] = 8;
    const second = cache.get(es256({ kid: changed })) as PreparedKey;
    expect(second).not.toBe(first);
    expect(cache.size).toBe(2);
    expect(imports()).toBe(2);
  });
});

describe('what the cache leaves to others', () => {
  it('an off-curve point: refused, unless the backend checks points on import itself', () => {
    const offY = new Uint8Array(GY);
    offY[31] = (offY[31] ?? 0) ^ 1;
    const strict = new KeyCache(4, fakeBackend().backend);
    const error = expectCode(() => strict.get(es256({ y: offY })), 'ERR_COSE_KEY_INVALID');
    expect(error.message).toBe('COSE_Key: the point is not on P-256');
    const importer = new KeyCache(4, fakeBackend({ validatesCurvePointsOnImport: true }).backend);
    expect((importer.get(es256({ y: offY })) as PreparedKey).cose.kty).toBe('EC2');
    // Coordinates are still range-checked without the equation.
    const p = fromHex('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
    expectCode(() => importer.get(es256({ y: p })), 'ERR_COSE_KEY_INVALID');
    expect(new KeyCache(4, fakeBackend({ validatesCurvePointsOnImport: false }).backend).size).toBe(0);
    expectCode(() => new KeyCache(4, fakeBackend({ validatesCurvePointsOnImport: false }).backend).get(es256({ y: offY })), 'ERR_COSE_KEY_INVALID');
  });

  it('an Ed25519 x without a curve point is cached (the verifier refuses it), a small-order one is not', () => {
    const cache = new KeyCache(4, fakeBackend().backend);
    // y = 2 has no x on edwards25519 (a canonical encoding that is not a point).
    const noPoint = new Uint8Array(32);
    noPoint[0] = 2;
    const okp = (x: Uint8Array) => new Uint8Array(cbor(new Map<Item, Item>([[1, 1], [3, -8], [-1, 6], [-2, x]])));
    expect((cache.get(okp(noPoint)) as PreparedKey).cose.kty).toBe('OKP');
    const identity = new Uint8Array(32);
    identity[0] = 1;
    expectCode(() => cache.get(okp(identity)), 'ERR_COSE_KEY_INVALID');
  });
});

describe('pending imports', () => {
  function deferredBackend() {
    const pending: { resolve: (k: PreparedKey) => void; reject: (e: unknown) => void; cose: CosePublicKey }[] = [];
    const backend = {
      prepareKey: (cose: CosePublicKey) =>
        new Promise<PreparedKey>((resolve, reject) => {
          pending.push({ resolve, reject, cose });
        }),
    };
    return { backend, pending };
  }

  it('a settled import is not put back after its entry was cleared', async () => {
    const { backend, pending } = deferredBackend();
    const cache = new KeyCache(4, backend);
    const promise = cache.get(es256());
    cache.clear();
    pending[0]!.resolve({ cose: pending[0]!.cose, handle: 'late' });
    await promise;
    await Promise.resolve();
    expect(cache.size).toBe(0);
  });

  it('a failed import removes only its own entry, not a newer one for the same key', async () => {
    const { backend, pending } = deferredBackend();
    const cache = new KeyCache(4, backend);
    const first = cache.get(es256()) as Promise<PreparedKey>;
    cache.clear();
    const second = cache.get(es256()) as Promise<PreparedKey>;
    expect(second).not.toBe(first);
    pending[0]!.reject(new Error('import failed'));
    await first.catch(() => {});
    await Promise.resolve();
    expect(cache.size).toBe(1);
    expect(cache.get(es256())).toBe(second);
    pending[1]!.resolve({ cose: pending[1]!.cose, handle: 'ok' });
    expect((await second).handle).toBe('ok');
  });
});

describe('shared caches', () => {
  it('a key without crv is accepted only through the legacy cache, which clearKeyCache empties too', async () => {
    const legacy = es256({ crv: false });
    const error = await expectRejection(Promise.resolve().then(() => getPreparedKey(legacy)), 'ERR_COSE_KEY_INVALID');
    expect(error.details?.field).toBe('crv');
    const a = await getPreparedKey(legacy, { allowLegacyKeyWithoutCurve: true });
    expect(await getPreparedKey(legacy, { allowLegacyKeyWithoutCurve: true })).toBe(a);
    clearKeyCache();
    expect(await getPreparedKey(legacy, { allowLegacyKeyWithoutCurve: true })).not.toBe(a);
  });
});

describe('misuse names the argument', () => {
  it.each([
    ['capacity', () => new KeyCache(0), 'KeyCache capacity must be a positive integer'],
    ['keyBackend', () => new KeyCache(4, {} as never), 'KeyCache keyBackend must have a prepareKey function'],
    ['keyOptions', () => new KeyCache(4, fakeBackend().backend, null as never), 'KeyCache keyOptions must be an object'],
    [
      'keyOptions.allowLegacyKeyWithoutCurve',
      () => new KeyCache(4, fakeBackend().backend, { allowLegacyKeyWithoutCurve: 'yes' as never }),
      'must be a boolean',
    ],
    ['cose', () => new KeyCache(4, fakeBackend().backend).get(42 as never), 'Expected COSE_Key bytes or their base64url text'],
  ])('%s', (field, fn, message) => {
    const error = expectCode(fn, 'ERR_OPTIONS_INVALID');
    expect(error.details).toEqual({ field });
    expect(error.message).toBe(message);
  });
});
