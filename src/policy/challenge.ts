/** §7.1 step 8 / §7.2 step 11: the challenge in clientData is the one the relying party issued. */
import { bytesToBase64Url } from '../encoding/base64url.js';
import { fail } from '../errors.js';

/**
 * The challenge the relying party issued: the exact base64url text expected in clientData, the
 * raw challenge bytes, or a predicate (sync or async) that looks the challenge up, e.g. in a
 * single-use challenge store. A predicate must return exactly `true` to accept.
 */
export type ExpectedChallenge = string | Uint8Array | ((challenge: string) => boolean | Promise<boolean>);

/**
 * Throws `ERR_CHALLENGE_MISMATCH` unless `received` is the expected challenge. Synchronous for a
 * string or bytes; returns a promise when the expectation is a predicate.
 */
export function checkChallenge(received: string, expected: ExpectedChallenge, step: string): void | Promise<void> {
  if (received.length === 0) fail('ERR_CHALLENGE_MISMATCH', 'clientData.challenge is empty', { step });
  if (typeof expected === 'string') return assertMatch(received === expected, step);
  if (expected instanceof Uint8Array) return assertMatch(received === bytesToBase64Url(expected), step);
  // Awaited and compared with `true`: a forgotten await or a truthy non-boolean never accepts.
  return Promise.resolve(expected(received)).then((answer) => assertMatch(answer === true, step));
}

function assertMatch(matches: boolean, step: string): void {
  if (!matches) {
    fail('ERR_CHALLENGE_MISMATCH', 'clientData.challenge is not the challenge issued for this ceremony', {
      step,
      details: { field: 'challenge' },
    });
  }
}

/** Validates the shape of an expected challenge (programmer input). */
export function isExpectedChallenge(value: unknown): value is ExpectedChallenge {
  return (
    (typeof value === 'string' && value.length > 0) ||
    (value instanceof Uint8Array && value.length > 0) ||
    typeof value === 'function'
  );
}
