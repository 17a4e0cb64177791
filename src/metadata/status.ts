/**
 * Status reports as a history (MDS3 §3.1.3 AuthenticatorStatus, §3.1.4 StatusReport): evaluated at
 * a time, each report applying from its `effectiveDate` (a report dated in the future does not
 * apply yet). Facts first (`evaluateMetadataStatus`), then policy (`checkMetadataStatus`).
 */
import { fail } from '../errors.js';
import { parseIsoDate } from './json.js';
import type { MetadataEntry, MetadataStatusReport } from './types.js';

const STEP = 'mds.3.1.3';

/** Statuses that make an authenticator undesired by default (MDS3 §3.1.3). */
export const METADATA_UNDESIRED_STATUSES: readonly string[] = Object.freeze([
  'REVOKED',
  'ATTESTATION_KEY_COMPROMISE',
  'USER_VERIFICATION_BYPASS',
  'USER_KEY_REMOTE_COMPROMISE',
  'USER_KEY_PHYSICAL_COMPROMISE',
]);

/** Certification levels, lowest first. `FIDO_CERTIFIED` is the level-less (L1) certification. */
export const METADATA_CERTIFICATION_LEVELS = Object.freeze([
  'FIDO_CERTIFIED_L1',
  'FIDO_CERTIFIED_L1plus',
  'FIDO_CERTIFIED_L2',
  'FIDO_CERTIFIED_L2plus',
  'FIDO_CERTIFIED_L3',
  'FIDO_CERTIFIED_L3plus',
] as const);

/** A FIDO certification level. */
export type MetadataCertificationLevel = (typeof METADATA_CERTIFICATION_LEVELS)[number];

function levelRank(status: string): number {
  if (status === 'FIDO_CERTIFIED') return 0;
  return (METADATA_CERTIFICATION_LEVELS as readonly string[]).indexOf(status);
}

/** What the status history says at a time. */
export interface MetadataStatusFacts {
  /** The latest report in effect (by effective date, then BLOB order), if any. */
  readonly current: MetadataStatusReport | undefined;
  /** Reports in effect, oldest first. */
  readonly inEffect: readonly MetadataStatusReport[];
  /** Reports dated after the time (not applied). */
  readonly future: readonly MetadataStatusReport[];
  /** The highest certification level among the reports in effect. */
  readonly certificationLevel: MetadataCertificationLevel | undefined;
}

/** The metadata policy of a relying party. */
export interface MetadataStatusPolicy {
  /** Statuses that reject when any report in effect has one (default {@link METADATA_UNDESIRED_STATUSES}). */
  readonly undesiredStatuses?: readonly string[] | undefined;
  /** The lowest certification level accepted (e.g. `FIDO_CERTIFIED_L2` for keys guarding withdrawals). */
  readonly minimumCertification?: MetadataCertificationLevel | undefined;
}

/**
 * The status history of `entry` at `now`: a report applies from 00:00 UTC of its effectiveDate
 * (an undated report always applies). Never throws for a well-formed entry.
 */
export function evaluateMetadataStatus(entry: MetadataEntry, now: Date): MetadataStatusFacts {
  if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.statusReports)) {
    fail('ERR_OPTIONS_INVALID', 'evaluateMetadataStatus: entry must be a metadata entry', { details: { field: 'entry' } });
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    fail('ERR_OPTIONS_INVALID', 'evaluateMetadataStatus: now must be a valid Date', { details: { field: 'now' } });
  }
  const dated = entry.statusReports.map((report, order) => ({
    report,
    order,
    time: report.effectiveDate === undefined ? Number.NEGATIVE_INFINITY : (parseIsoDate(report.effectiveDate)?.getTime() ?? Number.NaN),
  }));
  const inEffect = dated.filter((d) => d.time <= now.getTime()).sort((a, b) => a.time - b.time || a.order - b.order);
  // NaN never compares: a report without a readable date (impossible after validation) applies never.
  const future = dated.filter((d) => !(d.time <= now.getTime()));
  let certificationLevel: MetadataCertificationLevel | undefined;
  for (const { report } of inEffect) {
    const rank = levelRank(report.status);
    if (rank >= 0 && (certificationLevel === undefined || rank > levelRank(certificationLevel))) {
      certificationLevel = METADATA_CERTIFICATION_LEVELS[rank];
    }
  }
  return Object.freeze({
    current: inEffect.at(-1)?.report,
    inEffect: Object.freeze(inEffect.map((d) => d.report)),
    future: Object.freeze(future.map((d) => d.report)),
    certificationLevel,
  });
}

/**
 * Applies a metadata policy to the status facts: any report in effect with an undesired status
 * rejects (a later "FIDO_CERTIFIED" does not undo a key compromise), and the certification level
 * in effect must reach `minimumCertification` when one is set.
 *
 * @throws WebAuthnError `ERR_METADATA_STATUS` (`details.received` the status or level found);
 *   `ERR_OPTIONS_INVALID` for a malformed policy.
 */
export function checkMetadataStatus(facts: MetadataStatusFacts, policy: MetadataStatusPolicy = {}): void {
  if (typeof policy !== 'object' || policy === null) {
    fail('ERR_OPTIONS_INVALID', 'checkMetadataStatus: policy must be an object', { details: { field: 'policy' } });
  }
  const undesired = policy.undesiredStatuses ?? METADATA_UNDESIRED_STATUSES;
  if (!Array.isArray(undesired) || !undesired.every((s) => typeof s === 'string')) {
    fail('ERR_OPTIONS_INVALID', 'checkMetadataStatus: undesiredStatuses must be a list of status names', {
      details: { field: 'undesiredStatuses' },
    });
  }
  const minimum = policy.minimumCertification;
  if (minimum !== undefined && !(METADATA_CERTIFICATION_LEVELS as readonly string[]).includes(minimum)) {
    fail('ERR_OPTIONS_INVALID', `checkMetadataStatus: minimumCertification must be one of ${METADATA_CERTIFICATION_LEVELS.join(', ')}`, {
      details: { field: 'minimumCertification' },
    });
  }
  if (typeof facts !== 'object' || facts === null || !Array.isArray(facts.inEffect)) {
    fail('ERR_OPTIONS_INVALID', 'checkMetadataStatus: facts must come from evaluateMetadataStatus', { details: { field: 'facts' } });
  }
  const bad = facts.inEffect.find((report) => undesired.includes(report.status));
  if (bad !== undefined) {
    fail('ERR_METADATA_STATUS', `Metadata: the authenticator has status ${bad.status} since ${bad.effectiveDate ?? 'always'}`, {
      step: STEP,
      details: { field: 'statusReports', received: bad.status, effectiveDate: bad.effectiveDate ?? null },
    });
  }
  if (minimum !== undefined && (facts.certificationLevel === undefined || levelRank(facts.certificationLevel) < levelRank(minimum))) {
    fail('ERR_METADATA_STATUS', `Metadata: certification ${facts.certificationLevel ?? 'none'} is below the required ${minimum}`, {
      step: STEP,
      details: { field: 'statusReports', reason: 'certification', expected: minimum, received: facts.certificationLevel ?? null },
    });
  }
}
