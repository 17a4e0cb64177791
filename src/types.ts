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
  readonly clientDataJSON: Base64URLString;
  readonly authenticatorData: Base64URLString;
  readonly signature: Base64URLString;
  readonly userHandle?: Base64URLString | null | undefined;
  readonly attestationObject?: Base64URLString | undefined;
}

/** WebAuthn L3 §5.1 AuthenticationResponseJSON (`PublicKeyCredential.toJSON()` after `get()`). */
export interface AuthenticationResponseJSON {
  readonly id: Base64URLString;
  readonly rawId: Base64URLString;
  readonly type: 'public-key';
  readonly response: AuthenticatorAssertionResponseJSON;
  readonly authenticatorAttachment?: string | null | undefined;
  readonly clientExtensionResults: ClientExtensionResults;
}

/** WebAuthn L3 §5.2.1 AuthenticatorAttestationResponseJSON. */
export interface AuthenticatorAttestationResponseJSON {
  readonly clientDataJSON: Base64URLString;
  readonly attestationObject: Base64URLString;
  readonly authenticatorData?: Base64URLString | undefined;
  readonly transports?: readonly string[] | undefined;
  readonly publicKey?: Base64URLString | undefined;
  readonly publicKeyAlgorithm?: number | undefined;
}

/** WebAuthn L3 §5.1 RegistrationResponseJSON (`PublicKeyCredential.toJSON()` after `create()`). */
export interface RegistrationResponseJSON {
  readonly id: Base64URLString;
  readonly rawId: Base64URLString;
  readonly type: 'public-key';
  readonly response: AuthenticatorAttestationResponseJSON;
  readonly authenticatorAttachment?: string | null | undefined;
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
  readonly up: boolean;
  readonly uv: boolean;
  readonly be: boolean;
  readonly bs: boolean;
  readonly at: boolean;
  readonly ed: boolean;
  readonly raw: number;
}

/** §6.5.1 attested credential data. */
export interface AttestedCredentialData {
  /** 16 bytes. */
  readonly aaguid: Uint8Array;
  readonly credentialId: Uint8Array;
  /** The exact COSE_Key bytes as they appear in the authenticator data. */
  readonly credentialPublicKey: Uint8Array;
}

/** Authenticator extension outputs (§9), keyed by extension identifier. */
export type AuthenticatorExtensionOutputs = Readonly<Record<string, unknown>>;

/** §6.1 authenticator data, parsed. `raw` holds the exact bytes signatures cover. */
export interface AuthenticatorData {
  readonly raw: Uint8Array;
  /** 32 bytes: SHA-256 of the RP ID. */
  readonly rpIdHash: Uint8Array;
  readonly flags: AuthenticatorFlags;
  readonly signCount: number;
  readonly attestedCredentialData?: AttestedCredentialData | undefined;
  /** Decoded extension outputs (null-prototype object), present when ED is set. */
  readonly extensions?: AuthenticatorExtensionOutputs | undefined;
  /** The exact CBOR bytes of the extensions map, present when ED is set. */
  readonly extensionsRaw?: Uint8Array | undefined;
}

/** §5.8.1 CollectedClientData, parsed. Unknown members are kept in `members`. */
export interface ClientData {
  readonly type: string;
  readonly challenge: string;
  readonly origin: string;
  readonly crossOrigin?: boolean | undefined;
  readonly topOrigin?: string | undefined;
  /** Every member of the JSON object, known and unknown (null-prototype object). */
  readonly members: Readonly<Record<string, unknown>>;
  /** The exact clientDataJSON bytes (what the client data hash covers). */
  readonly raw: Uint8Array;
}
