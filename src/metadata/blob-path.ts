/**
 * MDS3 §3.2 step 6: the BLOB signing chain (x5c) must lead to one of the caller's anchors.
 *
 * The X.509 layer builds the path from x5c[0] (src/x509/path.ts): certificates the path does not
 * need — a root cross-signed by an older root, as MDS added in 2026 when it moved from GlobalSign
 * Root R3 to Root R46 — are tolerated and reported (`unused`), never trusted by themselves. The
 * search is bounded there (candidates and path length); x5c itself is at most
 * {@link METADATA_MAX_X5C} certificates.
 */
import { fail } from '../errors.js';
import { formatName, type ParsedCertificate, type TrustAnchor, validateCertificatePath } from '../x509/index.js';
import { METADATA_MAX_X5C, STEP_SIGNATURE } from './jws.js';
import type { MetadataAnchorFacts } from './types.js';

/** How revocation of the signing chain is checked. */
export interface BlobRevocation {
  readonly crls: readonly Uint8Array[];
  readonly mode: 'require' | 'if-available';
}

/** The path the BLOB signing chain took. */
export interface BlobPath {
  readonly anchor: MetadataAnchorFacts;
  /** x5c certificates not on the path. */
  readonly unused: number;
}

/**
 * Validates the path from `x5c[0]` to one of `anchors` at `now`.
 *
 * @throws the X.509 error of an invalid path (`ERR_CERT_EXPIRED`, `ERR_CERT_REVOKED`,
 *   `ERR_CERT_CHAIN_INVALID`, …); `ERR_TRUST_ANCHOR_EXPIRED` / `ERR_TRUST_ANCHOR_NOT_YET_VALID` when
 *   only an anchor outside its validity would complete it; else `ERR_METADATA_UNTRUSTED`.
 */
export async function validateBlobPath(
  x5c: readonly ParsedCertificate[],
  anchors: readonly TrustAnchor[],
  now: Date,
  revocation: BlobRevocation | undefined,
): Promise<BlobPath> {
  const result = await validateCertificatePath({ chain: x5c, trustAnchors: anchors, now, maxLength: METADATA_MAX_X5C, revocation });
  if (result.trusted) {
    const anchor = result.anchor;
    return {
      anchor: Object.freeze({
        sha256: anchor.sha256Fingerprint,
        subject: formatName(anchor.subject),
        notAfter: anchor.notAfter.toISOString(),
      }),
      unused: result.unused.length,
    };
  }
  if (result.reason === 'anchor-expired' || result.reason === 'anchor-not-yet-valid') {
    const expired = result.reason === 'anchor-expired';
    fail(
      expired ? 'ERR_TRUST_ANCHOR_EXPIRED' : 'ERR_TRUST_ANCHOR_NOT_YET_VALID',
      `Metadata: the only trust anchor that completes the BLOB signing path is ${expired ? 'expired' : 'not yet valid'}`,
      { step: STEP_SIGNATURE, details: { field: 'trustAnchors', reason: result.reason } },
    );
  }
  return fail('ERR_METADATA_UNTRUSTED', 'Metadata: the BLOB signing chain reaches none of the trust anchors', {
    step: STEP_SIGNATURE,
    details: { field: 'header.x5c', reason: result.reason },
  });
}
