/**
 * WebAuthn L3 §7.2, step by step: each describe is one step, each rejection asserts its exact code.
 * Checklist items of ../shared/SECURITY-CHECKLIST.md are named where a test implements one.
 */
import { describe, expect, it } from 'vitest';
import {
  type AuthenticationExpectations,
  verifyAuthenticationResponse,
} from '../../src/ceremony/verify-authentication.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import { FLAG_AT, FLAG_BE, FLAG_BS, FLAG_ED, FLAG_UP, FLAG_UV } from '../../src/parse/authenticator-data.js';
import type { AuthenticationResponseJSON, CredentialRecord } from '../../src/types.js';
import {
  type AssertionOptions,
  TEST_CHALLENGE,
  TEST_ORIGIN,
  TEST_RP_ID,
  createAssertion,
  resign,
} from '../helpers/synthetic-authenticator.js';
import { generateTestKey } from '../helpers/keys.js';
import { expectRejection as expectCode, rejection } from '../helpers/expect-code.js';

const signer = generateTestKey('ES256');
const otherSigner = generateTestKey('ES256');


function verifyWith(
  options: AssertionOptions = {},
  change: {
    response?: (r: AuthenticationResponseJSON) => unknown;
    record?: (r: CredentialRecord) => CredentialRecord;
    expected?: Partial<AuthenticationExpectations>;
  } = {},
) {
  const a = createAssertion(signer, options);
  const response = change.response ? change.response(a.response) : a.response;
  const record = change.record ? change.record(a.record) : a.record;
  return verifyAuthenticationResponse(response as AuthenticationResponseJSON, record, { ...a.expected, ...change.expected });
}

const withFields = (fields: Record<string, unknown>) => (r: AuthenticationResponseJSON) => ({
  ...r,
  response: { ...r.response, ...fields },
});

describe('a valid assertion', () => {
  it('verifies and reports the facts', async () => {
    const result = await verifyWith({ uv: true, signCount: 7, storedSignCount: 3 });
    expect(result.counter).toBe('increased');
    expect(result.userPresent).toBe(true);
    expect(result.userVerified).toBe(true);
    expect(result.rpId).toBe(TEST_RP_ID);
    expect(result.origin).toBe(TEST_ORIGIN);
    expect(result.credential.signCount).toBe(7);
    expect(result.credential.uvInitialized).toBe(true);
  });
});

describe('§7.2 step 3: the response is a well-formed assertion response (checklist A.1–A.4)', () => {
  const cases: [string, (r: AuthenticationResponseJSON) => unknown, WebAuthnErrorCode][] = [
    ['not an object', () => 'nope', 'ERR_RESPONSE_MALFORMED'],
    ['null', () => null, 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id missing', ({ id: _id, ...r }) => r, 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id not a string', (r) => ({ ...r, id: 42 }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id not base64url', (r) => ({ ...r, id: `${r.id}+`, rawId: `${r.rawId}+` }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id padded', (r) => ({ ...r, id: `${r.id}=`, rawId: `${r.id}=` }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id ≠ rawId', (r) => ({ ...r, rawId: bytesToBase64Url(new Uint8Array(16)) }), 'ERR_CREDENTIAL_ID_MISMATCH'],
    ['A.1 rawId missing', ({ rawId: _raw, ...r }) => r, 'ERR_RESPONSE_MALFORMED'],
    ['A.2 type missing', ({ type: _t, ...r }) => r, 'ERR_RESPONSE_MALFORMED'],
    ['A.2 type not public-key', (r) => ({ ...r, type: 'password' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 response missing', ({ response: _r, ...r }) => r, 'ERR_RESPONSE_MALFORMED'],
    ['A.3 response not an object', (r) => ({ ...r, response: [] }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 clientDataJSON missing', withFields({ clientDataJSON: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 clientDataJSON empty', withFields({ clientDataJSON: '' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 clientDataJSON not base64url', withFields({ clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0=' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 authenticatorData missing', withFields({ authenticatorData: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 authenticatorData a number', withFields({ authenticatorData: 5 }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 signature missing', withFields({ signature: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 signature empty', withFields({ signature: '' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 signature standard base64', withFields({ signature: 'ab/c' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.4 userHandle not a string', withFields({ userHandle: 7 }), 'ERR_RESPONSE_MALFORMED'],
    ['A.4 userHandle not base64url', withFields({ userHandle: 'a*b' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.4 userHandle longer than 64 bytes', withFields({ userHandle: bytesToBase64Url(new Uint8Array(65)) }), 'ERR_RESPONSE_MALFORMED'],
    ['clientExtensionResults not an object', (r) => ({ ...r, clientExtensionResults: 'x' }), 'ERR_RESPONSE_MALFORMED'],
  ];
  for (const [name, change, code] of cases) {
    it(`${name} → ${code}`, () => expectCode(verifyWith({}, { response: change }), code));
  }

  it('a 64-byte userHandle and a null one are accepted', async () => {
    const handle = bytesToBase64Url(new Uint8Array(64).fill(1));
    expect((await verifyWith({ userHandle: handle })).userHandle).toBe(handle);
    expect((await verifyWith({}, { response: withFields({ userHandle: null }) })).userHandle).toBeUndefined();
  });
});

describe('§7.2 step 5: allowCredentials (checklist M.93)', () => {
  it('a credential outside a non-empty allowCredentials → ERR_CREDENTIAL_NOT_ALLOWED', () =>
    expectCode(
      verifyWith({}, { expected: { allowCredentials: [bytesToBase64Url(new Uint8Array(16).fill(9))] } }),
      'ERR_CREDENTIAL_NOT_ALLOWED',
      '7.2.5',
    ));

  it('accepts ids given as text or bytes; an empty list allows any', async () => {
    const a = createAssertion(signer);
    const asBytes = Buffer.from(a.response.id, 'base64url');
    await verifyAuthenticationResponse(a.response, a.record, { ...a.expected, allowCredentials: [a.response.id] });
    await verifyAuthenticationResponse(a.response, a.record, { ...a.expected, allowCredentials: [new Uint8Array(asBytes)] });
    await verifyAuthenticationResponse(a.response, a.record, { ...a.expected, allowCredentials: [] });
  });
});

describe('§7.2 step 6: the credential record and the user (checklist M.94)', () => {
  it('a record of another credential → ERR_CREDENTIAL_ID_MISMATCH', () =>
    expectCode(
      verifyWith({}, { record: (r) => ({ ...r, id: bytesToBase64Url(new Uint8Array(16).fill(3)) }) }),
      'ERR_CREDENTIAL_ID_MISMATCH',
      '7.2.6',
    ));

  it('expected userHandle and a different one in the response → ERR_USER_HANDLE_MISMATCH', () =>
    expectCode(
      verifyWith({ userHandle: bytesToBase64Url(new Uint8Array([1, 2, 3])) }, { expected: { userHandle: new Uint8Array([1, 2, 4]) } }),
      'ERR_USER_HANDLE_MISMATCH',
      '7.2.6',
    ));

  it('expected userHandle and none in the response → ERR_USER_HANDLE_MISMATCH', () =>
    expectCode(verifyWith({}, { expected: { userHandle: 'AQID' } }), 'ERR_USER_HANDLE_MISMATCH'));

  it('expected userHandle equal to the response one passes (bytes or text)', async () => {
    const result = await verifyWith({ userHandle: 'AQID' }, { expected: { userHandle: new Uint8Array([1, 2, 3]) } });
    expect(result.userHandle).toBe('AQID');
  });

  it('a malformed stored record → ERR_CREDENTIAL_RECORD_INVALID', async () => {
    await expectCode(verifyWith({}, { record: (r) => ({ ...r, signCount: -1 }) }), 'ERR_CREDENTIAL_RECORD_INVALID');
    await expectCode(verifyWith({}, { record: (r) => ({ ...r, signCount: 2 ** 32 }) }), 'ERR_CREDENTIAL_RECORD_INVALID');
    await expectCode(verifyWith({}, { record: (r) => ({ ...r, id: 'a/b' }) }), 'ERR_CREDENTIAL_RECORD_INVALID');
    await expectCode(verifyWith({}, { record: (r) => ({ ...r, algorithm: -257 }) }), 'ERR_CREDENTIAL_RECORD_INVALID');
    await expectCode(
      verifyWith({}, { record: (r) => ({ ...r, backupEligible: 'yes' as unknown as boolean }) }),
      'ERR_CREDENTIAL_RECORD_INVALID',
    );
  });

  it('a stored public key that is not a COSE public key ({1: 2}: no alg) → ERR_COSE_KEY_INVALID', async () => {
    const error = await rejection(verifyWith({}, { record: (r) => ({ ...r, publicKey: new Uint8Array([0xa1, 0x01, 0x02]) }) }));
    expect(error.code).toBe('ERR_COSE_KEY_INVALID');
  });
});

describe('§7.2 steps 8–9: clientDataJSON is UTF-8 JSON (checklist B.5, B.6, B.10)', () => {
  const withClientData = (text: string | Uint8Array) => (r: AuthenticationResponseJSON) => {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    const authData = new Uint8Array(Buffer.from(r.response.authenticatorData, 'base64url'));
    return resign(signer, createAssertion(signer), authData, bytes);
  };
  it('B.5 invalid UTF-8 → ERR_CLIENTDATA_MALFORMED', () =>
    expectCode(verifyWith({}, { response: withClientData(new Uint8Array([0x7b, 0xff, 0x7d])) }), 'ERR_CLIENTDATA_MALFORMED'));
  it('B.6 not an object → ERR_CLIENTDATA_MALFORMED', () =>
    expectCode(verifyWith({}, { response: withClientData('["webauthn.get"]') }), 'ERR_CLIENTDATA_MALFORMED'));
  it('B.10 duplicate challenge member → ERR_CLIENTDATA_MALFORMED', () =>
    expectCode(
      verifyWith({
        clientDataJSON: `{"type":"webauthn.get","challenge":"AAAA","challenge":"${TEST_CHALLENGE}","origin":"${TEST_ORIGIN}"}`,
      }),
      'ERR_CLIENTDATA_MALFORMED',
    ));
  it('a leading BOM is stripped', async () => {
    const text = `\ufeff{"type":"webauthn.get","challenge":"${TEST_CHALLENGE}","origin":"${TEST_ORIGIN}"}`;
    await verifyWith({ clientDataJSON: text });
  });
  it('unknown members are kept', async () => {
    const result = await verifyWith({ extraClientData: { other_keys_can_be_added_here: 'x' } });
    expect(result.clientData.members.other_keys_can_be_added_here).toBe('x');
  });
});

describe('§7.2 step 10: clientData.type (checklist B.7)', () => {
  for (const type of ['webauthn.create', 'payment.get', '', 'WEBAUTHN.GET']) {
    it(`type ${JSON.stringify(type)} → ERR_CLIENTDATA_TYPE`, () => expectCode(verifyWith({ type }), 'ERR_CLIENTDATA_TYPE', '7.2.10'));
  }
});

describe('§7.2 step 11: challenge (checklist B.8, B.9, V6, V41)', () => {
  const variants: [string, string][] = [
    ['another challenge', bytesToBase64Url(new Uint8Array(32).fill(1))],
    ['a prefix', TEST_CHALLENGE.slice(0, -2)],
    ['a superstring', `${TEST_CHALLENGE}AA`],
    ['the padded form', `${TEST_CHALLENGE}=`],
    ['empty', ''],
  ];
  for (const [name, challenge] of variants) {
    it(`${name} → ERR_CHALLENGE_MISMATCH`, () => expectCode(verifyWith({ challenge }), 'ERR_CHALLENGE_MISMATCH', '7.2.11'));
  }
  it('standard base64 of the same bytes → ERR_CHALLENGE_MISMATCH', async () => {
    const bytes = new Uint8Array(32).fill(0xfb);
    const standard = Buffer.from(bytes).toString('base64').replace(/=+$/, '');
    await expectCode(verifyWith({ challenge: standard }, { expected: { challenge: bytes } }), 'ERR_CHALLENGE_MISMATCH');
  });
  it('expected as bytes matches', () => verifyWith({}, { expected: { challenge: new Uint8Array(32).fill(0x5a) } }));
  it('an async predicate is awaited (V4): true accepts, false rejects', async () => {
    await verifyWith({}, { expected: { challenge: async (c) => c === TEST_CHALLENGE } });
    await expectCode(verifyWith({}, { expected: { challenge: async () => false } }), 'ERR_CHALLENGE_MISMATCH');
  });
  it('V4: a predicate returning a truthy non-boolean does not accept → ERR_CALLBACK_FAILED', () =>
    expectCode(verifyWith({}, { expected: { challenge: (() => 'yes') as unknown as () => boolean } }), 'ERR_CALLBACK_FAILED'));
});

describe('§7.2 step 12: origin (checklist B.11–B.14, V31, V32, V34)', () => {
  const wrong = [
    'https://evillogin.example.com',
    'https://login.example.com.evil.net',
    'http://login.example.com',
    'https://login.example.com:8443',
    'https://sub.login.example.com',
    'https://LOGIN.example.com',
    'https://login.example.com/',
    '',
  ];
  for (const origin of wrong) {
    it(`origin ${JSON.stringify(origin)} → ERR_ORIGIN_MISMATCH`, () =>
      expectCode(verifyWith({ origin }), 'ERR_ORIGIN_MISMATCH', '7.2.12'));
  }
  it('a listed origin matches, including android:apk-key-hash', async () => {
    const apk = 'android:apk-key-hash:NLbSGMbwdmk8XA7hnuFyLEmRsiT2u5Wd29XT-5pE8ws';
    const result = await verifyWith({ origin: apk }, { expected: { origin: [TEST_ORIGIN, apk] } });
    expect(result.origin).toBe(apk);
  });
  it('a predicate must return true', async () => {
    await verifyWith({}, { expected: { origin: (o) => o === TEST_ORIGIN } });
    await expectCode(verifyWith({}, { expected: { origin: () => false } }), 'ERR_ORIGIN_MISMATCH');
  });
});

describe('§7.2 step 13: crossOrigin (checklist B.15, V20)', () => {
  it('crossOrigin true without allowCrossOrigin → ERR_CROSS_ORIGIN_NOT_ALLOWED', () =>
    expectCode(verifyWith({ crossOrigin: true }), 'ERR_CROSS_ORIGIN_NOT_ALLOWED', '7.2.13'));
  it('crossOrigin true with allowCrossOrigin passes', () => verifyWith({ crossOrigin: true }, { expected: { allowCrossOrigin: true } }));
  it('crossOrigin false or absent passes', () =>
    verifyWith({ clientDataJSON: `{"type":"webauthn.get","challenge":"${TEST_CHALLENGE}","origin":"${TEST_ORIGIN}"}` }));
  it('crossOrigin not a boolean → ERR_CLIENTDATA_MALFORMED', () =>
    expectCode(
      verifyWith({ clientDataJSON: `{"type":"webauthn.get","challenge":"${TEST_CHALLENGE}","origin":"${TEST_ORIGIN}","crossOrigin":"true"}` }),
      'ERR_CLIENTDATA_MALFORMED',
    ));
});

describe('§7.2 step 14: topOrigin (checklist B.16, B.17)', () => {
  const top = 'https://shop.example.net';
  it('B.16 topOrigin without crossOrigin → ERR_TOP_ORIGIN_INVALID', () =>
    expectCode(verifyWith({ topOrigin: top }, { expected: { allowCrossOrigin: true, topOrigin: top } }), 'ERR_TOP_ORIGIN_INVALID', '7.2.14'));
  it('B.17 topOrigin not expected → ERR_TOP_ORIGIN_MISMATCH', () =>
    expectCode(
      verifyWith({ crossOrigin: true, topOrigin: top }, { expected: { allowCrossOrigin: true, topOrigin: 'https://other.example' } }),
      'ERR_TOP_ORIGIN_MISMATCH',
      '7.2.14',
    ));
  it('topOrigin when the relying party expects none → ERR_TOP_ORIGIN_MISMATCH', () =>
    expectCode(verifyWith({ crossOrigin: true, topOrigin: top }, { expected: { allowCrossOrigin: true } }), 'ERR_TOP_ORIGIN_MISMATCH'));
  it('a cross-origin response without topOrigin when top origins are expected → ERR_TOP_ORIGIN_MISMATCH', () =>
    expectCode(verifyWith({ crossOrigin: true }, { expected: { allowCrossOrigin: true, topOrigin: top } }), 'ERR_TOP_ORIGIN_MISMATCH'));
  it('an expected topOrigin passes', () =>
    verifyWith({ crossOrigin: true, topOrigin: top }, { expected: { allowCrossOrigin: true, topOrigin: [top] } }));
});

describe('§7.2 step 15: rpIdHash (checklist D.39)', () => {
  it('another RP ID → ERR_RPID_MISMATCH', () =>
    expectCode(verifyWith({ rpId: 'example.com' }, { expected: { rpId: TEST_RP_ID } }), 'ERR_RPID_MISMATCH', '7.2.15'));
  it('the result names the RP ID that matched', async () => {
    const result = await verifyWith({ rpId: 'pay.example.com' }, { expected: { rpId: [TEST_RP_ID, 'pay.example.com'] } });
    expect(result.rpId).toBe('pay.example.com');
  });
});

describe('§7.2 step 16: user presence (checklist D.40, V5, V30)', () => {
  it('UP clear → ERR_USER_PRESENCE', () => expectCode(verifyWith({ up: false }), 'ERR_USER_PRESENCE', '7.2.16'));
  it('UP clear with UV set → ERR_USER_PRESENCE', () => expectCode(verifyWith({ up: false, uv: true }), 'ERR_USER_PRESENCE'));
});

describe('§7.2 step 17: user verification (checklist D.41)', () => {
  it('required and UV clear → ERR_USER_VERIFICATION', () =>
    expectCode(verifyWith({ uv: false }, { expected: { userVerification: 'required' } }), 'ERR_USER_VERIFICATION', '7.2.17'));
  it('preferred or discouraged and UV clear pass, reporting userVerified false', async () => {
    expect((await verifyWith({ uv: false }, { expected: { userVerification: 'preferred' } })).userVerified).toBe(false);
    expect((await verifyWith({ uv: false }, { expected: { userVerification: 'discouraged' } })).userVerified).toBe(false);
  });
  it('required and UV set passes', async () => {
    expect((await verifyWith({ uv: true }, { expected: { userVerification: 'required' } })).userVerified).toBe(true);
  });
});

describe('§7.2 step 18: BS without BE (checklist D.37)', () => {
  it('BS set, BE clear → ERR_BACKUP_FLAGS_INVALID', async () => {
    const error = await rejection(verifyWith({ flags: FLAG_UP | FLAG_BS }));
    expect(error.code).toBe('ERR_BACKUP_FLAGS_INVALID');
  });
});

describe('§7.2 step 19: backup eligibility unchanged (checklist D.38)', () => {
  it('record BE false, assertion BE true → ERR_BACKUP_ELIGIBILITY_CHANGED', () =>
    expectCode(verifyWith({ be: true, storedBackupEligible: false }), 'ERR_BACKUP_ELIGIBILITY_CHANGED', '7.2.19'));
  it('record BE true, assertion BE false → ERR_BACKUP_ELIGIBILITY_CHANGED', () =>
    expectCode(verifyWith({ be: false, storedBackupEligible: true }), 'ERR_BACKUP_ELIGIBILITY_CHANGED', '7.2.19'));
  it('unknown BE in the record is filled in; BS is reported', async () => {
    const result = await verifyWith({ be: true, bs: true });
    expect(result.credential.backupEligible).toBe(true);
    expect(result.credential.backupState).toBe(true);
    expect(result.backupState).toBe(true);
  });
});

describe('§7.2 steps 20–21: the signature (checklist F.53)', () => {
  it('a signature by another key → ERR_SIGNATURE_INVALID', () =>
    expectCode(
      verifyWith({}, { record: (r) => ({ ...r, publicKey: bytesToBase64Url(otherSigner.cose) }) }),
      'ERR_SIGNATURE_INVALID',
      '7.2.21',
    ));

  it('one flipped bit anywhere in authenticatorData, clientDataJSON or the signature → rejected', async () => {
    const a = createAssertion(signer, { uv: true, signCount: 9 });
    const fields = ['authenticatorData', 'clientDataJSON', 'signature'] as const;
    for (const field of fields) {
      const bytes = new Uint8Array(Buffer.from(a.response.response[field], 'base64url'));
      for (let bit = 0; bit < bytes.length * 8; bit += 7) {
        const flipped = bytes.slice();
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const response = { ...a.response, response: { ...a.response.response, [field]: bytesToBase64Url(flipped) } };
        const error = await rejection(verifyAuthenticationResponse(response, a.record, a.expected));
        // Parsing precedes the signature: a flip that breaks clientDataJSON is malformed, AT or ED in
        // authData's flags (no attested data, no extensions here) is malformed, BS without BE is
        // refused by the parser; every other flip fails the signature.
        const mask = 1 << (bit & 7);
        const allowed =
          field === 'signature'
            ? ['ERR_SIGNATURE_INVALID']
            : field === 'clientDataJSON'
              ? ['ERR_SIGNATURE_INVALID', 'ERR_CLIENTDATA_MALFORMED']
              : bit >> 3 !== 32
                ? ['ERR_SIGNATURE_INVALID']
                : mask === FLAG_AT || mask === FLAG_ED
                  ? ['ERR_AUTHDATA_MALFORMED']
                  : mask === FLAG_BS
                    ? ['ERR_BACKUP_FLAGS_INVALID']
                    : ['ERR_SIGNATURE_INVALID'];
        expect(allowed, `${field} bit ${bit}`).toContain(error.code);
      }
    }
  });

  it('RS1 and other algorithms outside the allowed list → ERR_ALG_NOT_ALLOWED', () =>
    expectCode(verifyWith({}, { expected: { algorithms: [-8] } }), 'ERR_ALG_NOT_ALLOWED'));
});

describe('§7.2 step 22: signature counter (checklist M.96, V23)', () => {
  it('stored 0, received 0 → unsupported (synced passkeys)', async () => {
    const result = await verifyWith({ signCount: 0, storedSignCount: 0 });
    expect(result.counter).toBe('unsupported');
    expect(result.credential.signCount).toBe(0);
  });
  it('received > stored → increased', async () => {
    expect((await verifyWith({ signCount: 101, storedSignCount: 100 })).counter).toBe('increased');
  });
  it('stored 0, received 5 → increased', async () => {
    expect((await verifyWith({ signCount: 5, storedSignCount: 0 })).counter).toBe('increased');
  });
  for (const [stored, received] of [
    [5, 5],
    [5, 4],
    [5, 0],
    [0xffffffff, 0xffffffff],
  ] as const) {
    it(`stored ${stored}, received ${received} → ERR_COUNTER_REGRESSION`, () =>
      expectCode(verifyWith({ signCount: received, storedSignCount: stored }), 'ERR_COUNTER_REGRESSION', '7.2.22'));
  }
  it("counter: 'report' reports a regression and keeps the higher stored value", async () => {
    const result = await verifyWith({ signCount: 3, storedSignCount: 9 }, { expected: { counter: 'report' } });
    expect(result.counter).toBe('regressed');
    expect(result.credential.signCount).toBe(9);
  });
  it('order: a forged low counter with a bad signature fails as a forgery, not a clone (DESIGN principle 7)', async () => {
    const a = createAssertion(signer, { signCount: 1, storedSignCount: 50, up: false });
    const sig = new Uint8Array(Buffer.from(a.response.response.signature, 'base64url'));
    sig[sig.length - 1]! ^= 0x01;
    const response = { ...a.response, response: { ...a.response.response, signature: bytesToBase64Url(sig) } };
    await expectCode(verifyAuthenticationResponse(response, a.record, a.expected), 'ERR_SIGNATURE_INVALID');
  });
});

describe('§7.2 step 23: extensions', () => {
  it('authenticator extension outputs (ED) are parsed into the result', async () => {
    const result = await verifyWith({ extensions: new Map<string, unknown>([['credProtect', 2]]) });
    expect(result.extensions.credProtect).toBe(2);
  });
  it('client extension results are passed through', async () => {
    const result = await verifyWith({}, { response: (r) => ({ ...r, clientExtensionResults: { appid: false } }) });
    expect(result.clientExtensionResults).toEqual({ appid: false });
  });
});

describe('§7.2 step 24: the updated record (checklist M.97)', () => {
  it('uvInitialized latches true and never falls back', async () => {
    const a = createAssertion(signer, { uv: true, signCount: 2, storedSignCount: 1 });
    const first = await verifyAuthenticationResponse(a.response, a.record, a.expected);
    expect(first.credential.uvInitialized).toBe(true);
    const b = createAssertion(signer, { uv: false, signCount: 3 });
    const second = await verifyAuthenticationResponse(b.response, first.credential, b.expected);
    expect(second.credential.uvInitialized).toBe(true);
    expect(second.credential.signCount).toBe(3);
  });
  it('the record passed in is never changed, on success or failure', async () => {
    const a = createAssertion(signer, { uv: true, bs: true, be: true, signCount: 4 });
    const record = Object.freeze({ ...a.record });
    const before = JSON.stringify(record);
    await verifyAuthenticationResponse(a.response, record, a.expected);
    await expectCode(verifyAuthenticationResponse(a.response, record, { ...a.expected, challenge: 'AAAA' }), 'ERR_CHALLENGE_MISMATCH');
    expect(JSON.stringify(record)).toBe(before);
  });
});

describe('expectations are validated (ERR_OPTIONS_INVALID)', () => {
  const bad: [string, Partial<AuthenticationExpectations>][] = [
    ['empty challenge', { challenge: '' }],
    ['empty origin list', { origin: [] }],
    ['empty rpId', { rpId: '' }],
    ['unknown userVerification', { userVerification: 'always' as 'required' }],
    ['unknown counter policy', { counter: 'ignore' as 'report' }],
    ['non-integer algorithms', { algorithms: [1.5] }],
  ];
  for (const [name, expected] of bad) {
    it(`${name} → ERR_OPTIONS_INVALID`, () => expectCode(verifyWith({}, { expected }), 'ERR_OPTIONS_INVALID'));
  }
});

describe('flags byte combinations', () => {
  it('UV and BE/BS bits are reported as given', async () => {
    const result = await verifyWith({ flags: FLAG_UP | FLAG_UV | FLAG_BE | FLAG_BS });
    expect([result.userVerified, result.backupEligible, result.backupState]).toEqual([true, true, true]);
  });
});
