/**
 * FIDO server conformance, assertion responses and options (checklist §2: Server-
 * ServerAuthenticatorAssertionResponse-Resp-1..3, Server-ServerPublicKeyCredentialCreationOptions-
 * Req-1, Server-ServerPublicKeyCredentialGetOptionsResponse-Req-1): one test per P-/F- case,
 * through the public API, asserting the exact code or the acceptance and its facts. The HTTP
 * envelope of the conformance API (status, errorMessage) belongs to the relying party's server.
 */
import { describe, expect, it } from 'vitest';
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse } from '../../src/index.js';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import type { AuthenticationResponseJSON } from '../../src/types.js';
import { expectRejection } from '../helpers/expect-code.js';
import { testKey } from '../helpers/keys.js';
import {
  type AssertionOptions,
  createAssertion,
  resign,
  type SyntheticAssertion,
  TEST_CHALLENGE,
  TEST_ORIGIN,
  TEST_RP_ID,
} from '../helpers/synthetic-authenticator.js';
import { b64u } from '../helpers/synthetic-registration.js';
import { DELETE, edit } from './cases.js';

const signer = testKey('ES256');
const assertion = (options: AssertionOptions = {}) => createAssertion(signer, options);

async function rejects(a: SyntheticAssertion, code: WebAuthnErrorCode, response: AuthenticationResponseJSON = a.response, expected = a.expected) {
  await expectRejection(verifyAuthenticationResponse(response, a.record, expected), code);
}

const memberRejects = (path: string, value: unknown, code: WebAuthnErrorCode) => {
  const a = assertion();
  return rejects(a, code, edit(a.response, path, value));
};

const CLIENT_DATA = { type: 'webauthn.get', challenge: TEST_CHALLENGE, origin: TEST_ORIGIN, crossOrigin: false };

/** An assertion signed over clientData with `changes` (DELETE removes a member). */
function clientDataRejects(changes: Readonly<Record<string, unknown>>, code: WebAuthnErrorCode) {
  const data: Record<string, unknown> = { ...CLIENT_DATA };
  for (const [key, value] of Object.entries(changes)) {
    if (value === DELETE) delete data[key];
    else data[key] = value;
  }
  return rejects(assertion({ clientDataJSON: JSON.stringify(data) }), code);
}

describe('conformance Server-ServerAuthenticatorAssertionResponse-Resp-1 (structure)', () => {
  it('assertion Resp-1 P-1: a valid assertion is accepted', async () => {
    const a = assertion({ signCount: 3 });
    const result = await verifyAuthenticationResponse(a.response, a.record, a.expected);
    expect([result.counter, result.credential.signCount, result.rpId]).toEqual(['increased', 3, TEST_RP_ID]);
  });
  it('assertion Resp-1 F-1: id missing → ERR_RESPONSE_MALFORMED', () => memberRejects('id', DELETE, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-2: id not a string → ERR_RESPONSE_MALFORMED', () => memberRejects('id', 5, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-3: id not base64url → ERR_RESPONSE_MALFORMED', () => memberRejects('id', 'a+b/c=', 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-4: type missing → ERR_RESPONSE_MALFORMED', () => memberRejects('type', DELETE, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-5: type not a string → ERR_RESPONSE_MALFORMED', () => memberRejects('type', [], 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-6: type not "public-key" → ERR_RESPONSE_MALFORMED', () => memberRejects('type', 'Public-Key', 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-7: response missing → ERR_RESPONSE_MALFORMED', () => memberRejects('response', DELETE, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-8: response not an object → ERR_RESPONSE_MALFORMED', () => memberRejects('response', 1, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-9: clientDataJSON missing → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.clientDataJSON', DELETE, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-10: clientDataJSON not a string → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.clientDataJSON', 12, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-11: clientDataJSON empty → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.clientDataJSON', '', 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-12: authenticatorData missing → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.authenticatorData', DELETE, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-13: authenticatorData not a string → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.authenticatorData', { a: 1 }, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-14: authenticatorData not base64url → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.authenticatorData', 'AAAA+AAA', 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-15: authenticatorData empty → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.authenticatorData', '', 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-16: signature missing → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.signature', DELETE, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-17: signature not a string → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.signature', true, 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-18: signature not base64url → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.signature', 'MEUC/w==', 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-19: signature empty → ERR_RESPONSE_MALFORMED', () => memberRejects('response.signature', '', 'ERR_RESPONSE_MALFORMED'));
  it('assertion Resp-1 F-20: a signature that does not verify → ERR_SIGNATURE_INVALID', () => {
    const a = assertion();
    const forged = createAssertion(testKey('ESP256'), { credentialId: new Uint8Array(Buffer.from(a.response.rawId, 'base64url')) });
    return rejects(a, 'ERR_SIGNATURE_INVALID', edit(a.response, 'response.signature', forged.response.response.signature));
  });
  it('assertion Resp-1 F-21: userHandle not a string → ERR_RESPONSE_MALFORMED', () =>
    memberRejects('response.userHandle', 123, 'ERR_RESPONSE_MALFORMED'));
});

describe('conformance assertion Resp-2 (CollectedClientData of a sign-in)', () => {
  it('assertion Resp-2 F-1: type missing → ERR_CLIENTDATA_MALFORMED', () => clientDataRejects({ type: DELETE }, 'ERR_CLIENTDATA_MALFORMED'));
  it('assertion Resp-2 F-2: type not a string → ERR_CLIENTDATA_MALFORMED', () => clientDataRejects({ type: null }, 'ERR_CLIENTDATA_MALFORMED'));
  it('assertion Resp-2 F-3: type empty → ERR_CLIENTDATA_TYPE', () => clientDataRejects({ type: '' }, 'ERR_CLIENTDATA_TYPE'));
  it('assertion Resp-2 F-4: type not "webauthn.get" → ERR_CLIENTDATA_TYPE', () => clientDataRejects({ type: 'payment.get' }, 'ERR_CLIENTDATA_TYPE'));
  it('assertion Resp-2 F-5: type "webauthn.create" → ERR_CLIENTDATA_TYPE', () =>
    clientDataRejects({ type: 'webauthn.create' }, 'ERR_CLIENTDATA_TYPE'));
  it('assertion Resp-2 F-6: challenge missing → ERR_CLIENTDATA_MALFORMED', () =>
    clientDataRejects({ challenge: DELETE }, 'ERR_CLIENTDATA_MALFORMED'));
  it('assertion Resp-2 F-7: challenge not a string → ERR_CLIENTDATA_MALFORMED', () =>
    clientDataRejects({ challenge: [TEST_CHALLENGE] }, 'ERR_CLIENTDATA_MALFORMED'));
  it('assertion Resp-2 F-8: challenge empty → ERR_CHALLENGE_MISMATCH', () => clientDataRejects({ challenge: '' }, 'ERR_CHALLENGE_MISMATCH'));
  it('assertion Resp-2 F-9: challenge not base64url (standard base64 of the same bytes) → ERR_CHALLENGE_MISMATCH', () =>
    clientDataRejects({ challenge: Buffer.from(TEST_CHALLENGE, 'base64url').toString('base64') }, 'ERR_CHALLENGE_MISMATCH'));
  it('assertion Resp-2 F-10: challenge not the one issued → ERR_CHALLENGE_MISMATCH', () =>
    clientDataRejects({ challenge: b64u(new Uint8Array(32)) }, 'ERR_CHALLENGE_MISMATCH'));
  it('assertion Resp-2 F-11: origin missing → ERR_CLIENTDATA_MALFORMED', () => clientDataRejects({ origin: DELETE }, 'ERR_CLIENTDATA_MALFORMED'));
  it('assertion Resp-2 F-12: origin not a string → ERR_CLIENTDATA_MALFORMED', () => clientDataRejects({ origin: 443 }, 'ERR_CLIENTDATA_MALFORMED'));
  it('assertion Resp-2 F-13: origin empty → ERR_ORIGIN_MISMATCH', () => clientDataRejects({ origin: '' }, 'ERR_ORIGIN_MISMATCH'));
  it('assertion Resp-2 F-14: origin not an expected one → ERR_ORIGIN_MISMATCH', () =>
    clientDataRejects({ origin: 'https://login.example.com.evil.example' }, 'ERR_ORIGIN_MISMATCH'));
});

describe('conformance assertion Resp-3 (authenticatorData)', () => {
  const accepts = async (a: SyntheticAssertion, expected = a.expected) => verifyAuthenticationResponse(a.response, a.record, expected);
  it('assertion Resp-3 P-1: a counter-less authenticator (0 stored, 0 received) is accepted as unsupported', async () => {
    const result = await accepts(assertion({ signCount: 0, storedSignCount: 0 }));
    expect([result.counter, result.credential.signCount]).toEqual(['unsupported', 0]);
  });
  it('assertion Resp-3 P-2: UV set, userVerification required → accepted, userVerified', async () => {
    const a = assertion({ uv: true });
    expect((await accepts(a, { ...a.expected, userVerification: 'required' })).userVerified).toBe(true);
  });
  it('assertion Resp-3 P-3: UV set, userVerification preferred → accepted', async () => {
    const a = assertion({ uv: true });
    expect((await accepts(a, { ...a.expected, userVerification: 'preferred' })).userVerified).toBe(true);
  });
  it('assertion Resp-3 P-4: UV clear, userVerification preferred → accepted, not userVerified', async () => {
    const a = assertion({ uv: false });
    expect((await accepts(a, { ...a.expected, userVerification: 'preferred' })).userVerified).toBe(false);
  });
  it('assertion Resp-3 P-5: UV set, userVerification discouraged → accepted', async () => {
    const a = assertion({ uv: true });
    expect((await accepts(a, { ...a.expected, userVerification: 'discouraged' })).userVerified).toBe(true);
  });
  it('assertion Resp-3 P-6: UV clear, userVerification discouraged → accepted', async () => {
    const a = assertion({ uv: false });
    expect((await accepts(a, { ...a.expected, userVerification: 'discouraged' })).userVerified).toBe(false);
  });
  it('assertion Resp-3 P-7: ED with an extensions map is accepted and the outputs reported', async () => {
    const result = await accepts(assertion({ extensions: new Map<string, unknown>([['credProtect', 1]]) }));
    expect({ ...result.extensions }).toEqual({ credProtect: 1 });
  });
  it('assertion Resp-3 F-1: leftover bytes after authenticatorData → ERR_AUTHDATA_MALFORMED', () => {
    const a = assertion();
    const longer = Uint8Array.from([...a.authenticatorData, 0x00]);
    return rejects(a, 'ERR_AUTHDATA_MALFORMED', resign(signer, a, longer, a.clientDataJSON));
  });
  it('assertion Resp-3 F-2: rpIdHash of another RP ID → ERR_RPID_MISMATCH', () => {
    const a = assertion({ rpId: 'example.org' });
    return rejects(a, 'ERR_RPID_MISMATCH', a.response, { ...a.expected, rpId: TEST_RP_ID });
  });
  it('assertion Resp-3 F-3: signed over another clientDataHash → ERR_SIGNATURE_INVALID', () => {
    const a = assertion();
    const other = assertion({ extraClientData: { other: true } });
    return rejects(a, 'ERR_SIGNATURE_INVALID', edit(a.response, 'response.clientDataJSON', other.response.response.clientDataJSON));
  });
  it('assertion Resp-3 F-4: counter not increased → ERR_COUNTER_REGRESSION', () =>
    rejects(assertion({ storedSignCount: 9, signCount: 9 }), 'ERR_COUNTER_REGRESSION'));
  it('assertion Resp-3 F-5: only UP set while UV is required → ERR_USER_VERIFICATION', () => {
    const a = assertion({ up: true, uv: false });
    return rejects(a, 'ERR_USER_VERIFICATION', a.response, { ...a.expected, userVerification: 'required' });
  });
});

const isBase64Url = (s: string) => /^[A-Za-z0-9_-]+$/.test(s);
const decodedLength = (s: string) => Buffer.from(s, 'base64url').length;

describe('conformance Server-ServerPublicKeyCredentialCreationOptions-Req-1', () => {
  const input = {
    rp: { id: TEST_RP_ID, name: 'Example RP' },
    user: { name: 'alice@example.com', displayName: 'Alice' },
    extensions: { example: { extension: true } },
  } as const;
  it('CreationOptions Req-1 P-1: user, rp, challenge ≥ 16 bytes, pubKeyCredParams, timeout and extensions as required', () => {
    const { options } = generateRegistrationOptions(input);
    expect(options.rp).toEqual({ id: TEST_RP_ID, name: 'Example RP' });
    expect([options.user.name, options.user.displayName]).toEqual(['alice@example.com', 'Alice']);
    expect(isBase64Url(options.user.id) && decodedLength(options.user.id) >= 1 && decodedLength(options.user.id) <= 64).toBe(true);
    expect(isBase64Url(options.challenge) && decodedLength(options.challenge) >= 16).toBe(true);
    expect(options.pubKeyCredParams.length).toBeGreaterThan(0);
    for (const param of options.pubKeyCredParams) expect([param.type, typeof param.alg]).toEqual(['public-key', 'number']);
    expect(options.timeout).toBeGreaterThan(0);
    // The caller's extensions are echoed (the library may add its own, e.g. credProps).
    expect(options.extensions).toMatchObject({ example: { extension: true } });
  });
  it('CreationOptions Req-1 P-2: attestation "none" is echoed', () => {
    expect(generateRegistrationOptions({ ...input, attestation: 'none' }).options.attestation).toBe('none');
  });
  it('CreationOptions Req-1 P-3: two requests get different challenges', () => {
    expect(generateRegistrationOptions(input).options.challenge).not.toBe(generateRegistrationOptions(input).options.challenge);
  });
  it('CreationOptions Req-1 P-4: userVerification "required" is echoed and becomes the expectation', () => {
    const { options, expected } = generateRegistrationOptions({ ...input, userVerification: 'required' });
    expect([options.authenticatorSelection?.userVerification, expected.userVerification]).toEqual(['required', 'required']);
  });
});

describe('conformance Server-ServerPublicKeyCredentialGetOptionsResponse-Req-1', () => {
  const credentialId = b64u(new Uint8Array(16).fill(9));
  const input = {
    rpId: TEST_RP_ID,
    allowCredentials: [{ id: credentialId, transports: ['usb'] }],
    userVerification: 'required',
    extensions: { example: { extension: true } },
  } as const;
  it('GetOptions Req-1 P-1: challenge ≥ 16 bytes, extensions, timeout, rpId, exactly the registered credential, userVerification', () => {
    const { options, expected } = generateAuthenticationOptions(input);
    expect(isBase64Url(options.challenge) && decodedLength(options.challenge) >= 16).toBe(true);
    expect(options.extensions).toEqual({ example: { extension: true } });
    expect(options.timeout).toBeGreaterThan(0);
    expect(options.rpId).toBe(TEST_RP_ID);
    expect(options.allowCredentials).toEqual([{ type: 'public-key', id: credentialId, transports: ['usb'] }]);
    expect([options.userVerification, expected.userVerification]).toEqual(['required', 'required']);
    expect(TEST_ORIGIN.endsWith(options.rpId as string)).toBe(true);
  });
  it('GetOptions Req-1 P-2: two requests get different challenges', () => {
    expect(generateAuthenticationOptions(input).options.challenge).not.toBe(generateAuthenticationOptions(input).options.challenge);
  });
});
