/**
 * Every registration vector of ../shared/interop gives its labelled outcome, verified as its README
 * says: every registered algorithm allowed (RS1 included), `now` = verificationTime, the vector's
 * trust anchors; with anchors the trust path must reach them (`require: 'trusted'`), without
 * anchors a valid statement verifies with `trusted: false`. Formats not yet implemented are
 * counted as pending in the tally printed at the end, never silently skipped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SUPPORTED_ATTESTATION_FORMATS } from '../../src/attestation/index.js';
import { verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { WebAuthnError, type WebAuthnErrorCode } from '../../src/errors.js';
import { COSE_ALGORITHMS } from '../../src/parse/cose-constants.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { type InteropVector, loadInteropVectors } from '../helpers/interop.js';

const ALL_ALGORITHMS = Object.keys(COSE_ALGORITHMS).map(Number);

/** The code each invalid vector must be rejected with, and each documented disagreement. */
const EXPECTED_CODES: Record<string, WebAuthnErrorCode> = {
  'gow-android-safetynet-webauthn-io-tampered': 'ERR_ATTESTATION_SIGNATURE_INVALID',
  'gow-none-es256-rawid-mismatch': 'ERR_CREDENTIAL_ID_MISMATCH',
  'gow-packed-self-es256-macos-trailing-byte': 'ERR_CBOR_TRAILING_DATA',
  'pyw-fido-u2f-yubico-webauthn-io-2019-uv-required': 'ERR_USER_VERIFICATION',
  'pyw-none-empty-attestation-object': 'ERR_RESPONSE_MALFORMED',
  'pyw-packed-yubico-es256-wrong-root': 'ERR_CERT_CHAIN_UNTRUSTED',
  'gow-apple-anonymous': 'ERR_CREDENTIAL_ID_MISMATCH',
  'pyw-unknown-fmt': 'ERR_ATTESTATION_FORMAT_UNSUPPORTED',
};

/** Valid-labelled vectors a strict verifier rejects, argued in docs/quirks.md. */
const DISAGREEMENTS: Record<
  string,
  { code: WebAuthnErrorCode; quirk: string; option?: { allowLegacyKeyWithoutCurve: true } }
> = {
  'pyw-fido-u2f-yubico-webauthn-io-2019': {
    code: 'ERR_COSE_KEY_INVALID',
    quirk: 'EC2 credential keys without crv',
    option: { allowLegacyKeyWithoutCurve: true },
  },
};

const vectors = loadInteropVectors().filter((v) => v.ceremony === 'registration');
const supported = new Set<string>(SUPPORTED_ATTESTATION_FORMATS);
const tally = new Map<string, { agree: number; disagreeArgued: number; pending: number }>();

function count(vector: InteropVector, kind: 'agree' | 'disagreeArgued' | 'pending'): void {
  const format = vector.attestationFormat ?? '(undecodable)';
  const row = tally.get(format) ?? { agree: 0, disagreeArgued: 0, pending: 0 };
  row[kind]++;
  tally.set(format, row);
}

function verifyVector(vector: InteropVector, extra: { allowLegacyKeyWithoutCurve?: boolean } = {}) {
  const anchors = vector.trustAnchors;
  return verifyRegistrationResponse(vector.response as unknown as RegistrationResponseJSON, {
    challenge: vector.expected.challenge,
    origin: vector.expected.origin,
    rpId: vector.expected.rpId,
    userVerification: vector.expected.userVerificationRequired ? 'required' : 'preferred',
    allowCrossOrigin: vector.expected.allowCrossOrigin,
    topOrigin: vector.expected.topOrigin,
    algorithms: ALL_ALGORITHMS,
    ...(vector.verificationTime === null ? {} : { now: new Date(vector.verificationTime) }),
    attestation: { trustAnchors: anchors, require: anchors.length > 0 ? 'trusted' : 'valid' },
    ...extra,
  });
}

async function outcomeOf(promise: Promise<unknown>): Promise<WebAuthnError | 'verified'> {
  return promise.then(
    () => 'verified' as const,
    (error: unknown) => {
      expect(error).toBeInstanceOf(WebAuthnError);
      return error as WebAuthnError;
    },
  );
}

describe('interop: registration vectors', () => {
  it('has vectors to run', () => expect(vectors.length).toBeGreaterThanOrEqual(50));

  for (const vector of vectors) {
    const format = vector.attestationFormat;
    const pending = format !== null && !supported.has(format) && vector.id !== 'pyw-unknown-fmt';
    it(`${vector.id} (${format ?? 'no format'}): ${pending ? 'pending format' : vector.outcome}`, async () => {
      const outcome = await outcomeOf(verifyVector(vector));
      if (pending) {
        // Until its format lands it must be refused.
        expect(outcome).toBeInstanceOf(WebAuthnError);
        expect((outcome as WebAuthnError).code).toBe('ERR_ATTESTATION_FORMAT_UNSUPPORTED');
        count(vector, 'pending');
        return;
      }
      const disagreement = DISAGREEMENTS[vector.id];
      if (disagreement !== undefined) {
        expect((outcome as WebAuthnError).code).toBe(disagreement.code);
        if (disagreement.option !== undefined) {
          // The named quirk option restores the labelled outcome.
          const result = await verifyVector(vector, disagreement.option);
          expect(result.attestation.format).toBe(format);
        }
        count(vector, 'disagreeArgued');
        return;
      }
      if (vector.outcome === 'valid') {
        if (outcome !== 'verified') throw outcome;
        const result = await verifyVector(vector);
        expect(result.attestation.format).toBe(format);
        expect(result.attestation.trusted).toBe(vector.trustAnchors.length > 0);
      } else {
        expect(outcome).toBeInstanceOf(WebAuthnError);
        expect((outcome as WebAuthnError).code).toBe(EXPECTED_CODES[vector.id]);
      }
      count(vector, 'agree');
    });
  }

  it('RS1 credential keys are refused unless listed (the default algorithm list)', async () => {
    const rs1 = vectors.filter((v) => v.alg === -65535);
    expect(rs1.length).toBeGreaterThan(0);
    for (const vector of rs1) {
      const error = await outcomeOf(
        verifyRegistrationResponse(vector.response as unknown as RegistrationResponseJSON, {
          challenge: vector.expected.challenge,
          origin: vector.expected.origin,
          rpId: vector.expected.rpId,
        }),
      );
      expect((error as WebAuthnError).code).toBe('ERR_ALG_NOT_ALLOWED');
    }
  });

  afterAll(() => {
    const rows = [...tally.entries()].sort().map(([format, row]) => ({ format, ...row }));
    console.log('interop registration tally (agree = labelled outcome met):');
    console.table(rows);
  });
});
