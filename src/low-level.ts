/**
 * `webauthn-verify/low-level`: the building blocks under the ceremonies, for callers who need
 * one piece on its own (inspect a response, verify a signature, decode a key). Every function
 * here is as strict as inside the ceremonies and throws only {@link WebAuthnError}.
 */
export { bytesToBase64Url, base64UrlToBytes, isBase64Url } from './encoding/base64url.js';
export {
  CBOR_DEFAULT_LIMITS,
  CBOR_MAX_DEPTH_COMPOUND,
  CborFloat,
  type CborLimits,
  decodeCbor,
  decodeCborItem,
} from './encoding/cbor.js';
export {
  FLAG_AT,
  FLAG_BE,
  FLAG_BS,
  FLAG_ED,
  FLAG_UP,
  FLAG_UV,
  encodeAuthenticatorData,
  parseAuthenticatorData,
  type AuthenticatorDataParts,
} from './parse/authenticator-data.js';
export { parseClientDataJSON } from './parse/client-data.js';
export { parseCoseKey, isAlgorithmAllowed } from './parse/cose-key.js';
export {
  COSE_ALGORITHMS,
  DEFAULT_ALLOWED_ALGORITHMS,
  type CoseAlgorithmInfo,
  type CosePublicKey,
  type HashName,
} from './parse/cose-constants.js';
export { decodeCoseKey } from './crypto/validate-key.js';
export { verifySignature, type VerifySignatureOptions } from './crypto/verify-signature.js';
export { DEFAULT_KEY_CACHE_CAPACITY, KeyCache, clearKeyCache } from './crypto/key-cache.js';
export { type CounterVerdict, counterVerdict } from './policy/counter.js';
export { WebAuthnError, type WebAuthnErrorCode } from './errors.js';
export { type AttestationObject, parseAttestationObject } from './parse/attestation-object.js';
export type { CoseKeyOptions } from './parse/cose-key.js';
export { getAttestationVerifier } from './attestation/index.js';
export type { AttestationContext, AttestationStatementVerifier, StatementVerification } from './attestation/types.js';
export { verifyFidoU2f } from './attestation/fido-u2f.js';
export { verifyNone } from './attestation/none.js';
export { verifyPacked } from './attestation/packed.js';
export {
  type ParsedCertificate,
  type InactiveAnchorReport,
  type PathBudget,
  type PathValidationOptions,
  type PathValidationResult,
  type RevocationOptions,
  type TrustAnchor,
  type UnusedCertificate,
  MAX_CANDIDATE_CHECKS,
  MAX_PATH_LENGTH,
  certificatePublicKey,
  checkPackedAttestationCertificate,
  getFidoAaguidExtension,
  parseCertificate,
  parseCertificateInput,
  parseTrustAnchorSet,
  parseTrustAnchors,
  validateCertificatePath,
} from './x509/index.js';
export {
  type MetadataStatusFacts,
  type MetadataTrustInput,
  FIDO_MDS_TRUST_ANCHOR_INFO,
  METADATA_CERTIFICATION_LEVELS,
  METADATA_JWS_ALGORITHMS,
  METADATA_UNDESIRED_STATUSES,
  PASSKEY_PROVIDERS,
  PASSKEY_PROVIDERS_DATE,
  attestationKeyIdentifier,
  checkMetadataStatus,
  evaluateMetadataStatus,
  findMetadataByKeyIdentifier,
  verifyMetadataTrust,
} from './metadata/index.js';
