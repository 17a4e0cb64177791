/**
 * Public data types of the metadata layer: the verified snapshot and its entries, in MDS3 member
 * names (FIDO Metadata Service 3.x §3.1). Everything is plain, frozen, JSON-serializable data.
 */

/** MDS3 §3.1.4 StatusReport, as carried in the BLOB (unknown members kept). */
export interface MetadataStatusReport {
  /** An AuthenticatorStatus value (`FIDO_CERTIFIED_L1`, `REVOKED`, …); unknown values are kept. */
  readonly status: string;
  /** ISO 8601 date (yyyy-mm-dd) from which the status applies; absent → always in effect. */
  readonly effectiveDate?: string;
  readonly authenticatorVersion?: number;
  readonly certificationDescriptor?: string;
  readonly certificateNumber?: string;
  readonly url?: string;
  readonly [member: string]: unknown;
}

/**
 * MDS3 §3.1.1 metadata statement, reduced to the members this library reads; every other member
 * (authenticatorGetInfo, cxConfigURL, …) is kept as it came.
 */
export interface MetadataStatement {
  readonly description?: string;
  readonly aaguid?: string;
  readonly attestationCertificateKeyIdentifiers?: readonly string[];
  /** Standard base64 DER of the roots that vouch for this authenticator's attestation (MDS3 §4). */
  readonly attestationRootCertificates?: readonly string[];
  /** A `data:` URL of the authenticator icon. */
  readonly icon?: string;
  readonly protocolFamily?: string;
  readonly [member: string]: unknown;
}

/** MDS3 §3.1.1 MetadataBLOBPayloadEntry (unknown members kept). */
export interface MetadataEntry {
  /** Lower-case AAGUID with dashes (FIDO2 authenticators). */
  readonly aaguid?: string;
  /** UAF authenticators. */
  readonly aaid?: string;
  /** Lower-case hex SubjectKeyIdentifiers of attestation certificates (fido-u2f). */
  readonly attestationCertificateKeyIdentifiers?: readonly string[];
  readonly metadataStatement?: MetadataStatement;
  /** The status history, in BLOB order. */
  readonly statusReports: readonly MetadataStatusReport[];
  readonly timeOfLastStatusChange?: string;
  readonly [member: string]: unknown;
}

/** The anchor a BLOB signing path reached. */
export interface MetadataAnchorFacts {
  /** Lower-case hex SHA-256 of the anchor certificate DER. */
  readonly sha256: string;
  /** The anchor's subject, RFC 4514-like text. */
  readonly subject: string;
  /** The anchor's notAfter, ISO 8601. */
  readonly notAfter: string;
}

/**
 * A verified FIDO metadata BLOB: what {@link verifyMetadataBlob} established, as frozen,
 * JSON-serializable data. `JSON.stringify` it in a build step; {@link loadVerifiedMetadata}
 * restores it.
 */
export interface VerifiedMetadata {
  /** Shape tag of the snapshot (`webauthn-verify/metadata@1`). */
  readonly format: typeof METADATA_SNAPSHOT_FORMAT;
  /** The BLOB serial number (MDS3 §3.1.6 `no`). */
  readonly no: number;
  /** The date by which the next BLOB is due (yyyy-mm-dd). */
  readonly nextUpdate: string;
  readonly legalHeader: string;
  /** The `now` of the verification, ISO 8601. */
  readonly verifiedAt: string;
  /** `nextUpdate` had begun at `verifiedAt` (see {@link isMetadataStale} for another time). */
  readonly stale: boolean;
  readonly anchor: MetadataAnchorFacts;
  /** The x5c certificates the signing path did not need (e.g. a cross-signed root). */
  readonly unusedCertificates: number;
  /** CRLs were consulted for every certificate of the signing path. */
  readonly revocationChecked: boolean;
  readonly entries: readonly MetadataEntry[];
}

/** The `format` tag of a {@link VerifiedMetadata} snapshot. */
export const METADATA_SNAPSHOT_FORMAT = 'webauthn-verify/metadata@1';
