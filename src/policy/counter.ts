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

/** Pure verdict of §6.1.1 for a stored and a received counter. */
export function counterVerdict(stored: number, received: number): CounterVerdict {
  if (stored === 0 && received === 0) return 'unsupported';
  return received > stored ? 'increased' : 'regressed';
}

/** Applies the policy: throws on a regression unless the caller asked for a report. */
export function checkCounter(stored: number, received: number, policy: CounterPolicy, step: string): CounterVerdict {
  const verdict = counterVerdict(stored, received);
  if (verdict === 'regressed' && policy !== 'report') {
    fail('ERR_COUNTER_REGRESSION', `Signature counter did not increase (stored ${stored}, received ${received})`, {
      step,
      details: { field: 'signCount', expected: `> ${stored}`, received },
    });
  }
  return verdict;
}
