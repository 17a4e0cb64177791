/**
 * Certification path validation for attestation trust paths (WebAuthn §7.1 step 24, RFC 5280
 * §6.1 reduced to what attestation needs) with path building (path-search.ts): the path starts at
 * x5c[0] and ends at the first certificate that is, or is issued by, one of the caller's trust
 * anchors. Certificates of x5c the path does not need are tolerated and reported, never trusted.
 * No policy trees, no network. docs/trust.md says how anchors, building and policy combine.
 */
import { asWebAuthnError, fail, isWebAuthnError } from '../errors.js';
import { certificateInternals, type ParsedCertificate } from './certificate.js';
import { chainInvalid, checkCriticalExtensions, checkValidity, PATH_STEP } from './path-checks.js';
import { MAX_CANDIDATE_CHECKS, type PathBudget, searchPath } from './path-search.js';
import { checkRevocation, parseCrls, type RevocationOptions } from './revocation.js';
import type { SignatureOptions } from './signature.js';
import { normalizeTrustAnchors, type TrustAnchor } from './trust-anchors.js';

/** Default `maxLength` (checklist §5: x5c ≤ 5 is plenty for attestation). */
export const DEFAULT_MAX_CHAIN_LENGTH = 5;
/** Largest accepted `maxLength` (a JWS x5c of metadata may carry more than attestation does). */
const MAX_CHAIN_LENGTH_LIMIT = 32;

/** Input of {@link validateCertificatePath}. */
export interface PathValidationOptions {
  /** The certificates as in x5c: the leaf (the attestation certificate) first, then its chain. */
  readonly chain: readonly ParsedCertificate[];
  /**
   * Acceptable roots (or intermediates, or the attestation certificate itself): parsed
   * certificates (trusted within their own validity) or {@link TrustAnchor}s from
   * `parseTrustAnchorSet` (trusted within their window).
   */
  readonly trustAnchors: readonly (ParsedCertificate | TrustAnchor)[];
  /** The verification time. */
  readonly now: Date;
  /** Largest x5c length accepted (default 5, at most 32). */
  readonly maxLength?: number | undefined;
  /** CRLs to consult; revocation is not checked without them. */
  readonly revocation?: RevocationOptions | undefined;
  /** Accept SHA-1 based certificate and CRL signatures (refused by default). */
  readonly allowSha1Signatures?: boolean | undefined;
  /**
   * Build the path from the x5c certificates in any order (default false: the issuer of x5c[i]
   * is an anchor or x5c[i + 1], as WebAuthn §8 and the FIDO conformance tools require; trailing
   * certificates the path does not need are tolerated either way).
   */
  readonly allowUnorderedChain?: boolean | undefined;
  /** Signature checks shared with other validations (a registration's budget), decremented. */
  readonly budget?: PathBudget | undefined;
}

/** A certificate of x5c the path does not use (a cross-signed root past the anchor, an extra). */
export interface UnusedCertificate {
  /** Its x5c index. */
  readonly index: number;
  readonly sha256Fingerprint: string;
}

/** An anchor that would have completed the path but is outside its window at `now`. */
export interface InactiveAnchorReport {
  readonly certificate: ParsedCertificate;
  readonly label: string | undefined;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly status: 'expired' | 'not-yet-valid';
}

/**
 * The outcome of a valid path. `trusted: true`: `anchor` is the anchor reached (`anchorLabel`
 * its label), `path` runs from the leaf to it (the anchor's own certificate last, once, also when
 * x5c carries it or a cross-signed copy of it). `trusted: false`: `path` is the part built from
 * x5c, and `reason` says why no anchor completed it — `no-anchors` (none given), `no-path`
 * (none issues it; this includes an x5c ending with a self-signed certificate that is not an
 * anchor), `anchor-expired` / `anchor-not-yet-valid` (only an anchor outside its window would;
 * `inactiveAnchor` says which). `unused` lists the x5c certificates off the path.
 */
export type PathValidationResult =
  | {
      readonly trusted: true;
      readonly anchor: ParsedCertificate;
      readonly anchorLabel: string | undefined;
      readonly path: readonly ParsedCertificate[];
      readonly unused: readonly UnusedCertificate[];
    }
  | {
      readonly trusted: false;
      readonly reason: 'no-anchors' | 'no-path' | 'anchor-expired' | 'anchor-not-yet-valid';
      readonly path: readonly ParsedCertificate[];
      readonly inactiveAnchor?: InactiveAnchorReport;
      readonly unused: readonly UnusedCertificate[];
    };

function misuse(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', `validateCertificatePath: ${message}`, { details: { field } });
}

/** The caller's options, checked up front: wrong types are ERR_OPTIONS_INVALID naming the field. */
function checkOptions(options: PathValidationOptions): { maxLength: number; anchors: readonly TrustAnchor[] } {
  if (typeof options !== 'object' || options === null) misuse('options', 'expects an options object');
  const { chain, trustAnchors, now, maxLength = DEFAULT_MAX_CHAIN_LENGTH } = options;
  if (!Array.isArray(chain)) misuse('chain', 'chain must be an array of parsed certificates');
  if (!Array.isArray(trustAnchors)) misuse('trustAnchors', 'trustAnchors must be an array of parsed certificates or trust anchors');
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) misuse('now', 'now must be a valid Date');
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_CHAIN_LENGTH_LIMIT) {
    misuse('maxLength', `maxLength must be an integer from 1 to ${MAX_CHAIN_LENGTH_LIMIT}`);
  }
  for (const [index, cert] of chain.entries()) certificateInternals(cert, `chain[${index}]`);
  const anchors = normalizeTrustAnchors(trustAnchors);
  for (const name of ['allowSha1Signatures', 'allowUnorderedChain'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') misuse(name, `${name} must be a boolean`);
  }
  const budget = options.budget;
  if (budget !== undefined && (typeof budget !== 'object' || budget === null || !Number.isInteger(budget.remainingSignatures))) {
    misuse('budget', 'budget must be { remainingSignatures: integer }');
  }
  const revocation = options.revocation;
  if (revocation !== undefined) {
    if (typeof revocation !== 'object' || revocation === null) misuse('revocation', 'revocation must be an object');
    if (!Array.isArray(revocation.crls) || !revocation.crls.every((crl) => crl instanceof Uint8Array)) {
      misuse('revocation.crls', 'revocation.crls must be an array of DER byte arrays');
    }
    if (revocation.mode !== 'require' && revocation.mode !== 'if-available') {
      misuse('revocation.mode', "revocation.mode must be 'require' or 'if-available'");
    }
  }
  return { maxLength, anchors };
}

/** Rejects repeated certificates (checklist L.85, V1): the same DER, or the same tbsCertificate re-signed. */
function checkDuplicates(chain: readonly ParsedCertificate[]): void {
  const seen = new Map<string, number>();
  chain.forEach((cert, index) => {
    const internals = certificateInternals(cert);
    internals.tbsKey ??= String.fromCharCode(...internals.tbs);
    for (const key of [`d:${internals.fingerprint}`, `t:${internals.tbsKey}`]) {
      const first = seen.get(key);
      if (first !== undefined) {
        chainInvalid(`x5c repeats certificate ${first} at ${index}`, { index, reason: 'duplicate', expected: first });
      }
      seen.set(key, index);
    }
  });
}

/**
 * Builds and validates an attestation trust path (x5c, leaf first) to trust anchors at `now`.
 *
 * Invalid chains throw; a valid chain that reaches no anchor resolves `{ trusted: false }`:
 * - x5c is non-empty, at most `maxLength` long, without repeated certificates;
 * - the path starts at x5c[0] and ends at the first certificate that is an anchor (the same DER,
 *   or the same subject and SubjectPublicKeyInfo) or is issued by one; issuers are the anchors
 *   (tried first) and the x5c certificates — by default in x5c order, with
 *   `allowUnorderedChain` in any order — matched by name and authority/subject key identifier,
 *   their signature verified; at most 8 certificates, at most 16 signature checks (else
 *   `ERR_CERT_CHAIN_INVALID`, reason `path-too-long` / `candidate-limit`);
 * - every certificate on the path is valid at `now`; the anchor within its window (else the
 *   result reports it, `anchor-expired` / `anchor-not-yet-valid`);
 * - every certificate that issues another is a CA (basicConstraints) with keyCertSign (when
 *   keyUsage is present) and respects its pathLenConstraint;
 * - no certificate on the path carries a critical extension outside basicConstraints, keyUsage,
 *   extKeyUsage, subjectAltName, certificatePolicies, authority/subjectKeyIdentifier;
 * - a self-signed certificate of x5c is never an anchor unless the caller listed it (V1);
 * - with `revocation`, every issued certificate of the path is checked against the CRLs.
 * When no path is found, the first dead end's failure is thrown (e.g. the only candidate issuer
 * is expired, or x5c is out of order) and, when there was none, the result says `no-path`.
 *
 * @throws WebAuthnError `ERR_CERT_CHAIN_INVALID`, `ERR_CERT_NOT_YET_VALID`, `ERR_CERT_EXPIRED`,
 *   `ERR_CERT_EXTENSION_INVALID`, `ERR_CERT_SIGNATURE_ALG_UNSUPPORTED`, `ERR_CERT_REVOKED`,
 *   `ERR_CERT_REVOCATION_UNKNOWN`, `ERR_CERT_MALFORMED` (a CRL); `ERR_ATTESTATION_TOO_COSTLY`
 *   when `budget` runs out; `ERR_OPTIONS_INVALID` naming the field when an option has the wrong
 *   type (a chain entry that is not a parsed certificate).
 */
export async function validateCertificatePath(options: PathValidationOptions): Promise<PathValidationResult> {
  let checked: ReturnType<typeof checkOptions>;
  try {
    checked = checkOptions(options);
  } catch (error) {
    if (isWebAuthnError(error)) throw error;
    // A getter or proxy of the caller's options threw.
    fail('ERR_CALLBACK_FAILED', 'validateCertificatePath: reading an option threw', { details: { field: 'options' }, cause: error });
  }
  try {
    return await validate(options, checked.maxLength, checked.anchors);
  } catch (error) {
    throw asWebAuthnError(error, 'ERR_INTERNAL', PATH_STEP);
  }
}

function unusedOf(chain: readonly ParsedCertificate[], used: ReadonlySet<number>): readonly UnusedCertificate[] {
  const unused: UnusedCertificate[] = [];
  chain.forEach((cert, index) => {
    if (!used.has(index)) unused.push(Object.freeze({ index, sha256Fingerprint: cert.sha256Fingerprint }));
  });
  return Object.freeze(unused);
}

async function validate(options: PathValidationOptions, maxLength: number, anchors: readonly TrustAnchor[]): Promise<PathValidationResult> {
  const { chain, now } = options;
  const signatureOptions: SignatureOptions = { allowSha1Signatures: options.allowSha1Signatures, step: PATH_STEP };
  if (chain.length === 0) chainInvalid('x5c is empty', { reason: 'empty' });
  if (chain.length > maxLength) {
    chainInvalid(`x5c has ${chain.length} certificates, at most ${maxLength} are accepted`, {
      reason: 'too-long',
      expected: maxLength,
      received: chain.length,
    });
  }
  checkDuplicates(chain);
  // The leaf is on every path: its own checks come first.
  const leaf = chain[0] as ParsedCertificate;
  checkValidity(leaf, now, 0);
  checkCriticalExtensions(leaf, 0);

  const outcome = await searchPath({
    chain,
    anchors,
    now,
    ordered: options.allowUnorderedChain !== true,
    signatureOptions,
    budget: options.budget,
  });
  const used = new Set(outcome.used);
  // An x5c that carries the anchor's own certificate (the same DER) uses it; a cross-signed copy is reported.
  if (outcome.trusted) {
    const anchorFingerprint = outcome.anchor.certificate.sha256Fingerprint;
    chain.forEach((cert, index) => {
      if (cert.sha256Fingerprint === anchorFingerprint) used.add(index);
    });
  }
  const unused = unusedOf(chain, used);
  let result: PathValidationResult;
  if (outcome.trusted) {
    const anchor = outcome.anchor;
    result = { trusted: true, anchor: anchor.certificate, anchorLabel: anchor.label, path: Object.freeze([...outcome.path]), unused };
  } else if (outcome.limitReached) {
    chainInvalid(`Path building stopped after ${MAX_CANDIDATE_CHECKS} candidate signature checks`, {
      reason: 'candidate-limit',
      expected: MAX_CANDIDATE_CHECKS,
    });
  } else if (outcome.inactive !== undefined) {
    const { anchor, status } = outcome.inactive;
    const inactiveAnchor: InactiveAnchorReport = Object.freeze({
      certificate: anchor.certificate,
      label: anchor.label,
      validFrom: new Date(anchor.validFrom.getTime()),
      validUntil: new Date(anchor.validUntil.getTime()),
      status,
    });
    const reason = status === 'expired' ? 'anchor-expired' : 'anchor-not-yet-valid';
    result = { trusted: false, reason, path: Object.freeze([...outcome.path]), inactiveAnchor, unused };
  } else if (outcome.failure !== undefined) {
    throw outcome.failure;
  } else {
    result = { trusted: false, reason: anchors.length === 0 ? 'no-anchors' : 'no-path', path: Object.freeze([...outcome.path]), unused };
  }
  if (options.revocation !== undefined) {
    const crls = parseCrls(options.revocation.crls);
    const path = result.path;
    for (let i = 0; i + 1 < path.length; i++) {
      await checkRevocation({ subject: path[i]!, issuer: path[i + 1]!, index: i }, crls, options.revocation.mode, now, signatureOptions);
    }
  }
  return Object.freeze(result);
}
