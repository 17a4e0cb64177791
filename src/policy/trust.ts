/** §7.1 steps 23–24: is the attestation trustworthy? Facts out; the caller's `require` decides. */
import type { AttestationFormat, CompoundEntryOutcome, StatementVerification } from '../attestation/types.js';
import { type WebAuthnError, fail, isWebAuthnError } from '../errors.js';
import {
  type PathBudget,
  type PathValidationResult,
  type RevocationOptions,
  type TrustAnchor,
  type TrustAnchorInput,
  parseTrustAnchorSet,
  validateCertificatePath,
} from '../x509/index.js';

/** How much attestation the relying party requires. */
export type AttestationRequirement = 'none' | 'valid' | 'trusted';

/**
 * Certificate signature checks one registration may spend on path building, over every
 * sub-statement (docs/security.md "Registration cost caps", "Path building bounds").
 */
export const MAX_REGISTRATION_PATH_SIGNATURES = 32;

/** What path building established beyond the verdict (docs/trust.md). */
export interface TrustPathFacts {
  /** The label of the anchor reached, when the caller gave one. */
  readonly anchorLabel?: string | undefined;
  /** Why the path is not trusted (absent when it is). */
  readonly reason?: 'no-anchors' | 'no-path' | 'anchor-expired' | 'anchor-not-yet-valid' | undefined;
  /** The anchor that would have completed the path but is outside its window at `now`. */
  readonly inactiveAnchor?:
    | {
        readonly label: string | undefined;
        readonly sha256Fingerprint: string;
        readonly validFrom: string;
        readonly validUntil: string;
        readonly status: 'expired' | 'not-yet-valid';
      }
    | undefined;
  /** x5c indexes of certificates the path did not use (a cross-signed root past the anchor, extras). */
  readonly unusedCertificates: readonly number[];
}

/** The outcome of trust evaluation. */
export interface TrustEvaluation {
  /** The path chained to (or is) one of the caller's anchors. Never true without anchors. */
  readonly trusted: boolean;
  /** DER of the anchor the path reached. */
  readonly trustAnchor: Uint8Array | undefined;
  /** Path facts; absent for none and self attestation (no path). */
  readonly path?: TrustPathFacts | undefined;
}

/** What trust evaluation needs of the caller. */
export interface TrustOptions {
  /** Plain certificates and `{ certificate, validFrom?, validUntil?, label? }` entries (docs/trust.md). */
  readonly trustAnchors: readonly TrustAnchorInput[];
  readonly require: AttestationRequirement;
  readonly now: Date;
  readonly revocation?: RevocationOptions | undefined;
  /** Signature checks shared by the sub-statements of one registration; default a fresh budget. */
  readonly budget?: PathBudget | undefined;
}

/** A fresh path-signature budget for one registration. */
export function createPathBudget(): PathBudget {
  return { remainingSignatures: MAX_REGISTRATION_PATH_SIGNATURES };
}

function factsOf(result: PathValidationResult): TrustPathFacts {
  const unusedCertificates = Object.freeze(result.unused.map((u) => u.index));
  if (result.trusted) return Object.freeze({ anchorLabel: result.anchorLabel, unusedCertificates });
  const inactive = result.inactiveAnchor;
  return Object.freeze({
    reason: result.reason,
    ...(inactive === undefined
      ? {}
      : {
          inactiveAnchor: Object.freeze({
            label: inactive.label,
            sha256Fingerprint: inactive.certificate.sha256Fingerprint,
            validFrom: inactive.validFrom.toISOString(),
            validUntil: inactive.validUntil.toISOString(),
            status: inactive.status,
          }),
        }),
    unusedCertificates,
  });
}

/** Under `require: 'trusted'`: why the path is not trusted, as its own code. */
function untrusted(result: Extract<PathValidationResult, { trusted: false }>, now: Date): never {
  const inactive = result.inactiveAnchor;
  if (inactive !== undefined) {
    const expired = inactive.status === 'expired';
    fail(
      expired ? 'ERR_TRUST_ANCHOR_EXPIRED' : 'ERR_TRUST_ANCHOR_NOT_YET_VALID',
      `The attestation chains only to trust anchor ${inactive.label ?? inactive.certificate.sha256Fingerprint.slice(0, 16)}, ${
        expired ? `trusted until ${inactive.validUntil.toISOString()}` : `trusted from ${inactive.validFrom.toISOString()}`
      }`,
      {
        step: '7.1.24',
        details: {
          reason: result.reason,
          ...(inactive.label === undefined ? {} : { label: inactive.label }),
          sha256Fingerprint: inactive.certificate.sha256Fingerprint,
          expected: (expired ? inactive.validUntil : inactive.validFrom).toISOString(),
          received: now.toISOString(),
        },
      },
    );
  }
  fail(
    'ERR_CERT_CHAIN_UNTRUSTED',
    result.reason === 'no-anchors'
      ? 'Trust is required but no trust anchors were given'
      : 'The attestation certificate chain reaches none of the trust anchors',
    { step: '7.1.24', details: { reason: result.reason } },
  );
}

/**
 * Evaluates the trust path of a verified statement against the caller's anchors at `now`: the
 * path is built from x5c (src/x509/path.ts) in x5c order, to the first certificate that is or is
 * issued by an anchor. Invalid chains (order, signatures, validity, constraints) always throw. A
 * valid chain that reaches no anchor is `trusted: false`, which `require: 'trusted'` turns into
 * `ERR_CERT_CHAIN_UNTRUSTED` (`ERR_TRUST_ANCHOR_EXPIRED` / `ERR_TRUST_ANCHOR_NOT_YET_VALID` when
 * only an anchor outside its window would complete it); none and self attestation under
 * `'trusted'` are `ERR_ATTESTATION_TYPE_NOT_ALLOWED`.
 */
export async function evaluateTrust(statement: StatementVerification, options: TrustOptions): Promise<TrustEvaluation> {
  if (statement.trustPath.length === 0) {
    if (options.require === 'trusted') {
      fail('ERR_ATTESTATION_TYPE_NOT_ALLOWED', `"${statement.type}" attestation cannot be trusted and trust is required`, {
        step: '7.1.24',
        details: { received: statement.type },
      });
    }
    return { trusted: false, trustAnchor: undefined };
  }
  const result = await validateCertificatePath({
    chain: statement.trustPath,
    trustAnchors: anchorsOf(options.trustAnchors),
    now: options.now,
    revocation: options.revocation,
    budget: options.budget ?? createPathBudget(),
  });
  // A copy: the parsed anchor is cached and shared by every request (results own their bytes).
  if (result.trusted) return { trusted: true, trustAnchor: new Uint8Array(result.anchor.der), path: factsOf(result) };
  if (options.require === 'trusted') untrusted(result, options.now);
  return { trusted: false, trustAnchor: undefined, path: factsOf(result) };
}

/**
 * The caller's anchors, parsed. An entry that is not a certificate is the caller's configuration
 * error, `ERR_OPTIONS_INVALID` naming `attestation.trustAnchors` (the parse error as cause) — not
 * `ERR_CERT_MALFORMED`, which reports the authenticator's certificates.
 */
function anchorsOf(list: readonly TrustAnchorInput[]): readonly TrustAnchor[] {
  try {
    return parseTrustAnchorSet(list);
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_OPTIONS_INVALID')) throw error;
    return fail('ERR_OPTIONS_INVALID', 'expected.attestation.trustAnchors: an entry is not a PEM, base64 or DER certificate', {
      details: { field: 'attestation.trustAnchors' },
      cause: error,
    });
  }
}

/** A compound sub-statement that passed: verified and (under `'trusted'`) trusted. */
export interface CompoundPassed {
  readonly index: number;
  readonly fmt: AttestationFormat;
  readonly statement: StatementVerification;
  readonly trust: TrustEvaluation;
}

/** A compound sub-statement that failed under policy `any` (reported, not thrown). */
export interface CompoundFailed {
  readonly index: number;
  readonly fmt: AttestationFormat;
  readonly error: WebAuthnError;
}

/**
 * §8.9 with §7.1 steps 23–24: evaluates each verified sub-statement of a compound statement on its
 * own against the anchors. `all`: any failure throws (the sub-statement's own code). `any`: failures
 * are collected; at least one sub-statement must pass, else `ERR_COMPOUND_UNSATISFIED` (the first
 * failure is its cause, every failure is listed in details).
 */
export async function evaluateCompoundTrust(
  outcomes: readonly CompoundEntryOutcome[],
  options: TrustOptions & { readonly mode: 'all' | 'any' },
): Promise<{ readonly passed: readonly CompoundPassed[]; readonly failed: readonly CompoundFailed[] }> {
  const passed: CompoundPassed[] = [];
  const failed: CompoundFailed[] = [];
  // One path-signature budget for the whole registration (checklist §5).
  const shared = { ...options, budget: options.budget ?? createPathBudget() };
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.statement === undefined) {
      if (outcome.error !== undefined) failed.push({ index, fmt: outcome.fmt, error: outcome.error });
      continue;
    }
    try {
      passed.push({ index, fmt: outcome.fmt, statement: outcome.statement, trust: await evaluateTrust(outcome.statement, shared) });
    } catch (error) {
      // The cost cap holds under `any` too: one costly sub-statement refuses the registration.
      if (options.mode === 'all' || !isWebAuthnError(error) || error.code === 'ERR_ATTESTATION_TOO_COSTLY') throw error;
      failed.push({ index, fmt: outcome.fmt, error });
    }
  }
  if (passed.length === 0) {
    fail('ERR_COMPOUND_UNSATISFIED', 'No sub-statement of the compound attestation was acceptable', {
      step: '8.9',
      details: { failures: failed.map((f) => ({ index: f.index, fmt: f.fmt, code: f.error.code })) },
      ...(failed[0] === undefined ? {} : { cause: failed[0].error }),
    });
  }
  return { passed, failed };
}
