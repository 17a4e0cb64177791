/**
 * Each input member is read once (issue 14, "read twice"; DESIGN errors section): with counting
 * getters on every member of the response (envelope and inner response), of the expectations and
 * of the record, no member is read twice, and a getter that answers differently on a second read
 * cannot make the stored record hold bytes other than those verified.
 */
import { describe, expect, it } from 'vitest';
import {
  type AuthenticationExpectations,
  type AuthenticationResponseJSON,
  type CredentialRecord,
  type RegistrationExpectations,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '../../src/index.js';
import { generateTestKey } from '../helpers/keys.js';
import { createAssertion } from '../helpers/synthetic-authenticator.js';
import { createRegistration } from '../helpers/synthetic-registration.js';

/**
 * A copy of `source` whose every own member is a getter that counts its reads into `counts` (under
 * `prefix + key`) and answers `first[key]` on the first read, `later[key]` (if given) afterwards.
 */
function counting<T extends object>(source: T, counts: Map<string, number>, prefix: string, later: Partial<T> = {}): T {
  const out = {};
  for (const key of Object.keys(source)) {
    Object.defineProperty(out, key, {
      enumerable: true,
      get() {
        const n = (counts.get(prefix + key) ?? 0) + 1;
        counts.set(prefix + key, n);
        return n > 1 && key in later ? (later as Record<string, unknown>)[key] : (source as Record<string, unknown>)[key];
      },
    });
  }
  return out as T;
}

function readTwice(counts: Map<string, number>): string[] {
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}

describe('registration reads each member once', () => {
  it('response, response.response and the expectations: no member read twice; the record holds the verified bytes', async () => {
    const verified = await createRegistration({ format: 'packed' });
    // Another valid registration: what a second read of a member would answer.
    const other = await createRegistration({ format: 'none', challenge: verified.expected.challenge as string });
    const counts = new Map<string, number>();
    const inner = counting(verified.response.response, counts, 'response.', other.response.response);
    const response = counting({ ...verified.response, response: inner }, counts, '', { ...other.response, response: inner });
    const expected = counting(verified.expected, counts, 'expected.');
    const result = await verifyRegistrationResponse(response as RegistrationResponseJSON, expected as RegistrationExpectations);

    expect(readTwice(counts)).toEqual([]);
    for (const member of ['id', 'rawId', 'type', 'response', 'response.clientDataJSON', 'response.attestationObject']) {
      expect(counts.get(member), member).toBe(1);
    }
    expect(counts.get('response.authenticatorData')).toBe(1);
    expect(counts.get('response.transports')).toBe(1);
    expect(result.credential.attestationObject).toBe(verified.response.response.attestationObject);
    expect(result.credential.attestationClientDataJSON).toBe(verified.response.response.clientDataJSON);
    expect(result.credential.attestationFormat).toBe('packed');
    expect(result.credential.id).toBe(verified.response.id);
    expect(result.credential.transports).toEqual(verified.response.response.transports);
  });

  it('a transports list read once: a proxy that answers differently on a second pass changes nothing', async () => {
    const verified = await createRegistration({ format: 'none', transports: ['usb'] });
    let reads = 0;
    const transports = new Proxy(['usb', 'nfc'], {
      get(target, key, receiver) {
        if (key === '0') reads++;
        return key === '0' && reads > 1 ? 1 : Reflect.get(target, key, receiver);
      },
    });
    const response = { ...verified.response, response: { ...verified.response.response, transports } };
    const result = await verifyRegistrationResponse(response as RegistrationResponseJSON, verified.expected);
    expect(reads).toBe(1);
    expect(result.credential.transports).toEqual(['usb', 'nfc']);
  });
});

describe('sign-in reads each member once', () => {
  it('response, response.response, the record and the expectations: no member read twice', async () => {
    const signer = generateTestKey('ES256');
    const a = createAssertion(signer, { userHandle: 'dXNlci0x', signCount: 5, storedSignCount: 1 });
    const counts = new Map<string, number>();
    const inner = counting(a.response.response, counts, 'response.');
    const response = counting({ ...a.response, response: inner }, counts, '');
    const record = counting(
      { ...a.record, transports: ['internal'], backupEligible: false, uvInitialized: false, userId: 'u-1' },
      counts,
      'record.',
      { signCount: 999, publicKey: 'AAAA' },
    );
    const expected = counting(
      { ...a.expected, userHandle: 'dXNlci0x', allowCredentials: [a.record.id], counter: 'reject-regression' as const },
      counts,
      'expected.',
      { challenge: 'AAAA', userHandle: 'AAAA' },
    );
    const result = await verifyAuthenticationResponse(
      response as AuthenticationResponseJSON,
      record as CredentialRecord,
      expected as AuthenticationExpectations,
    );
    expect(readTwice(counts)).toEqual([]);
    for (const member of ['response.clientDataJSON', 'response.authenticatorData', 'response.signature', 'response.userHandle']) {
      expect(counts.get(member), member).toBe(1);
    }
    for (const member of ['record.id', 'record.publicKey', 'record.signCount', 'record.userId', 'expected.challenge']) {
      expect(counts.get(member), member).toBe(1);
    }
    expect(result.credential.signCount).toBe(5);
    expect(result.credential).toMatchObject({ userId: 'u-1', publicKey: a.record.publicKey, transports: ['internal'] });
  });
});
