/**
 * The single error type of the public API, and the table of its stable codes.
 *
 * Codes are API: never renamed, never reused for another meaning. docs/errors.md lists every one
 * of them (a test enforces it).
 */

/** Every code a {@link WebAuthnError} can carry, with the spec step that usually raises it. */
export const ERROR_CODES = {
  // Input and transport (§7.1 steps 3–4, §7.2 steps 3–7).
  ERR_RESPONSE_MALFORMED: 'The response JSON lacks a member or has one of the wrong type or encoding.',
  ERR_BASE64URL_INVALID: 'A string is not unpadded base64url (RFC 4648 §5) in canonical form.',
  ERR_CREDENTIAL_ID_MISMATCH: 'id, rawId and the credential record (or authenticator data) name different credentials.',
  ERR_CREDENTIAL_NOT_ALLOWED: 'The credential is not one of the allowCredentials of the request.',
  ERR_USER_HANDLE_MISMATCH: 'The userHandle of the response is absent or not the expected user handle.',
  ERR_CREDENTIAL_RECORD_INVALID: 'The stored credential record passed in is not a well-formed record.',
  ERR_OPTIONS_INVALID: 'The expectations passed to a verify function, or the input of an options generator, are not well formed.',
  ERR_CALLBACK_FAILED:
    "Code of the caller that the library ran (a challenge or origin predicate, a getter or proxy of an input object) threw or rejected, or a predicate answered something other than a boolean; the caller's error is the cause.",
  // CBOR (attestationObject, COSE keys, extensions).
  ERR_CBOR_MALFORMED: 'Bytes are not well-formed CBOR, or use a feature WebAuthn forbids.',
  ERR_CBOR_TRUNCATED: 'A CBOR item declares more bytes than the input holds.',
  ERR_CBOR_TRAILING_DATA: 'Bytes follow the single CBOR item expected.',
  ERR_CBOR_INDEFINITE_LENGTH: 'An indefinite-length CBOR string, array or map was used.',
  ERR_CBOR_TAG_FORBIDDEN: 'A CBOR tag was used.',
  ERR_CBOR_DUPLICATE_KEY: 'A CBOR map repeats a key.',
  ERR_CBOR_TOO_DEEP: 'CBOR nesting exceeds the documented bound.',
  ERR_CBOR_TOO_LARGE: 'CBOR input, or an array or map in it, exceeds the documented size bound.',
  ERR_CBOR_NON_CANONICAL: 'A CBOR length or integer is not in its shortest encoding.',
  // clientDataJSON (§5.8.1, §7.1 steps 5–11, §7.2 steps 8–14).
  ERR_CLIENTDATA_MALFORMED: 'clientDataJSON is not UTF-8 JSON of the CollectedClientData shape.',
  ERR_CLIENTDATA_TYPE: 'clientData.type is not the one of this ceremony.',
  ERR_CHALLENGE_MISMATCH: 'clientData.challenge is not the challenge the relying party issued.',
  ERR_ORIGIN_MISMATCH: 'clientData.origin is not an origin the relying party expects.',
  ERR_CROSS_ORIGIN_NOT_ALLOWED: 'clientData.crossOrigin is true and the relying party does not allow cross-origin use.',
  ERR_TOP_ORIGIN_INVALID: 'clientData.topOrigin is present while crossOrigin is not true.',
  ERR_TOP_ORIGIN_MISMATCH: 'clientData.topOrigin is not a top-level origin the relying party expects.',
  // authenticatorData (§6.1).
  ERR_AUTHDATA_MALFORMED: 'authenticatorData is truncated, has trailing bytes, or its flags disagree with its content.',
  ERR_CREDENTIAL_ID_TOO_LONG: 'The credential id is longer than 1023 bytes.',
  ERR_BACKUP_FLAGS_INVALID: 'The BS (backup state) flag is set while BE (backup eligible) is clear.',
  ERR_RPID_MISMATCH: 'rpIdHash is not the SHA-256 of any expected RP ID.',
  ERR_USER_PRESENCE: 'The UP (user present) flag is clear.',
  ERR_USER_VERIFICATION: 'User verification is required and the UV flag is clear.',
  ERR_BACKUP_ELIGIBILITY_CHANGED: 'The BE flag differs from the backupEligible of the credential record.',
  // Keys and signatures (§5.8.5, §6.5.5).
  ERR_COSE_KEY_INVALID: 'The COSE_Key is malformed, inconsistent, or not a valid public key.',
  ERR_ALG_UNSUPPORTED: 'The COSE algorithm is not one this library verifies.',
  ERR_ALG_NOT_ALLOWED: 'The COSE algorithm is supported but not allowed by the caller.',
  ERR_ALG_UNSUPPORTED_RUNTIME: 'The COSE algorithm is supported, but this runtime cannot verify it (no WebCrypto implementation and no loadable fallback).',
  ERR_SIGNATURE_INVALID: 'The signature does not verify, or is not in the encoding its algorithm requires.',
  ERR_COUNTER_REGRESSION: 'The signature counter did not increase: a cloned or malfunctioning authenticator.',
  // Registration and attestation statements (§7.1 steps 13–24, §8).
  ERR_ATTESTATION_OBJECT_MALFORMED: 'The attestationObject is not a CBOR map of exactly fmt (text), attStmt (map) and authData (bytes).',
  ERR_ATTESTED_CREDENTIAL_MISSING: 'A registration whose authenticator data has no attested credential data (AT clear).',
  ERR_ATTESTATION_FORMAT_UNSUPPORTED: 'The attestation statement format is not one this library verifies (matched case-sensitively).',
  ERR_ATTESTATION_FORMAT_NOT_ALLOWED: 'The attestation statement format is supported but not among the formats the caller allows.',
  ERR_ATTESTATION_STATEMENT_INVALID: 'The attestation statement lacks a member, has one of the wrong type, or has one it must not have.',
  ERR_ATTESTATION_ALG_MISMATCH: 'The attestation statement alg does not match the credential public key as its format requires.',
  ERR_ATTESTATION_SIGNATURE_INVALID: 'The attestation signature does not verify.',
  ERR_ATTESTATION_TYPE_NOT_ALLOWED: 'The attestation is of a type (none, self) that the caller does not accept as trusted.',
  ERR_ATTESTATION_TOO_COSTLY:
    'The attestation needs more certificates than one registration may parse and verify (the cost caps of docs/security.md).',
  // android-key and apple (§8.4, §8.8)
  ERR_ANDROID_KEY_DESCRIPTION_INVALID:
    'The Android key attestation extension is missing, malformed, or its authorization lists fail §8.4 (allApplications, origin, purpose).',
  ERR_ATTESTATION_CHALLENGE_MISMATCH: 'The attestationChallenge of the Android key attestation extension is not the clientDataHash.',
  ERR_ATTESTATION_KEY_MISMATCH: "The attestation certificate's public key is not the credential public key.",
  ERR_APPLE_NONCE_MISMATCH: 'The Apple nonce extension is missing, malformed, or not SHA-256(authData ‖ clientDataHash).',
  // TPM (§8.3)
  ERR_TPM_PUBAREA_MALFORMED:
    'The tpm pubArea is not a well-formed TPMT_PUBLIC of an RSA or ECC key: truncated, oversized TPM2B, trailing bytes, or an unknown type, nameAlg, scheme or symmetric algorithm.',
  ERR_TPM_CERTINFO_MALFORMED: 'The tpm certInfo is not a well-formed TPMS_ATTEST: truncated, oversized TPM2B or trailing bytes.',
  ERR_TPM_CERTINFO_INVALID:
    'The tpm certInfo is not a TPM-generated certification of pubArea over this registration (magic, type, extraData or name).',
  ERR_TPM_KEY_MISMATCH:
    'The tpm pubArea does not describe the credential public key as a signing key (other key, sign attribute clear, symmetric or scheme not allowed).',
  // android-safetynet (§8.5)
  ERR_SAFETYNET_NONCE_MISMATCH: 'The SafetyNet nonce is not base64(SHA-256(authenticatorData ‖ clientDataHash)).',
  ERR_SAFETYNET_CTS_PROFILE_MISMATCH: 'The SafetyNet response says the device failed the compatibility (CTS) profile check.',
  ERR_SAFETYNET_TIMESTAMP_INVALID: 'The SafetyNet timestampMs is in the future or older than the allowed age at the verification time.',
  // compound (§8.9)
  ERR_COMPOUND_NESTED: 'A compound attestation statement contains another compound statement.',
  ERR_COMPOUND_UNSATISFIED:
    'Under compound policy "any", no sub-statement verified (and, when trust is required, reached a trust anchor).',
  // X.509 (§7.1 steps 22–24, §8)
  ERR_CERT_MALFORMED: 'A certificate or CRL is not well-formed DER X.509, or exceeds the size or nesting bound.',
  ERR_CERT_NOT_YET_VALID: 'A certificate of the path is not yet valid at the verification time.',
  ERR_CERT_EXPIRED: 'A certificate of the path has expired at the verification time.',
  ERR_CERT_CHAIN_INVALID:
    'The x5c chain is empty, too long, repeats a certificate, is out of order, has a signature that does not verify, or an issuer that may not issue certificates.',
  ERR_CERT_CHAIN_UNTRUSTED: 'The attestation trust path neither chains to nor is an acceptable trust anchor.',
  ERR_TRUST_ANCHOR_EXPIRED:
    'Trust is required and the only anchor the path reaches is past its validity window (validUntil, or the certificate notAfter) at the verification time.',
  ERR_TRUST_ANCHOR_NOT_YET_VALID:
    'Trust is required and the only anchor the path reaches is not yet in its validity window (validFrom, or the certificate notBefore) at the verification time.',
  ERR_CERT_EXTENSION_INVALID:
    'A certificate extension is malformed, repeated, critical and not understood, or critical where it must not be.',
  ERR_CERT_SIGNATURE_ALG_UNSUPPORTED:
    'A certificate or CRL is signed with an algorithm this library does not verify (SHA-1 unless allowed).',
  ERR_CERT_KEY_MISMATCH:
    "A certificate's public key is not of the type, curve, size or point form the COSE algorithm requires.",
  ERR_CERT_REVOKED: 'An authentic CRL of its issuer lists a certificate of the path as revoked.',
  ERR_CERT_REVOCATION_UNKNOWN:
    'Revocation status is required but no authentic, current CRL covers a certificate of the path, or a given CRL is not authentic.',
  ERR_ATTESTATION_CERT_INVALID: 'The attestation certificate does not meet the requirements of its format (e.g. §8.2.1).',
  ERR_AAGUID_MISMATCH: 'The id-fido-gen-ce-aaguid extension of the attestation certificate differs from authData.aaguid.',
  // FIDO Metadata Service (MDS3 §3.2; src/metadata)
  ERR_METADATA_INVALID:
    'A metadata BLOB or snapshot is not well formed: not a compact JWS of strict base64url JSON, a payload or entry member missing or of the wrong type, or beyond the size bounds.',
  ERR_METADATA_ALG_NOT_ALLOWED:
    'The metadata BLOB JWS header names an algorithm outside the allow-list (none and HMAC never), or one that does not fit the signing certificate key.',
  ERR_METADATA_SIGNATURE_INVALID: 'The metadata BLOB JWS signature does not verify with its signing certificate.',
  ERR_METADATA_UNTRUSTED:
    'The metadata BLOB signing chain reaches none of the given anchors, or the attestation is not vouched for by the metadata entry of its authenticator.',
  ERR_METADATA_STALE:
    'The metadata BLOB nextUpdate date has passed and the caller rejects stale metadata, or its serial number is not above the one the caller already has.',
  ERR_METADATA_STATUS:
    'A status report in effect marks the authenticator undesired (revoked, compromised), or its certification level is below the required minimum.',
  // Anything a dependency threw that we did not anticipate; the original is the cause.
  ERR_INTERNAL: 'An unexpected failure inside the verifier (see cause); the input was not accepted.',
} as const;

/** A stable, documented error code. */
export type WebAuthnErrorCode = keyof typeof ERROR_CODES;

/** Structured, non-secret facts about a failure. Never holds key material. */
export interface WebAuthnErrorDetails {
  readonly field?: string;
  readonly offset?: number;
  readonly expected?: string | number | boolean | readonly (string | number)[];
  readonly received?: string | number | boolean | null;
  readonly [extra: string]: unknown;
}

/** Options of a {@link WebAuthnError}. */
export interface WebAuthnErrorOptions {
  /** The spec step the failed check implements, e.g. `7.2.15`, `6.1`, `5.8.5`, `8.2`. */
  readonly step?: string;
  readonly details?: WebAuthnErrorDetails;
  readonly cause?: unknown;
}

/**
 * The only exception type the public API throws. `code` is stable API; `message` is for humans;
 * `step` names the WebAuthn L3 step (or section) whose check failed.
 */
export class WebAuthnError extends Error {
  override readonly name = 'WebAuthnError';
  readonly code: WebAuthnErrorCode;
  readonly step: string | undefined;
  readonly details: WebAuthnErrorDetails | undefined;

  constructor(code: WebAuthnErrorCode, message: string, options: WebAuthnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.step = options.step;
    this.details = options.details;
  }
}

/** Shorthand used inside the library: build and throw in one expression. */
export function fail(code: WebAuthnErrorCode, message: string, options?: WebAuthnErrorOptions): never {
  throw new WebAuthnError(code, message, options);
}

/** True when `value` is a {@link WebAuthnError}, optionally with the given code. */
export function isWebAuthnError(value: unknown, code?: WebAuthnErrorCode): value is WebAuthnError {
  return value instanceof WebAuthnError && (code === undefined || value.code === code);
}

/**
 * Runs `fn` and turns anything but a WebAuthnError into `ERR_INTERNAL` (or the given code),
 * so that no foreign exception type escapes the public API.
 */
export async function guardAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asWebAuthnError(error);
  }
}

/** Synchronous twin of {@link guardAsync}. */
export function guardSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw asWebAuthnError(error);
  }
}

/** Wraps a foreign exception as `ERR_INTERNAL` (a WebAuthnError passes through untouched). */
export function asWebAuthnError(
  error: unknown,
  code: WebAuthnErrorCode = 'ERR_INTERNAL',
  step?: string,
): WebAuthnError {
  if (error instanceof WebAuthnError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new WebAuthnError(code, `Unexpected failure: ${text}`, step === undefined ? { cause: error } : { step, cause: error });
}
