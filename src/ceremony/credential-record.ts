/** Validation of a stored {@link CredentialRecord} handed back to a ceremony. */
import { isBase64Url } from '../encoding/base64url.js';
import type { CredentialRecord } from '../types.js';
import { RECORD, describeType, invalidInput, isPlainMember, readList, readValues } from './input.js';

/**
 * The members of {@link CredentialRecord}, in the order `readCredentialRecord` indexes them; any
 * other member is the relying party's own and kept.
 */
const RECORD_KEYS: readonly string[] = Object.freeze([
  'id',
  'publicKey',
  'algorithm',
  'signCount',
  'transports',
  'uvInitialized',
  'backupEligible',
  'backupState',
  'aaguid',
  'attestationFormat',
  'attestationObject',
  'attestationClientDataJSON',
  'rpId',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TRANSPORTS = 16;

/** A record read once and checked: the library's own copy (byte keys copied too). */
export interface CheckedRecord {
  readonly record: CredentialRecord;
  /** The relying party's own members (database columns…), read once, kept in the updated record. */
  readonly extra: Readonly<Record<string, unknown>> | undefined;
}

function invalid(field: string, message: string, value?: unknown): never {
  return invalidInput(RECORD, field, message, value === undefined ? undefined : { received: describeType(value) });
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') invalid(field, 'must be a boolean', value);
  return value as boolean | undefined;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || value.length === 0)) invalid(field, 'must be a non-empty string', value);
  return value as string | undefined;
}

function transportsOf(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = readList(value, RECORD, 'transports');
  if (list === undefined || list.length > MAX_TRANSPORTS) invalid('transports', `must be a list of at most ${MAX_TRANSPORTS} strings`, value);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') invalid(`transports[${i}]`, 'must be a string', list[i]);
  }
  return list as string[];
}

/**
 * Reads the record once (it comes from the relying party's storage) and checks its shape:
 * canonical base64url id; COSE key bytes (copied) or their base64url; integer algorithm; signCount
 * a u32; booleans, strings and the transports list where they belong; aaguid a UUID. Members the
 * library does not know are kept. Throws `ERR_CREDENTIAL_RECORD_INVALID` naming the member, or
 * `ERR_CALLBACK_FAILED` when reading one throws.
 */
export function readCredentialRecord(record: unknown): CheckedRecord {
  if (!isPlainMember(record)) invalid('record', 'must be an object', record);
  // Indexed reads in RECORD_KEYS order (no dictionary): this runs on every sign-in.
  const { values: m, extra } = readValues(record, RECORD_KEYS, RECORD, '', 'keep');
  const id = m[0];
  if (typeof id !== 'string' || id.length === 0 || !isBase64Url(id)) invalid('id', 'must be a non-empty canonical base64url string', id);
  const key = m[1];
  let publicKey: Uint8Array | string;
  if (key instanceof Uint8Array && key.length > 0) publicKey = new Uint8Array(key);
  else if (typeof key === 'string' && key.length > 0) publicKey = key;
  else return invalid('publicKey', 'must be COSE_Key bytes or their base64url', key);
  const algorithm = m[2];
  if (typeof algorithm !== 'number' || !Number.isSafeInteger(algorithm)) {
    invalid('algorithm', 'must be an integer COSE algorithm identifier', algorithm);
  }
  const signCount = m[3];
  if (typeof signCount !== 'number' || !Number.isInteger(signCount) || signCount < 0 || signCount > 0xffffffff) {
    invalid('signCount', 'must be an integer from 0 to 2^32-1', signCount);
  }
  const transports = transportsOf(m[4]);
  const uvInitialized = optionalBoolean(m[5], 'uvInitialized');
  const backupEligible = optionalBoolean(m[6], 'backupEligible');
  const backupState = optionalBoolean(m[7], 'backupState');
  const aaguid = optionalText(m[8], 'aaguid');
  if (aaguid !== undefined && !UUID.test(aaguid)) invalid('aaguid', 'must be a UUID string (8-4-4-4-12 hex)');
  const attestationFormat = optionalText(m[9], 'attestationFormat');
  const attestationObject = optionalText(m[10], 'attestationObject');
  const attestationClientDataJSON = optionalText(m[11], 'attestationClientDataJSON');
  const rpId = optionalText(m[12], 'rpId');
  // Only the members given, in the order of the type: the record stays what the caller stored.
  const checked: Record<string, unknown> = { id, publicKey, algorithm, signCount };
  if (transports !== undefined) checked.transports = transports;
  if (uvInitialized !== undefined) checked.uvInitialized = uvInitialized;
  if (backupEligible !== undefined) checked.backupEligible = backupEligible;
  if (backupState !== undefined) checked.backupState = backupState;
  if (aaguid !== undefined) checked.aaguid = aaguid;
  if (attestationFormat !== undefined) checked.attestationFormat = attestationFormat;
  if (attestationObject !== undefined) checked.attestationObject = attestationObject;
  if (attestationClientDataJSON !== undefined) checked.attestationClientDataJSON = attestationClientDataJSON;
  if (rpId !== undefined) checked.rpId = rpId;
  return { record: checked as unknown as CredentialRecord, extra };
}

/** The record to store back: the caller's own members, the checked ones, then `changes`. */
export function updatedRecord(checked: CheckedRecord, changes: Partial<CredentialRecord>): CredentialRecord {
  // Object.assign, not a spread: V8 spreads that add properties take a slow path (≈ 4 µs).
  return Object.assign({}, checked.extra, checked.record, changes);
}
