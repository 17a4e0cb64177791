/**
 * `loadVerifiedMetadata`: restores a {@link VerifiedMetadata} snapshot that
 * {@link verifyMetadataBlob} produced (typically in a build step) from its JSON, with the full
 * shape validation of the BLOB payload. Loading does not re-verify the signature: the snapshot is
 * as trustworthy as the deployment artifact it ships in.
 */
import { fail, isWebAuthnError } from '../errors.js';
import {
  type JsonObject,
  METADATA_MAX_JSON_DEPTH,
  deepFreeze,
  invalid,
  isJsonObject,
  member,
  parseBoundedJsonObject,
  requireString,
} from './json.js';
import { validatePayload } from './payload.js';
import { METADATA_SNAPSHOT_FORMAT, type VerifiedMetadata } from './types.js';

const STEP = 'mds.3.1.6';
/** Longest snapshot text accepted (the BLOB bound plus room for the facts). */
const MAX_SNAPSHOT_LENGTH = 16 * 1024 * 1024;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** A plain-data deep copy of `value`, refusing anything JSON cannot carry and nesting beyond the bound. */
function copyJson(value: unknown, depth: number, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(STEP, path, `${path} is not a finite number`);
    return value;
  }
  if (typeof value !== 'object') invalid(STEP, path, `${path} is not JSON data`);
  if (depth >= METADATA_MAX_JSON_DEPTH) invalid(STEP, path, `the snapshot is nested deeper than ${METADATA_MAX_JSON_DEPTH}`, 'too-deep');
  if (Array.isArray(value)) return value.map((item, index) => copyJson(item, depth + 1, `${path}[${index}]`));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) invalid(STEP, path, `${path} is not a plain object`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    // defineProperty: a member named __proto__ stays a member, never a prototype.
    if (item !== undefined) {
      Object.defineProperty(out, key, { value: copyJson(item, depth + 1, `${path}.${key}`), enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

function readInput(input: unknown): JsonObject {
  if (typeof input === 'string') {
    if (input.length > MAX_SNAPSHOT_LENGTH) invalid(STEP, 'snapshot', 'the snapshot text is too large', 'too-large');
    return parseBoundedJsonObject(input, STEP, 'snapshot');
  }
  if (!isJsonObject(input)) {
    return fail('ERR_OPTIONS_INVALID', 'loadVerifiedMetadata: expects the snapshot JSON text or its parsed object', {
      details: { field: 'snapshot' },
    });
  }
  try {
    return copyJson(input, 0, 'snapshot') as JsonObject;
  } catch (error) {
    // A getter that throws, a proxy: the caller's object, reported as malformed input.
    if (isWebAuthnError(error)) throw error;
    return fail('ERR_METADATA_INVALID', 'Metadata: the snapshot object could not be read', { step: STEP, details: { field: 'snapshot' }, cause: error });
  }
}

function requireBoolean(object: JsonObject, name: string): boolean {
  const value = member(object, name);
  if (typeof value !== 'boolean') invalid(STEP, `snapshot.${name}`, `snapshot.${name} is not a boolean`);
  return value;
}

/**
 * Restores a snapshot from `JSON.stringify(verifiedMetadata)` (text or the parsed object): the
 * format tag, `no`, `nextUpdate`, `legalHeader`, `verifiedAt`, `stale`, `anchor`,
 * `unusedCertificates`, `revocationChecked` and every entry are validated as for a BLOB.
 * Returns a deep-frozen copy; the input is not retained.
 *
 * @throws WebAuthnError `ERR_METADATA_INVALID` naming the member (`details.field`);
 *   `ERR_OPTIONS_INVALID` when the argument is neither text nor an object.
 */
export function loadVerifiedMetadata(snapshot: string | object): VerifiedMetadata {
  const object = readInput(snapshot);
  if (member(object, 'format') !== METADATA_SNAPSHOT_FORMAT) {
    invalid(STEP, 'snapshot.format', `snapshot.format is not ${METADATA_SNAPSHOT_FORMAT}`, 'format');
  }
  const payload = validatePayload(object, STEP, 'snapshot');
  const verifiedAt = requireString(object, 'verifiedAt', STEP, 'snapshot.verifiedAt', 64);
  if (Number.isNaN(Date.parse(verifiedAt)) || new Date(verifiedAt).toISOString() !== verifiedAt) {
    invalid(STEP, 'snapshot.verifiedAt', 'snapshot.verifiedAt is not an ISO 8601 time');
  }
  const anchor = member(object, 'anchor');
  if (!isJsonObject(anchor)) invalid(STEP, 'snapshot.anchor', 'snapshot.anchor is not an object');
  const sha256 = requireString(anchor, 'sha256', STEP, 'snapshot.anchor.sha256', 64);
  if (!HEX_SHA256.test(sha256)) invalid(STEP, 'snapshot.anchor.sha256', 'snapshot.anchor.sha256 is not lower-case hex SHA-256');
  const subject = requireString(anchor, 'subject', STEP, 'snapshot.anchor.subject', 4096);
  const notAfter = requireString(anchor, 'notAfter', STEP, 'snapshot.anchor.notAfter', 64);
  if (Number.isNaN(Date.parse(notAfter))) invalid(STEP, 'snapshot.anchor.notAfter', 'snapshot.anchor.notAfter is not a time');
  const unused = member(object, 'unusedCertificates');
  if (!Number.isSafeInteger(unused) || (unused as number) < 0) {
    invalid(STEP, 'snapshot.unusedCertificates', 'snapshot.unusedCertificates is not a non-negative integer');
  }
  const restored: VerifiedMetadata = {
    format: METADATA_SNAPSHOT_FORMAT,
    no: payload.no,
    nextUpdate: payload.nextUpdate,
    legalHeader: payload.legalHeader,
    verifiedAt,
    stale: requireBoolean(object, 'stale'),
    anchor: { sha256, subject, notAfter },
    unusedCertificates: unused as number,
    revocationChecked: requireBoolean(object, 'revocationChecked'),
    entries: payload.entries,
  };
  // A string input was parsed afresh; an object input was copied: either way the result owns its data.
  return deepFreeze(restored);
}
