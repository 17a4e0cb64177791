/**
 * docs/migrating-from-simplewebauthn.md, sections "Options", "Registration", "Sign-in" and
 * "Storing the record": the same ceremonies through @simplewebauthn/server v14 and webauthn-verify.
 */
import * as peer from '@simplewebauthn/server';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFERED_ALGORITHMS, generateAuthenticationOptions, generateRegistrationOptions } from '../../src/ceremony/options.js';
import { verifyAuthenticationResponse } from '../../src/ceremony/verify-authentication.js';
import { base64UrlToBytes, bytesToBase64Url } from '../../src/encoding/base64url.js';
import { createAssertion } from '../helpers/synthetic-authenticator.js';
import { REG_CHALLENGE, REG_ORIGIN, REG_RP_ID, createRegistration, seededCredentialKey } from '../helpers/synthetic-registration.js';
import { authenticateWithBoth, registerWithBoth } from './both.js';
import { fromSimpleWebAuthnCredential } from './convert-record.js';

const userId = new Uint8Array(16).fill(7);

describe('Options', () => {
  it('creation options: the same W3C JSON members; different defaults', async () => {
    const theirs = await peer.generateRegistrationOptions({ rpName: 'Wallet', rpID: 'wallet.example', userName: 'alice@example.com', userID: userId });
    const ours = generateRegistrationOptions({ rp: { id: 'wallet.example', name: 'Wallet' }, user: { id: userId, name: 'alice@example.com' } });
    expect(ours.options.rp).toEqual(theirs.rp);
    expect(ours.options.user.id).toBe(theirs.user.id);
    expect(ours.options.user.name).toBe(theirs.user.name);
    // The same members, except that SimpleWebAuthn writes empty excludeCredentials/hints arrays.
    const theirMembers = Object.entries(theirs).filter(([, v]) => !(Array.isArray(v) && v.length === 0)).map(([k]) => k);
    expect(Object.keys(ours.options).sort()).toEqual(theirMembers.sort());
    // Defaults a migrator sees change:
    expect(theirs.pubKeyCredParams.map((p) => p.alg)).toEqual([-8, -7, -257]);
    expect(ours.options.pubKeyCredParams.map((p) => p.alg)).toEqual([...DEFAULT_OFFERED_ALGORITHMS]);
    expect([theirs.timeout, ours.options.timeout]).toEqual([60000, 300000]);
    expect([theirs.authenticatorSelection?.residentKey, ours.options.authenticatorSelection?.residentKey]).toEqual(['preferred', 'required']);
    expect([theirs.user.displayName, ours.options.user.displayName]).toEqual(['', 'alice@example.com']);
    expect([theirs.attestation, ours.options.attestation]).toEqual(['none', 'none']);
    // Ours also returns what to keep server side; the challenge is generated in both.
    expect(ours.expected).toEqual({
      challenge: ours.options.challenge,
      rpId: 'wallet.example',
      userVerification: 'preferred',
      algorithms: [...DEFAULT_OFFERED_ALGORITHMS],
    });
  });

  it('request options: same members; ours returns the expectations with the allowed ids', async () => {
    const credentialId = new Uint8Array(32).fill(9);
    const id = bytesToBase64Url(credentialId);
    const theirs = await peer.generateAuthenticationOptions({ rpID: 'wallet.example', allowCredentials: [{ id, transports: ['usb'] }] });
    const ours = generateAuthenticationOptions({ rpId: 'wallet.example', allowCredentials: [{ id, transports: ['usb'] }] });
    expect(ours.options.rpId).toBe(theirs.rpId);
    expect(ours.options.allowCredentials).toEqual(theirs.allowCredentials);
    expect([theirs.userVerification, ours.options.userVerification]).toEqual(['preferred', 'preferred']);
    expect([theirs.timeout, ours.options.timeout]).toEqual([60000, 300000]);
    expect(ours.expected).toEqual({ challenge: ours.options.challenge, rpId: 'wallet.example', userVerification: 'preferred', allowCredentials: [id] });
  });
});

async function registered() {
  const credentialKey = seededCredentialKey('ES256', 'migration');
  const registration = await createRegistration({ format: 'packed', self: true, uv: true, credentialKey });
  const both = await registerWithBoth(
    registration.response,
    { expectedChallenge: REG_CHALLENGE, expectedOrigin: REG_ORIGIN, expectedRPID: REG_RP_ID },
    { challenge: REG_CHALLENGE, origin: REG_ORIGIN, rpId: REG_RP_ID },
  );
  return { credentialKey, registration, ...both };
}

describe('Registration and the stored record', () => {
  it('a packed self-attested registration: both accept, and the records hold the same key, id and counter', async () => {
    const { theirs, ours } = await registered();
    if (theirs.kind !== 'verified' || ours.kind !== 'accepted') throw new Error(`theirs ${theirs.kind}, ours ${ours.kind}`);
    const theirCredential = theirs.info.credential;
    const record = ours.result.credential;
    expect(record.id).toBe(theirCredential.id);
    expect(base64UrlToBytes(record.publicKey as string)).toEqual(new Uint8Array(theirCredential.publicKey));
    expect(record.signCount).toBe(theirCredential.counter);
    expect(record.algorithm).toBe(-7);
    expect(ours.result.attestation.format).toBe(theirs.info.fmt);
    expect(ours.result.attestation.type).toBe('self');
    expect(ours.result.userVerified).toBe(theirs.info.userVerified);
    expect(record.backupEligible).toBe(theirs.info.credentialDeviceType === 'multiDevice');
    expect(record.backupState).toBe(theirs.info.credentialBackedUp);
  });

  it('a record stored by SimpleWebAuthn, converted as the guide shows, signs in with webauthn-verify', async () => {
    const { theirs, credentialKey, registration } = await registered();
    if (theirs.kind !== 'verified') throw new Error(theirs.kind);
    const stored = theirs.info.credential; // what a SimpleWebAuthn app has in its database
    const record = fromSimpleWebAuthnCredential(stored, { deviceType: theirs.info.credentialDeviceType, backedUp: theirs.info.credentialBackedUp });
    const assertion = createAssertion(credentialKey, { credentialId: registration.credentialId, uv: true, signCount: 1 });
    const result = await verifyAuthenticationResponse(assertion.response, record, assertion.expected);
    expect(result.credential.signCount).toBe(1);
    expect(result.counter).toBe('increased');
  });

  it('the guide quotes the conversion function of the test verbatim', () => {
    const guide = readFileSync(new URL('../../docs/migrating-from-simplewebauthn.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./convert-record.ts', import.meta.url), 'utf8');
    const fn = /\/\/ guide:begin fromSimpleWebAuthnCredential\n([\s\S]*?)\/\/ guide:end/.exec(source)?.[1];
    expect(fn).toBeDefined();
    expect(guide).toContain(fn as string);
  });
});

describe('Sign-in', () => {
  it('the same assertion: both accept; newCounter is the record signCount; ours hands back the record to store', async () => {
    const { theirs: reg, credentialKey, registration } = await registered();
    if (reg.kind !== 'verified') throw new Error(reg.kind);
    const assertion = createAssertion(credentialKey, { credentialId: registration.credentialId, uv: true, signCount: 7 });
    const record = fromSimpleWebAuthnCredential(reg.info.credential);
    const { theirs, ours } = await authenticateWithBoth(
      assertion.response,
      { expectedChallenge: assertion.expected.challenge as string, expectedOrigin: assertion.expected.origin as string, expectedRPID: assertion.expected.rpId as string, credential: reg.info.credential },
      record,
      assertion.expected,
    );
    if (theirs.kind !== 'verified' || ours.kind !== 'accepted') throw new Error(`theirs ${theirs.kind}, ours ${ours.kind}`);
    expect(ours.result.credential.signCount).toBe(theirs.info.newCounter);
    expect(ours.result.userVerified).toBe(theirs.info.userVerified);
    expect(ours.result.backupState).toBe(theirs.info.credentialBackedUp);
    expect(ours.result.rpId).toBe(theirs.info.rpID);
    expect(ours.result.origin).toBe(theirs.info.origin);
    expect(ours.result.credential.id).toBe(theirs.info.credentialID);
  });
});
