/**
 * `verifyMetadataBlob`: the FIDO Metadata Service BLOB (MDS3 §3.2 "Metadata BLOB object processing
 * rules"), pure and offline. The caller downloads the BLOB (and CRLs) and passes them in with the
 * anchors and `now`; nothing is fetched.
 */
import { asWebAuthnError, fail, isWebAuthnError } from '../errors.js';
import { type TrustAnchor, type TrustAnchorInput, parseTrustAnchorSet } from '../x509/index.js';
import { type BlobRevocation, validateBlobPath } from './blob-path.js';
import { deepFreeze, parseBoundedJsonObject } from './json.js';
import { STEP_SIGNATURE, parseMetadataJws, verifyMetadataJwsSignature } from './jws.js';
import { validatePayload } from './payload.js';
import { METADATA_SNAPSHOT_FORMAT, type VerifiedMetadata } from './types.js';

const STEP_PAYLOAD = 'mds.3.1.6';
const STEP_FRESHNESS = 'mds.3.2.7';

/** Options of {@link verifyMetadataBlob}. */
export interface VerifyMetadataBlobOptions {
  /**
   * Roots the signing chain must reach: PEM (any number of blocks), base64 or DER, or
   * `{ certificate, validFrom?, validUntil?, label? }` entries with a rotation window
   * (docs/trust.md); e.g. {@link FIDO_MDS_TRUST_ANCHORS}.
   */
  readonly trustAnchors: readonly TrustAnchorInput[];
  /** The verification time. */
  readonly now: Date;
  /** DER CRLs of the signing chain's issuers (from their CRL distribution points). */
  readonly crls?: readonly Uint8Array[] | undefined;
  /**
   * `require` (default when `crls` is given): every certificate of the signing path needs a
   * current CRL of its issuer. `if-available`: only the CRLs given are consulted. Without `crls`
   * and without `require`, revocation is not checked and `revocationChecked` is false.
   */
  readonly revocation?: 'require' | 'if-available' | undefined;
  /** Reject with `ERR_METADATA_STALE` when `nextUpdate` has begun (default: report `stale: true`). */
  readonly rejectStale?: boolean | undefined;
  /** The `no` of the BLOB the caller already has: a BLOB whose `no` is not larger is refused (MDS3 §3.2 step 7). */
  readonly previousNo?: number | undefined;
}

function misuse(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', `verifyMetadataBlob: ${message}`, { details: { field } });
}

function checkOptions(blob: unknown, options: VerifyMetadataBlobOptions): BlobRevocation | undefined {
  if (typeof blob !== 'string') misuse('blob', 'the BLOB must be the JWT text');
  if (typeof options !== 'object' || options === null) misuse('options', 'expects an options object');
  const { now, crls, revocation, rejectStale, previousNo } = options;
  if (!Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    misuse('trustAnchors', 'trustAnchors must be a non-empty array (FIDO_MDS_TRUST_ANCHORS for the FIDO Alliance MDS)');
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) misuse('now', 'now must be a valid Date');
  if (crls !== undefined && (!Array.isArray(crls) || !crls.every((crl) => crl instanceof Uint8Array))) {
    misuse('crls', 'crls must be an array of DER byte arrays');
  }
  if (revocation !== undefined && revocation !== 'require' && revocation !== 'if-available') {
    misuse('revocation', "revocation must be 'require' or 'if-available'");
  }
  if (rejectStale !== undefined && typeof rejectStale !== 'boolean') misuse('rejectStale', 'rejectStale must be a boolean');
  if (previousNo !== undefined && (!Number.isSafeInteger(previousNo) || previousNo < 0)) {
    misuse('previousNo', 'previousNo must be a non-negative integer');
  }
  if (crls === undefined) return revocation === 'require' ? { crls: [], mode: 'require' } : undefined;
  return { crls, mode: revocation ?? 'require' };
}

function anchorsOf(list: readonly TrustAnchorInput[]): readonly TrustAnchor[] {
  try {
    return parseTrustAnchorSet(list);
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_OPTIONS_INVALID')) throw error;
    return fail('ERR_OPTIONS_INVALID', 'verifyMetadataBlob: an entry of trustAnchors is not a PEM, base64 or DER certificate', {
      details: { field: 'trustAnchors' },
      cause: error,
    });
  }
}

/**
 * Is the snapshot stale at `now`? True once its `nextUpdate` date has begun (00:00 UTC): by then
 * FIDO has published a newer BLOB.
 */
export function isMetadataStale(metadata: Pick<VerifiedMetadata, 'nextUpdate'>, now: Date): boolean {
  if (typeof metadata !== 'object' || metadata === null) {
    fail('ERR_OPTIONS_INVALID', 'isMetadataStale: metadata must be a VerifiedMetadata', { details: { field: 'metadata' } });
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) misuse('now', 'now must be a valid Date');
  const start = Date.parse(`${metadata.nextUpdate}T00:00:00Z`);
  if (Number.isNaN(start)) fail('ERR_OPTIONS_INVALID', 'isMetadataStale: nextUpdate is not a date', { details: { field: 'nextUpdate' } });
  return now.getTime() >= start;
}

/**
 * Verifies a FIDO MDS3 metadata BLOB and returns a frozen, JSON-serializable snapshot.
 *
 * In order (MDS3 §3.2): the text is a compact JWS of strict base64url segments (at most 16 MiB);
 * the protected header's `alg` is RS256 or ES256 — never `none` or HMAC — and fits the x5c leaf
 * key; the x5c chain leads to one of `trustAnchors` at `now` (extra certificates at its end, such
 * as a cross-signed root, are tolerated and counted in `unusedCertificates`), every certificate
 * valid, CA constraints kept, CRLs honoured; the signature verifies with the leaf key; only then
 * is the payload parsed (JSON nesting ≤ 32) and validated: `legalHeader`, `no`, `nextUpdate`
 * (yyyy-mm-dd), at most 10 000 `entries` each naming its authenticator, with well-formed
 * `statusReports`. Unknown members are kept. A BLOB whose `nextUpdate` has begun is returned with
 * `stale: true`, or refused with `rejectStale: true`.
 *
 * @throws WebAuthnError `ERR_METADATA_INVALID`, `ERR_METADATA_ALG_NOT_ALLOWED`,
 *   `ERR_METADATA_SIGNATURE_INVALID`, `ERR_METADATA_UNTRUSTED`, `ERR_METADATA_STALE`, the X.509
 *   codes of the signing chain (`ERR_CERT_MALFORMED`, `ERR_CERT_EXPIRED`, `ERR_CERT_REVOKED`,
 *   `ERR_CERT_REVOCATION_UNKNOWN`, `ERR_CERT_CHAIN_INVALID`, …), `ERR_OPTIONS_INVALID` for a
 *   wrongly typed option.
 */
export async function verifyMetadataBlob(blob: string, options: VerifyMetadataBlobOptions): Promise<VerifiedMetadata> {
  const revocation = checkOptions(blob, options);
  const anchors = anchorsOf(options.trustAnchors);
  try {
    return await verify(blob, options, anchors, revocation);
  } catch (error) {
    throw asWebAuthnError(error, 'ERR_INTERNAL', STEP_SIGNATURE);
  }
}

async function verify(
  blob: string,
  options: VerifyMetadataBlobOptions,
  anchors: readonly TrustAnchor[],
  revocation: BlobRevocation | undefined,
): Promise<VerifiedMetadata> {
  const { now } = options;
  const jws = parseMetadataJws(blob);
  const leaf = jws.x5c[0]!;
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes('digitalSignature')) {
    fail('ERR_METADATA_UNTRUSTED', 'Metadata: the BLOB signing certificate may not sign (keyUsage lacks digitalSignature)', {
      step: STEP_SIGNATURE,
      details: { field: 'header.x5c[0]', reason: 'leaf-key-usage' },
    });
  }
  const path = await validateBlobPath(jws.x5c, anchors, now, revocation);
  await verifyMetadataJwsSignature(jws);

  // Authentic from here on (DESIGN principle 7).
  const payload = validatePayload(parseBoundedJsonObject(jws.payloadText, STEP_PAYLOAD, 'payload'), STEP_PAYLOAD);
  if (options.previousNo !== undefined && payload.no <= options.previousNo) {
    fail('ERR_METADATA_STALE', `Metadata: BLOB no ${payload.no} is not above the ${options.previousNo} already held (a rollback)`, {
      step: STEP_FRESHNESS,
      details: { field: 'payload.no', reason: 'rollback', expected: options.previousNo, received: payload.no },
    });
  }
  const stale = now.getTime() >= payload.nextUpdateDate.getTime();
  if (stale && options.rejectStale === true) {
    fail('ERR_METADATA_STALE', `Metadata: the BLOB was due for replacement on ${payload.nextUpdate}`, {
      step: STEP_FRESHNESS,
      details: { field: 'payload.nextUpdate', reason: 'next-update-passed', expected: payload.nextUpdate, received: now.toISOString() },
    });
  }
  const snapshot: VerifiedMetadata = {
    format: METADATA_SNAPSHOT_FORMAT,
    no: payload.no,
    nextUpdate: payload.nextUpdate,
    legalHeader: payload.legalHeader,
    verifiedAt: now.toISOString(),
    stale,
    anchor: path.anchor,
    unusedCertificates: path.unused,
    revocationChecked: revocation !== undefined && revocation.mode === 'require',
    entries: payload.entries,
  };
  return deepFreeze(snapshot);
}
