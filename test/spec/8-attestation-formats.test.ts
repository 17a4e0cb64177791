/**
 * WebAuthn L3 §8: the verification procedures of the implemented attestation statement formats,
 * run through verifyRegistrationResponse (§7.1 step 22) with synthetic registrations. Every item
 * G.56–G.64, K.80 and K.81 of ../shared/SECURITY-CHECKLIST.md asserts its exact code, next to the
 * positive controls a too-strict verifier would fail.
 */
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { ALG_NAMES, type AlgName, testKey } from '../helpers/keys.js';
import {
  type AttStmtOverrides,
  type AttestationCaOptions,
  attestationCa,
  createRegistration,
  DEFAULT_AAGUID,
  decodeCoseMap,
  encodeCbor,
  OMIT,
  type RegistrationOptions,
  seededCredentialKey,
  seededRsaKeyPair,
  signWithKeyPair,
  u2fCa,
  uuidBytes,
  withAttStmt,
} from '../helpers/synthetic-registration.js';
import { PACKED_SUBJECT } from '../helpers/test-ca.js';
import { expectRejection as expectCode, } from '../helpers/expect-code.js';


async function verify(options: RegistrationOptions) {
  const registration = await createRegistration(options);
  return verifyRegistrationResponse(registration.response, registration.expected);
}

const OTHER_AAGUID = uuidBytes('0badc0de-0000-4000-8000-000000000001');
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

describe('§8.2 packed', () => {
  const packed = (options: RegistrationOptions = {}) => verify({ format: 'packed', ...options });
  const self = (options: RegistrationOptions = {}) => verify({ format: 'packed', self: true, ...options });
  const withLeaf = (name: string, leaf: AttestationCaOptions['leaf']) =>
    packed({ ca: { name, leaf: { aaguid: DEFAULT_AAGUID, ...leaf } } });

  describe('self attestation', () => {
    it('verifies for every credential algorithm (RS1 where listed): type self, empty trust path', async () => {
      for (const name of ALG_NAMES.filter((n) => n !== 'RS1')) {
        const result = await self({ credentialKey: testKey(name) });
        expect(result.attestation, name).toMatchObject({ format: 'packed', type: 'self', trustPath: [], trusted: false });
      }
    });

    it('G.56 alg different from the credential key alg → ERR_ATTESTATION_ALG_MISMATCH', async () => {
      for (const alg of [-257, -8, -35, -9, -42]) {
        await expectCode(self({ attStmt: { alg } }), 'ERR_ATTESTATION_ALG_MISMATCH', '8.2');
      }
      await expectCode(self({ credentialKey: testKey('EdDSA'), attStmt: { alg: -19 } }), 'ERR_ATTESTATION_ALG_MISMATCH');
    });

    it('G.57 a bad signature → ERR_ATTESTATION_SIGNATURE_INVALID (the async verify is awaited, V4)', async () => {
      for (const name of ['ES256', 'EdDSA', 'RS256', 'PS256', 'ML-DSA-44'] as AlgName[]) {
        await expectCode(self({ credentialKey: testKey(name), badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.2');
      }
    });

    it('G.57 a signature by another key of the same algorithm → ERR_ATTESTATION_SIGNATURE_INVALID', () =>
      expectCode(self({ signer: testKey('ES256') }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.2'));

    it('G.57 a signature of the raw r‖s form → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      const key = seededCredentialKey('ES256');
      const raw = ({ data }: { data: Uint8Array }) => p256.Signature.fromBytes(key.sign(data), 'der').toBytes('compact');
      await expectCode(self({ signer: raw }), 'ERR_ATTESTATION_SIGNATURE_INVALID');
    });
  });

  describe('statement members', () => {
    const invalid: [string, RegistrationOptions][] = [
      ['G.58 alg missing', { self: true, attStmt: { alg: OMIT } }],
      ['G.58 alg a text string', { self: true, attStmt: { alg: '-7' } }],
      ['G.58 alg a float', { self: true, attStmt: { alg: -7.5 } }],
      ['G.58 sig missing', { self: true, attStmt: { sig: OMIT } }],
      ['G.58 sig a text string', { self: true, attStmt: { sig: 'MEUCIQ' } }],
      ['G.58 sig empty', { self: true, attStmt: { sig: new Uint8Array(0) } }],
      ['G.58 sig empty with x5c', { attStmt: { sig: new Uint8Array(0) } }],
      ['conformance Resp-3 F-13 attStmt an empty map', { self: true, attStmt: { alg: OMIT, sig: OMIT } }],
      ['an unknown member', { self: true, attStmt: { extra: [['foo', 1]] } }],
      ['a non-text member name', { self: true, attStmt: { extra: [[1, 1]] } }],
      ['G.64 x5c and ecdaaKeyId', { attStmt: { extra: [['ecdaaKeyId', new Uint8Array(32)]] } }],
      ['G.64 ecdaaKeyId without x5c', { self: true, attStmt: { extra: [['ecdaaKeyId', new Uint8Array(32)]] } }],
      ['x5c not an array', { attStmt: { x5c: new Uint8Array(10) } }],
      ['x5c empty', { attStmt: { x5c: [] } }],
      ['x5c holding a text string', { attStmt: { x5c: ['MIIB'] } }],
      ['x5c of six certificates', { attStmt: { x5c: Array.from({ length: 6 }, (_, i) => new Uint8Array([0x30, i])) } }],
    ];
    for (const [name, options] of invalid) {
      it(`${name} → ERR_ATTESTATION_STATEMENT_INVALID`, () =>
        expectCode(verify({ format: 'packed', ...options }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.2'));
    }

    it('an x5c entry that is not a certificate → ERR_CERT_MALFORMED', () =>
      expectCode(verify({ format: 'packed', attStmt: { x5c: [new Uint8Array([1, 2, 3])] } }), 'ERR_CERT_MALFORMED'));

    it('G.58 statement alg unsupported with x5c (-42) → ERR_ALG_UNSUPPORTED', () =>
      expectCode(packed({ attestationAlg: -42 }), 'ERR_ALG_UNSUPPORTED'));

    it('statement alg RS1 with an RSA batch certificate → ERR_ALG_NOT_ALLOWED (SHA-1 refused by default)', async () => {
      const leafKey = await seededRsaKeyPair('attestation');
      await expectCode(packed({ ca: { leafKey }, attestationAlg: -65535 }), 'ERR_ALG_NOT_ALLOWED', '8.2');
    });

    it('statement alg that does not fit the leaf key → ERR_CERT_KEY_MISMATCH', async () => {
      await expectCode(packed({ attestationAlg: -35 }), 'ERR_CERT_KEY_MISMATCH');
      await expectCode(packed({ attestationAlg: -257 }), 'ERR_CERT_KEY_MISMATCH');
      await expectCode(packed({ attestationAlg: -8 }), 'ERR_CERT_KEY_MISMATCH');
    });
  });

  describe('x5c (basic attestation)', () => {
    it('verifies: type basic, the x5c as trust path, trusted under its root, the AAGUID reported', async () => {
      const registration = await createRegistration({ format: 'packed' });
      const result = await verifyRegistrationResponse(registration.response, { ...registration.expected, attestation: { ...registration.expected.attestation, require: 'trusted' } });
      expect(result.attestation).toMatchObject({ format: 'packed', type: 'basic', trusted: true, aaguid: 'c0ffee00-5eed-4d1e-9a7b-0123456789ab' });
      expect(result.attestation.trustPath).toEqual([...registration.ca!.x5c]);
    });

    it('G.60 positive control: attestation alg ≠ credential alg is accepted (RS256 credential, ES256 certificate, as W3C §16)', async () => {
      const result = await packed({ credentialKey: testKey('RS256') });
      expect(result.credential.algorithm).toBe(-257);
      expect(result.attestation.type).toBe('basic');
    });

    it('G.60 other pairs: EdDSA credential with ES384, ES256 with RS256, ES384 with EdDSA and ES512 certificates', async () => {
      const rsa = await seededRsaKeyPair('attestation');
      const pairs: [AlgName, AttestationCaOptions][] = [
        ['EdDSA', { leafKey: 'P-384' }],
        ['ES256', { leafKey: rsa }],
        ['ES384', { leafKey: 'Ed25519' }],
        ['ML-DSA-44', { leafKey: 'P-521' }],
      ];
      for (const [name, ca] of pairs) {
        const result = await packed({ credentialKey: testKey(name), ca });
        expect(result.attestation.type, name).toBe('basic');
      }
    });

    it('G.59 x5c with the signature made by the credential key → ERR_ATTESTATION_SIGNATURE_INVALID', () =>
      expectCode(packed({ signer: 'credential' }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.2'));

    it('G.59 a bad batch signature → ERR_ATTESTATION_SIGNATURE_INVALID', () =>
      expectCode(packed({ badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.2'));

    it('a signature over authData alone (without the client data hash) → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      const ca = await attestationCa({ leaf: { aaguid: DEFAULT_AAGUID } });
      await expectCode(
        packed({ ca, signer: ({ authenticatorData }) => signWithKeyPair(ca.leaf.key, -7, authenticatorData) }),
        'ERR_ATTESTATION_SIGNATURE_INVALID',
      );
    });
  });

  describe('§8.2.1 the attestation certificate (G.61, G.62)', () => {
    const invalid: [string, Parameters<typeof withLeaf>[1]][] = [
      ['version 1', { version: 1 }],
      ['C missing', { subject: { O: 'Vendor', OU: 'Authenticator Attestation', CN: 'Batch' } }],
      ['C an alpha-3 code', { subject: { ...PACKED_SUBJECT, C: 'USA' } }],
      ['C lower case', { subject: { ...PACKED_SUBJECT, C: 'us' } }],
      ['C a withdrawn code (UK)', { subject: { ...PACKED_SUBJECT, C: 'UK' } }],
      ['O missing', { subject: { C: 'US', OU: 'Authenticator Attestation', CN: 'Batch' } }],
      ['OU missing', { subject: { C: 'US', O: 'Vendor', CN: 'Batch' } }],
      ['OU another text', { subject: { ...PACKED_SUBJECT, OU: 'Authenticator attestation' } }],
      ['CN missing', { subject: { C: 'US', O: 'Vendor', OU: 'Authenticator Attestation' } }],
      ['CN twice', { subject: [['C', 'US'], ['O', 'Vendor'], ['OU', 'Authenticator Attestation'], ['CN', 'a'], ['CN', 'b']] }],
      ['G.62 basicConstraints CA true', { basicConstraints: { ca: true }, keyUsage: null }],
    ];
    for (const [name, leaf] of invalid) {
      it(`${name} → ERR_ATTESTATION_CERT_INVALID`, () =>
        expectCode(withLeaf(`Leaf ${name}`, leaf), 'ERR_ATTESTATION_CERT_INVALID', '8.2.1'));
    }

    it('issue 14: a leaf without basicConstraints is accepted (RFC 5280 §4.2.1.9: not a CA) and reported', async () => {
      const result = await withLeaf('Leaf without basicConstraints', { basicConstraints: null });
      expect(result.attestation).toMatchObject({ type: 'basic', trusted: true, details: { basicConstraintsAbsent: true } });
      // The fact is reported only when it holds.
      const withConstraints = await withLeaf('Leaf with basicConstraints', {});
      expect(withConstraints.attestation.details).toBeUndefined();
    });

    it('a user-assigned country code (AA, as in the W3C vectors) is accepted', async () => {
      const result = await withLeaf('Country AA', { subject: { ...PACKED_SUBJECT, C: 'AA' } });
      expect(result.attestation.type).toBe('basic');
    });
  });

  describe('§8.2.1 id-fido-gen-ce-aaguid (G.63)', () => {
    it('G.63 different from authData.aaguid → ERR_AAGUID_MISMATCH', () =>
      expectCode(withLeaf('AAGUID other', { aaguid: OTHER_AAGUID }), 'ERR_AAGUID_MISMATCH', '8.2.1'));

    it('G.63 authData AAGUID zero while the certificate names one → ERR_AAGUID_MISMATCH', () =>
      expectCode(packed({ aaguid: new Uint8Array(16), ca: { leaf: { aaguid: DEFAULT_AAGUID } } }), 'ERR_AAGUID_MISMATCH'));

    it('marked critical → ERR_CERT_EXTENSION_INVALID', () =>
      expectCode(withLeaf('AAGUID critical', { aaguid: { value: DEFAULT_AAGUID, critical: true } }), 'ERR_CERT_EXTENSION_INVALID', '8.2.1'));

    it('not an OCTET STRING of 16 bytes → ERR_CERT_EXTENSION_INVALID', async () => {
      await expectCode(withLeaf('AAGUID short', { aaguid: { raw: new Uint8Array([0x04, 0x0f, ...new Uint8Array(15)]) } }), 'ERR_CERT_EXTENSION_INVALID');
      await expectCode(withLeaf('AAGUID bare', { aaguid: { raw: DEFAULT_AAGUID } }), 'ERR_CERT_EXTENSION_INVALID');
    });

    it('absent: accepted (the extension is optional)', async () => {
      const result = await packed({ ca: { name: 'AAGUID absent', leaf: { aaguid: undefined } } });
      expect(result.attestation.aaguid).toBe('c0ffee00-5eed-4d1e-9a7b-0123456789ab');
    });
  });
});

describe('§8.6 fido-u2f', () => {
  const u2f = (options: RegistrationOptions = {}) => verify({ format: 'fido-u2f', ...options });

  it('verifies: type basic, the single certificate as trust path, trusted under its root, AAGUID zero', async () => {
    const registration = await createRegistration({ format: 'fido-u2f' });
    const result = await verifyRegistrationResponse(registration.response, registration.expected);
    expect(result.attestation).toMatchObject({ format: 'fido-u2f', type: 'basic', trusted: true, aaguid: ZERO_UUID });
    expect(result.attestation.trustPath).toEqual([registration.ca!.leaf.der]);
  });

  // A deliberate difference (docs/security.md): L3 §8.6 has no AAGUID step and the W3C §16
  // fido-u2f test vector (w3c-fido-u2f-es256) carries a non-zero AAGUID; the AAGUID is reported.
  it('D.42 (deliberate difference) a non-zero AAGUID is accepted and reported, as L3 §8.6 and its §16 vector', async () => {
    const result = await u2f({ aaguid: OTHER_AAGUID });
    expect(result.attestation.aaguid).toBe('0badc0de-0000-4000-8000-000000000001');
    expect(result.credential.aaguid).toBe('0badc0de-0000-4000-8000-000000000001');
  });

  it('K.80 x5c of two certificates → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
    const ca = await u2fCa();
    await expectCode(u2f({ ca, attStmt: { x5c: [ca.leaf.der, ca.root.der] } }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.6');
    await expectCode(u2f({ ca, attStmt: { x5c: [ca.leaf.der, ca.leaf.der] } }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.6');
  });

  it('x5c missing, empty, or sig missing or empty → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
    for (const attStmt of [{ x5c: OMIT }, { x5c: [] }, { sig: OMIT }, { sig: new Uint8Array(0) }, { extra: [['alg', -7]] as [unknown, unknown][] }]) {
      await expectCode(u2f({ attStmt }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.6');
    }
  });

  it('K.80 an attestation certificate key that is not EC P-256 (RSA, P-384, Ed25519) → ERR_CERT_KEY_MISMATCH', async () => {
    const rsa = await seededRsaKeyPair('attestation');
    for (const [name, leafKey] of [['RSA', rsa], ['P-384', 'P-384'], ['Ed25519', 'Ed25519']] as const) {
      await expectCode(u2f({ ca: await u2fCa({ name: `U2F ${name}`, leafKey }) }), 'ERR_CERT_KEY_MISMATCH');
    }
  });

  it('K.80 a credential key that is not P-256 → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
    for (const name of ['ES384', 'ES512', 'EdDSA', 'RS256', 'ES256K'] as AlgName[]) {
      await expectCode(u2f({ credentialKey: testKey(name) }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.6');
    }
  });

  it('K.80 credential coordinates not of 32 bytes → ERR_COSE_KEY_INVALID', async () => {
    const cose = decodeCoseMap(seededCredentialKey('ES256').cose);
    cose.set(-2, Uint8Array.of(0, ...(cose.get(-2) as Uint8Array)));
    await expectCode(u2f({ credentialPublicKey: encodeCbor(cose) }), 'ERR_COSE_KEY_INVALID');
  });

  it('K.80 a bad signature over 0x00‖rpIdHash‖cdh‖credId‖0x04‖x‖y → ERR_ATTESTATION_SIGNATURE_INVALID', () =>
    expectCode(u2f({ badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.6'));

  it('K.80 a signature over other data (authData ‖ cdh) or by the credential key → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
    const ca = await u2fCa();
    await expectCode(
      u2f({
        ca,
        signer: ({ authenticatorData, clientDataHash }) =>
          signWithKeyPair(ca.leaf.key, -7, Uint8Array.from([...authenticatorData, ...clientDataHash])),
      }),
      'ERR_ATTESTATION_SIGNATURE_INVALID',
    );
    await expectCode(u2f({ signer: 'credential' }), 'ERR_ATTESTATION_SIGNATURE_INVALID');
  });

  it('the verification data binds the credential id: the statement of another id → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
    const registration = await createRegistration({ format: 'fido-u2f' });
    const other = await createRegistration({ format: 'fido-u2f', credentialId: new Uint8Array(32).fill(4) });
    const response = withAttStmt(registration, other.attStmt);
    await expectCode(verifyRegistrationResponse(response, registration.expected), 'ERR_ATTESTATION_SIGNATURE_INVALID');
  });
});

describe('§8.7 none', () => {
  it('an empty attStmt: type none, no trust path, untrusted, the AAGUID reported as an unattested claim', async () => {
    const result = await verify({});
    expect(result.attestation).toMatchObject({ format: 'none', type: 'none', trustPath: [], trusted: false });
    expect(result.attestation.aaguid).toBe('c0ffee00-5eed-4d1e-9a7b-0123456789ab');
  });

  it('K.81 a non-empty attStmt → ERR_ATTESTATION_STATEMENT_INVALID (conformance Resp-7 F-1)', async () => {
    const ca = await attestationCa();
    const statements: AttStmtOverrides[] = [
      { alg: -7, sig: new Uint8Array(70).fill(1) },
      { alg: -7, sig: new Uint8Array(70).fill(1), x5c: [...ca.x5c] },
      { x5c: [...ca.x5c] },
      { extra: [['foo', 1]] },
    ];
    for (const attStmt of statements) {
      await expectCode(verify({ attStmt }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.7');
    }
  });

  it('K.81 none when trust is required → ERR_ATTESTATION_TYPE_NOT_ALLOWED', async () => {
    const registration = await createRegistration({});
    await expectCode(
      verifyRegistrationResponse(registration.response, { ...registration.expected, attestation: { require: 'trusted' } }),
      'ERR_ATTESTATION_TYPE_NOT_ALLOWED',
    );
  });
});
