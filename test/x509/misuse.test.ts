/**
 * Issue 14, misuse: the X.509 and attestation low-level exports throw only WebAuthnError on wrongly
 * typed input — ERR_OPTIONS_INVALID naming the argument — never a TypeError, a RangeError or an
 * ERR_INTERNAL (docs/errors.md). Through src/low-level.ts and verifyRegistrationResponse.
 */
import { describe, expect, it } from 'vitest';
import { verifyRegistrationResponse, WebAuthnError } from '../../src/index.js';
import {
  certificatePublicKey,
  checkPackedAttestationCertificate,
  getAttestationVerifier,
  getFidoAaguidExtension,
  type ParsedCertificate,
  parseCertificate,
  parseCertificateInput,
  parseTrustAnchors,
  validateCertificatePath,
  verifyFidoU2f,
  verifyNone,
  verifyPacked,
} from '../../src/low-level.js';
import { expectRejection } from '../helpers/expect-code.js';
import { createRegistration } from '../helpers/synthetic-registration.js';
import { issueCertificate, TEST_NOW } from '../helpers/test-ca.js';

function fieldOf(fn: () => unknown): string | undefined {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WebAuthnError);
  expect((thrown as WebAuthnError).code).toBe('ERR_OPTIONS_INVALID');
  return (thrown as WebAuthnError).details?.field as string | undefined;
}

describe('issue 14: X.509 low-level exports on wrong input types → ERR_OPTIONS_INVALID naming the argument', () => {
  it('parseCertificate, parseCertificateInput, parseTrustAnchors', () => {
    expect(fieldOf(() => parseCertificate(123 as unknown as Uint8Array))).toBe('der');
    expect(fieldOf(() => parseCertificateInput(123 as unknown as string))).toBe('input');
    expect(fieldOf(() => parseTrustAnchors('MII' as unknown as string[]))).toBe('trustAnchors');
    expect(fieldOf(() => parseTrustAnchors([123 as unknown as string]))).toBe('trustAnchors[0]');
  });

  it('certificate helpers given something that is not a parsed certificate, or a non-integer alg', async () => {
    const cert = parseCertificate((await issueCertificate({ subject: { CN: 'misuse' } })).der);
    const fake = { ...cert } as ParsedCertificate;
    expect(fieldOf(() => certificatePublicKey(fake, -7))).toBe('cert');
    expect(fieldOf(() => certificatePublicKey(cert, '-7' as unknown as number))).toBe('alg');
    expect(fieldOf(() => getFidoAaguidExtension(null as unknown as ParsedCertificate))).toBe('cert');
    expect(fieldOf(() => checkPackedAttestationCertificate(fake, new Uint8Array(16)))).toBe('cert');
  });

  it('validateCertificatePath with trustAnchors [123] (ERR_INTERNAL before)', async () => {
    const cert = parseCertificate((await issueCertificate({ subject: { CN: 'misuse path' } })).der);
    const error = await expectRejection(
      validateCertificatePath({ chain: [cert], trustAnchors: [123 as unknown as ParsedCertificate], now: TEST_NOW }),
      'ERR_OPTIONS_INVALID',
    );
    expect(error.details?.field).toBe('trustAnchors[0]');
  });

  it('verifyRegistrationResponse with attestation.trustAnchors [123]', async () => {
    const registration = await createRegistration({ format: 'packed' });
    const expected = { ...registration.expected, attestation: { trustAnchors: [123 as unknown as string] } };
    await expectRejection(verifyRegistrationResponse(registration.response, expected), 'ERR_OPTIONS_INVALID');
  });
});

describe('issue 14: attestation verifiers called directly with a malformed context → ERR_OPTIONS_INVALID', () => {
  it('verifyNone, verifyPacked, verifyFidoU2f and every registered format', async () => {
    const verifiers = [verifyNone, verifyPacked, verifyFidoU2f];
    for (const fmt of ['tpm', 'android-key', 'android-safetynet', 'apple']) verifiers.push(getAttestationVerifier(fmt)!);
    for (const verify of verifiers) {
      const error = await expectRejection(verify(undefined as never), 'ERR_OPTIONS_INVALID');
      expect(error.details?.field).toBe('context');
      const noMap = await expectRejection(verify({ attStmt: {} } as never), 'ERR_OPTIONS_INVALID');
      expect(noMap.details?.field).toBe('attStmt');
      const noAuthData = await expectRejection(verify({ attStmt: new Map() } as never), 'ERR_OPTIONS_INVALID');
      expect(noAuthData.details?.field).toBe('authData');
    }
  });
});
