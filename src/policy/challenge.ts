/** §7.1 step 8 / §7.2 step 11: the challenge in clientData is the one the relying party issued. */
import { bytesToBase64Url } from '../encoding/base64url.js';
import { fail } from '../errors.js';

/**
 * The challenge the relying party issued: the exact base64url text expected in clientData, the
 * raw challenge bytes, or a predicate (sync or async) that looks the challenge up, e.g. in a
 * single-use challenge store. A predicate must return exactly `true` to accept.
 */
export type ExpectedChallenge = string | Uint8Array | ((challenge: string) => boolean | Promise<boolean>);

/** Throws `ERR_CHALLENGE_MISMATCH` unless `received` is the expected challenge. */
export async function checkChallenge(received: string, expected: ExpectedChallenge, step: string): Promise<void> {
  if (received.length === 0) fail('ERR_CHALLENGE_MISMATCH', 'clientData.challenge is empty', { step });
  let matches: boolean;
  if (typeof expected === 'string') {
    matches = received === expected;
  } else if (expected instanceof Uint8Array) {
    matches = received === bytesToBase64Url(expected);
  } else {
    // Awaited and compared with `true`: a forgotten await or a truthy non-boolean never accepts.
    matches = (await expected(received)) === true;
  }
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
