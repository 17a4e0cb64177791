/** Validation of the relying party's expectations common to both ceremonies. */
import { fail } from '../errors.js';
import { type ExpectedChallenge, isExpectedChallenge } from '../policy/challenge.js';
import type { CrossOriginExpectation, ExpectedOrigin } from '../policy/origin.js';
import type { ExpectedRpId } from '../policy/rp-id.js';
import type { UserVerificationRequirement } from '../types.js';

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

function invalid(field: string, message: string): never {
  return fail('ERR_OPTIONS_INVALID', `expected.${field}: ${message}`, { details: { field } });
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0);
}

/** Throws `ERR_OPTIONS_INVALID` when the expectations are not well formed. */
export function checkCeremonyExpectations(expected: unknown): asserts expected is CeremonyExpectations {
  if (typeof expected !== 'object' || expected === null) invalid('', 'must be an object');
  const e = expected as Readonly<Record<string, unknown>>;
  if (!isExpectedChallenge(e.challenge)) invalid('challenge', 'must be a non-empty string, bytes or a function');
  const origin = e.origin;
  if (!(typeof origin === 'function' || (typeof origin === 'string' && origin.length > 0) || isStringList(origin))) {
    invalid('origin', 'must be a non-empty string, a non-empty list of strings or a function');
  }
  const rpId = e.rpId;
  if (!((typeof rpId === 'string' && rpId.length > 0) || isStringList(rpId))) {
    invalid('rpId', 'must be a non-empty string or a non-empty list of strings');
  }
  const uv = e.userVerification;
  if (uv !== undefined && uv !== 'required' && uv !== 'preferred' && uv !== 'discouraged') {
    invalid('userVerification', 'must be "required", "preferred" or "discouraged"');
  }
  if (e.allowCrossOrigin !== undefined && typeof e.allowCrossOrigin !== 'boolean') {
    invalid('allowCrossOrigin', 'must be a boolean');
  }
  const top = e.topOrigin;
  if (top !== undefined && !(typeof top === 'string' && top.length > 0) && !isStringList(top)) {
    invalid('topOrigin', 'must be a non-empty string or a non-empty list of strings');
  }
  const algorithms = e.algorithms;
  if (algorithms !== undefined && !(Array.isArray(algorithms) && algorithms.every((a) => Number.isInteger(a)))) {
    invalid('algorithms', 'must be a list of integer COSE algorithm identifiers');
  }
}
