/**
 * Checklist items and advisories (../shared/SECURITY-CHECKLIST.md §1) that no other suite named:
 * each through the public API with its exact code, or the acceptance it must keep.
 */
import { describe, expect, it } from 'vitest';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  WebAuthnError,
} from '../../src/index.js';
import { expectRejection } from '../helpers/expect-code.js';
import { testKey } from '../helpers/keys.js';
import { createAssertion, TEST_CHALLENGE } from '../helpers/synthetic-authenticator.js';
import { attestationCa, b64u, createRegistration, DEFAULT_AAGUID, type RegistrationOptions } from '../helpers/synthetic-registration.js';
import { DELETE, edit } from './cases.js';

const signer = testKey('ES256');
const packed = (options: RegistrationOptions = {}) => createRegistration({ format: 'packed', ...options });

describe('A. JSON / transport', () => {
  it('A.2 type missing or not "public-key" → ERR_RESPONSE_MALFORMED, in both ceremonies', async () => {
    const registration = await packed();
    for (const type of [DELETE, 'public_key', 'Public-Key', 0]) {
      await expectRejection(verifyRegistrationResponse(edit(registration.response, 'type', type), registration.expected), 'ERR_RESPONSE_MALFORMED');
      const a = createAssertion(signer);
      await expectRejection(verifyAuthenticationResponse(edit(a.response, 'type', type), a.record, a.expected), 'ERR_RESPONSE_MALFORMED');
    }
  });
});

describe('A. JSON / transport, member by member', () => {
  it('A.1 id missing, not a string, not base64url → ERR_RESPONSE_MALFORMED; id ≠ rawId → ERR_CREDENTIAL_ID_MISMATCH', async () => {
    const registration = await packed();
    const a = createAssertion(signer);
    const other = b64u(new Uint8Array(16).fill(0xee));
    for (const [id, code] of [
      [DELETE, 'ERR_RESPONSE_MALFORMED'],
      [7, 'ERR_RESPONSE_MALFORMED'],
      ['id with spaces', 'ERR_RESPONSE_MALFORMED'],
      [other, 'ERR_CREDENTIAL_ID_MISMATCH'],
    ] as const) {
      await expectRejection(verifyRegistrationResponse(edit(registration.response, 'id', id), registration.expected), code);
      await expectRejection(verifyAuthenticationResponse(edit(a.response, 'id', id), a.record, a.expected), code);
    }
  });
  it('A.3 a binary member missing, mistyped, empty or not base64url → ERR_RESPONSE_MALFORMED, in both ceremonies', async () => {
    const registration = await packed();
    const a = createAssertion(signer);
    for (const value of [DELETE, 1, null, '', 'a+b/', 'AAAA====']) {
      for (const member of ['clientDataJSON', 'attestationObject']) {
        await expectRejection(
          verifyRegistrationResponse(edit(registration.response, `response.${member}`, value), registration.expected),
          'ERR_RESPONSE_MALFORMED',
        );
      }
      for (const member of ['clientDataJSON', 'authenticatorData', 'signature']) {
        await expectRejection(verifyAuthenticationResponse(edit(a.response, `response.${member}`, value), a.record, a.expected), 'ERR_RESPONSE_MALFORMED');
      }
    }
  });
  it('A.4 userHandle not a string, not base64url or over 64 bytes → ERR_RESPONSE_MALFORMED; 64 bytes are accepted', async () => {
    const a = createAssertion(signer);
    for (const userHandle of [5, {}, 'not base64url!', b64u(new Uint8Array(65))]) {
      await expectRejection(verifyAuthenticationResponse(edit(a.response, 'response.userHandle', userHandle), a.record, a.expected), 'ERR_RESPONSE_MALFORMED');
    }
    const longest = createAssertion(signer, { userHandle: b64u(new Uint8Array(64).fill(3)) });
    expect((await verifyAuthenticationResponse(longest.response, longest.record, longest.expected)).userHandle).toBe(b64u(new Uint8Array(64).fill(3)));
  });
});

describe('B. clientDataJSON origins (§7.1 step 9, §7.2 step 12)', () => {
  const signInFrom = async (origin: string) => {
    const a = createAssertion(signer, { rpId: 'example.com', origin });
    return verifyAuthenticationResponse(a.response, a.record, { ...a.expected, origin: 'https://example.com', rpId: 'example.com' });
  };
  it('B.12 lookalike origins for RP ID example.com (V32, V34) → ERR_ORIGIN_MISMATCH', async () => {
    for (const origin of ['https://evilexample.com', 'https://evil-example.com', 'https://example.com.evil.com']) {
      await expectRejection(signInFrom(origin), 'ERR_ORIGIN_MISMATCH');
    }
    expect((await signInFrom('https://example.com')).origin).toBe('https://example.com');
  });
  it('B.14 a subdomain of the allowed origin (not explicitly allowed) → ERR_ORIGIN_MISMATCH', async () => {
    for (const origin of ['https://sub.example.com', 'https://www.example.com']) await expectRejection(signInFrom(origin), 'ERR_ORIGIN_MISMATCH');
  });
  it('B.13 another scheme or port than the allowed origin (V31) → ERR_ORIGIN_MISMATCH', async () => {
    for (const origin of ['http://example.com', 'https://example.com:8443', 'https://example.com:443', 'HTTPS://EXAMPLE.COM']) {
      await expectRejection(signInFrom(origin), 'ERR_ORIGIN_MISMATCH');
    }
  });
});

describe('G. packed (§8.2)', () => {
  it('G.64 x5c together with ecdaaKeyId (ECDAA was removed) → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
    const registration = await packed({ attStmt: { extra: [['ecdaaKeyId', new Uint8Array(32).fill(1)]] } });
    await expectRejection(verifyRegistrationResponse(registration.response, registration.expected), 'ERR_ATTESTATION_STATEMENT_INVALID');
  });
  it('V8: the statement is verified with attStmt.alg, not the hash of the certificate signature', async () => {
    // The CA signs the leaf with ECDSA-SHA-384; the statement is ES256 (SHA-256) as attStmt.alg says.
    const ca = await attestationCa({ name: 'V8 SHA-384 issuer', leaf: { aaguid: DEFAULT_AAGUID, hash: 'SHA-384' } });
    const registration = await packed({ ca });
    const result = await verifyRegistrationResponse(registration.response, registration.expected);
    expect([result.attestation.type, result.attestation.trusted]).toEqual(['basic', true]);
    // An attStmt.alg whose curve is not the leaf key's is refused, not verified with another hash.
    const wrongAlg = await packed({ ca, attStmt: { alg: -35 } });
    await expectRejection(verifyRegistrationResponse(wrongAlg.response, wrongAlg.expected), 'ERR_CERT_KEY_MISMATCH');
  });
});

describe('L. trust path (RFC 5280 §6.1)', () => {
  const withCa = async (name: string, options: Parameters<typeof attestationCa>[0]) => {
    const ca = await attestationCa({ name, ...options, leaf: { aaguid: DEFAULT_AAGUID, ...options?.leaf } });
    return packed({ ca });
  };
  it('L.83 x5c ending in its own self-signed root that is not an anchor (V1): untrusted; require trusted → ERR_CERT_CHAIN_UNTRUSTED', async () => {
    const genuine = await attestationCa({ leaf: { aaguid: DEFAULT_AAGUID } });
    const rogue = await attestationCa({ name: 'L.83 rogue root', leaf: { aaguid: DEFAULT_AAGUID } });
    const registration = await packed({ ca: rogue, attStmt: { x5c: [...rogue.x5c, ...rogue.trustAnchors] } });
    const expected = { ...registration.expected, attestation: { trustAnchors: [...genuine.trustAnchors] } };
    expect((await verifyRegistrationResponse(registration.response, expected)).attestation.trusted).toBe(false);
    await expectRejection(
      verifyRegistrationResponse(registration.response, { ...expected, attestation: { ...expected.attestation, require: 'trusted' } }),
      'ERR_CERT_CHAIN_UNTRUSTED',
    );
  });
  it('L.86 an intermediate with CA = false → ERR_CERT_CHAIN_INVALID', async () => {
    const registration = await withCa('L.86 not a CA', { intermediate: { basicConstraints: { ca: false } } });
    await expectRejection(verifyRegistrationResponse(registration.response, registration.expected), 'ERR_CERT_CHAIN_INVALID');
  });
  it('L.86 a pathLenConstraint violation → ERR_CERT_CHAIN_INVALID', async () => {
    const registration = await withCa('L.86 pathlen', { intermediates: 2, intermediate: { basicConstraints: { ca: true, pathLenConstraint: 0 } } });
    await expectRejection(verifyRegistrationResponse(registration.response, registration.expected), 'ERR_CERT_CHAIN_INVALID');
  });
  it('L.86 an unknown critical extension on the intermediate → ERR_CERT_EXTENSION_INVALID', async () => {
    const registration = await withCa('L.86 critical', {
      intermediate: { extensions: [{ oid: '1.3.6.1.4.1.99999.7', critical: true, value: Uint8Array.of(0x05, 0x00) }] },
    });
    await expectRejection(verifyRegistrationResponse(registration.response, registration.expected), 'ERR_CERT_EXTENSION_INVALID');
  });
});

describe('M. ceremony state', () => {
  it('M.90 a challenge consumed on first use (V16): the second use, or one past its TTL, → ERR_CHALLENGE_MISMATCH', async () => {
    // The verifier keeps no state (DESIGN: no hidden state); a relying party consumes its challenge
    // through the predicate form, which is awaited and must answer exactly true.
    const issued = new Map<string, number>([[TEST_CHALLENGE, Date.now() + 60_000]]);
    const consume = (challenge: string) => {
      const expiry = issued.get(challenge);
      issued.delete(challenge);
      return expiry !== undefined && expiry > Date.now();
    };
    const a = createAssertion(signer);
    await verifyAuthenticationResponse(a.response, a.record, { ...a.expected, challenge: consume });
    await expectRejection(verifyAuthenticationResponse(a.response, a.record, { ...a.expected, challenge: consume }), 'ERR_CHALLENGE_MISMATCH');
    issued.set(TEST_CHALLENGE, Date.now() - 1);
    await expectRejection(verifyAuthenticationResponse(a.response, a.record, { ...a.expected, challenge: consume }), 'ERR_CHALLENGE_MISMATCH');
  });
  it('M.91 a generated challenge shorter than 16 bytes is refused (V21) → ERR_OPTIONS_INVALID; 16 bytes are issued', () => {
    const rp = { id: 'example.com', name: 'Example' };
    const refuse = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(WebAuthnError);
        expect((error as WebAuthnError).code).toBe('ERR_OPTIONS_INVALID');
        return;
      }
      throw new Error('a 15-byte challenge was issued');
    };
    refuse(() => generateRegistrationOptions({ rp, user: { name: 'a' }, challengeLength: 15 }));
    refuse(() => generateAuthenticationOptions({ rpId: 'example.com', challengeLength: 15 }));
    const { options } = generateAuthenticationOptions({ rpId: 'example.com', challengeLength: 16 });
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(16);
  });
  it('M.95 a discoverable sign-in whose userHandle is absent or another user’s → ERR_USER_HANDLE_MISMATCH', async () => {
    const user = b64u(new Uint8Array(16).fill(0x11));
    const without = createAssertion(signer);
    await expectRejection(verifyAuthenticationResponse(without.response, without.record, { ...without.expected, userHandle: user }), 'ERR_USER_HANDLE_MISMATCH');
    const other = createAssertion(signer, { userHandle: b64u(new Uint8Array(16).fill(0x22)) });
    await expectRejection(verifyAuthenticationResponse(other.response, other.record, { ...other.expected, userHandle: user }), 'ERR_USER_HANDLE_MISMATCH');
    const own = createAssertion(signer, { userHandle: user });
    expect((await verifyAuthenticationResponse(own.response, own.record, { ...own.expected, userHandle: user })).userHandle).toBe(user);
  });
  it('M.99 fmt none (V39): the AAGUID is an unattested claim — reported, never trusted; require trusted → ERR_ATTESTATION_TYPE_NOT_ALLOWED', async () => {
    const ca = await attestationCa({ leaf: { aaguid: DEFAULT_AAGUID } });
    const none = await createRegistration({ format: 'none', aaguid: DEFAULT_AAGUID });
    // Even with the anchors of a CA that attests exactly this AAGUID configured.
    const expected = { ...none.expected, attestation: { trustAnchors: [...ca.trustAnchors] } };
    const result = await verifyRegistrationResponse(none.response, expected);
    expect(result.attestation).toMatchObject({ type: 'none', trusted: false, aaguid: 'c0ffee00-5eed-4d1e-9a7b-0123456789ab' });
    expect(result.attestation.trustAnchor).toBeUndefined();
    await expectRejection(
      verifyRegistrationResponse(none.response, { ...expected, attestation: { ...expected.attestation, require: 'trusted' } }),
      'ERR_ATTESTATION_TYPE_NOT_ALLOWED',
    );
  });
  it('M.98 a failure is a rejection with a WebAuthnError, never a result with verified: false', async () => {
    const a = createAssertion(signer, { signCount: 2 });
    const forged = edit(a.response, 'response.signature', createAssertion(testKey('ES384')).response.response.signature);
    let resolved: unknown = 'not settled';
    const error = await verifyAuthenticationResponse(forged, a.record, a.expected).then(
      (value) => {
        resolved = value;
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(resolved).toBe('not settled');
    expect(error).toBeInstanceOf(WebAuthnError);
    expect((error as WebAuthnError).code).toBe('ERR_SIGNATURE_INVALID');
    const ok = await verifyAuthenticationResponse(a.response, a.record, a.expected);
    expect('verified' in ok).toBe(false);
  });
});

describe('advisories without an item of their own', () => {
  it('V24: a CBOR map with more entries than the bound → ERR_CBOR_TOO_LARGE (no quadratic map decoding to reach)', async () => {
    const big = new Map<unknown, unknown>(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const registration = await createRegistration({ format: 'none', attestationObject: (m) => m.set('attStmt', big) });
    await expectRejection(verifyRegistrationResponse(registration.response, registration.expected), 'ERR_CBOR_TOO_LARGE');
  });
  it('V37: attacker-chosen text in error messages is escaped (no CR/LF or other control characters)', async () => {
    const hostile = 'x\r\nlevel=error msg="forged"\u0000\u001b[31m';
    const messages: string[] = [];
    const collect = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WebAuthnError);
      messages.push((error as WebAuthnError).message);
    };
    const origin = createAssertion(signer, { origin: `https://a.example/${hostile}` });
    await collect(verifyAuthenticationResponse(origin.response, origin.record, origin.expected));
    const type = createAssertion(signer, { type: hostile });
    await collect(verifyAuthenticationResponse(type.response, type.record, type.expected));
    const fmt = await createRegistration({ format: 'none', fmt: hostile });
    await collect(verifyRegistrationResponse(fmt.response, fmt.expected));
    const control = (message: string) => [...message].filter((c) => (c.codePointAt(0) as number) < 0x20 || c === '\u007f');
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(control(message), message).toEqual([]);
  });
});
