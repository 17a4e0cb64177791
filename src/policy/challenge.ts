/** §7.1 step 8 / §7.2 step 11: the challenge in clientData is the one the relying party issued. */
import { bytesToBase64Url } from '../encoding/base64url.js';
import { fail, isWebAuthnError } from '../errors.js';

/**
 * A predicate that looks the challenge up, e.g. in a single-use challenge store: it must answer
 * exactly `true` (or a promise of `true`) to accept and `false` to refuse.
 */
export type ChallengePredicate = (challenge: string) => boolean | Promise<boolean>;

/**
 * The challenge the relying party issued: the exact base64url text expected in clientData, the
 * raw challenge bytes, or a {@link ChallengePredicate}. A predicate that throws or rejects, or
 * answers anything but a boolean (a forgotten `await` of an object, `1`, `undefined`), fails the
 * ceremony with `ERR_CALLBACK_FAILED` — it never accepts.
 */
export type ExpectedChallenge = string | Uint8Array | ChallengePredicate;

/**
 * Throws `ERR_CHALLENGE_MISMATCH` unless `received` is the expected challenge (its base64url text,
 * its bytes, or a predicate). Synchronous for text, bytes and a predicate that answers
 * synchronously; returns a promise when the predicate does.
 */
export function checkChallenge(received: string, expected: ExpectedChallenge, step: string): void | Promise<void> {
  if (received.length === 0) fail('ERR_CHALLENGE_MISMATCH', 'clientData.challenge is empty', { step });
  if (typeof expected === 'string') return assertMatch(received === expected, step);
  if (expected instanceof Uint8Array) return assertMatch(received === bytesToBase64Url(expected), step);
  let answer: unknown;
  try {
    answer = expected(received);
  } catch (error) {
    // A WebAuthnError the predicate chose to throw keeps its code; anything else is wrapped.
    if (isWebAuthnError(error)) throw error;
    return predicateFailed(error, 'threw');
  }
  if (typeof answer === 'boolean') return assertMatch(answer, step);
  if (typeof answer !== 'object' || answer === null) return notBoolean(answer);
  // A promise or another thenable: awaited, and held to the same rule (V4: a truthy Promise
  // once passed `if (!res)` in another library).
  return Promise.resolve(answer).then(
    (settled: unknown) => (typeof settled === 'boolean' ? assertMatch(settled, step) : notBoolean(settled)),
    (error: unknown) => (isWebAuthnError(error) ? Promise.reject(error) : predicateFailed(error, 'rejected')),
  );
}

function predicateFailed(cause: unknown, how: string): never {
  const text = cause instanceof Error ? `: ${cause.message}` : '';
  return fail('ERR_CALLBACK_FAILED', `expected.challenge: the predicate ${how}${text}`, { details: { field: 'challenge' }, cause });
}

function notBoolean(answer: unknown): never {
  return fail('ERR_CALLBACK_FAILED', `expected.challenge: the predicate answered ${answer === null ? 'null' : typeof answer}, not a boolean`, {
    details: { field: 'challenge', expected: 'boolean', received: answer === null ? 'null' : typeof answer },
  });
}

function assertMatch(matches: boolean, step: string): void {
  if (!matches) {
    fail('ERR_CHALLENGE_MISMATCH', 'clientData.challenge is not the challenge issued for this ceremony', {
      step,
      details: { field: 'challenge' },
    });
  }
}

/** Validates the shape of an expected challenge (programmer input): non-empty text or bytes, or a function. */
export function isExpectedChallenge(value: unknown): value is ExpectedChallenge {
  return (
    (typeof value === 'string' && value.length > 0) ||
    (value instanceof Uint8Array && value.length > 0) ||
    typeof value === 'function'
  );
}
