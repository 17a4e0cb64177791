/** The metadata layer: FIDO MDS3 BLOB verification (pure, offline), lookup, status history, scoped trust, names. */
export { FIDO_MDS_TRUST_ANCHORS, FIDO_MDS_TRUST_ANCHOR_INFO, type MetadataTrustAnchorInfo } from './anchors.js';
export { type MetadataTrust, type MetadataTrustInput, verifyMetadataTrust } from './attestation-trust.js';
export { METADATA_MAX_BLOB_LENGTH, METADATA_MAX_X5C, METADATA_JWS_ALGORITHMS } from './jws.js';
export { METADATA_MAX_JSON_DEPTH } from './json.js';
export { attestationKeyIdentifier, findMetadataByAaguid, findMetadataByKeyIdentifier } from './lookup.js';
export { type AuthenticatorName, type AuthenticatorNameOptions, authenticatorName } from './names.js';
export { PASSKEY_PROVIDERS, PASSKEY_PROVIDERS_DATE } from './passkey-providers.js';
export { METADATA_MAX_ENTRIES } from './payload.js';
export { loadVerifiedMetadata } from './snapshot.js';
export {
  METADATA_CERTIFICATION_LEVELS,
  METADATA_UNDESIRED_STATUSES,
  type MetadataCertificationLevel,
  type MetadataStatusFacts,
  type MetadataStatusPolicy,
  checkMetadataStatus,
  evaluateMetadataStatus,
} from './status.js';
export {
  METADATA_SNAPSHOT_FORMAT,
  type MetadataAnchorFacts,
  type MetadataEntry,
  type MetadataStatement,
  type MetadataStatusReport,
  type VerifiedMetadata,
} from './types.js';
export { type VerifyMetadataBlobOptions, isMetadataStale, verifyMetadataBlob } from './verify-blob.js';
