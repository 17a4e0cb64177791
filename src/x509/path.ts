/**
 * Certification path validation for attestation trust paths (WebAuthn §7.1 step 24, RFC 5280
 * §6.1 reduced to what attestation needs): x5c is taken as given, leaf first, and must chain in
 * that order to, or end with, one of the caller's trust anchors. No path building, no policy
 * trees, no network.
 */
import { asWebAuthnError, fail, type WebAuthnErrorDetails } from '../errors.js';
import { certificateInternals, namesMatch, type ParsedCertificate } from './certificate.js';
import { formatName } from './names.js';
import {
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_POLICIES,
  OID_EXT_KEY_USAGE,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_SUBJECT_KEY_IDENTIFIER,
} from './oids.js';
import { checkRevocation, type IssuedLink, parseCrls, type RevocationOptions } from './revocation.js';
import { isSignedBy, type SignatureOptions } from './signature.js';

const STEP = '7.1.24';

/** Default and largest accepted `maxLength` (checklist §5: x5c ≤ 5 is plenty for attestation). */
export const DEFAULT_MAX_CHAIN_LENGTH = 5;
const MAX_CHAIN_LENGTH_LIMIT = 16;

/**
 * Critical extensions a path may carry. certificatePolicies is accepted without policy
 * processing: attestation trust comes from the anchor, not from a policy OID.
 * nameConstraints is deliberately absent, so a critical one is refused as unsupported.
 */
const UNDERSTOOD_CRITICAL = new Set([
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  OID_EXT_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_CERTIFICATE_POLICIES,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_SUBJECT_KEY_IDENTIFIER,
]);

/** Input of {@link validateCertificatePath}. */
export interface PathValidationOptions {
  /** The attestation certificates as in x5c: leaf first, then each issuer in order. */
  readonly chain: readonly ParsedCertificate[];
  /** Acceptable roots (or intermediates, or the attestation certificate itself). */
  readonly trustAnchors: readonly ParsedCertificate[];
  /** The verification time. */
  readonly now: Date;
  /** Largest x5c length accepted (default 5, at most 16). */
  readonly maxLength?: number | undefined;
  /** CRLs to consult; revocation is not checked without them. */
  readonly revocation?: RevocationOptions | undefined;
  /** Accept SHA-1 based certificate and CRL signatures (refused by default). */
  readonly allowSha1Signatures?: boolean | undefined;
}

/**
 * The outcome of a structurally valid chain. `trusted: true` carries the anchor reached and the
 * path, leaf first, ending with the anchor (included once, also when x5c itself ends with it).
 * `no-anchors`: no trust anchors were given. `no-path`: the chain is internally valid but reaches
 * none of the anchors (this includes an x5c that ends with a self-signed certificate that is
 * not itself an anchor).
 */
export type PathValidationResult =
  | { readonly trusted: true; readonly anchor: ParsedCertificate; readonly path: readonly ParsedCertificate[] }
  | { readonly trusted: false; readonly reason: 'no-anchors' | 'no-path' };

function chainInvalid(message: string, details: WebAuthnErrorDetails): never {
  fail('ERR_CERT_CHAIN_INVALID', message, { step: STEP, details });
}

function checkValidity(cert: ParsedCertificate, now: Date, index: number | 'anchor'): void {
  const time = now.getTime();
  if (time < cert.notBefore.getTime()) {
    fail('ERR_CERT_NOT_YET_VALID', `Certificate ${index} is not valid before ${cert.notBefore.toISOString()}`, {
      step: STEP,
      details: { index, subject: formatName(cert.subject), expected: cert.notBefore.toISOString(), received: now.toISOString() },
    });
  }
  if (time > cert.notAfter.getTime()) {
    fail('ERR_CERT_EXPIRED', `Certificate ${index} expired at ${cert.notAfter.toISOString()}`, {
      step: STEP,
      details: { index, subject: formatName(cert.subject), expected: cert.notAfter.toISOString(), received: now.toISOString() },
    });
  }
}

function checkCriticalExtensions(cert: ParsedCertificate, index: number | 'anchor'): void {
  for (const extension of cert.extensions) {
    if (extension.critical && !UNDERSTOOD_CRITICAL.has(extension.oid)) {
      fail('ERR_CERT_EXTENSION_INVALID', `Certificate ${index} has critical extension ${extension.oid}, which is not supported`, {
        step: STEP,
        details: { index, field: extension.oid },
      });
    }
  }
}

/**
 * The rules on a certificate that issues another: CA true (required for x5c members; for an
 * anchor only when it carries basicConstraints, so v1 roots stay usable), keyCertSign when
 * keyUsage is present, and pathLenConstraint against the intermediates below it.
 */
function checkIssuer(issuer: ParsedCertificate, index: number | 'anchor', intermediatesBelow: number, isAnchor: boolean): void {
  const constraints = issuer.basicConstraints;
  if (constraints === undefined ? !isAnchor : !constraints.ca) {
    chainInvalid(`Certificate ${index} issues a certificate but is not a CA (basicConstraints)`, {
      index,
      reason: 'not-ca',
    });
  }
  if (issuer.keyUsage !== undefined && !issuer.keyUsage.includes('keyCertSign')) {
    chainInvalid(`Certificate ${index} issues a certificate but its keyUsage lacks keyCertSign`, {
      index,
      reason: 'no-key-cert-sign',
    });
  }
  const limit = constraints?.pathLenConstraint;
  if (limit !== undefined && intermediatesBelow > limit) {
    chainInvalid(`Certificate ${index} allows ${limit} intermediate CAs below it, the path has ${intermediatesBelow}`, {
      index,
      reason: 'path-length',
      expected: limit,
      received: intermediatesBelow,
    });
  }
}

function misuse(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', `validateCertificatePath: ${message}`, { details: { field } });
}

/** The caller's options, checked up front: wrong types are ERR_OPTIONS_INVALID naming the field. */
function checkOptions(options: PathValidationOptions): number {
  if (typeof options !== 'object' || options === null) misuse('options', 'expects an options object');
  const { chain, trustAnchors, now, maxLength = DEFAULT_MAX_CHAIN_LENGTH } = options;
  if (!Array.isArray(chain)) misuse('chain', 'chain must be an array of parsed certificates');
  if (!Array.isArray(trustAnchors)) misuse('trustAnchors', 'trustAnchors must be an array of parsed certificates');
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) misuse('now', 'now must be a valid Date');
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_CHAIN_LENGTH_LIMIT) {
    misuse('maxLength', `maxLength must be an integer from 1 to ${MAX_CHAIN_LENGTH_LIMIT}`);
  }
  for (const [index, cert] of chain.entries()) certificateInternals(cert, `chain[${index}]`);
  for (const [index, cert] of trustAnchors.entries()) certificateInternals(cert, `trustAnchors[${index}]`);
  if (options.allowSha1Signatures !== undefined && typeof options.allowSha1Signatures !== 'boolean') {
    misuse('allowSha1Signatures', 'allowSha1Signatures must be a boolean');
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
  return maxLength;
}

/** Rejects repeated certificates: the same DER, or the same tbsCertificate re-signed or re-encoded. */
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

/** Number of certificates of `chain[from..to)` that are not self-issued (RFC 5280 §6.1.4 (l)). */
function countIntermediates(chain: readonly ParsedCertificate[], from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (!chain[i]!.isSelfIssued) count++;
  return count;
}

/**
 * Validates an attestation trust path (x5c, leaf first) against trust anchors at `now`.
 *
 * Invalid chains throw; a valid chain that reaches no anchor resolves `{ trusted: false }`:
 * - the chain is non-empty, at most `maxLength` long, without repeated certificates;
 * - every certificate of x5c, and the anchor reached, is valid at `now`;
 * - each certificate is signed by the next one in x5c order, whose subject is its issuer;
 * - every certificate that issues another is a CA (basicConstraints) with keyCertSign (when
 *   keyUsage is present) and respects its pathLenConstraint;
 * - no certificate carries a critical extension outside basicConstraints, keyUsage,
 *   extKeyUsage, subjectAltName, certificatePolicies, authority/subjectKeyIdentifier;
 * - the last x5c certificate is byte-identical to an anchor, or is signed by one. A self-signed
 *   last certificate that is not an anchor never makes the path trusted (V1);
 * - with `revocation`, every issued certificate of the path is checked against the CRLs.
 *
 * @throws WebAuthnError `ERR_CERT_CHAIN_INVALID`, `ERR_CERT_NOT_YET_VALID`, `ERR_CERT_EXPIRED`,
 *   `ERR_CERT_EXTENSION_INVALID`, `ERR_CERT_SIGNATURE_ALG_UNSUPPORTED`, `ERR_CERT_REVOKED`,
 *   `ERR_CERT_REVOCATION_UNKNOWN`, `ERR_CERT_MALFORMED` (a CRL); `ERR_OPTIONS_INVALID` naming
 *   the field when an option has the wrong type (a chain entry that is not a parsed certificate).
 */
export async function validateCertificatePath(options: PathValidationOptions): Promise<PathValidationResult> {
  const maxLength = checkOptions(options);
  try {
    return await validate(options, maxLength);
  } catch (error) {
    throw asWebAuthnError(error, 'ERR_INTERNAL', STEP);
  }
}

async function validate(options: PathValidationOptions, maxLength: number): Promise<PathValidationResult> {
  const { chain, trustAnchors, now } = options;
  const signatureOptions: SignatureOptions = { allowSha1Signatures: options.allowSha1Signatures, step: STEP };
  if (chain.length === 0) chainInvalid('x5c is empty', { reason: 'empty' });
  if (chain.length > maxLength) {
    chainInvalid(`x5c has ${chain.length} certificates, at most ${maxLength} are accepted`, {
      reason: 'too-long',
      expected: maxLength,
      received: chain.length,
    });
  }
  checkDuplicates(chain);
  chain.forEach((cert, index) => {
    checkValidity(cert, now, index);
    checkCriticalExtensions(cert, index);
  });

  // An x5c that ends with an anchor: that certificate issues under the anchor rules.
  const lastFingerprint = certificateInternals(chain[chain.length - 1]!).fingerprint;
  const endsWithAnchor = trustAnchors.some((anchor) => certificateInternals(anchor).fingerprint === lastFingerprint);
  // Cheap structural checks of every link first, then the signatures.
  for (let i = 0; i + 1 < chain.length; i++) {
    const subject = chain[i]!;
    const issuer = chain[i + 1]!;
    if (!namesMatch(subject.issuer, issuer.subject)) {
      chainInvalid(`x5c is out of order: certificate ${i + 1} is not the issuer of certificate ${i}`, {
        index: i,
        reason: 'issuer-mismatch',
        expected: formatName(subject.issuer),
        received: formatName(issuer.subject),
      });
    }
    checkIssuer(issuer, i + 1, countIntermediates(chain, 1, i + 1), endsWithAnchor && i + 2 === chain.length);
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!(await isSignedBy(chain[i]!, chain[i + 1]!, signatureOptions))) {
      chainInvalid(`The signature of certificate ${i} does not verify with the key of certificate ${i + 1}`, {
        index: i,
        reason: 'signature',
      });
    }
  }

  const links: IssuedLink[] = [];
  for (let i = 0; i + 1 < chain.length; i++) links.push({ subject: chain[i]!, issuer: chain[i + 1]!, index: i });
  const result = await findAnchor(chain, trustAnchors, now, signatureOptions);
  if (result.trusted && result.path.length > chain.length) {
    links.push({ subject: chain[chain.length - 1]!, issuer: result.anchor, index: chain.length - 1 });
  }
  if (options.revocation !== undefined) {
    const crls = parseCrls(options.revocation.crls);
    for (const link of links) await checkRevocation(link, crls, options.revocation.mode, now, signatureOptions);
  }
  return result;
}

async function findAnchor(
  chain: readonly ParsedCertificate[],
  trustAnchors: readonly ParsedCertificate[],
  now: Date,
  signatureOptions: SignatureOptions,
): Promise<PathValidationResult> {
  if (trustAnchors.length === 0) return Object.freeze({ trusted: false, reason: 'no-anchors' });
  const lastIndex = chain.length - 1;
  const last = chain[lastIndex]!;
  const lastFingerprint = certificateInternals(last).fingerprint;
  const identical = trustAnchors.find((anchor) => certificateInternals(anchor).fingerprint === lastFingerprint);
  if (identical !== undefined) {
    return Object.freeze({ trusted: true, anchor: identical, path: Object.freeze([...chain.slice(0, lastIndex), identical]) });
  }
  if (last.isSelfIssued && (await isSignedBy(last, last, signatureOptions).catch(() => false))) {
    return Object.freeze({ trusted: false, reason: 'no-path' });
  }
  let firstError: unknown;
  for (const anchor of trustAnchors) {
    if (!namesMatch(last.issuer, anchor.subject)) continue;
    if (!(await isSignedBy(last, anchor, signatureOptions))) continue;
    try {
      checkValidity(anchor, now, 'anchor');
      checkCriticalExtensions(anchor, 'anchor');
      checkIssuer(anchor, 'anchor', countIntermediates(chain, 1, chain.length), true);
    } catch (error) {
      firstError ??= error;
      continue;
    }
    return Object.freeze({ trusted: true, anchor, path: Object.freeze([...chain, anchor]) });
  }
  if (firstError !== undefined) throw firstError;
  return Object.freeze({ trusted: false, reason: 'no-path' });
}
