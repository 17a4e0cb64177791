/**
 * WebAuthn L3 §8.8 apple (Apple Anonymous attestation), through verifyRegistrationResponse with
 * synthetic registrations (test/helpers/synthetic-android-apple.ts): checklist item K.79 with its
 * exact codes, the tolerated `alg` member, and positive controls.
 */
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { type RegistrationExpectations, verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { expectRejection } from '../helpers/expect-code.js';
import { loadInteropVectors } from '../helpers/interop.js';
import {
  type AppleOptions,
  createAppleRegistration,
  encodeAppleNonce,
  OID_APPLE_NONCE,
} from '../helpers/synthetic-android-apple.js';
import { OMIT, seededCredentialKey, sha256 } from '../helpers/synthetic-registration.js';
import { createTestCa } from '../helpers/test-ca.js';

async function verify(options: AppleOptions = {}, expected: Partial<RegistrationExpectations['attestation']> = {}) {
  const registration = await createAppleRegistration(options);
  return verifyRegistrationResponse(registration.response, {
    ...registration.expected,
    attestation: { ...registration.expected.attestation, ...expected },
  });
}

const der = (node: asn1js.AsnType) => new Uint8Array(node.toBER());

describe('§8.8 apple', () => {
  describe('positive controls', () => {
    it('ES256: AnonCA with x5c, trusted through the caller anchor', async () => {
      const result = await verify();
      expect(result.attestation).toMatchObject({ format: 'apple', type: 'anonca', trusted: true });
      expect(result.attestation.trustPath).toHaveLength(2);
    });

    it('ES384 and RS256 credential keys', async () => {
      for (const keyType of ['P-384', 'RSA-2048'] as const) {
        const result = await verify({ keyType });
        expect(result.attestation, keyType).toMatchObject({ format: 'apple', type: 'anonca', trusted: true });
      }
    });

    it('a lone credCert (x5c of one certificate) issued by the anchor', async () => {
      const result = await verify({ intermediates: 0, caName: 'Apple direct' });
      expect(result.attestation).toMatchObject({ type: 'anonca', trusted: true });
      expect(result.attestation.trustPath).toHaveLength(1);
    });

    it('tolerates an alg equal to the credential key alg (docs/quirks.md)', async () => {
      const result = await verify({ attStmt: { alg: -7 } });
      expect(result.attestation.type).toBe('anonca');
    });
  });

  describe('statement members', () => {
    it('x5c missing or malformed, sig or another member present → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      for (const attStmt of [
        { x5c: OMIT },
        { x5c: [] },
        { x5c: 'not an array' },
        { sig: new Uint8Array([1, 2, 3]) },
        { extra: [['ver', '1']] as [string, string][] },
        { alg: 'ES256' },
      ]) {
        await expectRejection(verify({ attStmt }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.8');
      }
    });

    it('alg other than the credential key alg → ERR_ATTESTATION_ALG_MISMATCH', async () => {
      await expectRejection(verify({ attStmt: { alg: -257 } }), 'ERR_ATTESTATION_ALG_MISMATCH', '8.8');
    });
  });

  describe('K.79 nonce extension', () => {
    const nonceRejected = (options: AppleOptions) => expectRejection(verify(options), 'ERR_APPLE_NONCE_MISMATCH', '8.8');

    it('missing → ERR_APPLE_NONCE_MISMATCH', async () => {
      await nonceRejected({ nonce: null });
    });

    it('≠ SHA-256(authData ‖ clientDataHash) → ERR_APPLE_NONCE_MISMATCH', async () => {
      await nonceRejected({ nonce: sha256('something else') });
      await nonceRejected({ nonce: new Uint8Array(32) });
    });

    it('a credCert of another registration (same key, other challenge) → ERR_APPLE_NONCE_MISMATCH', async () => {
      const other = await createAppleRegistration({ challenge: 'b3RoZXItY2hhbGxlbmdlLTAwMDAwMDAwMDAwMDAwMDA' });
      await nonceRejected({ attStmt: { x5c: [...other.ca.x5c] } });
    });

    it('malformed → ERR_APPLE_NONCE_MISMATCH', async () => {
      const nonce = sha256('x');
      const octets = new asn1js.OctetString({ valueHex: nonce });
      for (const raw of [
        // The OCTET STRING without the SEQUENCE and the [1] tag.
        der(octets),
        // [1] IMPLICIT instead of EXPLICIT.
        der(new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 1 }, valueHex: nonce })] })),
        // [0] instead of [1].
        der(new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [octets] })] })),
        // A nonce of 31 bytes, trailing bytes, not DER at all.
        encodeAppleNonce(nonce.subarray(1)),
        Uint8Array.of(...encodeAppleNonce(nonce), 0),
        new Uint8Array([0x30, 0x80]),
      ]) {
        await nonceRejected({ nonce: { raw } });
      }
    });

    it('repeated → rejected', async () => {
      const registration = createAppleRegistration({ leafExtensions: [{ oid: OID_APPLE_NONCE, value: encodeAppleNonce(new Uint8Array(32)) }] });
      // The X.509 layer refuses a repeated extension before the format looks at it.
      await expectRejection(
        registration.then((r) => verifyRegistrationResponse(r.response, r.expected)),
        'ERR_CERT_EXTENSION_INVALID',
      );
    });
  });

  it('K.79 credCert key ≠ credential public key → ERR_ATTESTATION_KEY_MISMATCH', async () => {
    await expectRejection(verify({ credentialKey: seededCredentialKey('ES256', 'not credCert') }), 'ERR_ATTESTATION_KEY_MISMATCH', '8.8');
    await expectRejection(verify({ credentialKey: seededCredentialKey('EdDSA') }), 'ERR_ATTESTATION_KEY_MISMATCH', '8.8');
  });

  it('not reaching the caller anchor (require trusted) → ERR_CERT_CHAIN_UNTRUSTED', async () => {
    const other = await createTestCa({ name: 'Not Apple' });
    await expectRejection(verify({}, { trustAnchors: [...other.trustAnchors], require: 'trusted' }), 'ERR_CERT_CHAIN_UNTRUSTED');
  });

  describe('interop: gow-apple-anonymous (docs/quirks.md)', () => {
    const vector = loadInteropVectors().find((v) => v.id === 'gow-apple-anonymous');
    if (vector === undefined) throw new Error('vector missing');
    const expected: RegistrationExpectations = {
      challenge: vector.expected.challenge,
      origin: vector.expected.origin,
      rpId: vector.expected.rpId,
      now: new Date(vector.verificationTime as string),
      attestation: { trustAnchors: vector.trustAnchors, require: 'trusted' },
    };
    // The attested credential id of its authenticator data (20 bytes), not its response id.
    const attestedId = 'omGfdaNI-cYgWrq2klNk97zkcg8';

    it('as published: its id/rawId is not the attested credential id → ERR_CREDENTIAL_ID_MISMATCH', async () => {
      const response = vector.response as unknown as RegistrationResponseJSON;
      expect(response.id).not.toBe(attestedId);
      await expectRejection(verifyRegistrationResponse(response, expected), 'ERR_CREDENTIAL_ID_MISMATCH', '7.1.3');
    });

    it('with id/rawId set to the attested credential id, the apple statement (alg included) verifies', async () => {
      const response = { ...(vector.response as unknown as RegistrationResponseJSON), id: attestedId, rawId: attestedId };
      const result = await verifyRegistrationResponse(response, expected);
      expect(result.attestation).toMatchObject({ format: 'apple', type: 'anonca', trusted: true });
    });
  });
});
