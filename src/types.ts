/**
 * Public data types. Names follow the WebAuthn L3 IDL verbatim (rpIdHash, signCount, aaguid, …).
 * Every type here is plain data; results are JSON-serializable except where bytes are noted.
 */

/** Unpadded base64url text (RFC 4648 §5). */
export type Base64URLString = string;

/** §5.8.4 AuthenticatorTransport values (unknown future values are kept as strings). */
export type AuthenticatorTransport = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';

/** §5.8.6 UserVerificationRequirement. */
export type UserVerificationRequirement = 'required' | 'preferred' | 'discouraged';

/** The client extension outputs as the browser serialised them (opaque to this library). */
export type ClientExtensionResults = Readonly<Record<string, unknown>>;

/** WebAuthn L3 §5.2.2 AuthenticatorAssertionResponseJSON. */
export interface AuthenticatorAssertionResponseJSON {
  /** The JSON-serialized client data (§5.8.1) the signature covers the hash of. */
  readonly clientDataJSON: Base64URLString;
  /** The authenticator data (§6.1) the signature covers. */
  readonly authenticatorData: Base64URLString;
  /** The assertion signature over authenticatorData ‖ SHA-256(clientDataJSON) (§6.3.3). */
  readonly signature: Base64URLString;
  /** The user handle the authenticator holds for a discoverable credential; absent or null otherwise. */
  readonly userHandle?: Base64URLString | null | undefined;
  /** Only when the RP requested attestation for an assertion (not verified by this library). */
  readonly attestationObject?: Base64URLString | undefined;
}

/** WebAuthn L3 §5.1 AuthenticationResponseJSON (`PublicKeyCredential.toJSON()` after `get()`). */
export interface AuthenticationResponseJSON {
  /** The credential id, base64url (must equal `rawId`). */
  readonly id: Base64URLString;
  /** The credential id bytes, base64url. */
  readonly rawId: Base64URLString;
  /** Always `public-key`. */
  readonly type: 'public-key';
  /** The authenticator's response. */
  readonly response: AuthenticatorAssertionResponseJSON;
  /** `platform` or `cross-platform` as the client reported it (unsigned, informational). */
  readonly authenticatorAttachment?: string | null | undefined;
  /** The client extension outputs (unsigned). */
  readonly clientExtensionResults: ClientExtensionResults;
}

/** WebAuthn L3 §5.2.1 AuthenticatorAttestationResponseJSON. */
export interface AuthenticatorAttestationResponseJSON {
  /** The JSON-serialized client data (§5.8.1). */
  readonly clientDataJSON: Base64URLString;
  /** The CBOR attestation object (§6.5): fmt, attStmt and authData. */
  readonly attestationObject: Base64URLString;
  /** The client's copy of authData (`getAuthenticatorData()`); must equal the attested one. */
  readonly authenticatorData?: Base64URLString | undefined;
  /** `getTransports()`: the transports the authenticator may be reached by. */
  readonly transports?: readonly string[] | undefined;
  /** `getPublicKey()`: the credential key as SubjectPublicKeyInfo, when the client can encode it. */
  readonly publicKey?: Base64URLString | undefined;
  /** `getPublicKeyAlgorithm()`: the COSE algorithm of the credential key. */
  readonly publicKeyAlgorithm?: number | undefined;
}

/** WebAuthn L3 §5.1 RegistrationResponseJSON (`PublicKeyCredential.toJSON()` after `create()`). */
export interface RegistrationResponseJSON {
  /** The credential id, base64url (must equal `rawId`). */
  readonly id: Base64URLString;
  /** The credential id bytes, base64url. */
  readonly rawId: Base64URLString;
  /** Always `public-key`. */
  readonly type: 'public-key';
  /** The authenticator's response. */
  readonly response: AuthenticatorAttestationResponseJSON;
  /** `platform` or `cross-platform` as the client reported it (unsigned, informational). */
  readonly authenticatorAttachment?: string | null | undefined;
  /** The client extension outputs (unsigned). */
  readonly clientExtensionResults: ClientExtensionResults;
}

/**
 * The WebAuthn L3 credential record (§4 "credential record"): what a relying party stores per
 * credential. JSON-serializable when `publicKey` is given as base64url. Optional fields that are
 * absent mean "unknown". A sign-in checks every member's type (`ERR_CREDENTIAL_RECORD_INVALID`
 * naming it); members beyond these are the relying party's own, ignored and kept in the updated
 * record.
 */
export interface CredentialRecord {
  /** The credential id, base64url. */
  readonly id: Base64URLString;
  /** The credential public key as COSE_Key bytes (or their base64url). */
  readonly publicKey: Uint8Array | Base64URLString;
  /** The COSE algorithm of the key, as it was registered. */
  readonly algorithm: number;
  /** The last signature counter value seen (0 for authenticators without a counter). */
  readonly signCount: number;
  /** The transports reported at registration, passed back as hints in allowCredentials/excludeCredentials. */
  readonly transports?: readonly string[] | undefined;
  /** Whether any ceremony with this credential has had UV set. */
  readonly uvInitialized?: boolean | undefined;
  /** BE at registration: whether the credential may be backed up (synced). */
  readonly backupEligible?: boolean | undefined;
  /** BS at the last ceremony: whether the credential is currently backed up. */
  readonly backupState?: boolean | undefined;
  /** The authenticator's AAGUID as a lower-case UUID string. */
  readonly aaguid?: string | undefined;
  /** The attestation statement format seen at registration. */
  readonly attestationFormat?: string | undefined;
  /** The attestationObject of the registration, base64url, for later re-verification. */
  readonly attestationObject?: Base64URLString | undefined;
  /** The clientDataJSON of the registration, base64url, for later re-verification. */
  readonly attestationClientDataJSON?: Base64URLString | undefined;
  /** The RP ID the credential is scoped to. */
  readonly rpId?: string | undefined;
}

/** §6.1 flags of the authenticator data. `raw` is the flags byte. */
export interface AuthenticatorFlags {
  /** Bit 0, User Present. */
  readonly up: boolean;
  /** Bit 2, User Verified. */
  readonly uv: boolean;
  /** Bit 3, Backup Eligibility. */
  readonly be: boolean;
  /** Bit 4, Backup State. */
  readonly bs: boolean;
  /** Bit 6, attested credential data included. */
  readonly at: boolean;
  /** Bit 7, extension data included. */
  readonly ed: boolean;
  /** The whole flags byte, reserved bits included. */
  readonly raw: number;
}

/** §6.5.1 attested credential data. */
export interface AttestedCredentialData {
  /** 16 bytes. */
  readonly aaguid: Uint8Array;
  /** The credential id (at most 1023 bytes, §6.5.1). */
  readonly credentialId: Uint8Array;
  /** The exact COSE_Key bytes as they appear in the authenticator data. */
  readonly credentialPublicKey: Uint8Array;
}

/** Authenticator extension outputs (§9), keyed by extension identifier. */
export type AuthenticatorExtensionOutputs = Readonly<Record<string, unknown>>;

/** §6.1 authenticator data, parsed. `raw` holds the exact bytes signatures cover. */
export interface AuthenticatorData {
  /** The exact authenticator data bytes. */
  readonly raw: Uint8Array;
  /** 32 bytes: SHA-256 of the RP ID. */
  readonly rpIdHash: Uint8Array;
  /** The flags byte, decoded. */
  readonly flags: AuthenticatorFlags;
  /** The signature counter (§6.1.1), big-endian unsigned 32-bit. */
  readonly signCount: number;
  /** Present when AT is set (registration). */
  readonly attestedCredentialData?: AttestedCredentialData | undefined;
  /** Decoded extension outputs (null-prototype object), present when ED is set. */
  readonly extensions?: AuthenticatorExtensionOutputs | undefined;
  /** The exact CBOR bytes of the extensions map, present when ED is set. */
  readonly extensionsRaw?: Uint8Array | undefined;
}

/** §5.8.1 CollectedClientData, parsed. Unknown members are kept in `members`. */
export interface ClientData {
  /** `webauthn.create` or `webauthn.get` (checked against the ceremony). */
  readonly type: string;
  /** The challenge, base64url, as the client wrote it. */
  readonly challenge: string;
  /** The origin of the calling document. */
  readonly origin: string;
  /** Whether the call came from a cross-origin iframe. */
  readonly crossOrigin?: boolean | undefined;
  /** The top-level origin when `crossOrigin` is true. */
  readonly topOrigin?: string | undefined;
  /** Every member of the JSON object, known and unknown (null-prototype object). */
  readonly members: Readonly<Record<string, unknown>>;
  /** The exact clientDataJSON bytes (what the client data hash covers). */
  readonly raw: Uint8Array;
}
