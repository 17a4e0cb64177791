/**
 * Bounded JSON for metadata: a nesting-depth scan before `JSON.parse` (whose recursion would
 * otherwise turn a hostile `[[[[…` into a RangeError), and small typed readers that report a
 * mistyped member as `ERR_METADATA_INVALID` naming it.
 */
import { fail } from '../errors.js';

/** Deepest JSON nesting accepted in a BLOB segment or a snapshot (real MDS payloads reach about 9). */
export const METADATA_MAX_JSON_DEPTH = 32;

/** A JSON object as parsed: plain members only. */
export type JsonObject = { readonly [member: string]: unknown };

/** Throws `ERR_METADATA_INVALID` with `details.field` (and `details.reason` when given). */
export function invalid(step: string, field: string, message: string, reason?: string): never {
  return fail('ERR_METADATA_INVALID', `Metadata: ${message}`, {
    step,
    details: reason === undefined ? { field } : { field, reason },
  });
}

/**
 * The largest nesting depth of `text`, stopping as soon as it exceeds `limit`. Brackets inside
 * strings (with escapes) do not count. Linear in the length; never recursive.
 */
function nestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Parses `text` as JSON whose top level is an object, nested at most
 * {@link METADATA_MAX_JSON_DEPTH} deep.
 */
export function parseBoundedJsonObject(text: string, step: string, field: string): JsonObject {
  if (nestingExceeds(text, METADATA_MAX_JSON_DEPTH)) {
    invalid(step, field, `${field} is nested deeper than ${METADATA_MAX_JSON_DEPTH}`, 'too-deep');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('ERR_METADATA_INVALID', `Metadata: ${field} is not JSON`, { step, details: { field, reason: 'json' }, cause: error });
  }
  if (!isJsonObject(value)) invalid(step, field, `${field} is not a JSON object`, 'not-object');
  return value;
}

/** A plain object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own member of a parsed object (never an inherited one such as `constructor`). */
export function member(object: JsonObject, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** A required non-empty string member. */
export function requireString(object: JsonObject, name: string, step: string, path: string, maxLength = 65_536): string {
  const value = member(object, name);
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    invalid(step, path, `${path} is missing or not a non-empty string`);
  }
  return value;
}

/** An optional string member: absent → undefined; present but not a string → invalid. */
export function optionalString(object: JsonObject, name: string, step: string, path: string, maxLength = 1 << 20): string | undefined {
  const value = member(object, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) invalid(step, path, `${path} is not a string`);
  return value;
}

/** An optional array member of at most `maxItems` items. */
export function optionalArray(object: JsonObject, name: string, step: string, path: string, maxItems: number): readonly unknown[] | undefined {
  const value = member(object, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) invalid(step, path, `${path} is not an array`);
  if (value.length > maxItems) invalid(step, path, `${path} has ${value.length} items, at most ${maxItems} are accepted`, 'too-large');
  return value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The start (00:00 UTC) of an ISO 8601 calendar date `yyyy-mm-dd`, the form MDS3 uses for
 * `nextUpdate` and `effectiveDate`; undefined when `text` is not such a date (2026-02-30 included).
 */
export function parseIsoDate(text: string): Date | undefined {
  const match = DATE.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date;
}

/** Deep-freezes a JSON value in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
