/**
 * docs/migrating-from-simplewebauthn.md, section "Behaviour differences": user verification
 * default, counter policy and the order of checks, and the strictness items — each with the same
 * bytes through @simplewebauthn/server v14 and webauthn-verify.
 */
import * as peer from '@simplewebauthn/server';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64UrlToBytes, bytesToBase64Url } from '../../src/encoding/base64url.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../src/types.js';
import { interopDir } from '../helpers/interop.js';
import { ALL_ALGORITHMS, type RegistrationVector, registrationExpectationsOf } from '../packaging/registration-vector.js';
import { authenticateWithBoth, registerWithBoth } from './both.js';
import { assertionFor, signInWithBoth } from './sign-in-pair.js';

describe('User verification default', () => {
  it('an assertion without UV: SimpleWebAuthn rejects by default (requireUserVerification: true), webauthn-verify accepts (preferred) and reports it', async () => {
    const { theirs, ours } = await signInWithBoth(assertionFor({ uv: false }));
    expect(theirs.kind).toBe('threw');
    expect(theirs.kind === 'threw' ? theirs.message : '').toMatch(/User verification required/);
    if (ours.kind !== 'accepted') throw new Error(ours.code);
    expect(ours.result.userVerified).toBe(false);
  });

  it("the same policy spelled out: requireUserVerification: true ⇔ userVerification: 'required'", async () => {
    const { theirs, ours } = await signInWithBoth(assertionFor({ uv: false }), { requireUserVerification: true }, { userVerification: 'required' });
    expect(theirs.kind).toBe('threw');
    expect(ours).toEqual({ kind: 'rejected', code: 'ERR_USER_VERIFICATION' });
  });

  it("requireUserVerification: false ⇔ userVerification: 'preferred' (the default here)", async () => {
    const { theirs, ours } = await signInWithBoth(assertionFor({ uv: false }), { requireUserVerification: false });
    expect(theirs.kind).toBe('verified');
    expect(ours.kind).toBe('accepted');
  });
});

describe('Counter policy', () => {
  it('synced passkeys (0 stored, 0 received): both accept; ours says "unsupported"', async () => {
    const { theirs, ours } = await signInWithBoth(assertionFor({ signCount: 0, storedSignCount: 0 }));
    expect(theirs.kind).toBe('verified');
    expect(ours.kind === 'accepted' ? ours.result.counter : ours.code).toBe('unsupported');
  });

  it.each([
    [5, 3],
    [5, 5],
    [5, 0],
  ])('stored %i, received %i: a thrown Error there, ERR_COUNTER_REGRESSION here', async (stored, received) => {
    const { theirs, ours } = await signInWithBoth(assertionFor({ signCount: received, storedSignCount: stored }));
    expect(theirs.kind === 'threw' ? theirs.message : theirs.kind).toMatch(/counter value/);
    expect(ours).toEqual({ kind: 'rejected', code: 'ERR_COUNTER_REGRESSION' });
  });

  it("counter: 'report' lets the relying party decide (SimpleWebAuthn has no such option)", async () => {
    const { ours } = await signInWithBoth(assertionFor({ signCount: 3, storedSignCount: 5 }), {}, { counter: 'report' });
    expect(ours.kind === 'accepted' ? ours.result.counter : ours.code).toBe('regressed');
  });

  it('a forged signature with a low counter: a "counter" error there (checked first), ERR_SIGNATURE_INVALID here', async () => {
    const assertion = assertionFor({ signCount: 3, storedSignCount: 5 });
    const signature = base64UrlToBytes(assertion.response.response.signature);
    signature[signature.length - 1] = (signature[signature.length - 1] as number) ^ 0x01;
    const forged: AuthenticationResponseJSON = { ...assertion.response, response: { ...assertion.response.response, signature: bytesToBase64Url(signature) } };
    const { theirs, ours } = await signInWithBoth({ ...assertion, response: forged });
    expect(theirs.kind === 'threw' ? theirs.message : theirs.kind).toMatch(/counter value/);
    expect(ours).toEqual({ kind: 'rejected', code: 'ERR_SIGNATURE_INVALID' });
  });
});

const vector = (id: string) => JSON.parse(readFileSync(join(interopDir(), 'vectors', `${id}.json`), 'utf8')) as RegistrationVector & Record<string, never>;

/** SimpleWebAuthn with the clock at the vector's verification time, as the interop oracle ran it. */
async function registerVectorWithBoth(id: string, attestation?: { trustAnchors: string[]; require: 'valid' | 'trusted' }) {
  const v = vector(id);
  if (v.verificationTime !== null) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(v.verificationTime));
  }
  return registerWithBoth(
    v.response as RegistrationResponseJSON,
    {
      expectedChallenge: v.expected.challenge,
      expectedOrigin: v.expected.origin,
      expectedRPID: v.expected.rpId,
      requireUserVerification: v.expected.userVerificationRequired === true,
      supportedAlgorithmIDs: [...ALL_ALGORITHMS],
    },
    { ...registrationExpectationsOf(v), ...(attestation === undefined ? {} : { attestation }) },
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Strictness: the same real-authenticator bytes, different answers', () => {
  it.each([
    ['gow-none-es256-rawid-mismatch', 'rawId is not the attested credential id', 'ERR_CREDENTIAL_ID_MISMATCH'],
    ['gow-packed-self-es256-macos-trailing-byte', 'a byte after the attestationObject CBOR item', 'ERR_CBOR_TRAILING_DATA'],
  ] as const)('%s (%s): SimpleWebAuthn verifies it, webauthn-verify rejects it', async (id, _, code) => {
    const { theirs, ours } = await registerVectorWithBoth(id);
    expect(theirs.kind).toBe('verified');
    expect(ours).toEqual({ kind: 'rejected', code });
  });

  it('pyw-fido-u2f-tokenbinding-string: tokenBinding is [RESERVED] in L3 — SimpleWebAuthn throws, webauthn-verify ignores it', async () => {
    const { theirs, ours } = await registerVectorWithBoth('pyw-fido-u2f-tokenbinding-string');
    expect(theirs.kind === 'threw' ? theirs.message : theirs.kind).toMatch(/TokenBinding/i);
    expect(ours.kind).toBe('accepted');
  });

  it('w3c-auth-packed-ed448: an Ed448 credential signs in here; SimpleWebAuthn 14 cannot verify alg -53', async () => {
    const v = JSON.parse(readFileSync(join(interopDir(), 'vectors', 'w3c-auth-packed-ed448.json'), 'utf8'));
    const credential = { id: v.credential.id, publicKey: new Uint8Array(base64UrlToBytes(v.credential.publicKey)), counter: v.credential.signCount };
    const { theirs, ours } = await authenticateWithBoth(
      v.response,
      { expectedChallenge: v.expected.challenge, expectedOrigin: v.expected.origin, expectedRPID: v.expected.rpId, credential, requireUserVerification: false },
      { id: v.credential.id, publicKey: v.credential.publicKey, algorithm: v.alg, signCount: v.credential.signCount },
      { challenge: v.expected.challenge, origin: v.expected.origin, rpId: v.expected.rpId },
    );
    expect(theirs.kind).not.toBe('verified');
    expect(ours.kind).toBe('accepted');
  });

  it('pyw-auth-es256-u2f-webauthn-io-2019: a legacy EC2 key without crv — both refuse by default; ours accepts by name (allowLegacyKeyWithoutCurve)', async () => {
    const v = JSON.parse(readFileSync(join(interopDir(), 'vectors', 'pyw-auth-es256-u2f-webauthn-io-2019.json'), 'utf8'));
    const credential = { id: v.credential.id, publicKey: new Uint8Array(base64UrlToBytes(v.credential.publicKey)), counter: v.credential.signCount };
    const run = (legacy: boolean) =>
      authenticateWithBoth(
        v.response,
        { expectedChallenge: v.expected.challenge, expectedOrigin: v.expected.origin, expectedRPID: v.expected.rpId, credential, requireUserVerification: false },
        { id: v.credential.id, publicKey: v.credential.publicKey, algorithm: v.alg, signCount: v.credential.signCount },
        { challenge: v.expected.challenge, origin: v.expected.origin, rpId: v.expected.rpId, ...(legacy ? { allowLegacyKeyWithoutCurve: true } : {}) },
      );
    const strict = await run(false);
    expect(strict.theirs.kind).toBe('threw');
    expect(strict.ours).toEqual({ kind: 'rejected', code: 'ERR_COSE_KEY_INVALID' });
    expect((await run(true)).ours.kind).toBe('accepted');
  });
});

describe('Trust anchors: a process-wide setting there, an argument of each call here', () => {
  const id = 'w3c-packed-es256';
  const anchors = vector(id).trustAnchors as string[];
  const saved = peer.SettingsService.getRootCertificates({ identifier: 'packed' });
  afterEach(() => peer.SettingsService.setRootCertificates({ identifier: 'packed', certificates: saved }));

  it('with the root given: SimpleWebAuthn (SettingsService) verifies; webauthn-verify reports trusted with that anchor', async () => {
    peer.SettingsService.setRootCertificates({ identifier: 'packed', certificates: anchors });
    const { theirs, ours } = await registerVectorWithBoth(id);
    expect(theirs.kind).toBe('verified');
    if (ours.kind !== 'accepted') throw new Error(ours.code);
    expect(ours.result.attestation).toMatchObject({ format: 'packed', type: 'basic', trusted: true });
    expect(ours.result.attestation.trustAnchor).toBeInstanceOf(Uint8Array);
  });

  it('with no root for the format: SimpleWebAuthn still verifies (no chain check); webauthn-verify says untrusted, or rejects when trust is required', async () => {
    peer.SettingsService.setRootCertificates({ identifier: 'packed', certificates: [] });
    const { theirs, ours } = await registerVectorWithBoth(id, { trustAnchors: [], require: 'trusted' });
    expect(theirs.kind).toBe('verified');
    expect(ours).toEqual({ kind: 'rejected', code: 'ERR_CERT_CHAIN_UNTRUSTED' });
    const { ours: valid } = await registerVectorWithBoth(id, { trustAnchors: [], require: 'valid' });
    if (valid.kind !== 'accepted') throw new Error(valid.code);
    expect(valid.result.attestation).toMatchObject({ type: 'basic', trusted: false });
  });

  it('with another root: both refuse the chain', async () => {
    const apple = readFileSync(join(interopDir(), 'roots', 'apple-webauthn-root-ca.pem'), 'utf8');
    peer.SettingsService.setRootCertificates({ identifier: 'packed', certificates: [apple] });
    const { theirs, ours } = await registerVectorWithBoth(id, { trustAnchors: [apple], require: 'trusted' });
    expect(theirs.kind).toBe('threw');
    expect(ours).toEqual({ kind: 'rejected', code: 'ERR_CERT_CHAIN_UNTRUSTED' });
  });
});
