/**
 * WebAuthn L3 §7.1, step by step: each describe is one step, each rejection asserts its exact code
 * (and the step where the library sets one). Attestation statement formats in detail are in
 * 8-attestation-formats.test.ts. Checklist items of ../shared/SECURITY-CHECKLIST.md are named where
 * a test implements one.
 */
import { describe, expect, it } from 'vitest';
import {
  type RegistrationExpectations,
  verifyRegistrationResponse,
} from '../../src/ceremony/verify-registration.js';
import { verifyAuthenticationResponse } from '../../src/ceremony/verify-authentication.js';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { ALG_NAMES, testKey } from '../helpers/keys.js';
import { createAssertion } from '../helpers/synthetic-authenticator.js';
import {
  attestationCa,
  b64u,
  createRegistration,
  DEFAULT_AAGUID,
  decodeCoseMap,
  encodeAttestationObject,
  encodeCbor,
  FLAGS,
  fromB64u,
  OMIT,
  REG_CHALLENGE,
  REG_ORIGIN,
  REG_RP_ID,
  type RegistrationOptions,
  seededCredentialKey,
  sha256,
  type SyntheticRegistration,
  withAuthenticatorData,
  withResponseFields,
} from '../helpers/synthetic-registration.js';
import { expectRejection as expectCode, rejection } from '../helpers/expect-code.js';


interface Change {
  readonly response?: (registration: SyntheticRegistration) => unknown;
  readonly expected?: Partial<RegistrationExpectations>;
}

async function verifyWith(options: RegistrationOptions = {}, change: Change = {}) {
  const registration = await createRegistration(options);
  const response = change.response ? change.response(registration) : registration.response;
  return verifyRegistrationResponse(response as RegistrationResponseJSON, { ...registration.expected, ...change.expected });
}

const top = (fields: Record<string, unknown>) => (r: SyntheticRegistration) => ({ ...r.response, ...fields });
const inner = (fields: Record<string, unknown>) => (r: SyntheticRegistration) => withResponseFields(r, fields);
const withObject = (bytes: Uint8Array) => inner({ attestationObject: b64u(bytes), authenticatorData: undefined });

describe('a valid registration', () => {
  it('verifies and reports the facts', async () => {
    const result = await verifyWith({ format: 'packed', uv: true, signCount: 3 }, { expected: { userVerification: 'required' } });
    expect(result.rpId).toBe(REG_RP_ID);
    expect(result.origin).toBe(REG_ORIGIN);
    expect(result.userVerified).toBe(true);
    expect(result.attestation).toMatchObject({ format: 'packed', type: 'basic', trusted: true });
    expect(result.credential.signCount).toBe(3);
  });
});

describe('§7.1 step 3: the response is a well-formed attestation response (checklist A.1–A.3)', () => {
  const cases: [string, (r: SyntheticRegistration) => unknown, WebAuthnErrorCode][] = [
    ['not an object', () => 'nope', 'ERR_RESPONSE_MALFORMED'],
    ['null', () => null, 'ERR_RESPONSE_MALFORMED'],
    ['an array', () => [], 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id missing', (r) => ({ ...r.response, id: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id not a string', top({ id: 42 }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id empty', top({ id: '', rawId: '' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id not base64url', (r) => ({ ...r.response, id: `${r.response.id}+`, rawId: `${r.response.id}+` }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id padded', (r) => ({ ...r.response, id: `${r.response.id}=`, rawId: `${r.response.id}=` }), 'ERR_RESPONSE_MALFORMED'],
    ['A.1 id ≠ rawId', top({ rawId: b64u(new Uint8Array(32)) }), 'ERR_CREDENTIAL_ID_MISMATCH'],
    ['A.1 rawId missing', (r) => ({ ...r.response, rawId: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.2 type missing', (r) => ({ ...r.response, type: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.2 type not public-key', top({ type: 'password' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.2 type not a string', top({ type: 1 }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 response missing', (r) => ({ ...r.response, response: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 response not an object', top({ response: 'x' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 clientDataJSON missing', inner({ clientDataJSON: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 clientDataJSON not a string', inner({ clientDataJSON: 7 }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 clientDataJSON empty', inner({ clientDataJSON: '' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 clientDataJSON standard base64', inner({ clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0=' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 attestationObject missing', inner({ attestationObject: undefined }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 attestationObject not a string', inner({ attestationObject: {} }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 attestationObject empty', inner({ attestationObject: '' }), 'ERR_RESPONSE_MALFORMED'],
    ['A.3 attestationObject not base64url', inner({ attestationObject: 'o2Nm/+' }), 'ERR_RESPONSE_MALFORMED'],
    ['authenticatorData copy not base64url', inner({ authenticatorData: 'a*b' }), 'ERR_RESPONSE_MALFORMED'],
    ['authenticatorData copy empty', inner({ authenticatorData: '' }), 'ERR_RESPONSE_MALFORMED'],
    ['transports not an array', inner({ transports: 'usb' }), 'ERR_RESPONSE_MALFORMED'],
    ['transports with a non-string', inner({ transports: ['usb', 1] }), 'ERR_RESPONSE_MALFORMED'],
    ['transports with a 33-character value', inner({ transports: ['x'.repeat(33)] }), 'ERR_RESPONSE_MALFORMED'],
    ['transports with 17 values', inner({ transports: Array.from({ length: 17 }, (_, i) => `t${i}`) }), 'ERR_RESPONSE_MALFORMED'],
    ['clientExtensionResults not an object', top({ clientExtensionResults: [] }), 'ERR_RESPONSE_MALFORMED'],
    ['authenticatorAttachment a number', top({ authenticatorAttachment: 1 }), 'ERR_RESPONSE_MALFORMED'],
  ];
  for (const [name, change, code] of cases) {
    it(`${name} → ${code}`, () => expectCode(verifyWith({}, { response: change }), code));
  }

  it('the step is 7.1.3', async () => {
    await expectCode(verifyWith({}, { response: top({ type: 'password' }) }), 'ERR_RESPONSE_MALFORMED', '7.1.3');
    await expectCode(verifyWith({}, { response: inner({ transports: 'usb' }) }), 'ERR_RESPONSE_MALFORMED', '7.1.3');
  });

  it('response.authenticatorData differing from the attestationObject authData → ERR_RESPONSE_MALFORMED', async () => {
    const other = await createRegistration({ signCount: 5 });
    await expectCode(
      verifyWith({}, { response: inner({ authenticatorData: b64u(other.authenticatorData) }) }),
      'ERR_RESPONSE_MALFORMED',
      '7.1.3',
    );
  });

  it('id = rawId naming another credential than the attested one → ERR_CREDENTIAL_ID_MISMATCH', async () => {
    const other = b64u(new Uint8Array(32).fill(9));
    await expectCode(verifyWith({}, { response: top({ id: other, rawId: other }) }), 'ERR_CREDENTIAL_ID_MISMATCH', '7.1.3');
  });

  it('the optional members may be absent; unknown transports are kept, repeats dropped', async () => {
    const bare = await verifyWith({ browserMembers: false, transports: null });
    expect(bare.credential.transports).toBeUndefined();
    const result = await verifyWith({ transports: ['usb', 'nfc', 'usb', 'smoke-signal'] });
    expect(result.credential.transports).toEqual(['usb', 'nfc', 'smoke-signal']);
  });

  it('client extension results are passed through', async () => {
    const result = await verifyWith({ clientExtensionResults: { credProps: { rk: true } } });
    expect(result.clientExtensionResults).toEqual({ credProps: { rk: true } });
  });
});

describe('§7.1 steps 5–6: clientDataJSON is UTF-8 JSON (checklist B.5, B.6, B.10, B.18)', () => {
  const malformed: [string, string | Uint8Array][] = [
    ['B.5 invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['B.6 not JSON', 'webauthn.create'],
    ['B.6 a JSON array', '["webauthn.create"]'],
    ['B.6 a JSON string', '"webauthn.create"'],
    [
      'B.10 duplicate challenge member',
      `{"type":"webauthn.create","challenge":"AAAA","challenge":"${REG_CHALLENGE}","origin":"${REG_ORIGIN}"}`,
    ],
    ['B.10 duplicate type member', `{"type":"webauthn.get","type":"webauthn.create","challenge":"${REG_CHALLENGE}","origin":"${REG_ORIGIN}"}`],
    ['challenge missing', `{"type":"webauthn.create","origin":"${REG_ORIGIN}"}`],
    ['origin not a string', `{"type":"webauthn.create","challenge":"${REG_CHALLENGE}","origin":1}`],
    ['crossOrigin not a boolean', `{"type":"webauthn.create","challenge":"${REG_CHALLENGE}","origin":"${REG_ORIGIN}","crossOrigin":"false"}`],
  ];
  for (const [name, clientDataJSON] of malformed) {
    it(`${name} → ERR_CLIENTDATA_MALFORMED`, () => expectCode(verifyWith({ clientDataJSON }), 'ERR_CLIENTDATA_MALFORMED', '5.8.1'));
  }
  it('B.18 tokenBinding is [RESERVED] in L3: a status "not-supported" or a string is ignored (docs/security.md)', async () => {
    await verifyWith({ extraClientData: { tokenBinding: { status: 'not-supported' } } });
    await verifyWith({ clientDataJSON: `{"type":"webauthn.create","challenge":"${REG_CHALLENGE}","origin":"${REG_ORIGIN}","tokenBinding":"present"}` });
  });
  it('B.5 a leading BOM is stripped (also under a signature)', async () => {
    const text = `\ufeff{"type":"webauthn.create","challenge":"${REG_CHALLENGE}","origin":"${REG_ORIGIN}"}`;
    await verifyWith({ clientDataJSON: text });
    await verifyWith({ format: 'packed', self: true, clientDataJSON: text });
  });
  it('unknown members are kept', async () => {
    const result = await verifyWith({ extraClientData: { other_keys_can_be_added_here: 'x' } });
    expect(result.clientData.members.other_keys_can_be_added_here).toBe('x');
  });
});

describe('§7.1 step 7: clientData.type (checklist B.7)', () => {
  for (const type of ['webauthn.get', 'payment.get', '', 'WEBAUTHN.CREATE', 'webauthn.create ']) {
    it(`type ${JSON.stringify(type)} → ERR_CLIENTDATA_TYPE`, () => expectCode(verifyWith({ type }), 'ERR_CLIENTDATA_TYPE', '7.1.7'));
  }
  it('type missing → ERR_CLIENTDATA_MALFORMED', () => expectCode(verifyWith({ type: OMIT }), 'ERR_CLIENTDATA_MALFORMED', '5.8.1'));
});

describe('§7.1 step 8: challenge (checklist B.8, B.9, V6, V41)', () => {
  const variants: [string, string][] = [
    ['another challenge', b64u(new Uint8Array(32).fill(1))],
    ['a prefix', REG_CHALLENGE.slice(0, -2)],
    ['a superstring', `${REG_CHALLENGE}AA`],
    ['the padded form', `${REG_CHALLENGE}=`],
    ['empty', ''],
  ];
  for (const [name, challenge] of variants) {
    it(`${name} → ERR_CHALLENGE_MISMATCH`, () =>
      expectCode(verifyWith({ challenge }, { expected: { challenge: REG_CHALLENGE } }), 'ERR_CHALLENGE_MISMATCH', '7.1.8'));
  }
  it('the challenge as bytes matches', () => verifyWith({}, { expected: { challenge: new Uint8Array(32).fill(0xc3) } }));
  it('an async predicate is awaited (V4): true accepts, false rejects', async () => {
    await verifyWith({}, { expected: { challenge: async (c) => c === REG_CHALLENGE } });
    await expectCode(verifyWith({}, { expected: { challenge: async () => false } }), 'ERR_CHALLENGE_MISMATCH', '7.1.8');
  });
});

describe('§7.1 step 9: origin (checklist B.11–B.14, V31, V32, V34)', () => {
  const wrong = [
    'https://evillogin.example.com',
    'https://login.example.com.evil.net',
    'http://login.example.com',
    'https://login.example.com:8443',
    'https://sub.login.example.com',
    'https://login.example.com/',
    '',
  ];
  for (const origin of wrong) {
    it(`origin ${JSON.stringify(origin)} → ERR_ORIGIN_MISMATCH`, () =>
      expectCode(verifyWith({ origin }, { expected: { origin: REG_ORIGIN } }), 'ERR_ORIGIN_MISMATCH', '7.1.9'));
  }
  it('a listed origin matches and is reported', async () => {
    const apk = 'android:apk-key-hash:NLbSGMbwdmk8XA7hnuFyLEmRsiT2u5Wd29XT-5pE8ws';
    const result = await verifyWith({ origin: apk }, { expected: { origin: [REG_ORIGIN, apk] } });
    expect(result.origin).toBe(apk);
  });
});

describe('§7.1 step 10: crossOrigin (checklist B.15, V20)', () => {
  it('crossOrigin true without allowCrossOrigin → ERR_CROSS_ORIGIN_NOT_ALLOWED', () =>
    expectCode(verifyWith({ crossOrigin: true }), 'ERR_CROSS_ORIGIN_NOT_ALLOWED', '7.1.10'));
  it('crossOrigin true with allowCrossOrigin passes; absent passes', async () => {
    await verifyWith({ crossOrigin: true }, { expected: { allowCrossOrigin: true } });
    await verifyWith({ crossOrigin: OMIT });
  });
});

describe('§7.1 step 11: topOrigin (checklist B.16, B.17)', () => {
  const shop = 'https://shop.example.net';
  it('B.16 topOrigin without crossOrigin → ERR_TOP_ORIGIN_INVALID', () =>
    expectCode(verifyWith({ topOrigin: shop }, { expected: { allowCrossOrigin: true, topOrigin: shop } }), 'ERR_TOP_ORIGIN_INVALID', '7.1.11'));
  it('B.17 topOrigin not expected → ERR_TOP_ORIGIN_MISMATCH', () =>
    expectCode(
      verifyWith({ crossOrigin: true, topOrigin: shop }, { expected: { allowCrossOrigin: true, topOrigin: 'https://other.example' } }),
      'ERR_TOP_ORIGIN_MISMATCH',
      '7.1.11',
    ));
  it('topOrigin while none is expected → ERR_TOP_ORIGIN_MISMATCH', () =>
    expectCode(verifyWith({ crossOrigin: true, topOrigin: shop }, { expected: { allowCrossOrigin: true } }), 'ERR_TOP_ORIGIN_MISMATCH'));
  it('an expected topOrigin passes', () =>
    verifyWith({ crossOrigin: true, topOrigin: shop }, { expected: { allowCrossOrigin: true, topOrigin: [shop] } }));
});

describe('§7.1 step 13: the attestationObject (checklist C.19–C.24, D.29–D.36)', () => {
  const authData = async () => (await createRegistration()).authenticatorData;
  const cbor = encodeCbor;
  const map = (entries: [unknown, unknown][]) => cbor(new Map(entries));

  it('C.19 not a CBOR map → ERR_ATTESTATION_OBJECT_MALFORMED', async () => {
    await expectCode(verifyWith({}, { response: withObject(cbor(['none', new Map(), await authData()])) }), 'ERR_ATTESTATION_OBJECT_MALFORMED', '7.1.13');
    await expectCode(verifyWith({}, { response: withObject(cbor('none')) }), 'ERR_ATTESTATION_OBJECT_MALFORMED');
  });

  it('not CBOR at all → ERR_CBOR_MALFORMED', () =>
    expectCode(verifyWith({}, { response: withObject(new Uint8Array([0xff, 0x00])) }), 'ERR_CBOR_MALFORMED'));

  it('C.20 fmt, attStmt or authData missing, of the wrong type, or empty → ERR_ATTESTATION_OBJECT_MALFORMED', async () => {
    const ad = await authData();
    const objects: [string, Uint8Array][] = [
      ['fmt missing', map([['attStmt', new Map()], ['authData', ad]])],
      ['fmt a number', encodeAttestationObject(1, new Map(), ad)],
      ['fmt empty', encodeAttestationObject('', new Map(), ad)],
      ['attStmt missing', map([['fmt', 'none'], ['authData', ad]])],
      ['attStmt an array', encodeAttestationObject('none', [], ad)],
      ['attStmt bytes', encodeAttestationObject('none', new Uint8Array(0), ad)],
      ['authData missing', map([['fmt', 'none'], ['attStmt', new Map()]])],
      ['authData text', encodeAttestationObject('none', new Map(), 'authData')],
      ['authData empty', encodeAttestationObject('none', new Map(), new Uint8Array(0))],
      ['an extra member', map([['fmt', 'none'], ['attStmt', new Map()], ['authData', ad], ['ep', true]])],
    ];
    for (const [name, bytes] of objects) {
      const error = await rejection(verifyWith({}, { response: withObject(bytes) }));
      expect(error.code, name).toBe('ERR_ATTESTATION_OBJECT_MALFORMED');
      expect(error.step, name).toBe('7.1.13');
    }
  });

  it('C.21 a byte after the attestationObject → ERR_CBOR_TRAILING_DATA (also after a valid signature)', async () => {
    await expectCode(verifyWith({ trailingBytes: new Uint8Array([0x00]) }), 'ERR_CBOR_TRAILING_DATA', '7.1.13');
    await expectCode(verifyWith({ format: 'packed', trailingBytes: new Uint8Array([0xa0]) }), 'ERR_CBOR_TRAILING_DATA');
  });

  it('C.22–C.24 duplicate keys, indefinite lengths, tags and long heads → their ERR_CBOR_* code', async () => {
    const ad = await authData();
    const text = (s: string) => cbor(s);
    const body = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
    const duplicate = body(new Uint8Array([0xa3]), text('fmt'), text('none'), text('fmt'), text('none'), text('authData'), cbor(ad));
    const indefinite = body(new Uint8Array([0xbf]), text('fmt'), text('none'), text('attStmt'), new Uint8Array([0xa0]), text('authData'), cbor(ad), new Uint8Array([0xff]));
    const tagged = body(new Uint8Array([0xa3]), text('fmt'), text('none'), text('attStmt'), new Uint8Array([0xa0]), text('authData'), new Uint8Array([0xd8, 0x40]), cbor(ad));
    const longHead = body(new Uint8Array([0xb8, 0x03]), text('fmt'), text('none'), text('attStmt'), new Uint8Array([0xa0]), text('authData'), cbor(ad));
    await expectCode(verifyWith({}, { response: withObject(duplicate) }), 'ERR_CBOR_DUPLICATE_KEY');
    await expectCode(verifyWith({}, { response: withObject(indefinite) }), 'ERR_CBOR_INDEFINITE_LENGTH');
    await expectCode(verifyWith({}, { response: withObject(tagged) }), 'ERR_CBOR_TAG_FORBIDDEN');
    await expectCode(verifyWith({}, { response: withObject(longHead) }), 'ERR_CBOR_NON_CANONICAL');
  });

  it('D.31 AT clear (no attested credential data) → ERR_ATTESTED_CREDENTIAL_MISSING', () =>
    expectCode(verifyWith({ at: false }), 'ERR_ATTESTED_CREDENTIAL_MISSING', '7.1.13'));

  it('D.29, D.30, D.32, D.35, D.36 malformed authenticator data → ERR_AUTHDATA_MALFORMED', async () => {
    const cases: [string, RegistrationOptions | ((r: SyntheticRegistration) => unknown)][] = [
      ['D.29 shorter than 37 bytes', (r) => withAuthenticatorData(r, r.authenticatorData.slice(0, 36))],
      ['D.30 AT clear but attested data present', { flags: FLAGS.UP, attestedCredentialData: true }],
      ['D.32 AT set, attested data truncated', (r) => withAuthenticatorData(r, r.authenticatorData.slice(0, 37 + 16 + 2 + 10))],
      ['D.32 AT set, no attested data', { flags: FLAGS.UP | FLAGS.AT, attestedCredentialData: false }],
      ['D.35 a byte after the credential public key', { authDataTrailer: new Uint8Array([0x00]) }],
      ['D.36 ED set, no extensions', { flags: FLAGS.UP | FLAGS.AT | FLAGS.ED }],
      ['D.36 ED clear, extensions present', { flags: FLAGS.UP | FLAGS.AT, authDataTrailer: cbor(new Map([['credProtect', 1]])) }],
      ['D.36 extensions not a map', { flags: FLAGS.UP | FLAGS.AT | FLAGS.ED, authDataTrailer: cbor(['credProtect']) }],
    ];
    for (const [name, how] of cases) {
      const promise = typeof how === 'function' ? verifyWith({}, { response: how }) : verifyWith(how);
      const error = await rejection(promise);
      expect(error.code, `${name}: ${error.message}`).toBe('ERR_AUTHDATA_MALFORMED');
      expect(error.step, name).toBe('6.1');
    }
  });

  it('D.33 a credentialIdLength past the end → ERR_AUTHDATA_MALFORMED, not a crash', async () => {
    const r = await createRegistration();
    const bytes = r.authenticatorData.slice();
    bytes[37 + 16] = 0x03;
    bytes[37 + 17] = 0xff;
    await expectCode(verifyWith({}, { response: () => withAuthenticatorData(r, bytes) }), 'ERR_AUTHDATA_MALFORMED');
  });

  it('conformance Resp-3 P-1: ED with an extensions map is accepted, also under a signature', async () => {
    const extensions = new Map<string, unknown>([['credProtect', 2], ['hmac-secret', true]]);
    for (const format of ['none', 'packed'] as const) {
      const result = await verifyWith({ format, extensions });
      expect(result.extensions.credProtect).toBe(2);
      expect(result.authenticatorData.flags.ed).toBe(true);
    }
  });
});

describe('§7.1 step 14: rpIdHash (checklist D.39)', () => {
  it('another RP ID → ERR_RPID_MISMATCH', () =>
    expectCode(verifyWith({ rpId: 'example.com' }, { expected: { rpId: REG_RP_ID } }), 'ERR_RPID_MISMATCH', '7.1.14'));
  it('a registrable suffix of the expected RP ID is not it → ERR_RPID_MISMATCH', () =>
    expectCode(verifyWith({ rpId: 'example.com' }, { expected: { rpId: ['login.example.com', 'www.example.com'] } }), 'ERR_RPID_MISMATCH'));
  it('the result and the record name the RP ID that matched', async () => {
    const result = await verifyWith({ rpId: 'pay.example.com' }, { expected: { rpId: [REG_RP_ID, 'pay.example.com'] } });
    expect(result.rpId).toBe('pay.example.com');
    expect(result.credential.rpId).toBe('pay.example.com');
  });
});

describe('§7.1 step 15: user presence (checklist D.40, V5, V30)', () => {
  it('UP clear → ERR_USER_PRESENCE', () => expectCode(verifyWith({ up: false }), 'ERR_USER_PRESENCE', '7.1.15'));
  it('UP clear with UV set → ERR_USER_PRESENCE', () => expectCode(verifyWith({ up: false, uv: true }), 'ERR_USER_PRESENCE'));
  it("UP clear under mediation 'required' → ERR_USER_PRESENCE", () =>
    expectCode(verifyWith({ up: false }, { expected: { mediation: 'required' } }), 'ERR_USER_PRESENCE', '7.1.15'));
  it("mediation: 'conditional' accepts UP clear (L3 conditional create)", async () => {
    const result = await verifyWith({ format: 'packed', self: true, up: false }, { expected: { mediation: 'conditional' } });
    expect(result.authenticatorData.flags.up).toBe(false);
  });
});

describe('§7.1 step 16: user verification (checklist D.41)', () => {
  it('required and UV clear → ERR_USER_VERIFICATION', () =>
    expectCode(verifyWith({ uv: false }, { expected: { userVerification: 'required' } }), 'ERR_USER_VERIFICATION', '7.1.16'));
  it('preferred or discouraged and UV clear pass, reporting userVerified false', async () => {
    expect((await verifyWith({}, { expected: { userVerification: 'preferred' } })).userVerified).toBe(false);
    expect((await verifyWith({}, { expected: { userVerification: 'discouraged' } })).userVerified).toBe(false);
  });
  it('required and UV set passes', async () => {
    expect((await verifyWith({ uv: true }, { expected: { userVerification: 'required' } })).userVerified).toBe(true);
  });
});

describe('§7.1 step 17: BS without BE (checklist D.37)', () => {
  it('BS set, BE clear → ERR_BACKUP_FLAGS_INVALID (none and a signed statement alike)', async () => {
    // Caught while parsing the authenticator data (§6.1), before the §7.1 step 17 check proper.
    await expectCode(verifyWith({ be: false, bs: true }), 'ERR_BACKUP_FLAGS_INVALID', '6.1');
    await expectCode(verifyWith({ format: 'packed', self: true, be: false, bs: true }), 'ERR_BACKUP_FLAGS_INVALID', '6.1');
  });
  it('BE with or without BS passes and is recorded', async () => {
    const synced = await verifyWith({ be: true, bs: true });
    expect([synced.credential.backupEligible, synced.credential.backupState]).toEqual([true, true]);
    const notYet = await verifyWith({ be: true, bs: false });
    expect([notYet.credential.backupEligible, notYet.credential.backupState]).toEqual([true, false]);
  });
});

describe('§7.1 step 20: the credential public key and its algorithm (checklist E.43–E.49, V18, V19)', () => {
  it('E.43 an algorithm that was not offered → ERR_ALG_NOT_ALLOWED', async () => {
    await expectCode(verifyWith({}, { expected: { algorithms: [-257, -8] } }), 'ERR_ALG_NOT_ALLOWED', '7.1.20');
    await expectCode(verifyWith({ format: 'packed' }, { expected: { algorithms: [-257] } }), 'ERR_ALG_NOT_ALLOWED', '7.1.20');
  });

  it('E.47, V18 an off-curve EC2 key → ERR_COSE_KEY_INVALID, even with fmt none', async () => {
    const cose = decodeCoseMap(seededCredentialKey('ES256').cose);
    const y = new Uint8Array(cose.get(-3) as Uint8Array);
    y[31] = (y[31] as number) ^ 1;
    cose.set(-3, y);
    await expectCode(verifyWith({ credentialPublicKey: encodeCbor(cose) }), 'ERR_COSE_KEY_INVALID', '5.8.5');
  });

  it('E.44, E.46 kty/alg inconsistent or a coordinate of the wrong size → ERR_COSE_KEY_INVALID', async () => {
    const wrongAlg = decodeCoseMap(seededCredentialKey('ES256').cose);
    wrongAlg.set(3, -8);
    await expectCode(verifyWith({ credentialPublicKey: encodeCbor(wrongAlg) }), 'ERR_COSE_KEY_INVALID');
    const longX = decodeCoseMap(seededCredentialKey('ES256').cose);
    longX.set(-2, Uint8Array.of(0, ...(longX.get(-2) as Uint8Array)));
    await expectCode(verifyWith({ credentialPublicKey: encodeCbor(longX) }), 'ERR_COSE_KEY_INVALID');
  });

  it('E.49 an unsupported credential algorithm (-42) → ERR_ALG_UNSUPPORTED', async () => {
    const cose = decodeCoseMap(seededCredentialKey('ES256').cose);
    cose.set(3, -42);
    await expectCode(verifyWith({ credentialPublicKey: encodeCbor(cose) }), 'ERR_ALG_UNSUPPORTED', '5.8.5');
  });

  it('E.49 RS1 is refused by default (none and packed self)', async () => {
    const rs1 = seededCredentialKey('RS1');
    await expectCode(verifyWith({ credentialKey: rs1 }), 'ERR_ALG_NOT_ALLOWED', '7.1.20');
    await expectCode(verifyWith({ format: 'packed', self: true, credentialKey: rs1 }), 'ERR_ALG_NOT_ALLOWED', '7.1.20');
  });

  it('RS1 listed explicitly is accepted with fmt none', async () => {
    const result = await verifyWith({ credentialKey: seededCredentialKey('RS1') }, { expected: { algorithms: [-65535] } });
    expect(result.credential.algorithm).toBe(-65535);
  });

  it('RS1 listed explicitly is accepted with packed self attestation (the statement alg is the offered credential alg)', async () => {
    const result = await verifyWith(
      { format: 'packed', self: true, credentialKey: seededCredentialKey('RS1') },
      { expected: { algorithms: [-257, -65535] } },
    );
    expect(result.attestation.type).toBe('self');
  });

  it('every supported algorithm but RS1 is accepted by default', async () => {
    for (const name of ALG_NAMES.filter((n) => n !== 'RS1')) {
      const result = await verifyWith({ credentialKey: testKey(name) });
      expect(result.credential.algorithm, name).toBe(testKey(name).alg);
    }
  });
});

describe('§7.1 step 21: the attestation statement format (checklist C.28)', () => {
  for (const fmt of ['not_real_fmt', 'Packed', 'NONE', 'fido-u2f ', 'tpm ', 'x']) {
    it(`fmt ${JSON.stringify(fmt)} → ERR_ATTESTATION_FORMAT_UNSUPPORTED`, () =>
      expectCode(verifyWith({ format: 'packed', self: true, fmt }), 'ERR_ATTESTATION_FORMAT_UNSUPPORTED', '7.1.21'));
  }
  it('a format outside expected.attestation.formats → ERR_ATTESTATION_FORMAT_NOT_ALLOWED', async () => {
    await expectCode(
      verifyWith({}, { expected: { attestation: { formats: ['packed', 'fido-u2f'] } } }),
      'ERR_ATTESTATION_FORMAT_NOT_ALLOWED',
      '7.1.21',
    );
    await expectCode(
      verifyWith({ format: 'packed' }, { expected: { attestation: { formats: ['none'] } } }),
      'ERR_ATTESTATION_FORMAT_NOT_ALLOWED',
      '7.1.21',
    );
  });
  it('a format inside the list passes', async () => {
    const result = await verifyWith({ format: 'fido-u2f' }, { expected: { attestation: { formats: ['fido-u2f'] } } });
    expect(result.attestation.format).toBe('fido-u2f');
  });
});

describe('§7.1 step 22: the format verification procedure runs (details in 8-attestation-formats.test.ts)', () => {
  it('none → type none; packed self → self; packed x5c → basic; fido-u2f → basic', async () => {
    expect((await verifyWith({ format: 'none' })).attestation.type).toBe('none');
    expect((await verifyWith({ format: 'packed', self: true })).attestation.type).toBe('self');
    expect((await verifyWith({ format: 'packed' })).attestation.type).toBe('basic');
    expect((await verifyWith({ format: 'fido-u2f' })).attestation.type).toBe('basic');
  });
  it('a statement that does not verify fails the ceremony for each signing format', async () => {
    for (const options of [{ format: 'packed', self: true }, { format: 'packed' }, { format: 'fido-u2f' }] as const) {
      await expectCode(verifyWith({ ...options, badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID');
    }
  });
});

describe('§7.1 step 24: trustworthiness (checklist L.83–L.85, L.89, V1, V35, V38)', () => {
  it("'valid' (default) without anchors: the statement verifies, trusted false, no anchor", async () => {
    const result = await verifyWith({ format: 'packed' }, { expected: { attestation: { trustAnchors: [] } } });
    expect(result.attestation).toMatchObject({ type: 'basic', trusted: false });
    expect(result.attestation.trustAnchor).toBeUndefined();
    expect(result.attestation.trustPath).toHaveLength(2);
  });

  it("'trusted' and a path that reaches the anchor: trusted, the anchor returned as DER", async () => {
    const registration = await createRegistration({ format: 'packed' });
    const ca = registration.ca!;
    const result = await verifyRegistrationResponse(registration.response, {
      ...registration.expected,
      attestation: { trustAnchors: [ca.root.pem], require: 'trusted' },
    });
    expect(result.attestation.trusted).toBe(true);
    expect(result.attestation.trustAnchor).toEqual(ca.root.der);
    expect(result.attestation.trustPath).toEqual([...ca.x5c]);
  });

  it('an intermediate may be the anchor', async () => {
    const registration = await createRegistration({ format: 'packed' });
    const result = await verifyRegistrationResponse(registration.response, {
      ...registration.expected,
      attestation: { trustAnchors: [registration.ca!.intermediate.der], require: 'trusted' },
    });
    expect(result.attestation.trustAnchor).toEqual(registration.ca!.intermediate.der);
  });

  it("'trusted' with no anchors or the wrong anchor → ERR_CERT_CHAIN_UNTRUSTED", async () => {
    const other = await attestationCa({ name: 'Elsewhere' });
    const impostor = await attestationCa({ root: { keySeed: 'impostor root' } });
    for (const trustAnchors of [[], [other.root.der], [impostor.root.der]]) {
      await expectCode(
        verifyWith({ format: 'packed' }, { expected: { attestation: { trustAnchors, require: 'trusted' } } }),
        'ERR_CERT_CHAIN_UNTRUSTED',
        '7.1.24',
      );
    }
  });

  it("'trusted' and self or none attestation → ERR_ATTESTATION_TYPE_NOT_ALLOWED (V35, V38)", async () => {
    const ca = await attestationCa();
    for (const options of [{ format: 'packed', self: true }, { format: 'none' }] as const) {
      await expectCode(
        verifyWith(options, { expected: { attestation: { trustAnchors: [ca.root.der], require: 'trusted' } } }),
        'ERR_ATTESTATION_TYPE_NOT_ALLOWED',
        '7.1.24',
      );
    }
  });

  it("'none': the statement is not verified; the real format is reported with verified: false and stored", async () => {
    const result = await verifyWith({ format: 'packed', badSignature: true }, { expected: { attestation: { require: 'none' } } });
    expect(result.attestation).toMatchObject({ format: 'packed', verified: false, type: 'none', trusted: false, trustPath: [] });
    expect(result.credential.attestationFormat).toBe('packed');
  });

  it("'none' with fmt none: format none, verified false; under 'valid' the same statement is verified: true", async () => {
    const unverified = await verifyWith({ format: 'none' }, { expected: { attestation: { require: 'none' } } });
    expect(unverified.attestation).toMatchObject({ format: 'none', verified: false, type: 'none' });
    const verified = await verifyWith({ format: 'packed' });
    expect(verified.attestation).toMatchObject({ format: 'packed', verified: true, type: 'basic' });
    expect(verified.credential.attestationFormat).toBe('packed');
  });

  it('V1: an x5c ending with its own self-signed root is never trusted', async () => {
    const ca = await attestationCa({ leaf: { aaguid: DEFAULT_AAGUID } });
    const other = await attestationCa({ name: 'Elsewhere' });
    const options: RegistrationOptions = { format: 'packed', ca, attStmt: { x5c: [...ca.x5c, ca.root.der] } };
    const untrusted = await verifyWith(options, { expected: { attestation: { trustAnchors: [other.root.der] } } });
    expect(untrusted.attestation.trusted).toBe(false);
    await expectCode(
      verifyWith(options, { expected: { attestation: { trustAnchors: [other.root.der], require: 'trusted' } } }),
      'ERR_CERT_CHAIN_UNTRUSTED',
    );
    await expectCode(verifyWith(options, { expected: { attestation: { require: 'trusted' } } }), 'ERR_CERT_CHAIN_UNTRUSTED');
  });

  it('L.84 an expired or not-yet-valid leaf at `now` → ERR_CERT_EXPIRED / ERR_CERT_NOT_YET_VALID; valid at another `now`', async () => {
    const expired: RegistrationOptions = { format: 'packed', ca: { name: 'Expired', leaf: { notAfter: new Date('2029-01-01T00:00:00Z') } } };
    await expectCode(verifyWith(expired), 'ERR_CERT_EXPIRED', '7.1.24');
    await expectCode(verifyWith(expired, { expected: { attestation: { trustAnchors: [] } } }), 'ERR_CERT_EXPIRED');
    await verifyWith(expired, { expected: { now: new Date('2028-01-01T00:00:00Z') } });
    const future: RegistrationOptions = { format: 'packed', ca: { name: 'Future', leaf: { notBefore: new Date('2031-01-01T00:00:00Z') } } };
    await expectCode(verifyWith(future), 'ERR_CERT_NOT_YET_VALID', '7.1.24');
    await verifyWith(future, { expected: { now: new Date('2032-01-01T00:00:00Z') } });
  });

  it('L.85 an x5c out of order → ERR_CERT_CHAIN_INVALID', async () => {
    const ca = await attestationCa({ name: 'Two Intermediates', intermediates: 2, leaf: { aaguid: DEFAULT_AAGUID } });
    await expectCode(
      verifyWith({ format: 'packed', ca, attStmt: { x5c: [ca.leaf.der, ...ca.intermediates.map((c) => c.der)] } }),
      'ERR_CERT_CHAIN_INVALID',
      '7.1.24',
    );
    const inOrder = await verifyWith({ format: 'packed', ca }, { expected: { attestation: { trustAnchors: [ca.root.der], require: 'trusted' } } });
    expect(inOrder.attestation.trustPath).toHaveLength(3);
  });
});

describe('§7.1 step 25: credential id length (checklist D.34)', () => {
  it('1023 bytes is accepted', async () => {
    const result = await verifyWith({ credentialId: new Uint8Array(1023).fill(0xa7) });
    expect(fromB64u(result.credential.id)).toHaveLength(1023);
  });
  it('1024 bytes → ERR_CREDENTIAL_ID_TOO_LONG', () =>
    expectCode(verifyWith({ credentialId: new Uint8Array(1024).fill(0xa7) }), 'ERR_CREDENTIAL_ID_TOO_LONG'));
  it('a credentialIdLength of 1024 in authData (the response naming a short id) → ERR_CREDENTIAL_ID_TOO_LONG before slicing', () =>
    expectCode(
      verifyWith({ credentialId: new Uint8Array(1024).fill(0xa7), id: b64u(new Uint8Array(16)) }),
      'ERR_CREDENTIAL_ID_TOO_LONG',
      '6.5.1',
    ));
});

describe('§7.1 step 27: the credential record', () => {
  it('holds exactly the registered facts', async () => {
    const key = seededCredentialKey('ES256');
    const registration = await createRegistration({
      format: 'packed',
      credentialKey: key,
      uv: true,
      be: true,
      bs: false,
      signCount: 42,
      transports: ['usb', 'nfc'],
    });
    const result = await verifyRegistrationResponse(registration.response, registration.expected);
    expect(result.credential).toEqual({
      id: b64u(registration.credentialId),
      publicKey: b64u(key.cose),
      algorithm: -7,
      signCount: 42,
      transports: ['usb', 'nfc'],
      uvInitialized: true,
      backupEligible: true,
      backupState: false,
      aaguid: 'c0ffee00-5eed-4d1e-9a7b-0123456789ab',
      attestationFormat: 'packed',
      attestationObject: registration.response.response.attestationObject,
      attestationClientDataJSON: registration.response.response.clientDataJSON,
      rpId: REG_RP_ID,
    });
    expect(JSON.parse(JSON.stringify(result.credential))).toEqual(result.credential);
    expect(result.attestation.aaguid).toBe('c0ffee00-5eed-4d1e-9a7b-0123456789ab');
  });

  it('publicKey is the exact COSE bytes of authData, whatever the algorithm', async () => {
    for (const name of ['RS256', 'Ed448', 'ML-DSA-65', 'ES512'] as const) {
      const registration = await createRegistration({ credentialKey: testKey(name) });
      const result = await verifyRegistrationResponse(registration.response, registration.expected);
      expect(result.credential.publicKey).toBe(b64u(testKey(name).cose));
      expect(result.credential.algorithm).toBe(testKey(name).alg);
    }
  });

  it('the record of a registration verifies a sign-in (verifyAuthenticationResponse)', async () => {
    for (const name of ['ES256', 'EdDSA', 'RS256', 'ML-DSA-44'] as const) {
      const key = testKey(name);
      const registration = await createRegistration({ format: 'packed', self: true, credentialKey: key, signCount: 5, be: true });
      const { credential } = await verifyRegistrationResponse(registration.response, registration.expected);
      const assertion = createAssertion(key, { credentialId: registration.credentialId, signCount: 6, be: true });
      const signIn = await verifyAuthenticationResponse(assertion.response, credential, assertion.expected);
      expect(signIn.counter).toBe('increased');
      expect(signIn.credential.signCount).toBe(6);
      // A forged assertion against the same record still fails.
      const forged = createAssertion(testKey(name === 'ES256' ? 'ESP256' : 'ES256'), { credentialId: registration.credentialId, signCount: 7, be: true });
      await expectCode(verifyAuthenticationResponse(forged.response, credential, forged.expected), 'ERR_SIGNATURE_INVALID');
    }
  });
});

describe('expectations are validated (ERR_OPTIONS_INVALID)', () => {
  const bad: [string, Partial<RegistrationExpectations>][] = [
    ['empty challenge', { challenge: '' }],
    ['empty origin list', { origin: [] }],
    ['empty rpId', { rpId: '' }],
    ['unknown userVerification', { userVerification: 'always' as 'required' }],
    ['an invalid now', { now: new Date(Number.NaN) }],
    ['attestation not an object', { attestation: 'none' as never }],
    ['unknown attestation.require', { attestation: { require: 'maybe' as 'none' } }],
    ['trustAnchors not an array', { attestation: { trustAnchors: 'pem' as never } }],
    ['formats not an array', { attestation: { formats: 'packed' as never } }],
    ['non-integer algorithms', { algorithms: [1.5] }],
  ];
  for (const [name, expected] of bad) {
    it(`${name} → ERR_OPTIONS_INVALID`, () => expectCode(verifyWith({}, { expected }), 'ERR_OPTIONS_INVALID'));
  }
  it('now defaults to the current time', async () => {
    const registration = await createRegistration({ format: 'packed' });
    const { now: _now, ...expected } = registration.expected;
    await verifyRegistrationResponse(registration.response, expected);
  });
});

describe('the synthetic registration itself', () => {
  it('uses the §5.8.1.1 member order and the hash of the exact clientDataJSON bytes', async () => {
    const registration = await createRegistration({ crossOrigin: true, topOrigin: 'https://a.example' });
    expect(new TextDecoder().decode(registration.clientDataJSON)).toBe(
      `{"type":"webauthn.create","challenge":"${REG_CHALLENGE}","origin":"${REG_ORIGIN}","crossOrigin":true,"topOrigin":"https://a.example"}`,
    );
    expect(registration.authenticatorData.subarray(0, 32)).toEqual(sha256(REG_RP_ID));
  });
});
