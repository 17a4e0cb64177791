/**
 * WebAuthn L3 §8.5 android-safetynet, through verifyRegistrationResponse with synthetic
 * registrations (test/helpers/synthetic-safetynet.ts) at a fixed `now` (TEST_NOW): every check of
 * checklist item J.78 with its exact code and step, and positive controls.
 */
import { describe, expect, it } from 'vitest';
import { type RegistrationExpectations, verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { expectRejection } from '../helpers/expect-code.js';
import { OMIT, sha256 } from '../helpers/synthetic-registration.js';
import {
  b64uText,
  createSafetyNetRegistration,
  type SafetyNetOptions,
  safetyNetCa,
  standardBase64,
} from '../helpers/synthetic-safetynet.js';
import { createTestCa, TEST_NOW, testKey } from '../helpers/test-ca.js';

async function verify(options: SafetyNetOptions = {}, attestation: Partial<NonNullable<RegistrationExpectations['attestation']>> = {}) {
  const registration = await createSafetyNetRegistration(options);
  return verifyRegistrationResponse(registration.response, {
    ...registration.expected,
    now: TEST_NOW,
    attestation: { ...registration.expected.attestation, ...attestation },
  });
}

const STEP = '8.5';
const now = TEST_NOW.getTime();
const rejected = (options: SafetyNetOptions, code: Parameters<typeof expectRejection>[1], attestation = {}) =>
  expectRejection(verify(options, attestation), code, STEP);
const statementInvalid = (options: SafetyNetOptions) => rejected(options, 'ERR_ATTESTATION_STATEMENT_INVALID');

describe('§8.5 android-safetynet', () => {
  describe('positive controls', () => {
    it('RS256 JWS, leaf issued to attest.android.com: basic, trusted through the test root', async () => {
      const result = await verify({}, { require: 'trusted' });
      expect(result.attestation).toMatchObject({ format: 'android-safetynet', type: 'basic', trusted: true });
      expect(result.attestation.trustPath).toHaveLength(2);
    });

    it('ES256 JWS with the RFC 7518 raw r‖s signature is accepted', async () => {
      const result = await verify({ alg: 'ES256' });
      expect(result.attestation).toMatchObject({ format: 'android-safetynet', type: 'basic', trusted: true });
    });

    it('ES256 JWS with a DER signature (not the JWS form) → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      await expectRejection(verify({ alg: 'ES256', ecdsaSignature: 'der' }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.5');
    });

    it('a leaf without SAN but with CN attest.android.com is accepted', async () => {
      const ca = await safetyNetCa({ name: 'SafetyNet CN only', san: null });
      const result = await verify({ ca });
      expect(result.attestation.type).toBe('basic');
    });

    it('ctsProfileMatch true with basicIntegrity and other payload members present', async () => {
      const result = await verify({ payload: { basicIntegrity: true, advice: 'NONE', extra: { nested: [1, 2] } } });
      expect(result.attestation.type).toBe('basic');
    });

    it('timestampMs equal to now, and exactly 60 s old, are accepted', async () => {
      expect((await verify({ timestampMs: now })).attestation.type).toBe('basic');
      expect((await verify({ timestampMs: now - 60_000 })).attestation.type).toBe('basic');
    });
  });

  describe('J.78 statement members', () => {
    it('ver missing, empty or not text → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      for (const ver of [OMIT, '', 12345, new Uint8Array([0x31]), null]) await statementInvalid({ ver });
    });

    it('response missing, empty or not bytes → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      for (const response of [OMIT, new Uint8Array(0), 'eyJhbGciOiJSUzI1NiJ9.e30.AA', 42, [1, 2, 3]]) {
        await statementInvalid({ response });
      }
    });

    it('response larger than 32 KiB → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      await statementInvalid({ payload: { padding: 'x'.repeat(32 * 1024) } });
    });

    it('an unknown member → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      await statementInvalid({ extra: [['x5c', []]] });
    });

    it('response not UTF-8 → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      await statementInvalid({ response: new Uint8Array([0x65, 0x79, 0xff, 0xfe, 0x2e, 0x2e]) });
    });

    it('response not three segments → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      await statementInvalid({ jws: (_c, p) => `${p.header}.${p.payload}` });
      await statementInvalid({ jws: (c) => `${c}.extra` });
      await statementInvalid({ jws: () => 'no-dots-at-all' });
    });

    it('a segment not base64url → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      await statementInvalid({ jws: (_c, p) => `${p.header}!.${p.payload}.${p.signature}` });
      await statementInvalid({ jws: (_c, p) => `${p.header}.${p.payload}+/.${p.signature}` });
      await statementInvalid({ jws: (_c, p) => `${p.header}.${p.payload}.${p.signature}==` });
    });

    it('header or payload not a JSON object → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      await statementInvalid({ jws: (_c, p) => `${b64uText('{"alg":"RS256",')}.${p.payload}.${p.signature}` });
      await statementInvalid({ jws: (_c, p) => `${b64uText('["RS256"]')}.${p.payload}.${p.signature}` });
      await statementInvalid({ jws: (_c, p) => `${p.header}.${b64uText('not json')}.${p.signature}` });
      await statementInvalid({ jws: (_c, p) => `${p.header}.${b64uText('null')}.${p.signature}` });
    });
  });

  describe('J.78 JWS header', () => {
    it('alg none, HS256, missing or not text → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      for (const alg of ['none', 'HS256', 'PS256', 'rs256', OMIT, -257]) await statementInvalid({ header: { alg } });
    });

    it('x5c missing, empty, not strings or longer than 5 → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      const ca = await safetyNetCa();
      const leaf = standardBase64(ca.leaf.der);
      for (const x5c of [OMIT, [], 'not a list', [leaf, 7], [leaf, null], Array.from({ length: 6 }, () => leaf)]) {
        await statementInvalid({ header: { x5c } });
      }
    });

    it('an x5c entry not standard base64 → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      const ca = await safetyNetCa();
      const url = Buffer.from(ca.leaf.der).toString('base64url');
      await statementInvalid({ header: { x5c: [`${url}!`] } });
      await statementInvalid({ header: { x5c: [standardBase64(ca.leaf.der).replace(/=+$/, '').slice(0, -1)] } });
    });

    it('an x5c entry that is base64 but not a certificate → ERR_CERT_MALFORMED', async () => {
      await expectRejection(verify({ header: { x5c: [standardBase64(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))] } }), 'ERR_CERT_MALFORMED');
    });

    it('leaf not issued to attest.android.com → ERR_ATTESTATION_CERT_INVALID', async () => {
      const cases = [
        { name: 'SafetyNet wrong CN', leaf: { subject: { C: 'US', O: 'Google LLC', CN: 'attest.android.com.evil.test' } }, san: null },
        // The SAN decides when present, even though CN is right.
        { name: 'SafetyNet wrong SAN', san: 'evil.example.com' },
        { name: 'SafetyNet suffix SAN', san: 'x.attest.android.com' },
      ];
      for (const options of cases) {
        const ca = await safetyNetCa(options);
        await rejected({ ca }, 'ERR_ATTESTATION_CERT_INVALID');
      }
    });
  });

  describe('J.78 JWS signature', () => {
    it('over other bytes → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      await rejected({ badSignature: true }, 'ERR_ATTESTATION_SIGNATURE_INVALID');
    });

    it('by a key other than the leaf → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      await rejected({ signingKey: await testKey('RSA-2048', 'not the safetynet leaf') }, 'ERR_ATTESTATION_SIGNATURE_INVALID');
    });

    it('payload altered after signing → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      const forged = b64uText(JSON.stringify({ nonce: 'x', timestampMs: now, ctsProfileMatch: true }));
      await rejected({ jws: (_c, p) => `${p.header}.${forged}.${p.signature}` }, 'ERR_ATTESTATION_SIGNATURE_INVALID');
    });
  });

  describe('J.78 payload', () => {
    it('nonce mismatch or missing → ERR_SAFETYNET_NONCE_MISMATCH', async () => {
      for (const nonce of [standardBase64(sha256('another registration')), OMIT, '', 42]) {
        await rejected({ payload: { nonce } }, 'ERR_SAFETYNET_NONCE_MISMATCH');
      }
    });

    it('nonce in base64url instead of base64 → ERR_SAFETYNET_NONCE_MISMATCH', async () => {
      const registration = await createSafetyNetRegistration();
      const url = registration.nonce.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      if (url === registration.nonce) throw new Error('the nonce has no base64-only characters');
      await rejected({ payload: { nonce: url } }, 'ERR_SAFETYNET_NONCE_MISMATCH');
    });

    it('ctsProfileMatch false, missing or truthy non-boolean → ERR_SAFETYNET_CTS_PROFILE_MISMATCH', async () => {
      for (const ctsProfileMatch of [false, OMIT, 'true', 1]) {
        await rejected({ payload: { ctsProfileMatch } }, 'ERR_SAFETYNET_CTS_PROFILE_MISMATCH');
      }
    });

    it('timestampMs in the future → ERR_SAFETYNET_TIMESTAMP_INVALID', async () => {
      await rejected({ timestampMs: now + 1 }, 'ERR_SAFETYNET_TIMESTAMP_INVALID');
      await rejected({ timestampMs: now + 3_600_000 }, 'ERR_SAFETYNET_TIMESTAMP_INVALID');
    });

    it('timestampMs older than 60 s → ERR_SAFETYNET_TIMESTAMP_INVALID', async () => {
      await rejected({ timestampMs: now - 60_001 }, 'ERR_SAFETYNET_TIMESTAMP_INVALID');
      await rejected({ timestampMs: 0 }, 'ERR_SAFETYNET_TIMESTAMP_INVALID');
    });

    it('custom attestation.safetyNet.maxAgeMs: older rejected, within accepted', async () => {
      await rejected({ timestampMs: now - 10_001 }, 'ERR_SAFETYNET_TIMESTAMP_INVALID', { safetyNet: { maxAgeMs: 10_000 } });
      const result = await verify({ timestampMs: now - 300_000 }, { safetyNet: { maxAgeMs: 600_000 } });
      expect(result.attestation.type).toBe('basic');
      await rejected({ timestampMs: now - 600_001 }, 'ERR_SAFETYNET_TIMESTAMP_INVALID', { safetyNet: { maxAgeMs: 600_000 } });
    });

    it('timestampMs missing or not a number → ERR_ATTESTATION_STATEMENT_INVALID', async () => {
      for (const timestampMs of [OMIT, String(now), null]) await statementInvalid({ payload: { timestampMs } });
    });
  });

  describe('trust path', () => {
    it('not reaching the caller anchor (require trusted) → ERR_CERT_CHAIN_UNTRUSTED', async () => {
      const other = await createTestCa({ name: 'Not Google' });
      await expectRejection(verify({}, { trustAnchors: [...other.trustAnchors], require: 'trusted' }), 'ERR_CERT_CHAIN_UNTRUSTED');
    });

    it('not reaching an anchor (default require valid) → trusted false', async () => {
      const other = await createTestCa({ name: 'Not Google' });
      const result = await verify({}, { trustAnchors: [...other.trustAnchors] });
      expect(result.attestation).toMatchObject({ type: 'basic', trusted: false });
    });
  });
});
