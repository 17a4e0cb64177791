/**
 * docs/quirks.md "YubiKey U2F attestation certificates: unused bits in the signature": six early
 * YubiKey certificates, recognised by SHA-256 fingerprint, are repaired (the signatureValue's
 * unused-bits octet set to 0) before the strict parse; the same encoding on any other certificate
 * stays ERR_CERT_MALFORMED. The six genuine certificates are not in ../shared/interop, so the repair
 * is tested on a synthetic RSA-2048-signed certificate of the same shape, passing the fingerprint.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyRegistrationResponse } from '../../src/index.js';
import { parseCertificate } from '../../src/low-level.js';
import { isKnownQuirkCertificate, repairKnownCertificate } from '../../src/x509/certificate-quirks.js';
import { expectRejection } from '../helpers/expect-code.js';
import { createRegistration, DEFAULT_AAGUID } from '../helpers/synthetic-registration.js';
import { createTestCa, type TestCa } from '../helpers/test-ca.js';

const LISTED = '349bca1031f8c82c4ceca38b9cebf1a69df9fb3b94eed99eb3fb9aa3822d26e8';
const ALL_LISTED = [
  LISTED,
  'dd574527df608e47ae45fbba75a2afdd5c20fd94a02419381813cd55a2a3398f',
  '1d8764f0f7cd1352df6150045c8f638e517270e8b5dda1c63ade9c2280240cae',
  'd0edc9a91a1677435a953390865d208c55b3183c6759c9b5a7ff494c322558eb',
  '6073c436dcd064a48127ddbf6032ac1a66fd59a0c24434f070d4e564c124c897',
  'ca993121846c464d666096d35f13bf44c1b05af205f9b4a1e00cf6cc10c5e511',
];

let ca: TestCa;
/** A leaf signed by an RSA-2048 root (257-octet signatureValue, as the YubiKey certificates). */
let genuine: Uint8Array;
/** The same certificate with the unused-bits octet of its signatureValue set to 7. */
let defective: Uint8Array;

beforeAll(async () => {
  ca = await createTestCa({ name: 'Quirk', rootKey: 'RSA-2048', intermediates: 0, leaf: { aaguid: DEFAULT_AAGUID } });
  genuine = ca.leaf.der;
  defective = genuine.slice();
  expect(Array.from(defective.subarray(defective.length - 261, defective.length - 257))).toEqual([0x03, 0x82, 0x01, 0x01]);
  defective[defective.length - 257] = 0x07;
});

describe('YubiKey U2F unused-bits quirk (docs/quirks.md)', () => {
  it('lists exactly the six published fingerprints', () => {
    for (const fingerprint of ALL_LISTED) expect(isKnownQuirkCertificate(fingerprint)).toBe(true);
    expect(isKnownQuirkCertificate(LISTED.replace(/^3/, '4'))).toBe(false);
  });

  it('a listed certificate is repaired to the whole-octet encoding its signature was made over', () => {
    const repaired = repairKnownCertificate(defective, LISTED);
    expect(repaired?.quirk).toBe('yubico-u2f-unused-bits');
    expect(Buffer.from(repaired!.der).equals(Buffer.from(genuine))).toBe(true);
    // The input is never changed in place.
    expect(defective[defective.length - 257]).toBe(0x07);
  });

  it('nothing is repaired for an unlisted fingerprint, an already whole-octet signature or another shape', () => {
    expect(repairKnownCertificate(defective, ALL_LISTED[1]!.replace(/^d/, 'e'))).toBeUndefined();
    expect(repairKnownCertificate(genuine, LISTED)).toBeUndefined();
    // An ECDSA-signed certificate: no RSA-2048 signatureValue header at the fixed offset.
    expect(repairKnownCertificate(ca.root.der.slice(0, 200), LISTED)).toBeUndefined();
  });

  it('the same encoding on any other certificate → ERR_CERT_MALFORMED (parseCertificate and a registration)', async () => {
    expect(() => parseCertificate(defective)).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
    const registration = await createRegistration({ format: 'packed', ca: { ...ca, leaf: { ...ca.leaf, der: defective }, x5c: [defective] } });
    await expectRejection(verifyRegistrationResponse(registration.response, registration.expected), 'ERR_CERT_MALFORMED');
  });

  it('positive control: the whole-octet certificate is trusted and reports no quirk', async () => {
    expect(parseCertificate(genuine).quirks).toEqual([]);
    const registration = await createRegistration({ format: 'packed', ca });
    expect((await verifyRegistrationResponse(registration.response, registration.expected)).attestation.trusted).toBe(true);
  });
});
