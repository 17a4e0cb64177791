/**
 * §7.1 steps 23–24 with FIDO metadata as the trust source: a registration under a metadata
 * policy (`expected.attestation.metadata`) must carry an attestation that the authenticator's own
 * metadata entry vouches for (AAGUID-scoped, src/metadata/attestation-trust.ts), whose status
 * reports in effect are acceptable. Facts out: the entry's name, icon, status and anchor.
 */
import { fail, isWebAuthnError } from '../errors.js';
import type { ParsedCertificate, RevocationOptions } from '../x509/index.js';
import { type MetadataTrustInput, verifyMetadataTrust } from './attestation-trust.js';
import { findMetadataByAaguid } from './lookup.js';
import {
  METADATA_CERTIFICATION_LEVELS,
  type MetadataCertificationLevel,
  checkMetadataStatus,
  evaluateMetadataStatus,
} from './status.js';
import { METADATA_SNAPSHOT_FORMAT, type MetadataAnchorFacts, type MetadataStatusReport, type VerifiedMetadata } from './types.js';

/** What the policy needs of a verified attestation statement (its type and trust path). */
export interface VerifiedStatementFacts {
  readonly type: NonNullable<MetadataTrustInput['attestationType']>;
  readonly trustPath: readonly ParsedCertificate[];
}

/** The metadata policy of a registration (`expected.attestation.policy`). */
export interface MetadataPolicy {
  /**
   * true (default): the attestation must be vouched for by its metadata entry, else
   * `ERR_METADATA_UNTRUSTED`. false: an authenticator that is not vouched for is accepted
   * without metadata facts — but an AAGUID that is listed with an undesired status in effect is
   * still refused, attested or not (`minimumCertification` applies only to vouched ones).
   */
  readonly requireMetadata?: boolean | undefined;
  /** Statuses that refuse (default REVOKED and the four compromise statuses, docs/metadata.md). */
  readonly undesiredStatuses?: readonly string[] | undefined;
  /** The lowest certification level accepted, e.g. `FIDO_CERTIFIED_L2`. */
  readonly minimumCertification?: MetadataCertificationLevel | undefined;
}

/** The checked metadata expectations. */
export interface CheckedMetadataExpectations {
  readonly metadata: VerifiedMetadata;
  readonly requireMetadata: boolean;
  readonly undesiredStatuses: readonly string[] | undefined;
  readonly minimumCertification: MetadataCertificationLevel | undefined;
}

/** What the metadata established for a registration (`attestation.metadata` of the result). */
export interface AttestationMetadataFacts {
  /** The statement's `description`: the authenticator's name. */
  readonly description: string | undefined;
  /** The statement's `icon` (a data: URL). */
  readonly icon: string | undefined;
  /** How the entry was found: the AAGUID, or (fido-u2f) the attestation certificate key identifier. */
  readonly matchedBy: 'aaguid' | 'keyIdentifier';
  /** The latest status report in effect at `now`. */
  readonly status: MetadataStatusReport | undefined;
  readonly certificationLevel: MetadataCertificationLevel | undefined;
  /** The entry root the attestation path reached. */
  readonly anchor: MetadataAnchorFacts;
  /** The BLOB serial number the decision used. */
  readonly blobNo: number;
}

function invalid(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', `expected.${field} ${message}`, { details: { field } });
}

/**
 * Reads `attestation.metadata` and `attestation.policy` (both already read once from the
 * caller's object). The snapshot must come from `verifyMetadataBlob` or `loadVerifiedMetadata`.
 */
export function readMetadataExpectations(metadata: unknown, policy: unknown): CheckedMetadataExpectations | undefined {
  try {
    return readMetadata(metadata, policy);
  } catch (error) {
    if (isWebAuthnError(error)) throw error;
    // A getter or proxy trap of the caller's object threw.
    return fail('ERR_CALLBACK_FAILED', 'expected.attestation.policy: reading a member threw', {
      details: { field: 'attestation.policy' },
      cause: error,
    });
  }
}

const POLICY_KEYS: readonly string[] = Object.freeze(['requireMetadata', 'undesiredStatuses', 'minimumCertification']);

function readMetadata(metadata: unknown, policy: unknown): CheckedMetadataExpectations | undefined {
  if (metadata === undefined) {
    if (policy !== undefined) invalid('attestation.policy', 'needs attestation.metadata');
    return undefined;
  }
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    !Object.isFrozen(metadata) ||
    (metadata as { format?: unknown }).format !== METADATA_SNAPSHOT_FORMAT
  ) {
    invalid('attestation.metadata', 'must be a VerifiedMetadata from verifyMetadataBlob or loadVerifiedMetadata');
  }
  if (policy !== undefined && (typeof policy !== 'object' || policy === null || Array.isArray(policy))) {
    invalid('attestation.policy', 'must be an object');
  }
  // Each member read once, into the library's own values.
  const members = new Map<string, unknown>();
  for (const key of Object.keys(policy ?? {})) {
    if (!POLICY_KEYS.includes(key)) invalid(`attestation.policy.${key}`, 'is not a known member');
    members.set(key, (policy as Record<string, unknown>)[key]);
  }
  const requireMetadata = members.get('requireMetadata');
  const statuses = members.get('undesiredStatuses');
  const minimumCertification = members.get('minimumCertification');
  if (requireMetadata !== undefined && typeof requireMetadata !== 'boolean') invalid('attestation.policy.requireMetadata', 'must be a boolean');
  const undesiredStatuses = statuses === undefined ? undefined : Array.isArray(statuses) ? Object.freeze([...(statuses as unknown[])]) : null;
  if (undesiredStatuses === null || (undesiredStatuses !== undefined && !undesiredStatuses.every((s) => typeof s === 'string'))) {
    invalid('attestation.policy.undesiredStatuses', 'must be a list of status names');
  }
  if (minimumCertification !== undefined && !(METADATA_CERTIFICATION_LEVELS as readonly unknown[]).includes(minimumCertification)) {
    invalid('attestation.policy.minimumCertification', `must be one of ${METADATA_CERTIFICATION_LEVELS.join(', ')}`);
  }
  return Object.freeze({
    metadata: metadata as VerifiedMetadata,
    requireMetadata: requireMetadata ?? true,
    undesiredStatuses: undesiredStatuses as readonly string[] | undefined,
    minimumCertification: minimumCertification as MetadataCertificationLevel | undefined,
  });
}

/** The outcome of {@link evaluateMetadataPolicy} when the metadata vouched for the attestation. */
export interface MetadataEvaluation {
  readonly facts: AttestationMetadataFacts;
  /** DER of the entry root reached (the result's `trustAnchor`). */
  readonly trustAnchor: Uint8Array;
}

/**
 * Applies the metadata policy to a verified statement: undefined when the authenticator is not
 * vouched for and `requireMetadata` is false.
 *
 * @throws WebAuthnError `ERR_METADATA_UNTRUSTED` (required and not vouched for — `none`/`self`
 *   included), `ERR_METADATA_STATUS`, the X.509 codes of an invalid path.
 */
export async function evaluateMetadataPolicy(
  statement: VerifiedStatementFacts,
  options: {
    readonly expectations: CheckedMetadataExpectations;
    readonly aaguid: Uint8Array;
    readonly now: Date;
    /** Validate the trust path at this time instead of `now` (a stored attestation). */
    readonly attestedAt?: Date | undefined;
    readonly revocation?: RevocationOptions | undefined;
  },
): Promise<MetadataEvaluation | undefined> {
  const { expectations, aaguid, now } = options;
  let trust: Awaited<ReturnType<typeof verifyMetadataTrust>>;
  try {
    trust = await verifyMetadataTrust(
      {
        metadata: expectations.metadata,
        aaguid,
        trustPath: statement.trustPath,
        attestationType: statement.type,
        now,
        attestedAt: options.attestedAt,
        revocation: options.revocation,
      },
      { undesiredStatuses: expectations.undesiredStatuses, minimumCertification: expectations.minimumCertification },
    );
  } catch (error) {
    if (expectations.requireMetadata || !isWebAuthnError(error, 'ERR_METADATA_UNTRUSTED')) throw error;
    // Not vouched for, and not required: a listed AAGUID (even an unattested claim of it) with
    // an undesired status in effect is still refused.
    const listed = findMetadataByAaguid(expectations.metadata, aaguid);
    if (listed !== undefined) {
      checkMetadataStatus(evaluateMetadataStatus(listed, now), {
        undesiredStatuses: expectations.undesiredStatuses,
        minimumCertification: undefined,
      });
    }
    return undefined;
  }
  return {
    facts: Object.freeze({
      description: trust.description,
      icon: trust.icon,
      matchedBy: trust.matchedBy,
      status: trust.status.current,
      certificationLevel: trust.status.certificationLevel,
      anchor: trust.anchor,
      blobNo: expectations.metadata.no,
    }),
    trustAnchor: trust.anchorCertificate,
  };
}
