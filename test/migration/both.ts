/**
 * Runs one ceremony through @simplewebauthn/server (v14, the library migrators come from) and
 * through webauthn-verify, and reduces each answer to a comparable verdict. SimpleWebAuthn has
 * two failure channels — `{ verified: false }` and a thrown `Error` with a message — where
 * webauthn-verify has one: a rejected promise with a {@link WebAuthnError} code.
 */
import * as peer from '@simplewebauthn/server';
import {
  type AuthenticationExpectations,
  type AuthenticationResult,
  verifyAuthenticationResponse,
} from '../../src/ceremony/verify-authentication.js';
import {
  type RegistrationExpectations,
  type RegistrationResult,
  verifyRegistrationResponse,
} from '../../src/ceremony/verify-registration.js';
import { WebAuthnError, type WebAuthnErrorCode } from '../../src/errors.js';
import type { AuthenticationResponseJSON, CredentialRecord, RegistrationResponseJSON } from '../../src/types.js';

/** What SimpleWebAuthn answered. */
export type PeerVerdict<T> =
  | { readonly kind: 'verified'; readonly info: T }
  | { readonly kind: 'verified:false' }
  | { readonly kind: 'threw'; readonly message: string };

/** What webauthn-verify answered; a foreign exception fails the test outright. */
export type OurVerdict<T> = { readonly kind: 'accepted'; readonly result: T } | { readonly kind: 'rejected'; readonly code: WebAuthnErrorCode };

async function peerVerdict<T>(run: () => Promise<{ verified: boolean; info: T | undefined }>): Promise<PeerVerdict<T>> {
  try {
    const { verified, info } = await run();
    return verified && info !== undefined ? { kind: 'verified', info } : { kind: 'verified:false' };
  } catch (error) {
    return { kind: 'threw', message: error instanceof Error ? error.message : String(error) };
  }
}

async function ourVerdict<T>(run: () => Promise<T>): Promise<OurVerdict<T>> {
  try {
    return { kind: 'accepted', result: await run() };
  } catch (error) {
    if (!(error instanceof WebAuthnError) || error.code === 'ERR_INTERNAL') throw error;
    return { kind: 'rejected', code: error.code };
  }
}

type PeerRegistrationInfo = NonNullable<Awaited<ReturnType<typeof peer.verifyRegistrationResponse>>['registrationInfo']>;
type PeerAuthenticationInfo = Awaited<ReturnType<typeof peer.verifyAuthenticationResponse>>['authenticationInfo'];

/** SimpleWebAuthn's registration options for the same ceremony. */
export type PeerRegistrationOptions = Omit<Parameters<typeof peer.verifyRegistrationResponse>[0], 'response'>;
/** SimpleWebAuthn's authentication options for the same ceremony. */
export type PeerAuthenticationOptions = Omit<Parameters<typeof peer.verifyAuthenticationResponse>[0], 'response'>;

/** One registration response through both libraries. */
export async function registerWithBoth(
  response: RegistrationResponseJSON,
  theirs: PeerRegistrationOptions,
  ours: RegistrationExpectations,
): Promise<{ theirs: PeerVerdict<PeerRegistrationInfo>; ours: OurVerdict<RegistrationResult> }> {
  return {
    theirs: await peerVerdict(async () => {
      const result = await peer.verifyRegistrationResponse({ ...theirs, response: response as never });
      return { verified: result.verified, info: result.registrationInfo };
    }),
    ours: await ourVerdict(() => verifyRegistrationResponse(response, ours)),
  };
}

/** One authentication response through both libraries. */
export async function authenticateWithBoth(
  response: AuthenticationResponseJSON,
  theirs: PeerAuthenticationOptions,
  record: CredentialRecord,
  ours: AuthenticationExpectations,
): Promise<{ theirs: PeerVerdict<PeerAuthenticationInfo>; ours: OurVerdict<AuthenticationResult> }> {
  return {
    theirs: await peerVerdict(async () => {
      const result = await peer.verifyAuthenticationResponse({ ...theirs, response: response as never });
      return { verified: result.verified, info: result.authenticationInfo };
    }),
    ours: await ourVerdict(() => verifyAuthenticationResponse(response, record, ours)),
  };
}

