import { describe, expect, it } from 'vitest';
import { clearKeyCache, getPreparedKey } from '../../src/crypto/key-cache.js';
import { decodeCoseKey } from '../../src/crypto/validate-key.js';
import { parseCoseKey } from '../../src/parse/cose-key.js';
import { expectCode } from '../helpers/expect-code.js';
import { encodeCose, testKey } from '../helpers/keys.js';

function withoutCurve(name: 'ES256' | 'ES384' | 'ES512' | 'ESP256' | 'ES256K'): Uint8Array {
  const entries = testKey(name).entries();
  entries.delete(-1);
  return encodeCose(entries);
}

describe('quirk allowLegacyKeyWithoutCurve (docs/quirks.md)', () => {
  it('strict by default: an EC2 key without crv → ERR_COSE_KEY_INVALID', () => {
    expectCode(() => parseCoseKey(withoutCurve('ES256')), 'ERR_COSE_KEY_INVALID');
  });

  it('infers the curve of ES256, ES384 and ES512 keys when allowed, and the point is still checked', () => {
    expect(parseCoseKey(withoutCurve('ES256'), { allowLegacyKeyWithoutCurve: true })).toMatchObject({ crv: 'P-256' });
    expect(parseCoseKey(withoutCurve('ES384'), { allowLegacyKeyWithoutCurve: true })).toMatchObject({ crv: 'P-384' });
    expect(decodeCoseKey(withoutCurve('ES512'), { allowLegacyKeyWithoutCurve: true })).toMatchObject({ crv: 'P-521' });
    const offCurve = testKey('ES256').entries();
    offCurve.delete(-1);
    const y = (offCurve.get(-3) as Uint8Array).slice();
    y[31]! ^= 1;
    offCurve.set(-3, y);
    expectCode(() => decodeCoseKey(encodeCose(offCurve), { allowLegacyKeyWithoutCurve: true }), 'ERR_COSE_KEY_INVALID');
  });

  it('never for fully-specified or secp256k1 algorithms, and never overrides a wrong crv', () => {
    expectCode(() => parseCoseKey(withoutCurve('ESP256'), { allowLegacyKeyWithoutCurve: true }), 'ERR_COSE_KEY_INVALID');
    expectCode(() => parseCoseKey(withoutCurve('ES256K'), { allowLegacyKeyWithoutCurve: true }), 'ERR_COSE_KEY_INVALID');
    const wrong = testKey('ES256').entries();
    wrong.set(-1, 2);
    expectCode(() => parseCoseKey(encodeCose(wrong), { allowLegacyKeyWithoutCurve: true }), 'ERR_COSE_KEY_INVALID');
  });

  it('a leniently decoded key is never served to a strict caller from the cache', async () => {
    clearKeyCache();
    const bytes = withoutCurve('ES256');
    await getPreparedKey(bytes, { allowLegacyKeyWithoutCurve: true });
    expectCode(() => getPreparedKey(bytes), 'ERR_COSE_KEY_INVALID');
  });
});
