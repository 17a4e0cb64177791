/**
 * MDS3 §3.2 step 6: the BLOB signing chain (x5c) must lead to one of the caller's anchors.
 *
 * x5c goes to the X.509 layer's path validator (which builds the path when it can); when the
 * whole x5c does not reach an anchor, its leading parts are tried, longest first, so that
 * certificates the path does not need — a root cross-signed by an older root, as MDS added in 2026 when it moved from
 * GlobalSign Root R3 to Root R46 — are tolerated and reported (`unused`), never trusted by
 * themselves. At most {@link METADATA_MAX_X5C} attempts of at most that many certificates: bounded.
 */
import { WebAuthnError, fail, isWebAuthnError } from '../errors.js';
import { formatName, type ParsedCertificate, validateCertificatePath } from '../x509/index.js';
import { STEP_SIGNATURE } from './jws.js';
import type { MetadataAnchorFacts } from './types.js';

/** How revocation of the signing chain is checked. */
export interface BlobRevocation {
  readonly crls: readonly Uint8Array[];
  readonly mode: 'require' | 'if-available';
}

/** The path the BLOB signing chain took. */
export interface BlobPath {
  readonly anchor: MetadataAnchorFacts;
  /** x5c certificates not on the path (at its end). */
  readonly unused: number;
}

/**
 * Finds the longest leading part of `x5c` that validates to one of `anchors` at `now`.
 *
 * @throws the X.509 error of the longest attempt (`ERR_CERT_EXPIRED`, `ERR_CERT_REVOKED`,
 *   `ERR_CERT_CHAIN_INVALID`, …) when no attempt reaches an anchor and one failed with an error,
 *   else `ERR_METADATA_UNTRUSTED`.
 */
export async function validateBlobPath(
  x5c: readonly ParsedCertificate[],
  anchors: readonly ParsedCertificate[],
  now: Date,
  revocation: BlobRevocation | undefined,
): Promise<BlobPath> {
  let firstError: unknown;
  for (let length = x5c.length; length >= 1; length--) {
    try {
      const result = await validateCertificatePath({
        chain: x5c.slice(0, length),
        trustAnchors: anchors,
        now,
        maxLength: Math.max(length, 1),
        revocation,
      });
      if (result.trusted) {
        const anchor = result.anchor;
        const onPath = new Set(result.path.map((cert) => cert.sha256Fingerprint));
        return {
          anchor: Object.freeze({
            sha256: anchor.sha256Fingerprint,
            subject: formatName(anchor.subject),
            notAfter: anchor.notAfter.toISOString(),
          }),
          unused: x5c.filter((cert) => !onPath.has(cert.sha256Fingerprint)).length,
        };
      }
      // A path builder that reports an anchor outside its validity (instead of throwing).
      const reason: string = result.reason;
      if (reason === 'anchor-expired' || reason === 'anchor-not-yet-valid') {
        firstError ??= new WebAuthnError(
          reason === 'anchor-expired' ? 'ERR_CERT_EXPIRED' : 'ERR_CERT_NOT_YET_VALID',
          `Metadata: the trust anchor the BLOB signing chain reaches is ${reason === 'anchor-expired' ? 'expired' : 'not yet valid'}`,
          { step: STEP_SIGNATURE, details: { field: 'trustAnchors', reason } },
        );
      }
    } catch (error) {
      if (!isWebAuthnError(error)) throw error;
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return fail('ERR_METADATA_UNTRUSTED', 'Metadata: the BLOB signing chain reaches none of the trust anchors', {
    step: STEP_SIGNATURE,
    details: { field: 'header.x5c', reason: 'no-path' },
  });
}
