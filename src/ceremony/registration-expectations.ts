/**
 * The expectations of a registration (§7.1), read once and checked up front: every member of the
 * wrong type, or unknown, is `ERR_OPTIONS_INVALID` naming it (`attestation.tpm`, `mediation`,
 * `attestation.trustAnchors[0]`…), before any byte of the response is looked at.
 */
import { SUPPORTED_ATTESTATION_FORMATS } from '../attestation/index.js';
import type { AttestationFormat } from '../attestation/types.js';
import { type CheckedMetadataExpectations, readMetadataExpectations } from '../metadata/registration-policy.js';
import type { AttestationRequirement } from '../policy/trust.js';
import { type RevocationOptions, type TrustAnchorInput, readTrustAnchorEntry } from '../x509/index.js';
import {
  COMMON_EXPECTATION_KEYS,
  type CheckedExpectations,
  optionalBoolean,
  optionalEnum,
  readCeremonyExpectations,
} from './expectations.js';
import { EXPECTATIONS, describeType, invalidInput, isPlainMember, readList, readMembers } from './input.js';

/** The mediation values of §5.1.1 (CredentialMediationRequirement). */
export type RegistrationMediation = 'conditional' | 'required' | 'optional' | 'silent';

/** The attestation policy after validation. */
export interface CheckedAttestationPolicy {
  readonly trustAnchors: readonly TrustAnchorInput[];
  readonly require: AttestationRequirement;
  readonly formats: readonly AttestationFormat[] | undefined;
  readonly revocation: RevocationOptions | undefined;
  readonly androidKey: 'tee' | 'union' | undefined;
  readonly tpmRequireKnownManufacturer: boolean | undefined;
  readonly safetyNetMaxAgeMs: number | undefined;
  readonly compound: 'all' | 'any' | undefined;
  /** `attestation.metadata` with `attestation.policy` (docs/metadata.md). */
  readonly metadata: CheckedMetadataExpectations | undefined;
}

/** The registration expectations after validation. */
export interface CheckedRegistration extends CheckedExpectations {
  readonly attestation: CheckedAttestationPolicy;
  readonly mediation: RegistrationMediation | undefined;
  /** The caller's `now`, or the current time, as the library's own Date. */
  readonly now: Date;
  readonly allowLegacyKeyWithoutCurve: boolean;
}

const REGISTRATION_KEYS: readonly string[] = Object.freeze([
  ...COMMON_EXPECTATION_KEYS,
  'attestation',
  'mediation',
  'now',
  'allowLegacyKeyWithoutCurve',
]);
const ATTESTATION_KEYS: readonly string[] = Object.freeze([
  'trustAnchors',
  'require',
  'formats',
  'revocation',
  'androidKey',
  'tpm',
  'safetyNet',
  'compound',
  'metadata',
  'policy',
]);
const REQUIREMENTS: readonly AttestationRequirement[] = ['none', 'valid', 'trusted'];
const MEDIATIONS: readonly RegistrationMediation[] = ['conditional', 'required', 'optional', 'silent'];

function invalid(field: string, message: string, value?: unknown): never {
  return invalidInput(EXPECTATIONS, field, message, value === undefined ? undefined : { received: describeType(value) });
}

/** An optional nested options object, read once with its own known members. */
function nested(value: unknown, field: string, keys: readonly string[]): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainMember(value)) invalid(field, 'must be an object', value);
  return readMembers(value, keys, EXPECTATIONS, `${field}.`).members;
}

function list(value: unknown, field: string): unknown[] {
  const items = readList(value, EXPECTATIONS, field);
  if (items === undefined) invalid(field, 'must be an array', value);
  return items;
}

const TRUST_ANCHOR_ENTRY_KEYS: readonly string[] = Object.freeze(['certificate', 'validFrom', 'validUntil', 'label']);

function trustAnchorsOf(value: unknown): readonly TrustAnchorInput[] {
  if (value === undefined) return [];
  return list(value, 'attestation.trustAnchors').map((entry, i) => {
    // A copy of bytes: verification awaits, and the caller's array may change meanwhile.
    if (entry instanceof Uint8Array && entry.length > 0) return new Uint8Array(entry);
    if (typeof entry === 'string' && entry.length > 0) return entry;
    // docs/trust.md: `{ certificate, validFrom?, validUntil?, label? }`, read once and copied.
    const field = `attestation.trustAnchors[${i}]`;
    if (isPlainMember(entry) && !(entry instanceof Uint8Array)) return readTrustAnchorEntry(nested(entry, field, TRUST_ANCHOR_ENTRY_KEYS) ?? {}, field);
    return invalid(field, 'must be PEM or base64 text, DER bytes, or { certificate, validFrom?, validUntil?, label? }', entry);
  });
}

function formatsOf(value: unknown): readonly AttestationFormat[] | undefined {
  if (value === undefined) return undefined;
  return list(value, 'attestation.formats').map((fmt, i) => {
    // A misspelt format would refuse every registration of the intended one, silently.
    if (typeof fmt !== 'string' || !(SUPPORTED_ATTESTATION_FORMATS as readonly string[]).includes(fmt)) {
      invalid(`attestation.formats[${i}]`, `must be one of ${SUPPORTED_ATTESTATION_FORMATS.join(', ')}`, fmt);
    }
    return fmt as AttestationFormat;
  });
}

function revocationOf(value: unknown): RevocationOptions | undefined {
  const members = nested(value, 'attestation.revocation', ['crls', 'mode']);
  if (members === undefined) return undefined;
  const crls = list(members.crls, 'attestation.revocation.crls').map((crl, i) => {
    if (!(crl instanceof Uint8Array)) invalid(`attestation.revocation.crls[${i}]`, 'must be DER bytes', crl);
    return new Uint8Array(crl);
  });
  const mode = optionalEnum(members.mode, ['require', 'if-available'] as const, 'attestation.revocation.mode');
  if (mode === undefined) invalid('attestation.revocation.mode', 'must be "require" or "if-available"');
  return { crls, mode };
}

function attestationPolicyOf(value: unknown): CheckedAttestationPolicy {
  const m = nested(value, 'attestation', ATTESTATION_KEYS) ?? {};
  const tpm = nested(m.tpm, 'attestation.tpm', ['requireKnownManufacturer']);
  const safetyNet = nested(m.safetyNet, 'attestation.safetyNet', ['maxAgeMs']);
  const maxAgeMs = safetyNet?.maxAgeMs;
  if (maxAgeMs !== undefined && !(typeof maxAgeMs === 'number' && Number.isSafeInteger(maxAgeMs) && maxAgeMs >= 0)) {
    invalid('attestation.safetyNet.maxAgeMs', 'must be a non-negative integer (milliseconds)', maxAgeMs);
  }
  const require = optionalEnum(m.require, REQUIREMENTS, 'attestation.require') ?? 'valid';
  const metadata = readMetadataExpectations(m.metadata, m.policy);
  if (metadata !== undefined && require === 'none') {
    invalid('attestation.metadata', "needs require 'valid' or 'trusted': under 'none' the statement is not verified");
  }
  return {
    trustAnchors: trustAnchorsOf(m.trustAnchors),
    require,
    formats: formatsOf(m.formats),
    revocation: revocationOf(m.revocation),
    androidKey: optionalEnum(m.androidKey, ['tee', 'union'] as const, 'attestation.androidKey'),
    tpmRequireKnownManufacturer: optionalBoolean(tpm?.requireKnownManufacturer, 'attestation.tpm.requireKnownManufacturer'),
    safetyNetMaxAgeMs: maxAgeMs as number | undefined,
    compound: optionalEnum(m.compound, ['all', 'any'] as const, 'attestation.compound'),
    metadata,
  };
}

function nowOf(value: unknown): Date {
  if (value === undefined) return new Date();
  let time = Number.NaN;
  try {
    // The internal time value, not a (possibly overridden) method of the caller's object.
    time = Date.prototype.getTime.call(value);
  } catch {
    // not a Date
  }
  if (Number.isNaN(time)) invalid('now', 'must be a valid Date', value);
  return new Date(time);
}

/**
 * Reads and checks the expectations of a registration. Throws `ERR_OPTIONS_INVALID` naming the
 * member, or `ERR_CALLBACK_FAILED` when reading one throws.
 */
export function readRegistrationExpectations(expected: unknown): CheckedRegistration {
  const { checked, values } = readCeremonyExpectations(expected, REGISTRATION_KEYS);
  const own = (key: string) => values[REGISTRATION_KEYS.indexOf(key)];
  return {
    ...checked,
    attestation: attestationPolicyOf(own('attestation')),
    mediation: optionalEnum(own('mediation'), MEDIATIONS, 'mediation'),
    now: nowOf(own('now')),
    allowLegacyKeyWithoutCurve: optionalBoolean(own('allowLegacyKeyWithoutCurve'), 'allowLegacyKeyWithoutCurve') ?? false,
  };
}
