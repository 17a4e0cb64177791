/**
 * Certificates of genuine devices that break an encoding rule, recognised by their exact bytes
 * (docs/quirks.md). A quirk never relaxes a rule in general: only a certificate whose SHA-256
 * fingerprint is listed here is repaired, in a private copy, before the normal strict parse.
 */

/** The name a repaired certificate reports in `ParsedCertificate.quirks`. */
export type CertificateQuirk = 'yubico-u2f-unused-bits';

/**
 * SHA-256 fingerprints of early YubiKey U2F attestation certificates whose signatureValue BIT
 * STRING declares a non-zero unused-bits count although it holds a whole RSA-2048 signature.
 * The list Yubico's php-u2flib-server repairs (U2F.php `FIXCERTS`, clearing the octet 257 bytes
 * before the end); the same six values are in web-auth/webauthn-framework and Go U2F servers.
 * docs/quirks.md has the evidence.
 */
const YUBICO_UNUSED_BITS_FINGERPRINTS: ReadonlySet<string> = new Set([
  '349bca1031f8c82c4ceca38b9cebf1a69df9fb3b94eed99eb3fb9aa3822d26e8',
  'dd574527df608e47ae45fbba75a2afdd5c20fd94a02419381813cd55a2a3398f',
  '1d8764f0f7cd1352df6150045c8f638e517270e8b5dda1c63ade9c2280240cae',
  'd0edc9a91a1677435a953390865d208c55b3183c6759c9b5a7ff494c322558eb',
  '6073c436dcd064a48127ddbf6032ac1a66fd59a0c24434f070d4e564c124c897',
  'ca993121846c464d666096d35f13bf44c1b05af205f9b4a1e00cf6cc10c5e511',
]);

/** The signatureValue of an RSA-2048 signature: BIT STRING, 257 content octets (long form). */
const RSA2048_SIGNATURE_HEADER = [0x03, 0x82, 0x01, 0x01] as const;

/** A certificate to parse in place of the one carried, and the quirk that made it. */
export interface RepairedCertificate {
  readonly der: Uint8Array;
  readonly quirk: CertificateQuirk;
}

/**
 * The repaired encoding of a listed certificate, or `undefined` for any other input (the common
 * case: one Set lookup). The repair sets the unused-bits octet of the final signatureValue to 0;
 * the signature bits, and the tbsCertificate they cover, are unchanged, so the signature check
 * afterwards is the ordinary one.
 */
export function repairKnownCertificate(der: Uint8Array, fingerprint: string): RepairedCertificate | undefined {
  if (!YUBICO_UNUSED_BITS_FINGERPRINTS.has(fingerprint)) return undefined;
  const at = der.length - 257;
  const header = der.length - 261;
  if (header < 0 || RSA2048_SIGNATURE_HEADER.some((byte, i) => der[header + i] !== byte) || der[at] === 0) return undefined;
  const repaired = der.slice();
  repaired[at] = 0;
  return { der: repaired, quirk: 'yubico-u2f-unused-bits' };
}

/** Whether `fingerprint` names a certificate {@link repairKnownCertificate} repairs. */
export function isKnownQuirkCertificate(fingerprint: string): boolean {
  return YUBICO_UNUSED_BITS_FINGERPRINTS.has(fingerprint);
}
