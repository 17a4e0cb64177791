/**
 * webauthn-verify: strict, fast verification of WebAuthn / FIDO2 ceremonies for relying parties.
 *
 * The main entry: the ceremonies, the error type and the public data types. Parsers, key
 * decoding and signature verification are in `webauthn-verify/low-level`.
 */
export {
  type AuthenticationExpectations,
  type AuthenticationResult,
  verifyAuthenticationResponse,
} from './ceremony/verify-authentication.js';
export type { CeremonyExpectations } from './ceremony/expectations.js';
export {
  type AttestationConveyancePreference,
  type AuthenticationExtensionsClientInputsJSON,
  type AuthenticationOptionsInput,
  type AuthenticatorAttachment,
  type AuthenticatorSelectionCriteria,
  type CredentialDescriptorSource,
  type GeneratedAuthenticationOptions,
  type GeneratedRegistrationOptions,
  type IssuedAuthenticationExpectations,
  type IssuedRegistrationExpectations,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialDescriptorJSON,
  type PublicKeyCredentialHint,
  type PublicKeyCredentialParameters,
  type PublicKeyCredentialRequestOptionsJSON,
  type PublicKeyCredentialRpEntity,
  type PublicKeyCredentialUserEntityJSON,
  type RegistrationOptionsInput,
  type ResidentKeyRequirement,
  DEFAULT_OFFERED_ALGORITHMS,
  generateAuthenticationOptions,
  generateRegistrationOptions,
} from './ceremony/options.js';
export {
  type AttestationExpectations,
  type AttestationResult,
  type RegistrationExpectations,
  type RegistrationResult,
  verifyRegistrationResponse,
} from './ceremony/verify-registration.js';
export type { AttestationFormat, AttestationType } from './attestation/types.js';
export type { TrustPathFacts } from './policy/trust.js';
export type { TrustAnchorEntry, TrustAnchorInput } from './x509/index.js';
export {
  type AuthenticatorName,
  type AuthenticatorNameOptions,
  type MetadataCertificationLevel,
  type MetadataEntry,
  type MetadataStatement,
  type MetadataStatusPolicy,
  type MetadataStatusReport,
  type MetadataTrust,
  type VerifiedMetadata,
  type VerifyMetadataBlobOptions,
  FIDO_MDS_TRUST_ANCHORS,
  authenticatorName,
  findMetadataByAaguid,
  isMetadataStale,
  loadVerifiedMetadata,
  verifyMetadataBlob,
} from './metadata/index.js';
export { SUPPORTED_ATTESTATION_FORMATS } from './attestation/index.js';
export type { AttestationRequirement } from './policy/trust.js';
export type { AttestationMetadataFacts, MetadataPolicy } from './metadata/registration-policy.js';
export {
  type AttestationReevaluation,
  type AttestationReevaluationOptions,
  reevaluateAttestation,
} from './ceremony/reevaluate-attestation.js';
export { ERROR_CODES, WebAuthnError, isWebAuthnError } from './errors.js';
export type { WebAuthnErrorCode, WebAuthnErrorDetails } from './errors.js';
export type { ChallengePredicate, ExpectedChallenge } from './policy/challenge.js';
export type { CounterPolicy, CounterVerdict } from './policy/counter.js';
export type { CrossOriginExpectation, ExpectedOrigin } from './policy/origin.js';
export type { ExpectedRpId } from './policy/rp-id.js';
export type {
  AttestedCredentialData,
  AuthenticationResponseJSON,
  AuthenticatorAssertionResponseJSON,
  AuthenticatorAttestationResponseJSON,
  AuthenticatorData,
  AuthenticatorExtensionOutputs,
  AuthenticatorFlags,
  AuthenticatorTransport,
  Base64URLString,
  ClientData,
  ClientExtensionResults,
  CredentialRecord,
  RegistrationResponseJSON,
  UserVerificationRequirement,
} from './types.js';
