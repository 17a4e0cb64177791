/**
 * Validation of the relying party's expectations common to both ceremonies.
 *
 * The expectations are read once (ceremony/input.ts) and checked up front: a wrongly typed member
 * is `ERR_OPTIONS_INVALID` naming it, never an `ERR_INTERNAL` from deep inside nor an attack code
 * (`ERR_CREDENTIAL_NOT_ALLOWED`, `ERR_USER_HANDLE_MISMATCH`…) for a typo. Members the library does
 * not know are refused too: a misspelt `userVerifcation: 'required'` would otherwise silently
 * fall back to the default.
 */
import { bytesToBase64Url, isBase64Url } from '../encoding/base64url.js';
import { DEFAULT_ALLOWED_ALGORITHMS } from '../parse/cose-constants.js';
import type { ChallengePredicate, ExpectedChallenge } from '../policy/challenge.js';
import type { CrossOriginExpectation, ExpectedOrigin } from '../policy/origin.js';
import type { ExpectedRpId } from '../policy/rp-id.js';
import type { UserVerificationRequirement } from '../types.js';
import { EXPECTATIONS, describeType, invalidInput, isPlainMember, readList, readValues } from './input.js';

/** What every ceremony checks clientData and authenticatorData against. */
export interface CeremonyExpectations extends CrossOriginExpectation {
  /** The challenge issued for this ceremony (see {@link ExpectedChallenge}). */
  readonly challenge: ExpectedChallenge;
  /** The origin(s) of the relying party's pages (exact match). */
  readonly origin: ExpectedOrigin;
  /** The RP ID(s) the credential may be scoped to. */
  readonly rpId: ExpectedRpId;
  /** The relying party's own UV policy (never the client's echo). Default `preferred`. */
  readonly userVerification?: UserVerificationRequirement | undefined;
  /** COSE algorithms accepted; default every supported algorithm except RS1 (-65535). */
  readonly algorithms?: readonly number[] | undefined;
}

/** The common expectations after validation: defaults applied, lists copied, bytes as base64url. */
export interface CheckedExpectations {
  /** Base64url text, or the caller's predicate. */
  readonly challenge: string | ChallengePredicate;
  readonly origin: string | readonly string[] | ((origin: string) => boolean);
  readonly rpId: string | readonly string[];
  readonly userVerification: UserVerificationRequirement;
  readonly algorithms: readonly number[];
  readonly allowCrossOrigin: boolean;
  readonly topOrigin: string | readonly string[] | undefined;
}

/** The members of {@link CeremonyExpectations}. */
export const COMMON_EXPECTATION_KEYS: readonly string[] = Object.freeze([
  'challenge',
  'origin',
  'rpId',
  'userVerification',
  'algorithms',
  'allowCrossOrigin',
  'topOrigin',
]);

function invalid(field: string, message: string, received?: unknown): never {
  return invalidInput(EXPECTATIONS, field, message, received === undefined ? undefined : { received: describeType(received) });
}

/** A non-empty string, or a non-empty list of non-empty strings (copied). */
function stringOrList(value: unknown, field: string, what: string): string | readonly string[] {
  if (typeof value === 'string') {
    if (value.length === 0) invalid(field, `must be a non-empty string or a non-empty list of ${what}`);
    return value;
  }
  const list = readList(value, EXPECTATIONS, field);
  if (list === undefined || list.length === 0) invalid(field, `must be a non-empty string or a non-empty list of ${what}`, value);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== 'string' || item.length === 0) invalid(`${field}[${i}]`, 'must be a non-empty string', item);
  }
  return list as string[];
}

function checkChallengeValue(value: unknown): string | ChallengePredicate {
  if (typeof value === 'function') return value as ChallengePredicate;
  if (value instanceof Uint8Array) {
    if (value.length === 0) invalid('challenge', 'must not be empty');
    return bytesToBase64Url(value);
  }
  if (typeof value === 'string') {
    // clientData.challenge is base64url (§5.8.1): any other text could never match.
    if (value.length === 0 || !isBase64Url(value)) invalid('challenge', 'must be the canonical base64url of the challenge');
    return value;
  }
  return invalid('challenge', 'must be base64url text, bytes or a predicate', value);
}

/** An optional boolean member. */
export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') invalid(field, 'must be a boolean', value);
  return value as boolean | undefined;
}

/** An optional member among `allowed` string values. */
export function optionalEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(field, `must be ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, value);
  }
  return value as T;
}

/** An optional list of integer COSE algorithm identifiers, copied. */
export function optionalAlgorithms(value: unknown, field: string): readonly number[] | undefined {
  if (value === undefined) return undefined;
  const list = readList(value, EXPECTATIONS, field);
  if (list === undefined || list.length === 0) invalid(field, 'must be a non-empty list of integer COSE algorithm identifiers', value);
  for (let i = 0; i < list.length; i++) {
    if (!Number.isSafeInteger(list[i])) invalid(`${field}[${i}]`, 'must be an integer COSE algorithm identifier', list[i]);
  }
  return list as number[];
}

const UV_VALUES: readonly UserVerificationRequirement[] = ['required', 'preferred', 'discouraged'];

/**
 * Reads the expectations once and checks the common members; `ceremonyKeys` are every member the
 * ceremony knows, {@link COMMON_EXPECTATION_KEYS} first, in that order. `values[i]` is the value of
 * `ceremonyKeys[i]` (the ceremony checks its own). Throws `ERR_OPTIONS_INVALID` naming the member,
 * or `ERR_CALLBACK_FAILED` when reading one throws.
 */
export function readCeremonyExpectations(
  expected: unknown,
  ceremonyKeys: readonly string[],
): { readonly checked: CheckedExpectations; readonly values: readonly unknown[] } {
  if (!isPlainMember(expected)) invalid('', 'must be an object', expected);
  // Indexed reads (no dictionary): this runs on every sign-in.
  const { values } = readValues(expected, ceremonyKeys, EXPECTATIONS);
  const challenge = checkChallengeValue(values[0]);
  const originValue = values[1];
  const origin =
    typeof originValue === 'function'
      ? (originValue as (origin: string) => boolean)
      : stringOrList(originValue, 'origin', 'origins (or a predicate)');
  const rpId = stringOrList(values[2], 'rpId', 'RP IDs');
  const userVerification = optionalEnum(values[3], UV_VALUES, 'userVerification') ?? 'preferred';
  const algorithms = optionalAlgorithms(values[4], 'algorithms') ?? DEFAULT_ALLOWED_ALGORITHMS;
  const allowCrossOrigin = optionalBoolean(values[5], 'allowCrossOrigin') ?? false;
  const topOrigin = values[6] === undefined ? undefined : stringOrList(values[6], 'topOrigin', 'origins');
  return { checked: { challenge, origin, rpId, userVerification, algorithms, allowCrossOrigin, topOrigin }, values };
}

/** Validates an optional base64url-or-bytes id (allowCredentials entries, userHandle), as text. */
export function idText(value: unknown, field: string, maxBytes: number): string {
  if (value instanceof Uint8Array) {
    if (value.length === 0 || value.length > maxBytes) invalid(field, `must be 1–${maxBytes} bytes`);
    return bytesToBase64Url(value);
  }
  if (typeof value !== 'string' || value.length === 0 || !isBase64Url(value) || (value.length * 3) >> 2 > maxBytes) {
    invalid(field, `must be 1–${maxBytes} bytes or their canonical base64url`, value);
  }
  return value;
}
