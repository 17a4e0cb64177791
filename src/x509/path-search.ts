/**
 * Certification path building (RFC 4158 in its simplest bounded form): from the leaf, a
 * depth-first search over candidate issuers — the caller's anchors first, then the certificates
 * of x5c — matched by name (RFC 5280 §7.1 comparison, `namesMatch`) and key identifiers
 * (key-identifiers.ts), each accepted only after its signature on the child verifies and it passes
 * the issuer rules. The search stops at the first certificate that is an anchor.
 *
 * Bounds (docs/security.md "Path building bounds"): every x5c certificate is expanded at most once
 * (a visited set), so each (child, candidate) signature is checked at most once; at most
 * {@link MAX_CANDIDATE_CHECKS} signature checks per search, then the search ends with
 * `candidate-limit`; paths of at most {@link MAX_PATH_LENGTH} certificates, anchor included.
 */
import { equalBytes } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import { certificateInternals, namesMatch, type ParsedCertificate } from './certificate.js';
import { encodedBytes } from './der.js';
import { keyIdentifiersAllow } from './key-identifiers.js';
import { formatName, type X509Name } from './names.js';
import { chainInvalid, checkCriticalExtensions, checkIssuer, checkValidity, PATH_STEP } from './path-checks.js';
import { isSignedBy, type SignatureOptions } from './signature.js';
import { anchorStatusAt, type TrustAnchor } from './trust-anchors.js';

/** Longest path built, in certificates, leaf and anchor included. */
export const MAX_PATH_LENGTH = 8;
/** Most candidate signatures one search checks. */
export const MAX_CANDIDATE_CHECKS = 16;

/**
 * Signatures a caller lets several searches share (a registration's budget): each check takes one;
 * a check beyond it is `ERR_ATTESTATION_TOO_COSTLY`.
 */
export interface PathBudget {
  remainingSignatures: number;
}

/** What the search needs. */
export interface SearchInput {
  readonly chain: readonly ParsedCertificate[];
  readonly anchors: readonly TrustAnchor[];
  readonly now: Date;
  /** x5c order: the issuer of x5c[i] is an anchor or x5c[i + 1]; otherwise any x5c certificate. */
  readonly ordered: boolean;
  readonly signatureOptions: SignatureOptions;
  readonly budget?: PathBudget | undefined;
}

/** One certificate on the path being built. */
export interface PathNode {
  readonly cert: ParsedCertificate;
  /** Its x5c index. */
  readonly index: number;
  readonly parent: PathNode | undefined;
  /** Certificates from the leaf to this one. */
  readonly length: number;
  /** Non-self-issued certificates strictly above the leaf, up to this one (RFC 5280 §6.1.4 (l)). */
  readonly intermediates: number;
}

/** An anchor the path reached, but not at `now`. */
export interface InactiveAnchor {
  readonly anchor: TrustAnchor;
  readonly status: 'expired' | 'not-yet-valid';
  /** The path up to the anchor, leaf first, the anchor last. */
  readonly path: readonly ParsedCertificate[];
}

/** The search result. */
export type SearchOutcome =
  | { readonly trusted: true; readonly anchor: TrustAnchor; readonly path: readonly ParsedCertificate[]; readonly used: ReadonlySet<number> }
  | {
      readonly trusted: false;
      /** The longest path built from x5c, leaf first. */
      readonly path: readonly ParsedCertificate[];
      readonly used: ReadonlySet<number>;
      readonly inactive: InactiveAnchor | undefined;
      /** The first dead end's reason: no candidate of that certificate was acceptable. */
      readonly failure: unknown;
      readonly limitReached: boolean;
    };

class LimitReached {}

/** namesMatch results by name object (parsed certificates are cached, so their names recur). */
const NAME_MATCHES = new WeakMap<X509Name, WeakMap<X509Name, boolean>>();

/** RFC 5280 §7.1 name comparison (`namesMatch`), remembered per pair of parsed names. */
function sameName(a: X509Name, b: X509Name): boolean {
  let known = NAME_MATCHES.get(a);
  if (known === undefined) {
    known = new WeakMap();
    NAME_MATCHES.set(a, known);
  }
  let match = known.get(b);
  if (match === undefined) {
    match = namesMatch(a, b);
    known.set(b, match);
  }
  return match;
}

function spkiOf(cert: ParsedCertificate): Uint8Array {
  return encodedBytes(certificateInternals(cert).spkiNode);
}

/** `cert` is the anchor's certificate, or carries the anchor's name and key (docs/trust.md). */
function isAnchorCertificate(cert: ParsedCertificate, anchor: TrustAnchor): boolean {
  const other = anchor.certificate;
  if (certificateInternals(cert).fingerprint === certificateInternals(other).fingerprint) return true;
  // The key first: a byte comparison of two views, where a name comparison copies and normalizes.
  return equalBytes(spkiOf(cert), spkiOf(other)) && sameName(cert.subject, other.subject);
}

function pathOf(node: PathNode | undefined): ParsedCertificate[] {
  const path: ParsedCertificate[] = [];
  for (let n = node; n !== undefined; n = n.parent) path.unshift(n.cert);
  return path;
}

function indicesOf(node: PathNode | undefined): Set<number> {
  const used = new Set<number>();
  for (let n = node; n !== undefined; n = n.parent) used.add(n.index);
  return used;
}

/** Builds a path from `input.chain[0]` to an anchor; see the module comment for the order and bounds. */
export async function searchPath(input: SearchInput): Promise<SearchOutcome> {
  const { chain, anchors, now, ordered, signatureOptions, budget } = input;
  const visited = new Set<number>([0]);
  let checks = 0;
  let failure: unknown;
  let inactive: InactiveAnchor | undefined;
  let deepest: PathNode | undefined;
  const deferred: { node: PathNode; anchor: TrustAnchor }[] = [];

  const signed = async (child: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean> => {
    if (checks >= MAX_CANDIDATE_CHECKS) throw new LimitReached();
    if (budget !== undefined) {
      if (budget.remainingSignatures <= 0) {
        fail('ERR_ATTESTATION_TOO_COSTLY', 'The attestation needs more certificate signature checks than one registration may make', {
          step: PATH_STEP,
          details: { field: 'x5c', reason: 'signature-budget' },
        });
      }
      budget.remainingSignatures--;
    }
    checks++;
    return isSignedBy(child, issuer, signatureOptions);
  };

  /** Anchor checks when it issues `below` (absent: the anchor is the leaf itself). */
  const anchorRules = (anchor: TrustAnchor, below: PathNode | undefined): void => {
    checkCriticalExtensions(anchor.certificate, 'anchor');
    if (below !== undefined) checkIssuer(anchor.certificate, 'anchor', below.intermediates, true);
  };

  const expand = async (node: PathNode): Promise<{ anchor: TrustAnchor; path: ParsedCertificate[]; end: PathNode } | undefined> => {
    if (deepest === undefined || node.length > deepest.length) deepest = node;
    const cert = node.cert;
    let firstFailure: unknown;
    let accepted = false;
    const note = (error: unknown) => {
      if (error instanceof LimitReached || isWebAuthnError(error, 'ERR_ATTESTATION_TOO_COSTLY') || !isWebAuthnError(error)) throw error;
      firstFailure ??= error;
    };
    // The certificate is an anchor: the anchor's certificate ends the path in its place.
    for (const anchor of anchors) {
      if (!isAnchorCertificate(cert, anchor)) continue;
      const status = anchorStatusAt(anchor, now);
      if (status !== 'active') {
        inactive ??= { anchor, status, path: [...pathOf(node.parent), anchor.certificate] };
        continue;
      }
      try {
        anchorRules(anchor, node.parent);
        return { anchor, path: [...pathOf(node.parent), anchor.certificate], end: node };
      } catch (error) {
        note(error);
      }
    }
    const issuerMatches = (candidate: ParsedCertificate) => sameName(cert.issuer, candidate.subject) && keyIdentifiersAllow(cert, candidate);
    const tooLong = node.length + 1 > MAX_PATH_LENGTH;
    const lengthFailure = () =>
      chainInvalid(`The path would be longer than ${MAX_PATH_LENGTH} certificates`, {
        index: node.index,
        reason: 'path-too-long',
        expected: MAX_PATH_LENGTH,
      });
    // RFC 5280 §6.1.3 (a)(1), (a)(4): an anchor's key verifies the certificate, then its rules.
    for (const anchor of anchors) {
      if (!issuerMatches(anchor.certificate)) continue;
      if (anchorStatusAt(anchor, now) !== 'active') {
        deferred.push({ node, anchor });
        continue;
      }
      try {
        if (tooLong) lengthFailure();
        // A same-name anchor with another key is simply not this certificate's issuer.
        if (!(await signed(cert, anchor.certificate))) continue;
        anchorRules(anchor, node);
        return { anchor, path: [...pathOf(node), anchor.certificate], end: node };
      } catch (error) {
        note(error);
      }
    }
    const candidates = ordered ? [node.index + 1] : chain.map((_, index) => index);
    for (const index of candidates) {
      const candidate = chain[index];
      if (candidate === undefined || visited.has(index)) continue;
      try {
        if (!ordered && !issuerMatches(candidate)) continue;
        // x5c order (WebAuthn §8.2, conformance Resp-5 F-11): the next certificate must be the issuer.
        if (ordered && !sameName(cert.issuer, candidate.subject)) {
          chainInvalid(`x5c is out of order: certificate ${index} is not the issuer of certificate ${node.index}`, {
            index: node.index,
            reason: 'issuer-mismatch',
            expected: formatName(cert.issuer),
            received: formatName(candidate.subject),
          });
        }
        if (tooLong) lengthFailure();
        if (!(await signed(cert, candidate))) {
          chainInvalid(`The signature of certificate ${node.index} does not verify with the key of certificate ${index}`, {
            index: node.index,
            reason: 'signature',
          });
        }
        checkValidity(candidate, now, index);
        checkCriticalExtensions(candidate, index);
        checkIssuer(candidate, index, node.intermediates, false);
      } catch (error) {
        note(error);
        continue;
      }
      visited.add(index);
      accepted = true;
      const child: PathNode = {
        cert: candidate,
        index,
        parent: node,
        length: node.length + 1,
        intermediates: node.intermediates + (candidate.isSelfIssued ? 0 : 1),
      };
      const found = await expand(child);
      if (found !== undefined) return found;
    }
    // A dead end of its own only when no issuer was acceptable (one that led nowhere failed above).
    if (!accepted && firstFailure !== undefined) failure ??= firstFailure;
    return undefined;
  };

  const leaf: PathNode = { cert: chain[0] as ParsedCertificate, index: 0, parent: undefined, length: 1, intermediates: 0 };
  let limitReached = false;
  try {
    const found = await expand(leaf);
    if (found !== undefined) return { trusted: true, anchor: found.anchor, path: found.path, used: indicesOf(found.end) };
  } catch (error) {
    if (!(error instanceof LimitReached)) throw error;
    limitReached = true;
  }
  // Only when no path was found: which expired or future anchor would have issued it (reported).
  for (const { node, anchor } of limitReached ? [] : deferred) {
    if (inactive !== undefined || checks >= MAX_CANDIDATE_CHECKS) break;
    const verified = await signed(node.cert, anchor.certificate).catch((error: unknown) => {
      if (isWebAuthnError(error, 'ERR_ATTESTATION_TOO_COSTLY')) throw error;
      return false;
    });
    const status = anchorStatusAt(anchor, now);
    if (verified && status !== 'active') inactive = { anchor, status, path: [...pathOf(node), anchor.certificate] };
  }
  return { trusted: false, path: pathOf(deepest), used: indicesOf(deepest), inactive, failure, limitReached };
}
