/**
 * WebAuthn L3 §8.4 android-key, through verifyRegistrationResponse with synthetic registrations
 * (test/helpers/synthetic-android-apple.ts): checklist items I.74–I.77 with their exact codes,
 * the `androidKey: 'union'` policy, and the positive controls a too-strict verifier would fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { type RegistrationExpectations, verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { parseAndroidKeyDescription } from '../../src/x509/android-key-description.js';
import { expectRejection } from '../helpers/expect-code.js';
import { interopDir, loadInteropVectors } from '../helpers/interop.js';
import {
  type AndroidKeyOptions,
  createAndroidKeyRegistration,
  credentialKeyOf,
  encodeKeyDescription,
  type KeyDescriptionInput,
  KM_ORIGIN_GENERATED,
  KM_ORIGIN_IMPORTED,
  KM_PURPOSE_ENCRYPT,
  KM_PURPOSE_SIGN,
} from '../helpers/synthetic-android-apple.js';
import { OMIT, seededCredentialKey, sha256 } from '../helpers/synthetic-registration.js';
import { createTestCa, testKey } from '../helpers/test-ca.js';
import type { RegistrationResponseJSON } from '../../src/types.js';

async function verify(options: AndroidKeyOptions = {}, expected: Partial<RegistrationExpectations['attestation']> = {}) {
  const registration = await createAndroidKeyRegistration(options);
  return verifyRegistrationResponse(registration.response, {
    ...registration.expected,
    attestation: { ...registration.expected.attestation, ...expected },
  });
}

const SIGN_GENERATED = { purpose: [KM_PURPOSE_SIGN], origin: KM_ORIGIN_GENERATED } as const;
const der = (node: asn1js.AsnType) => new Uint8Array(node.toBER());

describe('§8.4 android-key', () => {
  describe('positive controls', () => {
    it('ES256: Basic with x5c, trusted through the caller anchor', async () => {
      const result = await verify();
      expect(result.attestation).toMatchObject({ format: 'android-key', type: 'basic', trusted: true });
      expect(result.attestation.trustPath).toHaveLength(2);
    });

    it('ES384 and RS256 credential keys (the attestation alg follows the key)', async () => {
      for (const keyType of ['P-384', 'RSA-2048'] as const) {
        const result = await verify({ keyType });
        expect(result.attestation, keyType).toMatchObject({ format: 'android-key', type: 'basic', trusted: true });
      }
    });

    it('ignores the authorization tags §8.4 does not name (rootOfTrust, attestationApplicationId, …)', async () => {
      const rootOfTrust = der(new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: new Uint8Array(32) })] }));
      const appId = der(new asn1js.OctetString({ valueHex: new Uint8Array([1, 2, 3]) }));
      const result = await verify({
        keyDescription: {
          attestationVersion: 300,
          softwareEnforced: { extra: [[709, appId]] },
          teeEnforced: { purpose: [KM_PURPOSE_ENCRYPT, KM_PURPOSE_SIGN], origin: KM_ORIGIN_GENERATED, extra: [[704, rootOfTrust]] },
        },
      });
      expect(result.attestation.format).toBe('android-key');
    });

    it('without trust anchors the statement is valid but untrusted', async () => {
      const result = await verify({}, { trustAnchors: [] });
      expect(result.attestation).toMatchObject({ type: 'basic', trusted: false });
    });
  });

  describe('statement members', () => {
    it('alg, sig or x5c missing, wrong types, or an extra member → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      for (const attStmt of [
        { alg: OMIT },
        { sig: OMIT },
        { x5c: OMIT },
        { alg: 'ES256' },
        { sig: new Uint8Array(0) },
        { x5c: [] },
        { extra: [['ecdaaKeyId', new Uint8Array(16)]] as [string, Uint8Array][] },
      ]) {
        await expectRejection(verify({ attStmt }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.4');
      }
    });

    it('a signature that does not verify → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      await expectRejection(verify({ badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.4');
    });
  });

  it('I.74 attestationChallenge ≠ clientDataHash (a replayed certificate) → ERR_ATTESTATION_CHALLENGE_MISMATCH', async () => {
    const other = sha256('another registration clientDataJSON');
    const error = await expectRejection(
      verify({ keyDescription: { attestationChallenge: other, teeEnforced: SIGN_GENERATED } }),
      'ERR_ATTESTATION_CHALLENGE_MISMATCH',
      '8.4',
    );
    expect(error.details?.field).toBe('attestationChallenge');
    // The certificate of a registration for another challenge, replayed with a fresh signature.
    const replayed = await createAndroidKeyRegistration({ challenge: 'Zmlyc3QtY2hhbGxlbmdlLTAwMDAwMDAwMDAwMDAwMDA' });
    await expectRejection(verify({ attStmt: { x5c: [...replayed.ca.x5c] } }), 'ERR_ATTESTATION_CHALLENGE_MISMATCH');
    await expectRejection(
      verify({ keyDescription: { attestationChallenge: new Uint8Array(0) } }),
      'ERR_ATTESTATION_CHALLENGE_MISMATCH',
    );
  });

  it('I.75 leaf public key ≠ credential public key → ERR_ATTESTATION_KEY_MISMATCH', async () => {
    // Same type, other key.
    await expectRejection(verify({ credentialKey: seededCredentialKey('ES256', 'not the leaf') }), 'ERR_ATTESTATION_KEY_MISMATCH', '8.4');
    // Other key type (RSA credential, EC leaf; ES256 statement signed by the leaf).
    await expectRejection(verify({ credentialKey: seededCredentialKey('RS256') }), 'ERR_ATTESTATION_KEY_MISMATCH', '8.4');
    // Same curve family, other curve.
    const p384 = await credentialKeyOf(await testKey('P-384', 'other'));
    await expectRejection(verify({ credentialKey: p384 }), 'ERR_ATTESTATION_KEY_MISMATCH', '8.4');
  });

  describe('I.76 authorization lists', () => {
    const rejects = async (options: AndroidKeyOptions, field: string, policy?: 'tee' | 'union') => {
      const error = await expectRejection(
        verify(options, policy === undefined ? {} : { androidKey: policy }),
        'ERR_ANDROID_KEY_DESCRIPTION_INVALID',
        '8.4',
      );
      expect(error.details?.field).toBe(field);
    };

    it('allApplications in softwareEnforced or teeEnforced → rejected (under both policies)', async () => {
      for (const policy of ['tee', 'union'] as const) {
        await rejects({ keyDescription: { softwareEnforced: { allApplications: true } } }, 'allApplications', policy);
        await rejects({ keyDescription: { teeEnforced: { ...SIGN_GENERATED, allApplications: true } } }, 'allApplications', policy);
      }
    });

    it('origin ≠ KM_ORIGIN_GENERATED or absent in teeEnforced → rejected', async () => {
      await rejects({ keyDescription: { teeEnforced: { purpose: [KM_PURPOSE_SIGN], origin: KM_ORIGIN_IMPORTED } } }, 'origin');
      await rejects({ keyDescription: { teeEnforced: { purpose: [KM_PURPOSE_SIGN] } } }, 'origin');
      await rejects({ keyDescription: { teeEnforced: { purpose: [KM_PURPOSE_SIGN], origin: 0x7fffffff + 1 } } }, 'origin');
    });

    it('purpose without KM_PURPOSE_SIGN, or absent, in teeEnforced → rejected', async () => {
      await rejects({ keyDescription: { teeEnforced: { purpose: [KM_PURPOSE_ENCRYPT, 3], origin: KM_ORIGIN_GENERATED } } }, 'purpose');
      await rejects({ keyDescription: { teeEnforced: { purpose: [], origin: KM_ORIGIN_GENERATED } } }, 'purpose');
      await rejects({ keyDescription: { teeEnforced: { origin: KM_ORIGIN_GENERATED } } }, 'purpose');
    });

    it('a software-only key: rejected by default (tee), accepted with androidKey: "union"', async () => {
      const software = { keyDescription: { softwareEnforced: SIGN_GENERATED, teeEnforced: {} } };
      await rejects(software, 'origin');
      await rejects(software, 'origin', 'tee');
      const result = await verify(software, { androidKey: 'union' });
      expect(result.attestation).toMatchObject({ format: 'android-key', type: 'basic', trusted: true });
      // Split across the lists: purpose in one, origin in the other.
      const split = { keyDescription: { softwareEnforced: { purpose: [KM_PURPOSE_SIGN] }, teeEnforced: { origin: KM_ORIGIN_GENERATED } } };
      await rejects(split, 'purpose');
      expect((await verify(split, { androidKey: 'union' })).attestation.format).toBe('android-key');
    });

    it('union: an IMPORTED origin in either list, or SIGN in neither, is still rejected', async () => {
      await rejects(
        { keyDescription: { softwareEnforced: { origin: KM_ORIGIN_IMPORTED }, teeEnforced: SIGN_GENERATED } },
        'origin',
        'union',
      );
      await rejects(
        { keyDescription: { softwareEnforced: SIGN_GENERATED, teeEnforced: { origin: KM_ORIGIN_IMPORTED } } },
        'origin',
        'union',
      );
      await rejects(
        { keyDescription: { softwareEnforced: { purpose: [KM_PURPOSE_ENCRYPT] }, teeEnforced: { origin: KM_ORIGIN_GENERATED } } },
        'purpose',
        'union',
      );
    });

    it('an androidKey policy other than tee or union → ERR_OPTIONS_INVALID', async () => {
      await expectRejection(verify({}, { androidKey: 'software' as 'tee' }), 'ERR_OPTIONS_INVALID');
    });
  });

  describe('the key description extension', () => {
    const invalid = (keyDescription: KeyDescriptionInput | Uint8Array | null) =>
      expectRejection(verify({ keyDescription }), 'ERR_ANDROID_KEY_DESCRIPTION_INVALID', '8.4');

    it('missing → ERR_ANDROID_KEY_DESCRIPTION_INVALID', async () => {
      await invalid(null);
    });

    it('not DER, wrong shape, repeated tags → ERR_ANDROID_KEY_DESCRIPTION_INVALID', async () => {
      const challenge = new Uint8Array(32);
      const valid = encodeKeyDescription({ attestationChallenge: challenge });
      await invalid(new Uint8Array([0x30, 0x03, 0x02, 0x01]));
      await invalid(Uint8Array.of(...valid, 0x00));
      await invalid(der(new asn1js.Sequence({ value: [new asn1js.Integer({ value: 3 })] })));
      await invalid(der(new asn1js.OctetString({ valueHex: valid })));
      // The same origin tag twice: one GENERATED, one IMPORTED.
      const origin = (value: number) => der(new asn1js.Integer({ value }));
      await invalid({ teeEnforced: { ...SIGN_GENERATED, extra: [[702, origin(KM_ORIGIN_IMPORTED)]] } });
      // purpose not a SET OF INTEGER.
      await invalid({ teeEnforced: { origin: KM_ORIGIN_GENERATED, extra: [[1, origin(KM_PURPOSE_SIGN)]] } });
    });

    it('the parser reads the shape of the interop vectors', () => {
      const description = parseAndroidKeyDescription(
        encodeKeyDescription({ attestationChallenge: new Uint8Array([9]), attestationVersion: 4, teeEnforced: SIGN_GENERATED }),
      );
      expect(description).toMatchObject({
        attestationVersion: 4,
        attestationChallenge: new Uint8Array([9]),
        softwareEnforced: { allApplications: false },
        teeEnforced: { purpose: [KM_PURPOSE_SIGN], origin: KM_ORIGIN_GENERATED, allApplications: false },
      });
    });
  });

  describe('I.77 the chain', () => {
    it('not reaching the caller anchor (require trusted) → ERR_CERT_CHAIN_UNTRUSTED', async () => {
      const other = await createTestCa({ name: 'Not Google' });
      await expectRejection(
        verify({}, { trustAnchors: [...other.trustAnchors], require: 'trusted' }),
        'ERR_CERT_CHAIN_UNTRUSTED',
      );
    });

    it('intermediates out of order → ERR_CERT_CHAIN_INVALID', async () => {
      const registration = await createAndroidKeyRegistration({ intermediates: 2, caName: 'Two intermediates' });
      const [leaf, a, b] = registration.ca.x5c as [Uint8Array, Uint8Array, Uint8Array];
      const reordered = await createAndroidKeyRegistration({ intermediates: 2, caName: 'Two intermediates', attStmt: { x5c: [leaf, b, a] } });
      await expectRejection(verifyRegistrationResponse(reordered.response, reordered.expected), 'ERR_CERT_CHAIN_INVALID');
    });

    it('the Pixel 8a vector: trusted through the Google roots, untrusted with another root', async () => {
      const vector = loadInteropVectors().find((v) => v.id === 'pyw-android-key-pixel-8a');
      if (vector === undefined) throw new Error('vector missing');
      const expected = {
        challenge: vector.expected.challenge,
        origin: vector.expected.origin,
        rpId: vector.expected.rpId,
        now: new Date(vector.verificationTime as string),
      };
      const response = vector.response as unknown as RegistrationResponseJSON;
      const trusted = await verifyRegistrationResponse(response, {
        ...expected,
        attestation: { trustAnchors: vector.trustAnchors, require: 'trusted' },
      });
      expect(trusted.attestation).toMatchObject({ format: 'android-key', type: 'basic', trusted: true });
      const apple = readFileSync(join(interopDir(), 'roots', 'apple-webauthn-root-ca.pem'), 'utf8');
      await expectRejection(
        verifyRegistrationResponse(response, { ...expected, attestation: { trustAnchors: [apple], require: 'trusted' } }),
        'ERR_CERT_CHAIN_UNTRUSTED',
      );
    });
  });
});
