/** §7.1 steps 23–24: is the attestation trustworthy? Facts out; the caller's `require` decides. */
import type { AttestationFormat, CompoundEntryOutcome, StatementVerification } from '../attestation/types.js';
import { type WebAuthnError, fail, isWebAuthnError } from '../errors.js';
import { type RevocationOptions, parseTrustAnchors, validateCertificatePath } from '../x509/index.js';

/** How much attestation the relying party requires. */
export type AttestationRequirement = 'none' | 'valid' | 'trusted';

/** The outcome of trust evaluation. */
export interface TrustEvaluation {
  /** The path chained to (or is) one of the caller's anchors. Never true without anchors. */
  readonly trusted: boolean;
  /** DER of the anchor the path reached. */
  readonly trustAnchor: Uint8Array | undefined;
}

/** What trust evaluation needs of the caller. */
export interface TrustOptions {
  readonly trustAnchors: readonly (string | Uint8Array)[];
  readonly require: AttestationRequirement;
  readonly now: Date;
  readonly revocation?: RevocationOptions | undefined;
}

/**
 * Evaluates the trust path of a verified statement against the caller's anchors at `now`.
 * Invalid chains (order, signatures, validity, constraints) always throw. A valid chain that
 * reaches no anchor is `trusted: false`, which `require: 'trusted'` turns into
 * `ERR_CERT_CHAIN_UNTRUSTED`; none and self attestation under `'trusted'` are
 * `ERR_ATTESTATION_TYPE_NOT_ALLOWED`.
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
  });
  // A copy: the parsed anchor is cached and shared by every request (results own their bytes).
  if (result.trusted) return { trusted: true, trustAnchor: new Uint8Array(result.anchor.der) };
  if (options.require === 'trusted') {
    fail(
      'ERR_CERT_CHAIN_UNTRUSTED',
      result.reason === 'no-anchors'
        ? 'Trust is required but no trust anchors were given'
        : 'The attestation certificate chain reaches none of the trust anchors',
      { step: '7.1.24', details: { reason: result.reason } },
    );
  }
  return { trusted: false, trustAnchor: undefined };
}

/**
 * The caller's anchors, parsed. An entry that is not a certificate is the caller's configuration
 * error, `ERR_OPTIONS_INVALID` naming `attestation.trustAnchors` (the parse error as cause) — not
 * `ERR_CERT_MALFORMED`, which reports the authenticator's certificates.
 */
function anchorsOf(list: readonly (string | Uint8Array)[]): ReturnType<typeof parseTrustAnchors> {
  try {
    return parseTrustAnchors(list);
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
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.statement === undefined) {
      if (outcome.error !== undefined) failed.push({ index, fmt: outcome.fmt, error: outcome.error });
      continue;
    }
    try {
      passed.push({ index, fmt: outcome.fmt, statement: outcome.statement, trust: await evaluateTrust(outcome.statement, options) });
    } catch (error) {
      if (options.mode === 'all' || !isWebAuthnError(error)) throw error;
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
