/**
 * Requirements on attestation certificates that WebAuthn §8 states per format: the FIDO AAGUID
 * extension (§8.2.1, also read by tpm §8.3.1) and the packed attestation certificate profile.
 */
import { fail } from '../errors.js';
import { equalBytes, toHex } from '../encoding/bytes.js';
import { certificateInternals, type ParsedCertificate } from './certificate.js';
import { isIso3166Alpha2 } from './iso3166.js';
import { getNameValues } from './names.js';
import { OID_FIDO_GEN_CE_AAGUID } from './oids.js';

const STEP_PACKED = '8.2.1';

/**
 * The AAGUID carried by the certificate's id-fido-gen-ce-aaguid extension
 * (1.3.6.1.4.1.45724.1.1.4), or `undefined` when the extension is absent.
 *
 * @throws WebAuthnError `ERR_CERT_EXTENSION_INVALID` when the extension is marked critical (§8.2.1
 *   "MUST NOT be marked as critical") or is not an OCTET STRING of 16 bytes.
 */
export function getFidoAaguidExtension(cert: ParsedCertificate): Uint8Array | undefined {
  certificateInternals(cert, 'cert');
  const extension = cert.extensions.find((e) => e.oid === OID_FIDO_GEN_CE_AAGUID);
  if (extension === undefined) return undefined;
  if (extension.critical) {
    fail('ERR_CERT_EXTENSION_INVALID', 'The id-fido-gen-ce-aaguid extension is marked critical', {
      step: STEP_PACKED,
      details: { field: OID_FIDO_GEN_CE_AAGUID },
    });
  }
  // extnValue holds an OCTET STRING of the 16 AAGUID bytes: 04 10 ‖ aaguid.
  const value = extension.value;
  if (value.length !== 18 || value[0] !== 0x04 || value[1] !== 0x10) {
    fail('ERR_CERT_EXTENSION_INVALID', 'The id-fido-gen-ce-aaguid extension is not an OCTET STRING of 16 bytes', {
      step: STEP_PACKED,
      details: { field: OID_FIDO_GEN_CE_AAGUID },
    });
  }
  return value.slice(2);
}

/** Options of {@link checkPackedAttestationCertificate}. */
export interface PackedCertificateOptions {
  /**
   * Kept for compatibility, no longer needed: a certificate without basicConstraints is accepted
   * by default (RFC 5280 §4.2.1.9: absent means not a CA, which is what §8.2.1 asks for).
   * `false` restores the old refusal.
   */
  readonly allowMissingBasicConstraints?: boolean;
}

/** What {@link checkPackedAttestationCertificate} established. */
export interface PackedCertificateFacts {
  /** The AAGUID of the id-fido-gen-ce-aaguid extension (equal to authData's), when present. */
  readonly aaguidExtension: Uint8Array | undefined;
  /** The certificate has no basicConstraints extension (accepted: not a CA, RFC 5280 §4.2.1.9). */
  readonly basicConstraintsAbsent: boolean;
}

/**
 * The §8.2.1 / §8.3.1 rule "Basic Constraints extension MUST have the CA component set to false"
 * read with RFC 5280 §4.2.1.9: an absent extension means the subject is not a CA, so it meets the
 * rule (java-webauthn-server, webauthn4j, go-webauthn and @simplewebauthn/server agree). Returns
 * whether the extension is absent; throws `invalid` when it says CA true.
 */
export function checkNotCa(cert: ParsedCertificate, invalidCa: () => never): boolean {
  if (cert.basicConstraints === undefined) return true;
  if (cert.basicConstraints.ca) invalidCa();
  return false;
}

function invalid(message: string, field: string): never {
  fail('ERR_ATTESTATION_CERT_INVALID', `Packed attestation certificate: ${message}`, {
    step: STEP_PACKED,
    details: { field },
  });
}

function single(cert: ParsedCertificate, name: string): string {
  const values = getNameValues(cert.subject, name);
  if (values.length !== 1) invalid(`subject must have exactly one ${name}, has ${values.length}`, `subject.${name}`);
  return values[0] as string;
}

/**
 * Checks the packed attestation certificate requirements of WebAuthn §8.2.1 against `cert`
 * (x5c[0]) and the AAGUID of the authenticator data: version 3; subject C (an ISO 3166-1
 * alpha-2 code), O, OU = "Authenticator Attestation" and CN, each exactly once and non-empty;
 * basicConstraints absent or with CA false (absence is reported in the facts); the
 * id-fido-gen-ce-aaguid extension, if present, not critical and equal to `aaguid`.
 *
 * @throws WebAuthnError `ERR_OPTIONS_INVALID` when `cert` or `aaguid` is not what the types say;
 *   `ERR_ATTESTATION_CERT_INVALID` (version, subject, basic constraints),
 *   `ERR_CERT_EXTENSION_INVALID` (AAGUID extension critical or malformed), `ERR_AAGUID_MISMATCH`.
 */
export function checkPackedAttestationCertificate(
  cert: ParsedCertificate,
  aaguid: Uint8Array,
  options: PackedCertificateOptions = {},
): PackedCertificateFacts {
  certificateInternals(cert, 'cert');
  if (!(aaguid instanceof Uint8Array) || aaguid.length !== 16) {
    fail('ERR_OPTIONS_INVALID', 'aaguid must be 16 bytes', { step: STEP_PACKED, details: { field: 'aaguid' } });
  }
  if (cert.version !== 3) invalid(`version is ${cert.version}, must be 3`, 'version');
  const country = single(cert, 'C');
  if (!isIso3166Alpha2(country)) invalid(`subject C "${country}" is not an ISO 3166-1 alpha-2 code`, 'subject.C');
  if (single(cert, 'O').length === 0) invalid('subject O is empty', 'subject.O');
  const unit = single(cert, 'OU');
  if (unit !== 'Authenticator Attestation') invalid(`subject OU is "${unit}", must be "Authenticator Attestation"`, 'subject.OU');
  if (single(cert, 'CN').length === 0) invalid('subject CN is empty', 'subject.CN');
  // §8.2.1 "Basic Constraints extension MUST have the CA component set to false" (RFC 5280 §4.2.1.9).
  const basicConstraintsAbsent = checkNotCa(cert, () => invalid('basicConstraints CA is true', 'basicConstraints'));
  if (basicConstraintsAbsent && options.allowMissingBasicConstraints === false) {
    invalid('basicConstraints extension is absent', 'basicConstraints');
  }
  const aaguidExtension = getFidoAaguidExtension(cert);
  if (aaguidExtension !== undefined && !equalBytes(aaguidExtension, aaguid)) {
    fail('ERR_AAGUID_MISMATCH', 'The certificate AAGUID extension differs from the AAGUID in authenticatorData', {
      step: STEP_PACKED,
      details: { expected: toHex(aaguid), received: toHex(aaguidExtension) },
    });
  }
  return Object.freeze({ aaguidExtension, basicConstraintsAbsent });
}
