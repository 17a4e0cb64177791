/**
 * AAGUID-scoped attestation trust (WebAuthn §7.1 step 23–24 with a metadata source, MDS3 §4): the
 * attestationRootCertificates of a metadata statement vouch only for the authenticator that
 * statement names — its AAGUID, or for fido-u2f its attestation key identifiers. A root listed for
 * authenticator A never makes authenticator B trusted, and `none`/`self` attestation never
 * satisfies a metadata requirement (the AAGUID is then an unattested claim).
 */
import { fail, isWebAuthnError } from '../errors.js';
import {
  type ParsedCertificate,
  type RevocationOptions,
  formatName,
  parseCertificate,
  parseTrustAnchors,
  validateCertificatePath,
} from '../x509/index.js';
import { attestationKeyIdentifier, findMetadataByAaguid, findMetadataByKeyIdentifier, normalizeAaguid } from './lookup.js';
import { type MetadataStatusFacts, type MetadataStatusPolicy, checkMetadataStatus, evaluateMetadataStatus } from './status.js';
import type { MetadataAnchorFacts, MetadataEntry, VerifiedMetadata } from './types.js';

const STEP = '7.1.24';

/** Input of {@link verifyMetadataTrust}. */
export interface MetadataTrustInput {
  readonly metadata: VerifiedMetadata;
  /** authData.aaguid (16 bytes or UUID text); the zero AAGUID selects the key-identifier lookup. */
  readonly aaguid: string | Uint8Array;
  /** The verified attestation trust path (x5c), leaf first; empty for `none` and `self`. */
  readonly trustPath: readonly (ParsedCertificate | Uint8Array)[];
  /**
   * The attestation type the statement established; when given, it must be one the statement's
   * `attestationTypes` lists (MDS3 / FIDO registry: `basic` ⇒ basic_full or attca — x5c cannot
   * tell them apart —, `attca` ⇒ attca, `anonca` ⇒ anonca).
   */
  readonly attestationType?: 'basic' | 'attca' | 'anonca' | 'self' | 'none' | undefined;
  /** The time of the status evaluation (and of the path, unless `attestedAt` is given). */
  readonly now: Date;
  /** The time the trust path is validated at, when it differs from `now` (re-evaluation of a stored attestation). */
  readonly attestedAt?: Date | undefined;
  readonly revocation?: RevocationOptions | undefined;
}

/** The facts that decided metadata trust. */
export interface MetadataTrust {
  readonly entry: MetadataEntry;
  /** How the entry was found. */
  readonly matchedBy: 'aaguid' | 'keyIdentifier';
  /** The statement's `description`: the authenticator's name. */
  readonly description: string | undefined;
  /** The statement's `icon` (a data: URL). */
  readonly icon: string | undefined;
  /** The attestation root of the entry that the trust path reached. */
  readonly anchor: MetadataAnchorFacts;
  /** DER of that root (a copy). */
  readonly anchorCertificate: Uint8Array;
  readonly status: MetadataStatusFacts;
}

function untrusted(message: string, reason: string): never {
  fail('ERR_METADATA_UNTRUSTED', `Metadata: ${message}`, { step: STEP, details: { field: 'attestation.metadata', reason } });
}

/** The metadata attestation types (FIDO Registry §3.6.3) each WebAuthn attestation type may be. */
const METADATA_TYPES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  basic: ['basic_full', 'attca'],
  attca: ['attca'],
  anonca: ['anonca'],
});

function checkAttestationType(entry: MetadataEntry, type: MetadataTrustInput['attestationType']): void {
  const listed = entry.metadataStatement?.attestationTypes;
  if (type === undefined || !Array.isArray(listed)) return;
  const acceptable = METADATA_TYPES[type] ?? [];
  if (!listed.some((t) => typeof t === 'string' && acceptable.includes(t))) {
    fail('ERR_METADATA_UNTRUSTED', `Metadata: the statement does not list ${type} attestation for this authenticator`, {
      step: STEP,
      details: { field: 'metadataStatement.attestationTypes', reason: 'attestation-type', received: type, expected: listed.filter((t) => typeof t === 'string') },
    });
  }
}

function rootsOf(entry: MetadataEntry): ParsedCertificate[] {
  const roots = entry.metadataStatement?.attestationRootCertificates ?? [];
  try {
    return parseTrustAnchors(roots);
  } catch (error) {
    if (!isWebAuthnError(error)) throw error;
    return fail('ERR_METADATA_INVALID', 'Metadata: an attestationRootCertificates entry is not a certificate', {
      step: 'mds.3.1.1',
      details: { field: 'metadataStatement.attestationRootCertificates' },
      cause: error,
    });
  }
}

/**
 * Finds the authenticator's entry (by AAGUID, or by the leaf's key identifier when the AAGUID is
 * zero), validates the trust path against that entry's own attestation roots only, and applies
 * the status policy at `now`.
 *
 * @throws WebAuthnError `ERR_METADATA_UNTRUSTED` (`details.reason`: `no-attestation` for an
 *   empty trust path, `not-listed`, `no-roots`, `no-path`), `ERR_METADATA_STATUS`, the X.509 codes
 *   of an invalid path, `ERR_OPTIONS_INVALID` for malformed input.
 */
export async function verifyMetadataTrust(input: MetadataTrustInput, policy: MetadataStatusPolicy = {}): Promise<MetadataTrust> {
  if (typeof input !== 'object' || input === null || !Array.isArray(input.trustPath)) {
    fail('ERR_OPTIONS_INVALID', 'verifyMetadataTrust: expects { metadata, aaguid, trustPath, now }', { details: { field: 'input' } });
  }
  const { metadata, now } = input;
  // §7.1 step 24: none and self attestation carry no trust path; the AAGUID is only a claim.
  if (input.trustPath.length === 0) untrusted('none or self attestation cannot satisfy a metadata requirement', 'no-attestation');
  const chain = input.trustPath.map((cert) => (cert instanceof Uint8Array ? parseCertificate(cert) : cert));
  const aaguid = normalizeAaguid(input.aaguid);
  let entry: MetadataEntry | undefined;
  let matchedBy: MetadataTrust['matchedBy'] = 'aaguid';
  if (aaguid !== undefined) {
    entry = findMetadataByAaguid(metadata, aaguid);
  } else {
    const keyIdentifier = attestationKeyIdentifier(chain[0]!);
    entry = keyIdentifier === undefined ? undefined : findMetadataByKeyIdentifier(metadata, keyIdentifier);
    matchedBy = 'keyIdentifier';
  }
  if (entry === undefined) untrusted('no metadata entry lists this authenticator', 'not-listed');
  const roots = rootsOf(entry);
  if (roots.length === 0) untrusted('the metadata entry lists no attestation root certificates', 'no-roots');
  // Only this entry's roots: AAGUID-scoped trust.
  const pathTime = input.attestedAt ?? now;
  const result = await validateCertificatePath({ chain, trustAnchors: roots, now: pathTime, revocation: input.revocation });
  if (!result.trusted) untrusted("the attestation chain reaches none of the metadata entry's roots", 'no-path');
  checkAttestationType(entry, input.attestationType);
  const status = evaluateMetadataStatus(entry, now);
  checkMetadataStatus(status, policy);
  const statement = entry.metadataStatement;
  return Object.freeze({
    entry,
    matchedBy,
    description: typeof statement?.description === 'string' ? statement.description : undefined,
    icon: typeof statement?.icon === 'string' ? statement.icon : undefined,
    anchor: Object.freeze({
      sha256: result.anchor.sha256Fingerprint,
      subject: formatName(result.anchor.subject),
      notAfter: result.anchor.notAfter.toISOString(),
    }),
    anchorCertificate: new Uint8Array(result.anchor.der),
    status,
  });
}
