/**
 * §5.8.1 CollectedClientData: strict parsing of clientDataJSON (fatal UTF-8, native JSON.parse,
 * duplicate member names rejected, member types checked). Comparing values with expectations is
 * policy's job.
 */
import { decodeUtf8Strict } from '../encoding/bytes.js';
import { fail } from '../errors.js';
import type { ClientData } from '../types.js';

/**
 * Largest clientDataJSON accepted. The spec sets no bound; browsers emit about 100–400 bytes, and
 * the members a client may add (e.g. `other_keys_can_be_added_here`, `extraData`, `topOrigin`) keep
 * it far below 16 KiB, which still bounds the parse and the duplicate scan to a few microseconds.
 */
export const CLIENT_DATA_MAX_LENGTH = 16384;

/** Deepest nesting of JSON objects and arrays accepted (the top-level object is depth 1). */
export const CLIENT_DATA_MAX_DEPTH = 32;

/** The L2 TokenBindingStatus enum; L3 only reserves the member, so the last values defined hold. */

const STEP = '5.8.1';

function malformed(message: string, field?: string, cause?: unknown): never {
  return fail('ERR_CLIENTDATA_MALFORMED', message, {
    step: STEP,
    ...(field === undefined ? {} : { details: { field } }),
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Counts the member names in JSON text already accepted by JSON.parse (a string followed by `:` is
 * always a member name there) and bounds the nesting depth. Linear: string bodies are skipped with
 * indexOf, and the backslash runs examined before each quote are disjoint.
 */
function countMemberNames(text: string): number {
  const n = text.length;
  let count = 0;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = text.indexOf('"', i + 1);
      for (;;) {
        if (j < 0) return malformed('Unterminated string');
        let k = j - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((j - k) % 2 === 1) break; // an even number of backslashes: the quote is not escaped
        j = text.indexOf('"', j + 1);
      }
      i = j + 1;
      let w = text.charCodeAt(i);
      while (w === 0x20 || w === 0x0a || w === 0x0d || w === 0x09) w = text.charCodeAt(++i);
      if (w === 0x3a) {
        count++;
        i++;
      }
    } else {
      if (c === 0x7b || c === 0x5b) {
        if (++depth > CLIENT_DATA_MAX_DEPTH) malformed(`JSON nesting exceeds depth ${CLIENT_DATA_MAX_DEPTH}`);
      } else if (c === 0x7d || c === 0x5d) depth--;
      i++;
    }
  }
  return count;
}

/** Sum of own keys of every object in `values` and below (arrays are walked, not counted). */
function countOwnKeys(values: unknown[]): number {
  let total = 0;
  let value: unknown;
  while ((value = values.pop()) !== undefined) {
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) values.push(item);
    } else {
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      total += keys.length;
      for (const key of keys) {
        const item = object[key];
        if (typeof item === 'object' && item !== null) values.push(item);
      }
    }
  }
  return total;
}

function optional<T>(members: Record<string, unknown>, name: string, kind: 'string' | 'boolean'): T | undefined {
  const value = members[name];
  if (value !== undefined && typeof value !== kind) malformed(`clientData.${name} is not a ${kind}`, name);
  return value as T | undefined;
}

function required(members: Record<string, unknown>, name: string): string {
  const value = members[name];
  if (typeof value !== 'string') {
    malformed(value === undefined ? `clientData.${name} is missing` : `clientData.${name} is not a string`, name);
  }
  return value;
}

/**
 * Parses clientDataJSON (§5.8.1, §7.1 steps 5–6, §7.2 steps 10–11).
 *
 * Decodes UTF-8 strictly, drops one leading BOM, parses JSON, and rejects: input over
 * `CLIENT_DATA_MAX_LENGTH` (16384) bytes or nested deeper than `CLIENT_DATA_MAX_DEPTH` (32); a
 * repeated member name in any object (parsers disagree on which one wins); a top level that is not
 * an object; `type`, `challenge` or `origin` missing or not strings; `crossOrigin` not a boolean;
 * `topOrigin` not a string. `tokenBinding` is [RESERVED] in L3 and not validated, in any form.
 * Empty strings pass: policy rejects them.
 * `members` holds every member (null-prototype object); `raw` is `bytes` itself.
 *
 * @throws {WebAuthnError} `ERR_CLIENTDATA_MALFORMED`; `ERR_OPTIONS_INVALID` when `bytes` is not a
 * Uint8Array.
 */
export function parseClientDataJSON(bytes: Uint8Array): ClientData {
  if (!(bytes instanceof Uint8Array)) {
    fail('ERR_OPTIONS_INVALID', 'parseClientDataJSON: clientDataJSON must be a Uint8Array', { details: { field: 'clientDataJSON' } });
  }
  if (bytes.length > CLIENT_DATA_MAX_LENGTH) malformed(`clientDataJSON exceeds ${CLIENT_DATA_MAX_LENGTH} bytes`);
  let text: string;
  try {
    text = decodeUtf8Strict(bytes);
  } catch (cause) {
    return malformed('clientDataJSON is not valid UTF-8', undefined, cause);
  }
  // §5.8.1.2 / WHATWG "UTF-8 decode": a leading byte order mark is removed, not rejected.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return malformed('clientDataJSON is not JSON', undefined, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    malformed('clientDataJSON is not a JSON object');
  }

  const root = parsed as Record<string, unknown>;
  const members: Record<string, unknown> = Object.create(null);
  const nested: unknown[] = [];
  const keys = Object.keys(root);
  for (const key of keys) {
    const value = root[key];
    members[key] = value;
    if (typeof value === 'object' && value !== null) nested.push(value);
  }
  // JSON.parse keeps the last of repeated names, so fewer own keys than names in the text means a repeat.
  if (countMemberNames(text) !== keys.length + countOwnKeys(nested)) {
    malformed('clientDataJSON repeats a member name');
  }

  const type = required(members, 'type');
  const challenge = required(members, 'challenge');
  const origin = required(members, 'origin');
  const crossOrigin = optional<boolean>(members, 'crossOrigin', 'boolean');
  const topOrigin = optional<string>(members, 'topOrigin', 'string');
  // tokenBinding is [RESERVED] in L3 (§5.8.1) and no longer processed: Level 1 era clients sent
  // {"status":"not-supported"} and some a string. It stays in `members`; docs/quirks.md.

  // Shallow freeze only: freezing the null-prototype `members` (a dictionary-mode object in V8) would
  // cost about as much as JSON.parse itself.
  return Object.freeze({ type, challenge, origin, crossOrigin, topOrigin, members, raw: bytes });
}
