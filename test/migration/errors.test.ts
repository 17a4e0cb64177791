/**
 * docs/migrating-from-simplewebauthn.md, section "Errors": SimpleWebAuthn answers a signature
 * that does not verify with `{ verified: false }` and every other failure with a thrown `Error`
 * whose message is the only clue; webauthn-verify rejects every failure with a stable code.
 */
import { describe, expect, it } from 'vitest';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import { base64UrlToBytes, bytesToBase64Url } from '../../src/encoding/base64url.js';
import type { AuthenticationResponseJSON } from '../../src/types.js';
import { assertionFor, signInWithBoth } from './sign-in-pair.js';

function withSignatureBitFlipped(response: AuthenticationResponseJSON): AuthenticationResponseJSON {
  const signature = base64UrlToBytes(response.response.signature);
  signature[signature.length - 1] = (signature[signature.length - 1] as number) ^ 0x01;
  return { ...response, response: { ...response.response, signature: bytesToBase64Url(signature) } };
}

describe('Errors: their two channels, our codes', () => {
  it('a signature that does not verify: { verified: false } there, ERR_SIGNATURE_INVALID here', async () => {
    const assertion = assertionFor();
    const { theirs, ours } = await signInWithBoth({ ...assertion, response: withSignatureBitFlipped(assertion.response) });
    expect(theirs.kind).toBe('verified:false');
    expect(ours).toEqual({ kind: 'rejected', code: 'ERR_SIGNATURE_INVALID' });
  });

  const thrown: readonly [string, Parameters<typeof assertionFor>[0], RegExp, WebAuthnErrorCode][] = [
    ['another challenge', { challenge: 'c29tZS1vdGhlci1jaGFsbGVuZ2UtMTIzNDU2Nzg' }, /^Unexpected authentication response challenge/, 'ERR_CHALLENGE_MISMATCH'],
    ['another origin', { origin: 'https://evil.example' }, /^Unexpected authentication response origin/, 'ERR_ORIGIN_MISMATCH'],
    ['another RP ID', { rpId: 'evil.example' }, /^Unexpected RP ID hash/, 'ERR_RPID_MISMATCH'],
    ['a registration clientData type', { type: 'webauthn.create' }, /^Unexpected authentication response type/, 'ERR_CLIENTDATA_TYPE'],
    ['user presence missing', { up: false }, /^User not present during authentication/, 'ERR_USER_PRESENCE'],
  ];

  it.each(thrown)('%s: a thrown Error there, the code here', async (_, options, message, code) => {
    const assertion = assertionFor(options);
    // Verified against the expectations of a genuine assertion (login.example.com).
    const { theirs, ours } = await signInWithBoth({ ...assertion, expected: assertionFor().expected });
    expect(theirs.kind).toBe('threw');
    expect(theirs.kind === 'threw' ? theirs.message : '').toMatch(message);
    expect(ours).toEqual({ kind: 'rejected', code });
  });
});
