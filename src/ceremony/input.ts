/**
 * Reading the caller's objects (expectations, stored records, generator input, the response JSON).
 *
 * Each member is read exactly once, into an object or array the library owns, before anything is
 * checked or used: a getter or proxy can then neither show one value to a check and another to
 * its use (DESIGN "each input member is read once"), nor make a foreign exception escape. A getter
 * or proxy trap that throws is the caller's code failing: `ERR_CALLBACK_FAILED`, naming the member,
 * with the caller's error as `cause`.
 */
import { fail, isWebAuthnError } from '../errors.js';

/** Which code a wrongly typed member gets, and how messages name the argument. */
export interface InputContext {
  readonly code: 'ERR_OPTIONS_INVALID' | 'ERR_CREDENTIAL_RECORD_INVALID' | 'ERR_RESPONSE_MALFORMED';
  /** Prefix of messages, e.g. `expected.` or `credential record: `. */
  readonly label: string;
  /** Spec step reported by errors, if any. */
  readonly step?: string | undefined;
}

/** The expectations of a verify function. */
export const EXPECTATIONS: InputContext = Object.freeze({ code: 'ERR_OPTIONS_INVALID', label: 'expected.' });
/** The response JSON (a getter there is the caller's code too). */
export const RESPONSE: InputContext = Object.freeze({ code: 'ERR_RESPONSE_MALFORMED', label: '' });
/** The stored credential record of a sign-in. */
export const RECORD: InputContext = Object.freeze({ code: 'ERR_CREDENTIAL_RECORD_INVALID', label: 'credential record: ' });

/** Longest list read from a caller (allowCredentials, trust anchors, origins…). */
export const MAX_INPUT_LIST = 10_000;

/** Throws the context's code for `field` (a path relative to the argument, e.g. `attestation.require`). */
export function invalidInput(
  context: InputContext,
  field: string,
  message: string,
  extra?: { readonly received?: string | number | boolean | null; readonly cause?: unknown },
): never {
  return fail(context.code, `${context.label}${field}: ${message}`, {
    ...(context.step === undefined ? {} : { step: context.step }),
    details: { field, ...(extra?.received === undefined ? {} : { received: extra.received }) },
    ...(extra?.cause === undefined ? {} : { cause: extra.cause }),
  });
}

/** `ERR_CALLBACK_FAILED` for `field`: caller code (a getter, a proxy trap, a predicate) threw. */
export function callbackFailed(field: string, cause: unknown, what = 'reading it threw'): never {
  const text = cause instanceof Error ? `: ${cause.message}` : '';
  return fail('ERR_CALLBACK_FAILED', `${field}: ${what}${text}`, { details: { field }, cause });
}

/** A short description of a value's type for error details (never the value itself). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value;
}

/** True for a non-null object that is not an array (a function is not one either). */
export function isPlainMember(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the `known` members of `value` once each (inherited ones included), in order, into an
 * array: `values[i]` is `value[known[i]]`. This is the hot path of every ceremony (expectations,
 * record, response), so it builds no dictionary and no spread. With `unknown: 'reject'`, an own
 * enumerable member not in `known` is refused with the context's code; with `'keep'` such members
 * are read once too and returned in `extra` (never `__proto__`); with `'ignore'` they are not read
 * at all. `path` prefixes field names (`attestation.`). `value` must already be an object.
 */
export function readValues(
  value: object,
  known: readonly string[],
  context: InputContext,
  path = '',
  unknown: 'reject' | 'keep' | 'ignore' = 'reject',
): { readonly values: unknown[]; readonly extra: Record<string, unknown> | undefined } {
  const count = known.length;
  const values = new Array<unknown>(count);
  let extra: Record<string, unknown> | undefined;
  let key = '';
  try {
    const source = value as Record<string, unknown>;
    if (unknown !== 'ignore') {
      for (key of Object.keys(source)) {
        if (known.includes(key)) continue;
        if (unknown === 'reject') invalidInput(context, `${path}${key}`, 'is not a known member');
        // Never copied: assigning it to an ordinary object later would set that object's prototype.
        if (key === '__proto__') continue;
        extra ??= {};
        extra[key] = source[key];
      }
    }
    for (let i = 0; i < count; i++) {
      key = known[i] as string;
      values[i] = source[key];
    }
  } catch (error) {
    if (isWebAuthnError(error)) throw error;
    callbackFailed(`${path}${key === '' ? '(keys)' : key}`, error);
  }
  return { values, extra };
}

/**
 * {@link readValues} as an object keyed by member name. An ordinary object with the members added
 * in the same order every time, so that V8 keeps it in fast mode (a null-prototype object is a hash
 * table from the start and costs microseconds on the sign-in path); only the `known` names, none of
 * them an `Object.prototype` member, are ever read from it.
 */
export function readMembers(
  value: object,
  known: readonly string[],
  context: InputContext,
  path = '',
  unknown: 'reject' | 'keep' | 'ignore' = 'reject',
): { readonly members: Record<string, unknown>; readonly extra: Record<string, unknown> | undefined } {
  const { values, extra } = readValues(value, known, context, path, unknown);
  const members: Record<string, unknown> = {};
  for (let i = 0; i < known.length; i++) members[known[i] as string] = values[i];
  return { members, extra };
}

/**
 * A copy of `value` when it is an array (each element read once), `undefined` when it is not one.
 * Longer than {@link MAX_INPUT_LIST} is refused with the context's code.
 */
export function readList(value: unknown, context: InputContext, field: string): unknown[] | undefined {
  try {
    if (!Array.isArray(value)) return undefined;
    const length = value.length;
    if (length > MAX_INPUT_LIST) invalidInput(context, field, `has more than ${MAX_INPUT_LIST} elements`, { received: length });
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = value[i];
    return out;
  } catch (error) {
    if (isWebAuthnError(error)) throw error;
    return callbackFailed(field, error);
  }
}
