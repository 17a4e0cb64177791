/** The X.509 layer: certificate parsing, attestation certificate checks, trust path validation. */
export {
  type ParsedCertificate,
  type PublicKeyAlgorithm,
  namesMatch,
  parseCertificate,
} from './certificate.js';
export {
  type BasicConstraints,
  type GeneralName,
  type KeyUsageName,
  type SubjectAltName,
  type X509Extension,
  KEY_USAGE_NAMES,
} from './extensions.js';
export { type X509Name, type X509NameAttribute, formatName, getNameValue, getNameValues } from './names.js';
export { parseCertificateInput, parseTrustAnchors } from './pem.js';
export { certificatePublicKey } from './public-key.js';
export {
  type PackedCertificateFacts,
  type PackedCertificateOptions,
  checkNotCa,
  checkPackedAttestationCertificate,
  getFidoAaguidExtension,
} from './attestation-certificate.js';
export type { CertificateQuirk } from './certificate-quirks.js';
export { isIso3166Alpha2 } from './iso3166.js';
export {
  DEFAULT_MAX_CHAIN_LENGTH,
  type InactiveAnchorReport,
  type PathValidationOptions,
  type PathValidationResult,
  type UnusedCertificate,
  validateCertificatePath,
} from './path.js';
export { MAX_CANDIDATE_CHECKS, MAX_PATH_LENGTH, type PathBudget } from './path-search.js';
export {
  type TrustAnchor,
  type TrustAnchorEntry,
  type TrustAnchorInput,
  anchorStatusAt,
  parseTrustAnchorSet,
  readTrustAnchorEntry,
} from './trust-anchors.js';
export type { RevocationOptions } from './revocation.js';
export { clearX509Caches } from './clear-caches.js';
export {
  ATTRIBUTE_SHORT_NAMES,
  OID_BASIC_CONSTRAINTS,
  OID_EXT_KEY_USAGE,
  OID_FIDO_GEN_CE_AAGUID,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
} from './oids.js';
