/**
 * MDS3 §3.1.6 MetadataBLOBPayload and §3.1.1 MetadataBLOBPayloadEntry validation. What this library
 * reads is checked strictly; every other member is kept as it came (MDS 3.1.1 added some and will
 * add more). Shared by BLOB verification and snapshot loading.
 */
import {
  type JsonObject,
  invalid,
  isJsonObject,
  member,
  optionalArray,
  optionalString,
  parseIsoDate,
  requireString,
} from './json.js';
import type { MetadataEntry } from './types.js';

/** Most entries a BLOB may hold (production MDS3 has well under a thousand). */
export const METADATA_MAX_ENTRIES = 10_000;
/** Most status reports per entry, key identifiers per entry, roots per statement. */
export const METADATA_MAX_STATUS_REPORTS = 256;
const MAX_KEY_IDENTIFIERS = 1024;
const MAX_ROOTS = 32;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_IDENTIFIER = /^(?:[0-9a-f]{2}){1,64}$/;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The validated top-level members of a payload. */
export interface ValidatedPayload {
  readonly legalHeader: string;
  readonly no: number;
  readonly nextUpdate: string;
  readonly nextUpdateDate: Date;
  readonly entries: readonly MetadataEntry[];
}

/** Is `text` an AAGUID in the form MDS3 writes it (lower-case, with dashes)? */
export function isMetadataAaguid(text: unknown): text is string {
  return typeof text === 'string' && UUID.test(text);
}

/** Checks one `yyyy-mm-dd` member; returns its start (00:00 UTC). */
export function requireDate(object: JsonObject, name: string, step: string, path: string): Date {
  const text = requireString(object, name, step, path, 64);
  const date = parseIsoDate(text);
  if (date === undefined) invalid(step, path, `${path} is not an ISO 8601 date (yyyy-mm-dd)`, 'date');
  return date;
}

function checkKeyIdentifiers(list: readonly unknown[] | undefined, step: string, path: string): void {
  list?.forEach((id, index) => {
    // MDS3 §3.1.1: hex of the SubjectKeyIdentifier, lower-case.
    if (typeof id !== 'string' || !KEY_IDENTIFIER.test(id)) invalid(step, `${path}[${index}]`, `${path}[${index}] is not lower-case hex`);
  });
}

function checkStatusReports(entry: JsonObject, step: string, path: string): void {
  const reports = optionalArray(entry, 'statusReports', step, `${path}.statusReports`, METADATA_MAX_STATUS_REPORTS);
  if (reports === undefined) invalid(step, `${path}.statusReports`, `${path}.statusReports is missing`);
  reports.forEach((report, index) => {
    const at = `${path}.statusReports[${index}]`;
    if (!isJsonObject(report)) invalid(step, at, `${at} is not an object`);
    requireString(report, 'status', step, `${at}.status`, 128);
    if (member(report, 'effectiveDate') !== undefined) requireDate(report, 'effectiveDate', step, `${at}.effectiveDate`);
    const version = member(report, 'authenticatorVersion');
    if (version !== undefined && (!Number.isSafeInteger(version) || (version as number) < 0)) {
      invalid(step, `${at}.authenticatorVersion`, `${at}.authenticatorVersion is not a non-negative integer`);
    }
  });
}

function checkStatement(entry: JsonObject, step: string, path: string): void {
  const statement = member(entry, 'metadataStatement');
  if (statement === undefined) return;
  const at = `${path}.metadataStatement`;
  if (!isJsonObject(statement)) invalid(step, at, `${at} is not an object`);
  optionalString(statement, 'description', step, `${at}.description`, 4096);
  optionalString(statement, 'icon', step, `${at}.icon`);
  const aaguid = member(statement, 'aaguid');
  if (aaguid !== undefined && aaguid !== member(entry, 'aaguid')) {
    // An entry vouches for exactly the authenticator it names (AAGUID-scoped trust).
    invalid(step, `${at}.aaguid`, `${at}.aaguid differs from ${path}.aaguid`, 'aaguid-mismatch');
  }
  checkKeyIdentifiers(
    optionalArray(statement, 'attestationCertificateKeyIdentifiers', step, `${at}.attestationCertificateKeyIdentifiers`, MAX_KEY_IDENTIFIERS),
    step,
    `${at}.attestationCertificateKeyIdentifiers`,
  );
  const roots = optionalArray(statement, 'attestationRootCertificates', step, `${at}.attestationRootCertificates`, MAX_ROOTS);
  roots?.forEach((root, index) => {
    if (typeof root !== 'string' || root.length > 16_384 || root.length % 4 !== 0 || !STANDARD_BASE64.test(root)) {
      invalid(step, `${at}.attestationRootCertificates[${index}]`, `${at}.attestationRootCertificates[${index}] is not base64 DER`);
    }
  });
}

/** Validates one entry (MDS3 §3.1.1); throws `ERR_METADATA_INVALID` naming the member. */
export function checkEntry(entry: unknown, step: string, path: string): asserts entry is MetadataEntry {
  if (!isJsonObject(entry)) invalid(step, path, `${path} is not an object`);
  const aaguid = member(entry, 'aaguid');
  if (aaguid !== undefined && !isMetadataAaguid(aaguid)) invalid(step, `${path}.aaguid`, `${path}.aaguid is not a lower-case UUID`);
  const aaid = optionalString(entry, 'aaid', step, `${path}.aaid`, 64);
  const keyIds = optionalArray(entry, 'attestationCertificateKeyIdentifiers', step, `${path}.attestationCertificateKeyIdentifiers`, MAX_KEY_IDENTIFIERS);
  checkKeyIdentifiers(keyIds, step, `${path}.attestationCertificateKeyIdentifiers`);
  if (aaguid === undefined && aaid === undefined && (keyIds === undefined || keyIds.length === 0)) {
    invalid(step, path, `${path} names no authenticator (aaguid, aaid or attestationCertificateKeyIdentifiers)`, 'no-identifier');
  }
  checkStatement(entry, step, path);
  checkStatusReports(entry, step, path);
  optionalString(entry, 'timeOfLastStatusChange', step, `${path}.timeOfLastStatusChange`, 64);
}

/** Validates a MetadataBLOBPayload (MDS3 §3.1.6) and every entry of it. */
export function validatePayload(payload: JsonObject, step: string, prefix = 'payload'): ValidatedPayload {
  const legalHeader = requireString(payload, 'legalHeader', step, `${prefix}.legalHeader`);
  const no = member(payload, 'no');
  if (!Number.isSafeInteger(no) || (no as number) < 0) invalid(step, `${prefix}.no`, `${prefix}.no is not a non-negative integer`);
  const nextUpdateDate = requireDate(payload, 'nextUpdate', step, `${prefix}.nextUpdate`);
  const entries = optionalArray(payload, 'entries', step, `${prefix}.entries`, METADATA_MAX_ENTRIES);
  if (entries === undefined) invalid(step, `${prefix}.entries`, `${prefix}.entries is missing`);
  for (const [index, entry] of entries.entries()) checkEntry(entry, step, `${prefix}.entries[${index}]`);
  return {
    legalHeader,
    no: no as number,
    nextUpdate: payload.nextUpdate as string,
    nextUpdateDate,
    entries: entries as readonly MetadataEntry[],
  };
}
