/**
 * WebAuthn L3 §8.3: the tpm attestation statement format, through verifyRegistrationResponse with
 * synthetic TPM attestations. Every item H.65–H.73 of ../shared/SECURITY-CHECKLIST.md asserts its
 * exact code, next to the positive controls (RSA and ECC keys, nameAlg SHA-1…SHA-512, RS1
 * statements, exponent 0) that a too-strict verifier would fail.
 */
import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCertInfo, parsePubArea } from '../../src/attestation/tpm/index.js';
import { verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { WebAuthnError } from '../../src/errors.js';
import { expectRejection as expectCode, expectCode as syncCode } from '../helpers/expect-code.js';
import { decodeCoseMap, DEFAULT_AAGUID, seededCredentialKey, uuidBytes } from '../helpers/synthetic-registration.js';
import {
  buildCertInfo,
  buildPubArea,
  createTpmRegistration,
  TPM_ALG,
  TPM_SAN,
  TPM_ST_ATTEST_QUOTE,
  type TpmRegistrationOptions,
  tpm2b,
  tpmName,
} from '../helpers/synthetic-tpm.js';

async function verify(options: TpmRegistrationOptions = {}) {
  const registration = await createTpmRegistration(options);
  return verifyRegistrationResponse(registration.response, registration.expected);
}

const ES256 = { credentialKey: seededCredentialKey('ES256'), alg: -7, aikKey: 'P-256' } as const;
const u16 = (v: number) => Uint8Array.of(v >> 8, v & 0xff);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const san = (entries: readonly (readonly [string, string])[], critical = true) => ({ subjectAltName: { directoryName: entries, critical } });

describe('§8.3 tpm', () => {
  describe('valid statements', () => {
    it('RSA credential key, RS256 statement: attca, x5c as trust path, TPM facts as details', async () => {
      const result = await verify();
      expect(result.attestation).toMatchObject({ format: 'tpm', type: 'attca', trusted: true });
      expect(result.attestation.trustPath).toHaveLength(2);
      expect(result.attestation.details).toEqual({
        tpmManufacturer: 'id:FFFFF1D0',
        tpmModel: 'NPCT6xx',
        tpmVersion: 'id:13',
        tpmManufacturerKnown: false,
      });
    });

    it('ECC credential keys (P-256 and P-384) with an ECDSA AIK', async () => {
      expect((await verify(ES256)).attestation.type).toBe('attca');
      const es384 = await verify({ ...ES256, credentialKey: seededCredentialKey('ES384') });
      expect(es384.attestation.format).toBe('tpm');
    });

    it('nameAlg SHA-1, SHA-256, SHA-384 and SHA-512', async () => {
      for (const nameAlg of [TPM_ALG.SHA1, TPM_ALG.SHA256, TPM_ALG.SHA384, TPM_ALG.SHA512]) {
        expect((await verify({ pubArea: { nameAlg } })).attestation.type, String(nameAlg)).toBe('attca');
      }
    });

    it('RS1 (-65535) statement signature is accepted without RS1 in the credential algorithms', async () => {
      const registration = await createTpmRegistration({ alg: -65535 });
      expect(registration.expected.algorithms).toBeUndefined();
      const result = await verifyRegistrationResponse(registration.response, registration.expected);
      expect(result.attestation.type).toBe('attca');
      expect(result.credential.algorithm).toBe(-257);
    });

    it('H.70 exponent 0 in pubArea means 65537', async () => {
      expect((await verify({ pubArea: { exponent: 0 } })).attestation.type).toBe('attca');
    });

    it('ECC coordinates compared as numbers: a leading zero byte is tolerated', async () => {
      const x = decodeCoseMap(ES256.credentialKey.cose).get(-2) as Uint8Array;
      expect((await verify({ ...ES256, pubArea: { x: cat(Uint8Array.of(0), x) } })).attestation.type).toBe('attca');
    });

    it('RSA scheme RSASSA with the credential hash is accepted; no AAGUID extension is accepted', async () => {
      await verify({ pubArea: { scheme: cat(u16(TPM_ALG.RSASSA), u16(TPM_ALG.SHA256)) } });
      await verify({ aik: { aaguid: undefined } });
    });

    it('H.71 the manufacturer registry is a fact, not a verdict', async () => {
      const intel = await verify({ aik: san([['tpmManufacturer', 'id:494E5443'], ['tpmModel', 'x'], ['tpmVersion', 'id:1']]) });
      expect(intel.attestation.details).toMatchObject({ tpmManufacturerKnown: true, tpmVendor: 'Intel' });
      const unknown = await verify({ aik: san([['tpmManufacturer', 'id:00000000'], ['tpmModel', 'x'], ['tpmVersion', 'id:1']]) });
      expect(unknown.attestation.details).toMatchObject({ tpmManufacturerKnown: false });
    });

    it('H.71 with tpm.requireKnownManufacturer: an unknown manufacturer → ERR_ATTESTATION_CERT_INVALID, a known one passes', async () => {
      const withPolicy = async (manufacturer: string) => {
        const registration = await createTpmRegistration({
          aik: san([['tpmManufacturer', manufacturer], ['tpmModel', 'x'], ['tpmVersion', 'id:1']]),
        });
        const expected = {
          ...registration.expected,
          attestation: { ...registration.expected.attestation, tpm: { requireKnownManufacturer: true } },
        };
        return verifyRegistrationResponse(registration.response, expected);
      };
      await expectCode(withPolicy('id:00000000'), 'ERR_ATTESTATION_CERT_INVALID', '8.3.1');
      expect((await withPolicy('id:494E5443')).attestation.details).toMatchObject({ tpmVendor: 'Intel' });
    });
  });

  describe('H.65 statement members', () => {
    const edits: [string, (m: Map<unknown, unknown>) => void][] = [
      ['ver "2.1"', (m) => m.set('ver', '2.1')],
      ['ver the number 2', (m) => m.set('ver', 2)],
      ['ver missing', (m) => m.delete('ver')],
      ['alg missing', (m) => m.delete('alg')],
      ['x5c missing', (m) => m.delete('x5c')],
      ['x5c empty', (m) => m.set('x5c', [])],
      ['sig missing', (m) => m.delete('sig')],
      ['certInfo missing', (m) => m.delete('certInfo')],
      ['pubArea missing', (m) => m.delete('pubArea')],
      ['pubArea a text string', (m) => m.set('pubArea', 'x')],
      ['an unknown member', (m) => m.set('extra', 1)],
      ['ecdaaKeyId', (m) => m.set('ecdaaKeyId', new Uint8Array(32))],
    ];
    for (const [name, edit] of edits) {
      it(`${name} → ERR_ATTESTATION_STATEMENT_INVALID`, () => expectCode(verify({ attStmt: edit }), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.3'));
    }
  });

  describe('H.66–H.69 certInfo validity', () => {
    it('H.66 magic ≠ TPM_GENERATED_VALUE → ERR_TPM_CERTINFO_INVALID', () =>
      expectCode(verify({ certInfo: { magic: 0xff544348 } }), 'ERR_TPM_CERTINFO_INVALID', '8.3'));

    it('H.67 type ≠ TPM_ST_ATTEST_CERTIFY → ERR_TPM_CERTINFO_INVALID', () =>
      expectCode(verify({ certInfo: { type: TPM_ST_ATTEST_QUOTE } }), 'ERR_TPM_CERTINFO_INVALID', '8.3'));

    it('H.68 extraData not hash_alg(authData ‖ clientDataHash) → ERR_TPM_CERTINFO_INVALID', async () => {
      await expectCode(verify({ certInfo: { extraData: new Uint8Array(32) } }), 'ERR_TPM_CERTINFO_INVALID');
      // RS1 statement: extraData must be SHA-1, a SHA-256 one is refused.
      const reg = await createTpmRegistration({ alg: -257 });
      const sha256Extra = parseCertInfo(reg.certInfo).extraData;
      await expectCode(verify({ alg: -65535, certInfo: { extraData: sha256Extra } }), 'ERR_TPM_CERTINFO_INVALID');
    });

    it('H.69 attested.name not nameAlg ‖ H(pubArea) → ERR_TPM_CERTINFO_INVALID', async () => {
      const other = buildPubArea(seededCredentialKey('RS256', 'other').cose);
      await expectCode(verify({ certInfo: { name: tpmName(other) } }), 'ERR_TPM_CERTINFO_INVALID');
      const own = tpmName(buildPubArea(seededCredentialKey('RS256').cose));
      await expectCode(verify({ certInfo: { name: cat(u16(TPM_ALG.SHA1), own.slice(2)) } }), 'ERR_TPM_CERTINFO_INVALID');
    });

    it('a certInfo signature that does not verify → ERR_ATTESTATION_SIGNATURE_INVALID', async () => {
      await expectCode(verify({ badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.3');
      await expectCode(verify({ ...ES256, badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', '8.3');
    });

    it('statement alg: EdDSA → ERR_ALG_NOT_ALLOWED, unknown → ERR_ALG_UNSUPPORTED, not the AIK key type → ERR_CERT_KEY_MISMATCH', async () => {
      await expectCode(verify({ attStmt: (m) => m.set('alg', -8) }), 'ERR_ALG_NOT_ALLOWED');
      await expectCode(verify({ attStmt: (m) => m.set('alg', -4242) }), 'ERR_ALG_UNSUPPORTED');
      await expectCode(verify({ attStmt: (m) => m.set('alg', -7) }), 'ERR_CERT_KEY_MISMATCH');
    });
  });

  describe('H.70 pubArea key = credential key', () => {
    it('an unrelated key on the same curve, another curve, an inverted Y → ERR_TPM_KEY_MISMATCH', async () => {
      const other = decodeCoseMap(seededCredentialKey('ES256', 'other').cose);
      await expectCode(verify({ ...ES256, pubArea: { x: other.get(-2) as Uint8Array, y: other.get(-3) as Uint8Array } }), 'ERR_TPM_KEY_MISMATCH', '8.3');
      await expectCode(verify({ ...ES256, pubArea: { curveId: 0x0004 } }), 'ERR_TPM_KEY_MISMATCH');
      const y = decodeCoseMap(ES256.credentialKey.cose).get(-3) as Uint8Array;
      const inverted = p256.Point.CURVE().p - BigInt(`0x${Buffer.from(y).toString('hex')}`);
      const yInv = Uint8Array.from(Buffer.from(inverted.toString(16).padStart(64, '0'), 'hex'));
      await expectCode(verify({ ...ES256, pubArea: { y: yInv } }), 'ERR_TPM_KEY_MISMATCH');
    });

    it('a different RSA n or e → ERR_TPM_KEY_MISMATCH', async () => {
      const otherN = decodeCoseMap(seededCredentialKey('RS256', 'other').cose).get(-1) as Uint8Array;
      await expectCode(verify({ pubArea: { modulus: otherN } }), 'ERR_TPM_KEY_MISMATCH');
      await expectCode(verify({ pubArea: { exponent: 3 } }), 'ERR_TPM_KEY_MISMATCH');
    });

    it('an RSA pubArea for an EC2 credential key, an ECC pubArea for an RSA one → ERR_TPM_KEY_MISMATCH', async () => {
      const rsaPubArea = buildPubArea(seededCredentialKey('RS256').cose);
      await expectCode(verify({ ...ES256, pubAreaBytes: () => rsaPubArea }), 'ERR_TPM_KEY_MISMATCH');
      const eccPubArea = buildPubArea(ES256.credentialKey.cose);
      await expectCode(verify({ pubAreaBytes: () => eccPubArea }), 'ERR_TPM_KEY_MISMATCH');
    });
  });

  describe('H.71 AIK certificate (§8.3.1)', () => {
    const cases: [string, NonNullable<TpmRegistrationOptions['aik']>][] = [
      ['a non-empty subject', { subject: { CN: 'AIK' } }],
      ['SAN without the manufacturer', san(TPM_SAN.filter(([t]) => t !== 'tpmManufacturer'))],
      ['SAN without the model', san(TPM_SAN.filter(([t]) => t !== 'tpmModel'))],
      ['SAN without the version', san(TPM_SAN.filter(([t]) => t !== 'tpmVersion'))],
      ['SAN with the manufacturer twice', san([...TPM_SAN, ['tpmManufacturer', 'id:FFFFF1D0']])],
      ['a manufacturer not "id:" + 8 hex digits', san([['tpmManufacturer', 'FFFFF1D0'], ['tpmModel', 'x'], ['tpmVersion', 'y']])],
      ['a short manufacturer id', san([['tpmManufacturer', 'id:F1D0'], ['tpmModel', 'x'], ['tpmVersion', 'y']])],
      ['an empty model', san([['tpmManufacturer', 'id:FFFFF1D0'], ['tpmModel', ''], ['tpmVersion', 'y']])],
      ['SAN not critical under an empty subject', san(TPM_SAN, false)],
      ['no SAN', { subjectAltName: null }],
      ['no EKU', { extKeyUsage: undefined }],
      ['EKU without tcg-kp-AIKCertificate', { extKeyUsage: ['1.3.6.1.5.5.7.3.2'] }],
      ['basicConstraints CA true', { basicConstraints: { ca: true } }],
      ['a version 1 certificate', { version: 1 }],
    ];
    for (const [name, aik] of cases) {
      it(`${name} → ERR_ATTESTATION_CERT_INVALID`, () => expectCode(verify({ aik }), 'ERR_ATTESTATION_CERT_INVALID', '8.3.1'));
    }

    it('H.71 (issue 14) an AIK certificate without basicConstraints is accepted (RFC 5280 §4.2.1.9) and reported', async () => {
      const result = await verify({ aik: { basicConstraints: null } });
      expect(result.attestation).toMatchObject({ type: 'attca', trusted: true, details: { basicConstraintsAbsent: true } });
    });

    it('AAGUID extension ≠ authData AAGUID → ERR_AAGUID_MISMATCH; critical → ERR_CERT_EXTENSION_INVALID', async () => {
      await expectCode(verify({ aik: { aaguid: uuidBytes('0badc0de-0000-4000-8000-000000000001') } }), 'ERR_AAGUID_MISMATCH', '8.3.1');
      await expectCode(verify({ aik: { aaguid: { value: DEFAULT_AAGUID, critical: true } } }), 'ERR_CERT_EXTENSION_INVALID');
    });
  });

  describe('H.72 pubArea must describe a signing key', () => {
    const aes128cfb = cat(u16(TPM_ALG.AES), u16(128), u16(0x0043));
    const cases: [string, TpmRegistrationOptions][] = [
      ['RSA without sign', { pubArea: { objectAttributes: 0x00020472 } }],
      ['RSA symmetric AES', { pubArea: { symmetric: aes128cfb } }],
      ['RSA scheme RSAPSS', { pubArea: { scheme: cat(u16(TPM_ALG.RSAPSS), u16(TPM_ALG.SHA256)) } }],
      ['RSA scheme RSASSA with another hash', { pubArea: { scheme: cat(u16(TPM_ALG.RSASSA), u16(TPM_ALG.SHA1)) } }],
      ['ECC without sign', { ...ES256, pubArea: { objectAttributes: 0x00020472 } }],
      ['ECC symmetric AES', { ...ES256, pubArea: { symmetric: aes128cfb } }],
      ['ECC scheme ECDSA', { ...ES256, pubArea: { scheme: cat(u16(TPM_ALG.ECDSA), u16(TPM_ALG.SHA256)) } }],
      ['ECC kdf MGF1', { ...ES256, pubArea: { kdf: cat(u16(0x0007), u16(TPM_ALG.SHA256)) } }],
    ];
    for (const [name, options] of cases) {
      it(`${name} → ERR_TPM_KEY_MISMATCH`, () => expectCode(verify(options), 'ERR_TPM_KEY_MISMATCH', '8.3'));
    }
  });

  describe('H.73 strict TPM structures', () => {
    const pubAreaCases: [string, TpmRegistrationOptions][] = [
      ['pubArea truncated', { pubAreaBytes: (b) => b.slice(0, -1) }],
      ['pubArea with a trailing byte', { pubAreaBytes: (b) => cat(b, Uint8Array.of(0)) }],
      ['pubArea authPolicy size past the end', { pubArea: { authPolicy: new Uint8Array(0) }, pubAreaBytes: (b) => cat(b.slice(0, 8), u16(0xffff), b.slice(10)) }],
      ['pubArea type KEYEDHASH', { pubArea: { type: 0x0008 } }],
      ['pubArea nameAlg SM3', { pubArea: { nameAlg: 0x0012 } }],
      ['pubArea an unknown scheme', { pubArea: { scheme: u16(0x0099) } }],
      ['pubArea an unknown symmetric algorithm', { pubArea: { symmetric: u16(0x0099) } }],
      ['pubArea keyBits ≠ modulus size', { pubArea: { keyBits: 1024 } }],
      ['ECC pubArea y truncated', { ...ES256, pubAreaBytes: (b) => b.slice(0, -5) }],
    ];
    for (const [name, options] of pubAreaCases) {
      it(`${name} → ERR_TPM_PUBAREA_MALFORMED`, () => expectCode(verify(options), 'ERR_TPM_PUBAREA_MALFORMED', '8.3'));
    }
    const certInfoCases: [string, TpmRegistrationOptions][] = [
      ['certInfo truncated', { certInfoBytes: (b) => b.slice(0, -1) }],
      ['certInfo with a trailing byte', { certInfoBytes: (b) => cat(b, Uint8Array.of(0)) }],
      ['certInfo extraData size past the end', { certInfoBytes: (b) => cat(b.slice(0, 6 + 2 + 34), u16(0xfff0), b.slice(6 + 2 + 34 + 2)) }],
      ['certInfo of 3 bytes', { certInfoBytes: (b) => b.slice(0, 3) }],
    ];
    for (const [name, options] of certInfoCases) {
      it(`${name} → ERR_TPM_CERTINFO_MALFORMED`, () => expectCode(verify(options), 'ERR_TPM_CERTINFO_MALFORMED', '8.3'));
    }

    it('property: any truncation or extension of pubArea or certInfo throws only WebAuthnError', async () => {
      const rsa = buildPubArea(seededCredentialKey('RS256').cose);
      const ecc = buildPubArea(ES256.credentialKey.cose);
      const certInfo = buildCertInfo({ extraData: new Uint8Array(32), name: tpmName(rsa) });
      const mutate = (bytes: Uint8Array) =>
        fc.oneof(
          fc.integer({ min: 0, max: bytes.length - 1 }).map((n) => bytes.slice(0, n)),
          fc.uint8Array({ minLength: 1, maxLength: 40 }).map((extra) => cat(bytes, extra)),
          fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
            const out = bytes.slice();
            out[at] = v;
            return out;
          }),
        );
      // Anything thrown is one of the parser's own codes (never ERR_INTERNAL or a foreign error):
      // pubArea only MALFORMED; certInfo MALFORMED, or INVALID for a changed magic or type (§8.3).
      const onlyCodes = (parse: (b: Uint8Array) => unknown, codes: readonly string[]) => (bytes: Uint8Array) => {
        try {
          parse(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(WebAuthnError);
          expect(codes).toContain((error as WebAuthnError).code);
        }
      };
      fc.assert(fc.property(mutate(rsa), onlyCodes(parsePubArea, ['ERR_TPM_PUBAREA_MALFORMED'])), { numRuns: 300 });
      fc.assert(fc.property(mutate(ecc), onlyCodes(parsePubArea, ['ERR_TPM_PUBAREA_MALFORMED'])), { numRuns: 300 });
      fc.assert(
        fc.property(mutate(certInfo), onlyCodes(parseCertInfo, ['ERR_TPM_CERTINFO_MALFORMED', 'ERR_TPM_CERTINFO_INVALID'])),
        { numRuns: 300 },
      );
      // Strict lengths: every proper truncation and every extension is rejected.
      for (const bytes of [rsa, ecc]) {
        for (let n = 0; n < bytes.length; n++) syncCode(() => parsePubArea(bytes.slice(0, n)), 'ERR_TPM_PUBAREA_MALFORMED');
        syncCode(() => parsePubArea(cat(bytes, Uint8Array.of(0))), 'ERR_TPM_PUBAREA_MALFORMED');
      }
      for (let n = 0; n < certInfo.length; n++) syncCode(() => parseCertInfo(certInfo.slice(0, n)), 'ERR_TPM_CERTINFO_MALFORMED');
      syncCode(() => parseCertInfo(cat(certInfo, Uint8Array.of(0))), 'ERR_TPM_CERTINFO_MALFORMED');
    });

    it('property: through the verifier, mutated pubArea or certInfo bytes are rejected with a WebAuthnError', async () => {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.integer({ min: -8, max: 8 }).filter((d) => d !== 0), async (onPubArea, delta) => {
          const resize = (b: Uint8Array) => (delta < 0 ? b.slice(0, delta) : cat(b, new Uint8Array(delta).fill(0xa5)));
          const outcome = await verify(onPubArea ? { pubAreaBytes: resize } : { certInfoBytes: resize }).then(
            () => 'verified',
            (error: unknown) => error,
          );
          expect(outcome).toBeInstanceOf(WebAuthnError);
          expect((outcome as WebAuthnError).code).toBe(onPubArea ? 'ERR_TPM_PUBAREA_MALFORMED' : 'ERR_TPM_CERTINFO_MALFORMED');
        }),
        { numRuns: 20 },
      );
    });
  });

  it('tpm2b helper sanity: a TPM2B is its u16 size and bytes', () => {
    expect([...tpm2b(Uint8Array.of(1, 2))]).toEqual([0, 2, 1, 2]);
  });
});
