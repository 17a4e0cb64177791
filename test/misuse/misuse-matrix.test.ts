/**
 * The misuse matrix (issue 14, "misuse leaks"): a caller's wrongly typed input, through the public
 * API, is `ERR_OPTIONS_INVALID` (expectations, generator input) or `ERR_CREDENTIAL_RECORD_INVALID`
 * (stored record) with `details.field` naming the member — never `ERR_INTERNAL`, never an attack
 * code such as `ERR_CREDENTIAL_NOT_ALLOWED` or `ERR_USER_HANDLE_MISMATCH`, never silently accepted.
 *
 * Decision on unknown members (docs/security.md "One failure channel"): refused in expectations and
 * generator input (a misspelt `userVerifcation` must not fall back to the default); ignored and kept
 * in a credential record (a relying party's row has columns of its own).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthenticationExpectations,
  type CredentialRecord,
  type RegistrationExpectations,
  type WebAuthnErrorCode,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '../../src/index.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';
import { generateTestKey } from '../helpers/keys.js';
import { type SyntheticAssertion, createAssertion } from '../helpers/synthetic-authenticator.js';
import { type SyntheticRegistration, createRegistration } from '../helpers/synthetic-registration.js';

const signer = generateTestKey('ES256');
let assertion: SyntheticAssertion;
let registration: SyntheticRegistration;

beforeAll(async () => {
  assertion = createAssertion(signer);
  registration = await createRegistration({ format: 'none' });
});

/** Sets `path` (dotted) in a copy of `base`; `value` undefined deletes nothing, it sets undefined. */
function withMember<T extends object>(base: T, path: string, value: unknown): T {
  const copy: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  const [head, ...rest] = path.split('.');
  copy[head as string] = rest.length === 0 ? value : withMember((copy[head as string] ?? {}) as object, rest.join('.'), value);
  return copy as T;
}

async function fieldOf(promise: Promise<unknown>, code: WebAuthnErrorCode): Promise<unknown> {
  return (await expectRejection(promise, code)).details?.field;
}

const signIn = (expected: unknown, record: unknown = assertion.record) =>
  verifyAuthenticationResponse(assertion.response, record as CredentialRecord, expected as AuthenticationExpectations);
const register = (expected: unknown) => verifyRegistrationResponse(registration.response, expected as RegistrationExpectations);

describe('the findings of the adversarial review, one by one', () => {
  it("allowCredentials: 'abc' → ERR_OPTIONS_INVALID (was ERR_INTERNAL)", async () => {
    expect(await fieldOf(signIn({ ...assertion.expected, allowCredentials: 'abc' }), 'ERR_OPTIONS_INVALID')).toBe('allowCredentials');
  });

  it('allowCredentials: [1] → ERR_OPTIONS_INVALID naming the entry (was ERR_CREDENTIAL_NOT_ALLOWED)', async () => {
    expect(await fieldOf(signIn({ ...assertion.expected, allowCredentials: [1] }), 'ERR_OPTIONS_INVALID')).toBe('allowCredentials[0]');
  });

  it('93: allowCredentials given as descriptor objects is a typo, not a foreign credential', async () => {
    const descriptors = [{ type: 'public-key', id: assertion.record.id }];
    expect(await fieldOf(signIn({ ...assertion.expected, allowCredentials: descriptors }), 'ERR_OPTIONS_INVALID')).toBe(
      'allowCredentials[0]',
    );
  });

  it('94: userHandle: 1 → ERR_OPTIONS_INVALID (was ERR_USER_HANDLE_MISMATCH)', async () => {
    expect(await fieldOf(signIn({ ...assertion.expected, userHandle: 1 }), 'ERR_OPTIONS_INVALID')).toBe('userHandle');
  });

  it('record.transports = 1 → ERR_CREDENTIAL_RECORD_INVALID (was accepted)', async () => {
    expect(await fieldOf(signIn(assertion.expected, { ...assertion.record, transports: 1 }), 'ERR_CREDENTIAL_RECORD_INVALID')).toBe(
      'transports',
    );
  });

  it("allowLegacyKeyWithoutCurve: 'yes' → ERR_OPTIONS_INVALID in both ceremonies (was accepted)", async () => {
    expect(await fieldOf(signIn({ ...assertion.expected, allowLegacyKeyWithoutCurve: 'yes' }), 'ERR_OPTIONS_INVALID')).toBe(
      'allowLegacyKeyWithoutCurve',
    );
    expect(await fieldOf(register({ ...registration.expected, allowLegacyKeyWithoutCurve: 'yes' }), 'ERR_OPTIONS_INVALID')).toBe(
      'allowLegacyKeyWithoutCurve',
    );
  });

  it('trustAnchors: [123] → ERR_OPTIONS_INVALID naming the entry (was ERR_INTERNAL)', async () => {
    const expected = { ...registration.expected, attestation: { trustAnchors: [123] } };
    expect(await fieldOf(register(expected), 'ERR_OPTIONS_INVALID')).toBe('attestation.trustAnchors[0]');
  });

  it('a trust anchor that is text but no certificate → ERR_OPTIONS_INVALID, not the attack code ERR_CERT_MALFORMED', async () => {
    const packed = await createRegistration({ format: 'packed' });
    const expected = { ...packed.expected, attestation: { trustAnchors: ['not a certificate'] } };
    const error = await expectRejection(verifyRegistrationResponse(packed.response, expected), 'ERR_OPTIONS_INVALID');
    expect(error.details?.field).toBe('attestation.trustAnchors');
    expect((error.cause as { code?: string }).code).toBe('ERR_CERT_MALFORMED');
  });

  it('tpm: 5 → ERR_OPTIONS_INVALID (was accepted)', async () => {
    expect(await fieldOf(register({ ...registration.expected, attestation: { tpm: 5 } }), 'ERR_OPTIONS_INVALID')).toBe(
      'attestation.tpm',
    );
  });

  it("mediation: 'bogus' → ERR_OPTIONS_INVALID (was accepted)", async () => {
    expect(await fieldOf(register({ ...registration.expected, mediation: 'bogus' }), 'ERR_OPTIONS_INVALID')).toBe('mediation');
  });
});

// [field path, wrong values]. Each value must be refused naming the field (or, for a list entry,
// the entry: the expected field is then given explicitly).
type Case = readonly [path: string, value: unknown, field?: string];

const NOT_BOOLEAN: readonly unknown[] = ['true', 1, {}, [], null];
const NOT_OBJECT: readonly unknown[] = [5, 'x', [], null, true];

function cases(path: string, values: readonly unknown[]): Case[] {
  return values.map((value) => [path, value] as const);
}

const COMMON: readonly Case[] = [
  ...cases('challenge', [42, {}, [], null, true, '', 'not base64url!', 'AAAAAA==', new Uint8Array(0)]),
  ...cases('origin', [42, {}, null, [], true, '']),
  ['origin', [42], 'origin[0]'],
  ['origin', [''], 'origin[0]'],
  ...cases('rpId', [42, {}, null, [], () => true, '']),
  ['rpId', ['login.example.com', 7], 'rpId[1]'],
  ...cases('userVerification', [42, 'REQUIRED', {}, [], null, true]),
  ...cases('algorithms', [42, '-7', {}, null, []]),
  ['algorithms', ['-7'], 'algorithms[0]'],
  ['algorithms', [-7, 1.5], 'algorithms[1]'],
  ...cases('allowCrossOrigin', NOT_BOOLEAN),
  ...cases('topOrigin', [42, {}, [], null, '']),
  ['topOrigin', [1], 'topOrigin[0]'],
  ...cases('unknownMember', [1, 'x', {}]),
  ...cases('userVerifcation', ['required']),
];

const REGISTRATION: readonly Case[] = [
  ...COMMON,
  ...cases('attestation', NOT_OBJECT),
  ...cases('attestation.trustAnchors', [42, 'pem', {}, null]),
  ['attestation.trustAnchors', [123], 'attestation.trustAnchors[0]'],
  ['attestation.trustAnchors', [null], 'attestation.trustAnchors[0]'],
  // An object is a trust anchor entry (docs/trust.md): its missing certificate is named.
  ['attestation.trustAnchors', [{}], 'attestation.trustAnchors[0].certificate'],
  ['attestation.trustAnchors', [''], 'attestation.trustAnchors[0]'],
  ...cases('attestation.require', [42, 'None', {}, [], null]),
  ...cases('attestation.formats', [42, 'packed', {}, null]),
  ['attestation.formats', [1], 'attestation.formats[0]'],
  ['attestation.formats', ['none', 'packd'], 'attestation.formats[1]'],
  ...cases('attestation.revocation', NOT_OBJECT),
  ['attestation.revocation', { crls: 'x', mode: 'require' }, 'attestation.revocation.crls'],
  ['attestation.revocation', { crls: [1], mode: 'require' }, 'attestation.revocation.crls[0]'],
  ['attestation.revocation', { crls: [], mode: 'bogus' }, 'attestation.revocation.mode'],
  ['attestation.revocation', { crls: [] }, 'attestation.revocation.mode'],
  ['attestation.revocation', { crls: [], mode: 'require', fetch: true }, 'attestation.revocation.fetch'],
  ...cases('attestation.androidKey', [42, 'TEE', {}, null]),
  ...cases('attestation.tpm', NOT_OBJECT),
  ['attestation.tpm', { requireKnownManufacturer: 'yes' }, 'attestation.tpm.requireKnownManufacturer'],
  ['attestation.tpm', { requireKnownManufacturers: true }, 'attestation.tpm.requireKnownManufacturers'],
  ...cases('attestation.safetyNet', NOT_OBJECT),
  ['attestation.safetyNet', { maxAgeMs: '60000' }, 'attestation.safetyNet.maxAgeMs'],
  ['attestation.safetyNet', { maxAgeMs: -1 }, 'attestation.safetyNet.maxAgeMs'],
  ['attestation.safetyNet', { maxAgeMs: 1.5 }, 'attestation.safetyNet.maxAgeMs'],
  ...cases('attestation.compound', [42, 'ALL', {}, null]),
  ['attestation', { requier: 'trusted' }, 'attestation.requier'],
  ...cases('mediation', ['bogus', 42, null, {}]),
  ...cases('now', [42, '2024-01-01', {}, null, new Date(Number.NaN), Object.create(Date.prototype)]),
  ...cases('allowLegacyKeyWithoutCurve', NOT_BOOLEAN),
];

const AUTHENTICATION: readonly Case[] = [
  ...COMMON,
  ...cases('allowCredentials', ['abc', 42, {}, null]),
  ['allowCredentials', [1], 'allowCredentials[0]'],
  ['allowCredentials', [null], 'allowCredentials[0]'],
  ['allowCredentials', [''], 'allowCredentials[0]'],
  ['allowCredentials', ['AAAA', 'a+b/'], 'allowCredentials[1]'],
  ['allowCredentials', [new Uint8Array(0)], 'allowCredentials[0]'],
  ...cases('userHandle', [1, {}, [], null, '', 'not base64!', new Uint8Array(0), new Uint8Array(65), 'A'.repeat(87)]),
  ...cases('counter', [42, 'REPORT', {}, null]),
  ...cases('allowLegacyKeyWithoutCurve', NOT_BOOLEAN),
  // A registration member in a sign-in's expectations is unknown there.
  ...cases('mediation', ['conditional']),
];

const RECORD: readonly Case[] = [
  ...cases('id', [42, '', null, {}, [], 'a+b', 'AAAAA']),
  ...cases('publicKey', [42, '', null, {}, [], new Uint8Array(0)]),
  ...cases('algorithm', ['-7', 1.5, null, {}, Number.NaN]),
  ...cases('signCount', ['0', -1, 2 ** 32, 1.5, null, {}]),
  ...cases('transports', [1, 'usb', {}, null]),
  ['transports', ['usb', 1], 'transports[1]'],
  ['transports', Array(17).fill('usb'), 'transports'],
  ...cases('uvInitialized', NOT_BOOLEAN),
  ...cases('backupEligible', NOT_BOOLEAN),
  ...cases('backupState', NOT_BOOLEAN),
  ...cases('aaguid', [1, '', 'not-a-uuid', null, {}]),
  ...cases('attestationFormat', [1, '', null, {}]),
  ...cases('attestationObject', [1, '', null, {}]),
  ...cases('attestationClientDataJSON', [1, '', null, []]),
  ...cases('rpId', [1, '', null, {}]),
];

describe('every member of the registration expectations, wrongly typed → ERR_OPTIONS_INVALID naming it', () => {
  for (const [path, value, field] of REGISTRATION) {
    it(`${path} = ${label(value)}`, async () => {
      expect(await fieldOf(register(withMember(registration.expected, path, value)), 'ERR_OPTIONS_INVALID')).toBe(field ?? path);
    });
  }
  it('the expectations themselves not an object', async () => {
    for (const value of [null, 'expected', 42, [registration.expected], () => registration.expected]) {
      expect(await fieldOf(register(value), 'ERR_OPTIONS_INVALID')).toBe('');
    }
  });
});

describe('every member of the authentication expectations, wrongly typed → ERR_OPTIONS_INVALID naming it', () => {
  for (const [path, value, field] of AUTHENTICATION) {
    it(`${path} = ${label(value)}`, async () => {
      expect(await fieldOf(signIn(withMember(assertion.expected, path, value)), 'ERR_OPTIONS_INVALID')).toBe(field ?? path);
    });
  }
});

describe('every member of the credential record, wrongly typed → ERR_CREDENTIAL_RECORD_INVALID naming it', () => {
  for (const [path, value, field] of RECORD) {
    it(`${path} = ${label(value)}`, async () => {
      const record = withMember(assertion.record, path, value);
      expect(await fieldOf(signIn(assertion.expected, record), 'ERR_CREDENTIAL_RECORD_INVALID')).toBe(field ?? path);
    });
  }
  it('the record itself not an object', async () => {
    for (const value of [null, 'record', 42, [assertion.record]]) {
      expect(await fieldOf(signIn(assertion.expected, value), 'ERR_CREDENTIAL_RECORD_INVALID')).toBe('record');
    }
  });
  it('a publicKey text that is not base64url → ERR_CREDENTIAL_RECORD_INVALID naming it', async () => {
    const record = { ...assertion.record, publicKey: `${assertion.record.publicKey as string}+` };
    expect(await fieldOf(signIn(assertion.expected, record), 'ERR_CREDENTIAL_RECORD_INVALID')).toBe('publicKey');
  });
  it("the relying party's own members are ignored and kept in the updated record", async () => {
    const record = { ...assertion.record, userId: 'u-1', nickname: 'work key', createdAt: 1700000000000 };
    const result = await signIn(assertion.expected, record);
    expect(result.credential).toMatchObject({ userId: 'u-1', nickname: 'work key', createdAt: 1700000000000, signCount: 1 });
  });
  it('a __proto__ member of a parsed record never becomes the prototype of the updated record', async () => {
    // JSON.parse makes "__proto__" an own member (a database JSON column can hold one).
    const hostile = JSON.parse(`{${JSON.stringify(assertion.record).slice(1, -1)},"__proto__":{"admin":true}}`);
    expect(Object.hasOwn(hostile, '__proto__')).toBe(true);
    const result = await signIn(assertion.expected, hostile);
    expect(Object.getPrototypeOf(result.credential)).toBe(Object.prototype);
    expect((result.credential as unknown as { admin?: boolean }).admin).toBeUndefined();
  });
});

// generate*Options: [path, value, field]; paths inside rp/user use the dotted form.
const REGISTRATION_INPUT = { rp: { id: 'login.example.com', name: 'Example' }, user: { name: 'alice' } };
const AUTHENTICATION_INPUT = { rpId: 'login.example.com' };

const REGISTRATION_OPTIONS: readonly Case[] = [
  ...cases('rp', NOT_OBJECT),
  ...cases('rp.id', [42, 'Login.Example.com', 'https://login.example.com', null, '']),
  ...cases('rp.name', [42, '', null, {}, [], true]),
  ['rp', { id: 'login.example.com', name: 'x', icon: 'y' }, 'rp.icon'],
  ...cases('user', [42, null, [], 'alice']),
  ...cases('user.id', [42, '', new Uint8Array(0), new Uint8Array(65), 'a+b', null]),
  ...cases('user.name', [42, '', null]),
  ...cases('user.displayName', [42, null, {}]),
  ...cases('algorithms', [42, '-7', null, {}, []]),
  ['algorithms', ['-7'], 'algorithms[0]'],
  ['algorithms', [99999], 'algorithms[0]'],
  ...cases('timeout', [0, '1000', 1.5, null, {}, -1]),
  ...cases('excludeCredentials', [42, 'x', {}, null]),
  ['excludeCredentials', [1], 'excludeCredentials[0]'],
  ['excludeCredentials', [{ id: 42 }], 'excludeCredentials[0].id'],
  ['excludeCredentials', [{ id: 'AAAA', transports: 'usb' }], 'excludeCredentials[0].transports'],
  ...cases('hints', ['hybrid', 42, null, {}]),
  ['hints', ['bogus'], 'hints[0]'],
  ...cases('authenticatorAttachment', [42, 'usb', null]),
  ...cases('residentKey', ['x', 42, null]),
  ...cases('userVerification', ['x', 42, null]),
  ...cases('attestation', [42, 'full', null]),
  ...cases('attestationFormats', [42, 'packed', null]),
  ['attestationFormats', [1], 'attestationFormats[0]'],
  ...cases('extensions', [42, 'x', [], null]),
  ...cases('challengeLength', [15, '32', 1.5, null, 1025]),
  ...cases('unknownOption', [true]),
];

const AUTHENTICATION_OPTIONS: readonly Case[] = [
  ...cases('rpId', [42, 'https://login.example.com', null, '']),
  ...cases('allowCredentials', [42, 'x', {}, null]),
  ['allowCredentials', [1], 'allowCredentials[0]'],
  ['allowCredentials', [{ id: null }], 'allowCredentials[0].id'],
  ...cases('userVerification', ['x', 42, null]),
  ...cases('timeout', [0, '1000', null]),
  ...cases('hints', ['hybrid', 42, null]),
  ...cases('extensions', [42, [], null]),
  ...cases('challengeLength', [15, '32', null]),
  ...cases('user', [{ name: 'alice' }]),
];

describe('every member of the options generators, wrongly typed → ERR_OPTIONS_INVALID naming it', () => {
  for (const [path, value, field] of REGISTRATION_OPTIONS) {
    it(`generateRegistrationOptions ${path} = ${label(value)}`, () => {
      const input = withMember(REGISTRATION_INPUT, path, value) as Parameters<typeof generateRegistrationOptions>[0];
      expect(expectCode(() => generateRegistrationOptions(input), 'ERR_OPTIONS_INVALID').details?.field).toBe(field ?? path);
    });
  }
  for (const [path, value, field] of AUTHENTICATION_OPTIONS) {
    it(`generateAuthenticationOptions ${path} = ${label(value)}`, () => {
      const input = withMember(AUTHENTICATION_INPUT, path, value) as Parameters<typeof generateAuthenticationOptions>[0];
      expect(expectCode(() => generateAuthenticationOptions(input), 'ERR_OPTIONS_INVALID').details?.field).toBe(field ?? path);
    });
  }
  it('the input itself not an object', () => {
    for (const value of [null, 42, 'x', []]) {
      expectCode(() => generateRegistrationOptions(value as never), 'ERR_OPTIONS_INVALID');
      expectCode(() => generateAuthenticationOptions(value as never), 'ERR_OPTIONS_INVALID');
    }
  });
});

describe('well-typed input still passes', () => {
  it('every optional member at a valid value is accepted (the matrix refuses only the wrong ones)', async () => {
    const registered = await register({
      ...registration.expected,
      userVerification: 'preferred',
      algorithms: [-7],
      allowCrossOrigin: false,
      topOrigin: ['https://top.example'],
      attestation: {
        trustAnchors: [],
        require: 'valid',
        formats: ['none', 'packed'],
        revocation: { crls: [], mode: 'if-available' },
        androidKey: 'tee',
        tpm: { requireKnownManufacturer: false },
        safetyNet: { maxAgeMs: 60_000 },
        compound: 'all',
      },
      mediation: 'required',
      allowLegacyKeyWithoutCurve: false,
    });
    expect(registered.attestation.format).toBe('none');
    const signedIn = await signIn(
      {
        ...assertion.expected,
        allowCredentials: [assertion.record.id, new Uint8Array(16)],
        counter: 'report',
        allowLegacyKeyWithoutCurve: false,
        userVerification: 'discouraged',
      },
      {
        ...assertion.record,
        transports: ['usb', 'future-transport'],
        uvInitialized: false,
        aaguid: '00000000-0000-0000-0000-000000000000',
        attestationFormat: 'none',
        rpId: 'login.example.com',
      },
    );
    expect(signedIn.counter).toBe('increased');
  });

  it('undefined for an optional member means absent', async () => {
    await signIn({ ...assertion.expected, allowCredentials: undefined, userHandle: undefined, counter: undefined });
    await signIn(assertion.expected, { ...assertion.record, transports: undefined, backupEligible: undefined });
  });
});

function label(value: unknown): string {
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  if (value instanceof Date) {
    try {
      return `Date(${Date.prototype.getTime.call(value)})`;
    } catch {
      return 'fake Date';
    }
  }
  if (typeof value === 'function') return 'function';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
