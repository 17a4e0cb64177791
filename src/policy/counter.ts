/** §7.2 step 22 and §6.1.1: the signature counter verdict. */
import { fail } from '../errors.js';

/**
 * What the counter says about the authenticator:
 * - `increased`: the received counter is greater than the stored one (the normal case);
 * - `unsupported`: both are zero (the authenticator has no counter, e.g. synced passkeys);
 * - `regressed`: received ≤ stored while one of them is non-zero — a cloned authenticator, a
 *   malfunction or a race between two sign-ins.
 */
export type CounterVerdict = 'increased' | 'unsupported' | 'regressed';

/** How a regression is handled: throw `ERR_COUNTER_REGRESSION` (default) or report it in the result. */
export type CounterPolicy = 'reject-regression' | 'report';

function verdictOf(stored: number, received: number): CounterVerdict {
  if (stored === 0 && received === 0) return 'unsupported';
  return received > stored ? 'increased' : 'regressed';
}

function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/**
 * Pure verdict of §6.1.1 for a stored and a received counter (unsigned 32-bit integers).
 *
 * @throws {WebAuthnError} `ERR_OPTIONS_INVALID` naming `stored` or `received` when it is not an
 * integer from 0 to 2^32−1 (a string such as `'10'` would otherwise compare as text).
 */
export function counterVerdict(stored: number, received: number): CounterVerdict {
  for (const [field, value] of [
    ['stored', stored],
    ['received', received],
  ] as const) {
    if (!isUint32(value)) {
      fail('ERR_OPTIONS_INVALID', `counterVerdict: ${field} must be an integer from 0 to 2^32-1`, { details: { field } });
    }
  }
  return verdictOf(stored, received);
}

/**
 * Applies the policy: throws on a regression unless the caller asked for a report. Both counters
 * are already known to be unsigned 32-bit integers (the record check and the parser).
 */
export function checkCounter(stored: number, received: number, policy: CounterPolicy, step: string): CounterVerdict {
  const verdict = verdictOf(stored, received);
  if (verdict === 'regressed' && policy !== 'report') {
    fail('ERR_COUNTER_REGRESSION', `Signature counter did not increase (stored ${stored}, received ${received})`, {
      step,
      details: { field: 'signCount', expected: `> ${stored}`, received },
    });
  }
  return verdict;
}
