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

/**
 * Labelled outcomes a strict verifier reaches only through a named quirk option (docs/quirks.md):
 * by default the key is refused; with the option the labelled outcome holds.
 */
const QUIRKS: Record<string, { strictCode: WebAuthnErrorCode; option: { allowLegacyKeyWithoutCurve: true } }> = {
  'pyw-auth-es256-u2f-webauthn-io-2019': { strictCode: 'ERR_COSE_KEY_INVALID', option: { allowLegacyKeyWithoutCurve: true } },
  'pyw-auth-es256-u2f-webauthn-io-2019-bad-signature': {
    strictCode: 'ERR_COSE_KEY_INVALID',
    option: { allowLegacyKeyWithoutCurve: true },
  },
};

const vectors = loadInteropVectors().filter((v) => v.ceremony === 'authentication');

function run(vector: InteropVector, extra: { allowLegacyKeyWithoutCurve?: boolean } = {}) {
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
      ...extra,
    },
  );
}

describe('interop: authentication vectors from real authenticators and the W3C spec', () => {
  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(25);
  });

  for (const vector of vectors) {
    const quirk = QUIRKS[vector.id];
    if (quirk !== undefined) {
      it(`${vector.id}: strict default refuses the key; with the quirk option it is ${vector.outcome}`, async () => {
        await expect(run(vector)).rejects.toMatchObject({ code: quirk.strictCode });
        if (vector.outcome === 'valid') {
          await run(vector, quirk.option);
        } else {
          await expect(run(vector, quirk.option)).rejects.toMatchObject({ code: EXPECTED_CODES[vector.id] });
        }
      });
      continue;
    }
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
