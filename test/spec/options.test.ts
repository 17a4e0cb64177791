/**
 * §5.4 / §5.5 options generation: shapes, defaults, hints, challenge randomness, algorithm lists,
 * credential descriptors, input validation, and a round trip through the verifiers.
 */
import { describe, expect, it } from 'vitest';
import {
  type AuthenticationOptionsInput,
  type RegistrationOptionsInput,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '../../src/index.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';
import { testKey } from '../helpers/keys.js';
import { TEST_ORIGIN, TEST_RP_ID, createAssertion } from '../helpers/synthetic-authenticator.js';
import { REG_ORIGIN, REG_RP_ID, createRegistration, fromB64u, seededCredentialKey } from '../helpers/synthetic-registration.js';

const RP = { id: 'wallet.example', name: 'Wallet' } as const;
const USER = { name: 'alice@wallet.example' } as const;

function register(extra: Partial<RegistrationOptionsInput> = {}) {
  return generateRegistrationOptions({ rp: RP, user: USER, ...extra });
}

function signIn(extra: Partial<AuthenticationOptionsInput> = {}) {
  return generateAuthenticationOptions({ rpId: RP.id, ...extra });
}

describe('§5.4 generateRegistrationOptions: shape and defaults', () => {
  it('builds PublicKeyCredentialCreationOptionsJSON with the documented defaults', () => {
    const { options, expected } = register();
    expect(options.rp).toEqual({ id: 'wallet.example', name: 'Wallet' });
    expect(options.user.name).toBe('alice@wallet.example');
    expect(options.user.displayName).toBe('alice@wallet.example');
    expect(fromB64u(options.user.id)).toHaveLength(32);
    expect(fromB64u(options.challenge)).toHaveLength(32);
    expect(options.pubKeyCredParams).toEqual([-7, -8, -35, -36, -257, -37].map((alg) => ({ type: 'public-key', alg })));
    expect(options.timeout).toBe(300_000);
    expect(options.authenticatorSelection).toEqual({ residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' });
    expect(options.attestation).toBe('none');
    expect(options.extensions).toEqual({ credProps: true });
    expect(options).not.toHaveProperty('excludeCredentials');
    expect(options).not.toHaveProperty('hints');
    expect(options).not.toHaveProperty('attestationFormats');
    expect(expected).toEqual({
      challenge: options.challenge,
      rpId: 'wallet.example',
      userVerification: 'preferred',
      algorithms: [-7, -8, -35, -36, -257, -37],
    });
  });

  it('is plain JSON (survives a JSON round trip unchanged)', () => {
    const generated = register({ excludeCredentials: [{ id: new Uint8Array([1, 2, 3]), transports: ['usb'] }] });
    expect(JSON.parse(JSON.stringify(generated))).toEqual(generated);
  });

  it('keeps the caller user handle (bytes or base64url) and displayName', () => {
    const bytes = new Uint8Array(64).fill(7);
    const a = register({ user: { id: bytes, name: 'bob', displayName: 'Bob B.' } });
    expect(a.options.user).toEqual({ id: bytesToBase64Url(bytes), name: 'bob', displayName: 'Bob B.' });
    const b = register({ user: { id: 'AQ', name: 'bob', displayName: '' } });
    expect(b.options.user).toEqual({ id: 'AQ', name: 'bob', displayName: '' });
  });

  it('passes residentKey, userVerification, attestation, attestationFormats and extensions through', () => {
    const { options, expected } = register({
      residentKey: 'discouraged',
      userVerification: 'required',
      attestation: 'direct',
      attestationFormats: ['packed', 'tpm'],
      extensions: { minPinLength: true, credProps: false },
      timeout: 60_000,
    });
    expect(options.authenticatorSelection).toEqual({ residentKey: 'discouraged', requireResidentKey: false, userVerification: 'required' });
    expect(options.attestation).toBe('direct');
    expect(options.attestationFormats).toEqual(['packed', 'tpm']);
    expect(options.extensions).toEqual({ minPinLength: true, credProps: true });
    expect(options.timeout).toBe(60_000);
    expect(expected.userVerification).toBe('required');
  });

  it('§15.1: the default timeout is 120000 when user verification is discouraged', () => {
    expect(register({ userVerification: 'discouraged' }).options.timeout).toBe(120_000);
    expect(signIn({ userVerification: 'discouraged' }).options.timeout).toBe(120_000);
    expect(signIn({ userVerification: 'required' }).options.timeout).toBe(300_000);
  });
});

describe('§5.8.8 hints and authenticatorSelection', () => {
  it.each([
    ['client-device', 'platform'],
    ['security-key', 'cross-platform'],
    ['hybrid', 'cross-platform'],
  ] as const)('%s → authenticatorAttachment %s', (hint, attachment) => {
    const { options } = register({ hints: [hint] });
    expect(options.hints).toEqual([hint]);
    expect(options.authenticatorSelection?.authenticatorAttachment).toBe(attachment);
  });

  it('sets no attachment when the hints imply different ones', () => {
    const { options } = register({ hints: ['client-device', 'hybrid'] });
    expect(options.hints).toEqual(['client-device', 'hybrid']);
    expect(options.authenticatorSelection).not.toHaveProperty('authenticatorAttachment');
  });

  it('sets cross-platform for security-key + hybrid', () => {
    expect(register({ hints: ['security-key', 'hybrid'] }).options.authenticatorSelection?.authenticatorAttachment).toBe('cross-platform');
  });

  it('accepts an explicit attachment that agrees with the hints and refuses one that contradicts them', () => {
    expect(register({ authenticatorAttachment: 'platform' }).options.authenticatorSelection?.authenticatorAttachment).toBe('platform');
    expect(
      register({ hints: ['hybrid'], authenticatorAttachment: 'cross-platform' }).options.authenticatorSelection?.authenticatorAttachment,
    ).toBe('cross-platform');
    const error = expectCode(() => register({ hints: ['security-key'], authenticatorAttachment: 'platform' }), 'ERR_OPTIONS_INVALID');
    expect(error.details?.field).toBe('authenticatorAttachment');
  });

  it('carries hints in request options', () => {
    expect(signIn({ hints: ['security-key'] }).options.hints).toEqual(['security-key']);
  });
});

describe('§13.4.3 challenges', () => {
  it('are random: two calls differ, in challenge and in user handle', () => {
    const a = register();
    const b = register();
    expect(a.options.challenge).not.toBe(b.options.challenge);
    expect(a.options.user.id).not.toBe(b.options.user.id);
    expect(signIn().options.challenge).not.toBe(signIn().options.challenge);
  });

  it('have the requested length, at least 16 bytes', () => {
    expect(fromB64u(register({ challengeLength: 16 }).options.challenge)).toHaveLength(16);
    expect(fromB64u(signIn({ challengeLength: 64 }).options.challenge)).toHaveLength(64);
    for (const challengeLength of [15, 0, -1, 16.5, Number.NaN]) {
      const error = expectCode(() => register({ challengeLength }), 'ERR_OPTIONS_INVALID');
      expect(error.step).toBe('13.4.3');
      expect(error.details?.field).toBe('challengeLength');
      expectCode(() => signIn({ challengeLength }), 'ERR_OPTIONS_INVALID');
    }
  });
});

describe('§5.3 pubKeyCredParams', () => {
  it('keeps the caller preference order', () => {
    const { options, expected } = register({ algorithms: [-8, -7] });
    expect(options.pubKeyCredParams).toEqual([
      { type: 'public-key', alg: -8 },
      { type: 'public-key', alg: -7 },
    ]);
    expect(expected.algorithms).toEqual([-8, -7]);
  });

  it('offers RS1 only when asked', () => {
    expect(register().options.pubKeyCredParams.some((p) => p.alg === -65535)).toBe(false);
    expect(register({ algorithms: [-7, -257, -65535] }).options.pubKeyCredParams.map((p) => p.alg)).toEqual([-7, -257, -65535]);
  });

  it('refuses unsupported, repeated, non-integer and empty lists', () => {
    for (const algorithms of [[-7, 12345], [-7, -7], [-7.5], [], 'ES256']) {
      expectCode(() => register({ algorithms: algorithms as never }), 'ERR_OPTIONS_INVALID');
    }
  });
});

describe('excludeCredentials / allowCredentials from stored records', () => {
  const records = [
    { id: 'AAEC', publicKey: 'x', algorithm: -7, signCount: 0, transports: ['usb', 'nfc'] },
    { id: new Uint8Array([9, 9]), transports: ['internal', 'hybrid', 'internal'] },
    { id: 'AwQF', transports: [] },
    { id: 'AAEC', transports: ['ble'] },
  ];

  it('lists each credential once, with its transports', () => {
    const expectedList = [
      { type: 'public-key', id: 'AAEC', transports: ['usb', 'nfc'] },
      { type: 'public-key', id: 'CQk', transports: ['internal', 'hybrid'] },
      { type: 'public-key', id: 'AwQF' },
    ];
    expect(register({ excludeCredentials: records }).options.excludeCredentials).toEqual(expectedList);
    const { options, expected } = signIn({ allowCredentials: records });
    expect(options.allowCredentials).toEqual(expectedList);
    expect(expected.allowCredentials).toEqual(['AAEC', 'CQk', 'AwQF']);
  });

  it('leaves allowCredentials out for discoverable sign-in', () => {
    const { options, expected } = signIn({ allowCredentials: [] });
    expect(options).toEqual({ challenge: options.challenge, timeout: 300_000, rpId: 'wallet.example', userVerification: 'preferred' });
    expect(expected).toEqual({ challenge: options.challenge, rpId: 'wallet.example', userVerification: 'preferred' });
  });

  it('refuses malformed ids and transports', () => {
    for (const bad of [{ id: '' }, { id: 'AA==' }, { id: 'A+B' }, { id: 7 }, { id: new Uint8Array(1024) }, { id: 'AA', transports: 'usb' }, { id: 'AA', transports: [''] }, null]) {
      expectCode(() => signIn({ allowCredentials: [bad as never] }), 'ERR_OPTIONS_INVALID');
      expectCode(() => register({ excludeCredentials: [bad as never] }), 'ERR_OPTIONS_INVALID');
    }
  });
});

describe('§5.5 generateAuthenticationOptions', () => {
  it('passes userVerification and extensions through', () => {
    const { options, expected } = signIn({ userVerification: 'required', extensions: { largeBlob: { read: true } } });
    expect(options.userVerification).toBe('required');
    expect(options.extensions).toEqual({ largeBlob: { read: true } });
    expect(expected.userVerification).toBe('required');
  });
});

describe('invalid inputs: ERR_OPTIONS_INVALID with the field', () => {
  const cases: [string, () => unknown, string][] = [
    ['not an object', () => generateRegistrationOptions(null as never), 'input'],
    ['unknown member', () => register({ userVerfication: 'required' } as never), 'userVerfication'],
    ['rp missing', () => generateRegistrationOptions({ user: USER } as never), 'rp'],
    ['rp.id with scheme', () => register({ rp: { id: 'https://wallet.example', name: 'W' } }), 'rp.id'],
    ['rp.id upper case', () => register({ rp: { id: 'Wallet.example', name: 'W' } }), 'rp.id'],
    ['rp.id with port', () => register({ rp: { id: 'localhost:8080', name: 'W' } }), 'rp.id'],
    ['rp.name empty', () => register({ rp: { id: 'wallet.example', name: '' } }), 'rp.name'],
    ['user.name empty', () => register({ user: { name: '' } }), 'user.name'],
    ['user.id empty', () => register({ user: { name: 'a', id: new Uint8Array(0) } }), 'user.id'],
    ['user.id 65 bytes', () => register({ user: { name: 'a', id: new Uint8Array(65) } }), 'user.id'],
    ['user.id not base64url', () => register({ user: { name: 'a', id: 'a+b' } }), 'user.id'],
    ['userVerification', () => register({ userVerification: 'always' as never }), 'userVerification'],
    ['residentKey', () => register({ residentKey: true as never }), 'residentKey'],
    ['attestation', () => register({ attestation: 'full' as never }), 'attestation'],
    ['attestationFormats repeated', () => register({ attestationFormats: ['packed', 'packed'] }), 'attestationFormats[1]'],
    ['hint unknown', () => register({ hints: ['usb'] as never }), 'hints[0]'],
    ['hint repeated', () => register({ hints: ['hybrid', 'hybrid'] }), 'hints[1]'],
    ['timeout zero', () => register({ timeout: 0 }), 'timeout'],
    ['timeout in seconds by mistake of a day+', () => register({ timeout: 86_400_001 }), 'timeout'],
    ['extensions array', () => register({ extensions: [] as never }), 'extensions'],
    ['rpId missing', () => generateAuthenticationOptions({} as never), 'rpId'],
    ['sign-in unknown member', () => signIn({ attestation: 'none' } as never), 'attestation'],
  ];
  it.each(cases)('%s', (_name, fn, field) => {
    const error = expectCode(fn, 'ERR_OPTIONS_INVALID');
    expect(error.details?.field).toBe(field);
  });
});

describe('round trip: options → synthetic response → verification against `expected`', () => {
  it('registration (§7.1) verifies, and the algorithm and UV policy of the options hold', async () => {
    const { options, expected } = generateRegistrationOptions({
      rp: { id: REG_RP_ID, name: 'Login' },
      user: { name: 'alice' },
      userVerification: 'required',
      algorithms: [-7, -8],
    });
    const stored = JSON.parse(JSON.stringify(expected)) as typeof expected; // kept server side as JSON
    const registration = await createRegistration({ challenge: options.challenge, rpId: expected.rpId, uv: true });
    const result = await verifyRegistrationResponse(registration.response, { ...stored, origin: REG_ORIGIN });
    expect(result.rpId).toBe(REG_RP_ID);
    expect(result.userVerified).toBe(true);

    const withoutUv = await createRegistration({ challenge: options.challenge, rpId: expected.rpId, uv: false });
    await expectRejection(verifyRegistrationResponse(withoutUv.response, { ...stored, origin: REG_ORIGIN }), 'ERR_USER_VERIFICATION');
    const es384 = await createRegistration({ challenge: options.challenge, uv: true, credentialKey: seededCredentialKey('ES384') });
    await expectRejection(verifyRegistrationResponse(es384.response, { ...stored, origin: REG_ORIGIN }), 'ERR_ALG_NOT_ALLOWED');
    const otherChallenge = await createRegistration({ uv: true });
    await expectRejection(verifyRegistrationResponse(otherChallenge.response, { ...stored, origin: REG_ORIGIN }), 'ERR_CHALLENGE_MISMATCH');
  });

  it('authentication (§7.2) verifies, and only allowed credentials pass', async () => {
    const signer = testKey('ES256');
    const credentialId = new Uint8Array(16).fill(0x42);
    const record = { id: bytesToBase64Url(credentialId), transports: ['internal'] };
    const { options, expected } = generateAuthenticationOptions({ rpId: TEST_RP_ID, allowCredentials: [record], userVerification: 'required' });
    expect(options.allowCredentials).toEqual([{ type: 'public-key', id: record.id, transports: ['internal'] }]);

    const assertion = createAssertion(signer, { challenge: options.challenge, credentialId, uv: true });
    const result = await verifyAuthenticationResponse(assertion.response, assertion.record, { ...expected, origin: TEST_ORIGIN });
    expect(result.userVerified).toBe(true);

    const other = createAssertion(signer, { challenge: options.challenge, credentialId: new Uint8Array(16).fill(1), uv: true });
    await expectRejection(
      verifyAuthenticationResponse(other.response, other.record, { ...expected, origin: TEST_ORIGIN }),
      'ERR_CREDENTIAL_NOT_ALLOWED',
    );
    const noUv = createAssertion(signer, { challenge: options.challenge, credentialId, uv: false });
    await expectRejection(
      verifyAuthenticationResponse(noUv.response, noUv.record, { ...expected, origin: TEST_ORIGIN }),
      'ERR_USER_VERIFICATION',
    );
  });
});
