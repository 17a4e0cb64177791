/** The demo's storage rules without a browser: the counter compare-and-set and single-use challenges. */
import { describe, expect, it } from 'vitest';
import { SqlJsStorage } from '../../examples/relying-party/storage.js';

describe('demo storage (sql.js)', () => {
  it('the sign counter update is a compare-and-set: of two updates from the same counter only one passes', async () => {
    const storage = await SqlJsStorage.open();
    const user = storage.createUser('wallet.localhost', 'alice', 'aGFuZGxl')!;
    expect(storage.createUser('wallet.localhost', 'alice', 'b3RoZXI')).toBeUndefined();
    expect(
      storage.addCredential({
        id: 'Y3JlZA',
        userId: user.id,
        rpId: 'wallet.localhost',
        name: 'Key',
        publicKey: 'AA',
        algorithm: -7,
        signCount: 5,
        transports: ['usb'],
        aaguid: '00000000-0000-0000-0000-000000000000',
        backupEligible: false,
        backupState: false,
        uvInitialized: true,
        attestation: { format: 'none', type: 'none', trusted: false },
        createdAt: 1,
        lastUsedAt: null,
      }),
    ).toBe(true);
    const update = { backupState: false, uvInitialized: true, lastUsedAt: 2 };
    expect(storage.updateAfterSignIn('Y3JlZA', 5, { ...update, signCount: 6 })).toBe(true);
    expect(storage.updateAfterSignIn('Y3JlZA', 5, { ...update, signCount: 7 })).toBe(false);
    expect(storage.credential('wallet.localhost', 'Y3JlZA')!.signCount).toBe(6);
  });

  it('challenges are single use, bound to the session and expire', async () => {
    const storage = await SqlJsStorage.open();
    const now = Date.now();
    storage.saveChallenge({ id: 'a', sessionId: 's', purpose: 'signin', data: { challenge: 'x' }, expiresAt: now + 1000 });
    storage.saveChallenge({ id: 'b', sessionId: 's', purpose: 'signin', data: {}, expiresAt: now + 1000 });
    storage.saveChallenge({ id: 'c', sessionId: 's', purpose: 'signin', data: {}, expiresAt: now + 1000 });
    expect(storage.takeChallenge('a', 's', now)?.data).toEqual({ challenge: 'x' });
    expect(storage.takeChallenge('a', 's', now)).toBeUndefined();
    expect(storage.takeChallenge('b', 'other', now)).toBeUndefined();
    expect(storage.takeChallenge('b', 's', now)).toBeUndefined(); // consumed by the failed attempt
    expect(storage.takeChallenge('c', 's', now + 1000)).toBeUndefined(); // expired
  });
});
