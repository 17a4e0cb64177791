/**
 * Re-judging a stored registration against newer FIDO metadata (docs/metadata.md): a credential
 * record that kept `attestationObject` and `attestationClientDataJSON` is verified again — the
 * attestation statement (§8) over the stored bytes, then the metadata policy at `now` — so that a
 * compromise reported after the registration is found. No challenge or origin is needed: the
 * statement signs the clientDataHash, whatever the challenge was; the ceremony's own checks were
 * done at registration.
 */
import { getAttestationVerifier } from '../attestation/index.js';
import { backend } from '../crypto/backend.js';
import { decodeCoseKey } from '../crypto/validate-key.js';
import { base64UrlToBytes, bytesToBase64Url } from '../encoding/base64url.js';
import { bytesToUuid } from '../encoding/bytes.js';
import { asWebAuthnError, fail } from '../errors.js';
import type { VerifiedMetadata } from '../metadata/index.js';
import { parseAttestationObject } from '../parse/attestation-object.js';
import { parseClientDataJSON } from '../parse/client-data.js';
import { type AttestationMetadataFacts, type MetadataPolicy, evaluateMetadataPolicy, readMetadataExpectations } from '../metadata/registration-policy.js';
import type { CredentialRecord } from '../types.js';
import type { AttestationFormat, AttestationType } from '../attestation/types.js';
import { readCredentialRecord } from './credential-record.js';

/** Options of {@link reevaluateAttestation}. */
export interface AttestationReevaluationOptions {
  /** The newer snapshot to judge against. */
  readonly metadata: VerifiedMetadata;
  /** As `attestation.policy` of a registration (default: metadata required, default undesired statuses). */
  readonly policy?: MetadataPolicy | undefined;
  /** The time status reports are evaluated at; default now. */
  readonly now?: Date | undefined;
  /**
   * The time certificates of the attestation are validated at — when the registration happened
   * (stored with the record); default `now`. Attestation certificates may have expired since.
   */
  readonly attestedAt?: Date | undefined;
}

/** What the re-evaluation established. */
export interface AttestationReevaluation {
  readonly format: AttestationFormat;
  readonly type: AttestationType;
  readonly aaguid: string;
  /** Present when the entry vouched for the attestation (absent only with `requireMetadata: false`). */
  readonly metadata: AttestationMetadataFacts | undefined;
}

function recordInvalid(field: string, message: string, cause?: unknown): never {
  fail('ERR_CREDENTIAL_RECORD_INVALID', `credential record: ${field} ${message}`, {
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}

function timeOf(value: unknown, field: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    fail('ERR_OPTIONS_INVALID', `reevaluateAttestation: ${field} must be a valid Date`, { details: { field } });
  }
  return new Date(value.getTime());
}

function decodeStored(text: string | undefined, field: string): Uint8Array {
  if (text === undefined) recordInvalid(field, 'is needed to re-evaluate the attestation (store it at registration)');
  try {
    return base64UrlToBytes(text);
  } catch (error) {
    return recordInvalid(field, 'is not canonical base64url', error);
  }
}

/**
 * Verifies the stored attestation of `record` again and applies the metadata policy of
 * `options` at `now`.
 *
 * @throws WebAuthnError `ERR_METADATA_STATUS` (e.g. a key compromise reported since),
 *   `ERR_METADATA_UNTRUSTED` (not vouched for by the new snapshot; `compound` statements are not
 *   re-evaluated: reason `compound`), the statement's own codes, `ERR_CREDENTIAL_RECORD_INVALID`
 *   when the record lacks the stored attestation or it is not this credential's,
 *   `ERR_OPTIONS_INVALID` for malformed options.
 */
export async function reevaluateAttestation(record: CredentialRecord, options: AttestationReevaluationOptions): Promise<AttestationReevaluation> {
  const { record: checked } = readCredentialRecord(record);
  if (typeof options !== 'object' || options === null) {
    fail('ERR_OPTIONS_INVALID', 'reevaluateAttestation: expects { metadata, policy?, now?, attestedAt? }', { details: { field: 'options' } });
  }
  const expectations = readMetadataExpectations(options.metadata, options.policy);
  if (expectations === undefined) {
    fail('ERR_OPTIONS_INVALID', 'reevaluateAttestation: metadata is required', { details: { field: 'metadata' } });
  }
  const now = timeOf(options.now, 'now') ?? new Date();
  const attestedAt = timeOf(options.attestedAt, 'attestedAt') ?? now;
  try {
    return await reevaluate(checked, expectations, now, attestedAt);
  } catch (error) {
    throw asWebAuthnError(error);
  }
}

async function reevaluate(
  record: CredentialRecord,
  expectations: NonNullable<ReturnType<typeof readMetadataExpectations>>,
  now: Date,
  attestedAt: Date,
): Promise<AttestationReevaluation> {
  const attestationObject = parseAttestationObject(decodeStored(record.attestationObject, 'attestationObject'));
  const clientDataBytes = decodeStored(record.attestationClientDataJSON, 'attestationClientDataJSON');
  const authData = attestationObject.authData;
  const attested = authData.attestedCredentialData;
  // The stored attestation must be this credential's: same id, same public key bytes.
  const publicKey = typeof record.publicKey === 'string' ? record.publicKey : bytesToBase64Url(record.publicKey as Uint8Array);
  if (attested === undefined || bytesToBase64Url(attested.credentialId) !== record.id || bytesToBase64Url(attested.credentialPublicKey) !== publicKey) {
    recordInvalid('attestationObject', 'does not attest this credential (id or public key differ)');
  }
  if (parseClientDataJSON(clientDataBytes).type !== 'webauthn.create') {
    recordInvalid('attestationClientDataJSON', 'is not the clientDataJSON of a registration');
  }
  const fmt = attestationObject.fmt;
  const verifier = getAttestationVerifier(fmt);
  if (verifier === undefined) recordInvalid('attestationObject', `has an unsupported format ${JSON.stringify(fmt.slice(0, 64))}`);
  const attStmt = attestationObject.attStmt;
  const statement = await verifier({
    attStmt: Array.isArray(attStmt) ? new Map() : (attStmt as ReadonlyMap<unknown, unknown>),
    ...(Array.isArray(attStmt) ? { compoundEntries: attStmt } : {}),
    authData,
    // §7.1 step 12: the hash the statement signed.
    clientDataHash: backend.hash('SHA-256', clientDataBytes),
    credentialKey: decodeCoseKey(attested.credentialPublicKey),
    now: attestedAt,
  });
  if (statement.compound !== undefined) {
    fail('ERR_METADATA_UNTRUSTED', 'Metadata: compound attestation is not re-evaluated against metadata', {
      step: '7.1.24',
      details: { field: 'attestationObject', reason: 'compound' },
    });
  }
  const vouched = await evaluateMetadataPolicy(statement, { expectations, aaguid: attested.aaguid, now, attestedAt });
  return Object.freeze({
    format: fmt as AttestationFormat,
    type: statement.type,
    aaguid: bytesToUuid(attested.aaguid),
    metadata: vouched?.facts,
  });
}
