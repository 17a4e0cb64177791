/**
 * Finding an authenticator's entry in a verified snapshot: by AAGUID (FIDO2) or by the key
 * identifier of its attestation certificate (fido-u2f, whose AAGUID is zero). Indexes are built
 * once per snapshot and kept in a WeakMap (the snapshot is frozen, so they cannot go stale).
 */
import { backend } from '../crypto/backend.js';
import { toHex } from '../encoding/bytes.js';
import { fail } from '../errors.js';
import type { ParsedCertificate } from '../x509/index.js';
import { OID_SUBJECT_KEY_IDENTIFIER } from '../x509/oids.js';
import { METADATA_SNAPSHOT_FORMAT, type MetadataEntry, type VerifiedMetadata } from './types.js';

interface Index {
  readonly byAaguid: ReadonlyMap<string, MetadataEntry>;
  readonly byKeyIdentifier: ReadonlyMap<string, MetadataEntry>;
}

const indexes = new WeakMap<VerifiedMetadata, Index>();
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

function misuse(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', message, { details: { field } });
}

function checkSnapshot(metadata: VerifiedMetadata): void {
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    metadata.format !== METADATA_SNAPSHOT_FORMAT ||
    !Array.isArray(metadata.entries) ||
    !Object.isFrozen(metadata)
  ) {
    misuse('metadata', 'metadata must be a VerifiedMetadata from verifyMetadataBlob or loadVerifiedMetadata');
  }
}

function indexOf(metadata: VerifiedMetadata): Index {
  checkSnapshot(metadata);
  let index = indexes.get(metadata);
  if (index === undefined) {
    const byAaguid = new Map<string, MetadataEntry>();
    const byKeyIdentifier = new Map<string, MetadataEntry>();
    try {
      for (const entry of metadata.entries) {
        // The first entry naming an identifier wins; MDS never lists one twice.
        if (entry.aaguid !== undefined && !byAaguid.has(entry.aaguid)) byAaguid.set(entry.aaguid, entry);
        const ids = [...(entry.attestationCertificateKeyIdentifiers ?? []), ...(entry.metadataStatement?.attestationCertificateKeyIdentifiers ?? [])];
        for (const id of ids) if (!byKeyIdentifier.has(id)) byKeyIdentifier.set(id, entry);
      }
    } catch {
      // Only a hand-made object gets here: verified and loaded snapshots are validated.
      misuse('metadata', 'metadata entries are not of the snapshot shape (use verifyMetadataBlob or loadVerifiedMetadata)');
    }
    index = { byAaguid, byKeyIdentifier };
    indexes.set(metadata, index);
  }
  return index;
}

/** Normalizes an AAGUID given as UUID text (any case) or 16 bytes; undefined for the zero AAGUID. */
export function normalizeAaguid(aaguid: string | Uint8Array, field = 'aaguid'): string | undefined {
  let text: string;
  if (aaguid instanceof Uint8Array) {
    if (aaguid.length !== 16) misuse(field, `${field} must be 16 bytes or UUID text`);
    const hex = toHex(aaguid);
    text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  } else if (typeof aaguid === 'string' && UUID.test(aaguid)) {
    text = aaguid.toLowerCase();
  } else {
    return misuse(field, `${field} must be 16 bytes or UUID text`);
  }
  return text === ZERO_AAGUID ? undefined : text;
}

/**
 * The entry of the authenticator model with this AAGUID, or undefined. The zero AAGUID (fido-u2f,
 * or an authenticator that hides its model) never matches.
 */
export function findMetadataByAaguid(metadata: VerifiedMetadata, aaguid: string | Uint8Array): MetadataEntry | undefined {
  const key = normalizeAaguid(aaguid);
  return key === undefined ? undefined : indexOf(metadata).byAaguid.get(key);
}

/** The entry listing this attestation certificate key identifier (lower-case hex), or undefined. */
export function findMetadataByKeyIdentifier(metadata: VerifiedMetadata, keyIdentifier: string): MetadataEntry | undefined {
  if (typeof keyIdentifier !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(keyIdentifier)) {
    misuse('keyIdentifier', 'keyIdentifier must be hex text');
  }
  return indexOf(metadata).byKeyIdentifier.get(keyIdentifier.toLowerCase());
}

/** A DER TLV at `offset`: tag, content start and end (short and long form lengths up to 4 bytes). */
function readTlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } | undefined {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > der.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  const end = start + length;
  return end > der.length ? undefined : { tag, start, end };
}

/**
 * The key identifier MDS lists for a fido-u2f attestation certificate: its SubjectKeyIdentifier
 * extension when present, else SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1),
 * as lower-case hex. Undefined when neither can be read.
 */
export function attestationKeyIdentifier(certificate: ParsedCertificate): string | undefined {
  if (
    typeof certificate !== 'object' ||
    certificate === null ||
    !Array.isArray(certificate.extensions) ||
    !(certificate.spki instanceof Uint8Array)
  ) {
    misuse('certificate', 'attestationKeyIdentifier: expects a parsed certificate (parseCertificate)');
  }
  const extension = certificate.extensions.find((e) => e.oid === OID_SUBJECT_KEY_IDENTIFIER);
  if (extension !== undefined) {
    const value = extension.value;
    const tlv = readTlv(value, 0);
    return tlv !== undefined && tlv.tag === 0x04 && tlv.end === value.length ? toHex(value.subarray(tlv.start, tlv.end)) : undefined;
  }
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  const spki = certificate.spki;
  const outer = readTlv(spki, 0);
  const algorithm = outer === undefined ? undefined : readTlv(spki, outer.start);
  const bits = algorithm === undefined ? undefined : readTlv(spki, algorithm.end);
  if (bits === undefined || bits.tag !== 0x03 || bits.end - bits.start < 2) return undefined;
  return toHex(backend.hash('SHA-1', spki.subarray(bits.start + 1, bits.end)));
}
