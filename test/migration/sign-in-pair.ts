/**
 * A sign-in prepared for both libraries: the synthetic assertion, the record webauthn-verify
 * stores and the `WebAuthnCredential` SimpleWebAuthn stores for the same credential key.
 */
import type { AuthenticationExpectations } from '../../src/ceremony/verify-authentication.js';
import type { CredentialRecord } from '../../src/types.js';
import { type AssertionOptions, createAssertion, type SyntheticAssertion } from '../helpers/synthetic-authenticator.js';
import { seededCredentialKey } from '../helpers/synthetic-registration.js';
import { authenticateWithBoth, type PeerAuthenticationOptions } from './both.js';

export const signer = seededCredentialKey('ES256', 'migration-sign-in');

/** A fresh assertion with `options`; the stored counter of both records is `storedSignCount`. */
export function assertionFor(options: AssertionOptions = {}): SyntheticAssertion {
  return createAssertion(signer, { uv: true, signCount: 1, ...options });
}

/**
 * Verifies `assertion` with both libraries: SimpleWebAuthn with `theirs` added to the options a
 * migrated app passes (its defaults otherwise), webauthn-verify with `ours` added to the
 * assertion's expectations and `record` changes.
 */
export function signInWithBoth(
  assertion: SyntheticAssertion,
  theirs: Partial<PeerAuthenticationOptions> = {},
  ours: Partial<AuthenticationExpectations> = {},
  record: Partial<CredentialRecord> = {},
) {
  const e = assertion.expected;
  const stored = { ...assertion.record, ...record };
  return authenticateWithBoth(
    assertion.response,
    {
      expectedChallenge: e.challenge as string,
      expectedOrigin: e.origin as string,
      expectedRPID: e.rpId as string,
      credential: { id: stored.id as string, publicKey: new Uint8Array(signer.cose), counter: stored.signCount },
      ...theirs,
    },
    stored,
    { ...e, ...ours },
  );
}
