/**
 * The TPM attestation (AIK) certificate requirements of WebAuthn §8.3.1, and the TCG TPM vendor
 * registry its manufacturer is looked up in.
 */
import { equalBytes, toHex } from '../../encoding/bytes.js';
import { fail } from '../../errors.js';
import { checkNotCa, getFidoAaguidExtension, getNameValues, OID_SUBJECT_ALT_NAME, type ParsedCertificate } from '../../x509/index.js';

const STEP = '8.3.1';

export const OID_TPM_MANUFACTURER = '2.23.133.2.1';
export const OID_TPM_MODEL = '2.23.133.2.2';
export const OID_TPM_VERSION = '2.23.133.2.3';
/** tcg-kp-AIKCertificate. */
export const OID_TCG_KP_AIK_CERTIFICATE = '2.23.133.8.3';

/**
 * TPM manufacturer ids of the TCG "TPM Vendor ID Registry" (Version 1.02 / 1.07 entries), as the
 * SAN carries them: `id:` and the 4 ASCII bytes of the vendor id in hex. Data, not a policy:
 * membership is reported as a fact (the W3C §16 test vector, for one, uses `id:00000000`), and
 * the FIDO conformance tools' `id:FFFFF1D0` is not a TCG vendor.
 */
export const TCG_TPM_VENDOR_IDS: Readonly<Record<string, string>> = Object.freeze({
  'id:414D4400': 'AMD',
  'id:41544D4C': 'Atmel',
  'id:4252434D': 'Broadcom',
  'id:4353434F': 'Cisco',
  'id:464C5953': 'Flyslice Technologies',
  'id:474F4F47': 'Google',
  'id:48504500': 'HPE',
  'id:48504900': 'HPI',
  'id:48495349': 'Huawei',
  'id:49424D00': 'IBM',
  'id:49465800': 'Infineon',
  'id:494E5443': 'Intel',
  'id:4C454E00': 'Lenovo',
  'id:4D534654': 'Microsoft',
  'id:4E534D20': 'National Semiconductor',
  'id:4E545A00': 'Nationz',
  'id:4E544300': 'Nuvoton Technology',
  'id:51434F4D': 'Qualcomm',
  'id:524F4343': 'Fuzhou Rockchip',
  'id:534D5343': 'SMSC',
  'id:534D534E': 'Samsung',
  'id:534E5300': 'Sinosun',
  'id:53544D20': 'ST Microelectronics',
  'id:54584E00': 'Texas Instruments',
  'id:57454300': 'Winbond',
});

/** What {@link checkAikCertificate} read from the AIK certificate. */
export interface AikCertificateFacts {
  /** `id:` and 8 hex digits (TCG EK Credential Profile §3.2.9), as carried. */
  readonly tpmManufacturer: string;
  readonly tpmModel: string;
  readonly tpmVersion: string;
  /** The manufacturer is in {@link TCG_TPM_VENDOR_IDS}. */
  readonly tpmManufacturerKnown: boolean;
  /** The vendor name of the registry, when known. */
  readonly tpmVendor: string | undefined;
  /** The AAGUID of the id-fido-gen-ce-aaguid extension (equal to authData's), when present. */
  readonly aaguidExtension: Uint8Array | undefined;
  /** The AIK certificate has no basicConstraints extension (accepted: not a CA, RFC 5280 §4.2.1.9). */
  readonly basicConstraintsAbsent: boolean;
}

function invalid(message: string, field: string): never {
  fail('ERR_ATTESTATION_CERT_INVALID', `TPM AIK certificate: ${message}`, { step: STEP, details: { field } });
}

function sanAttribute(cert: ParsedCertificate, oid: string, field: string): string {
  const values = (cert.subjectAltName?.directoryNames ?? []).flatMap((name) => getNameValues(name, oid));
  if (values.length !== 1) invalid(`subjectAltName must carry ${field} (${oid}) exactly once, has ${values.length}`, field);
  const value = values[0] as string;
  // A value that is not a directory string is rendered `#` + DER hex by the name parser.
  if (value.length === 0 || value.startsWith('#')) invalid(`subjectAltName ${field} is not a non-empty string`, field);
  return value;
}

/**
 * Checks the AIK certificate (x5c[0]) against WebAuthn §8.3.1 and the authenticator data's
 * AAGUID: version 3; an empty subject; a subjectAltName extension, critical (RFC 5280
 * §4.2.1.6: the subject is empty), whose directoryName carries the TPM manufacturer
 * (`id:` + 8 hex digits), model and version (TCG EK Credential Profile §3.2.9) each exactly once;
 * an extended key usage containing tcg-kp-AIKCertificate (2.23.133.8.3); basicConstraints absent
 * (reported) or with CA false; the id-fido-gen-ce-aaguid extension, if present, equal to `aaguid`.
 *
 * @throws WebAuthnError `ERR_ATTESTATION_CERT_INVALID` for any requirement not met,
 *   `ERR_CERT_EXTENSION_INVALID` for a critical or malformed AAGUID extension,
 *   `ERR_AAGUID_MISMATCH` when the AAGUIDs differ.
 */
export function checkAikCertificate(cert: ParsedCertificate, aaguid: Uint8Array): AikCertificateFacts {
  if (cert.version !== 3) invalid(`version is ${cert.version}, must be 3`, 'version');
  if (cert.subject.attributes.length !== 0) invalid('subject is not empty', 'subject');
  const san = cert.extensions.find((e) => e.oid === OID_SUBJECT_ALT_NAME);
  if (san === undefined || cert.subjectAltName === undefined) invalid('subjectAltName extension is absent', 'subjectAltName');
  if (!san.critical) invalid('subjectAltName is not critical although the subject is empty', 'subjectAltName');
  const tpmManufacturer = sanAttribute(cert, OID_TPM_MANUFACTURER, 'tpmManufacturer');
  if (!/^id:[0-9A-Fa-f]{8}$/.test(tpmManufacturer)) {
    invalid(`TPM manufacturer ${JSON.stringify(tpmManufacturer.slice(0, 32))} is not "id:" and 8 hex digits`, 'tpmManufacturer');
  }
  const tpmModel = sanAttribute(cert, OID_TPM_MODEL, 'tpmModel');
  const tpmVersion = sanAttribute(cert, OID_TPM_VERSION, 'tpmVersion');
  if (!(cert.extendedKeyUsage ?? []).includes(OID_TCG_KP_AIK_CERTIFICATE)) {
    invalid(`extendedKeyUsage does not contain tcg-kp-AIKCertificate (${OID_TCG_KP_AIK_CERTIFICATE})`, 'extendedKeyUsage');
  }
  // §8.3.1 "Basic Constraints extension MUST have the CA component set to false": absent means
  // not a CA (RFC 5280 §4.2.1.9), so an AIK certificate without it is accepted and reported.
  const basicConstraintsAbsent = checkNotCa(cert, () => invalid('basicConstraints CA is true', 'basicConstraints'));
  const aaguidExtension = getFidoAaguidExtension(cert);
  if (aaguidExtension !== undefined && !equalBytes(aaguidExtension, aaguid)) {
    fail('ERR_AAGUID_MISMATCH', 'The AIK certificate AAGUID extension differs from the AAGUID in authenticatorData', {
      step: STEP,
      details: { expected: toHex(aaguid), received: toHex(aaguidExtension) },
    });
  }
  const normalized = `id:${tpmManufacturer.slice(3).toUpperCase()}`;
  const tpmVendor = TCG_TPM_VENDOR_IDS[normalized];
  return Object.freeze({
    tpmManufacturer,
    tpmModel,
    tpmVersion,
    tpmManufacturerKnown: tpmVendor !== undefined,
    tpmVendor,
    aaguidExtension,
    basicConstraintsAbsent,
  });
}
