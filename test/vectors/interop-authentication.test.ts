import { describe, expect, it } from 'vitest';
import { verifyAuthenticationResponse } from '../../src/ceremony/verify-authentication.js';
import { WebAuthnError, type WebAuthnErrorCode } from '../../src/errors.js';
import type { AuthenticationResponseJSON } from '../../src/types.js';
import { type InteropVector, loadInteropVectors } from '../helpers/interop.js';

// The code each invalid authentication vector must be rejected with (keyed by vector id).
const EXPECTED_CODES: Record<string, WebAuthnErrorCode> = {
  'pyw-auth-es256-u2f-webauthn-io-2019-bad-signature': 'ERR_SIGNATURE_INVALID',
  'pyw-auth-rs256-windows-hello-2019-bad-signature': 'ERR_SIGNATURE_INVALID',
  'pyw-auth-rs256-wrong-public-key': 'ERR_SIGNATURE_INVALID',
  'pyw-auth-es256-uv-required-not-set': 'ERR_USER_VERIFICATION',
};

const vectors = loadInteropVectors().filter((v) => v.ceremony === 'authentication');

function run(vector: InteropVector) {
  const credential = vector.credential;
  if (credential === undefined || vector.alg === null) throw new Error(`${vector.id}: no stored credential`);
  return verifyAuthenticationResponse(
    vector.response as unknown as AuthenticationResponseJSON,
    { id: credential.id, publicKey: credential.publicKey, algorithm: vector.alg, signCount: credential.signCount },
    {
      challenge: vector.expected.challenge,
      origin: vector.expected.origin,
      rpId: vector.expected.rpId,
      userVerification: vector.expected.userVerificationRequired ? 'required' : 'preferred',
      allowCrossOrigin: vector.expected.allowCrossOrigin,
      topOrigin: vector.expected.topOrigin,
    },
  );
}

describe('interop: authentication vectors from real authenticators and the W3C spec', () => {
  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(25);
  });

  for (const vector of vectors) {
    if (vector.outcome === 'valid') {
      it(`${vector.id} verifies`, async () => {
        const result = await run(vector);
        expect(result.rpId).toBe(vector.expected.rpId);
        expect(result.credential.signCount).toBeGreaterThanOrEqual(vector.credential?.signCount ?? 0);
      });
    } else {
      it(`${vector.id} is rejected: ${vector.invalidReason}`, async () => {
        const code = EXPECTED_CODES[vector.id];
        expect(code, `no expected code recorded for ${vector.id}`).toBeDefined();
        const error = await run(vector).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WebAuthnError);
        expect((error as WebAuthnError).code).toBe(code);
      });
    }
  }

  it('cross-origin vectors are rejected without the relying party opt-in', async () => {
    const crossOrigin = vectors.filter((v) => v.expected.allowCrossOrigin === true);
    expect(crossOrigin.length).toBeGreaterThan(0);
    for (const vector of crossOrigin) {
      const { allowCrossOrigin: _a, topOrigin: _t, ...strict } = vector.expected;
      await expect(run({ ...vector, expected: strict })).rejects.toMatchObject({ code: 'ERR_CROSS_ORIGIN_NOT_ALLOWED' });
    }
  });
});
