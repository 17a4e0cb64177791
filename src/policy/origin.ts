/**
 * §7.1 steps 9–11 / §7.2 steps 12–14: origin, crossOrigin and topOrigin of clientData against the
 * relying party's expectations. Origins are compared as exact strings (§13.5.9): no suffix, host-only
 * or scheme-insensitive matching, so `https://evilexample.com`, `http://example.com` and
 * `https://example.com:8443` never match `https://example.com`.
 */
import { fail, isWebAuthnError } from '../errors.js';
import type { ClientData } from '../types.js';

/**
 * The origin(s) the relying party accepts: one exact origin, a list, or a predicate. Android apps
 * are matched by their `android:apk-key-hash:…` origin when it is listed.
 */
export type ExpectedOrigin = string | readonly string[] | ((origin: string) => boolean);

/** What the relying party accepts for cross-origin (iframe) ceremonies. */
export interface CrossOriginExpectation {
  /** Accept `crossOrigin: true` (a ceremony inside a cross-origin iframe). Default false. */
  readonly allowCrossOrigin?: boolean | undefined;
  /** Top-level origins accepted for cross-origin ceremonies (`clientData.topOrigin`). */
  readonly topOrigin?: string | readonly string[] | undefined;
}

function askPredicate(predicate: (origin: string) => boolean, origin: string): boolean {
  let answer: unknown;
  try {
    answer = predicate(origin);
  } catch (error) {
    if (isWebAuthnError(error)) throw error;
    const text = error instanceof Error ? `: ${error.message}` : '';
    return fail('ERR_CALLBACK_FAILED', `expected.origin: the predicate threw${text}`, { details: { field: 'origin' }, cause: error });
  }
  if (typeof answer === 'boolean') return answer;
  // A promise cannot be awaited here (the predicate is synchronous by contract): keep its
  // eventual rejection from becoming an unhandled one, and refuse.
  if (answer instanceof Promise) answer.then(undefined, () => {});
  const received = answer === null ? 'null' : answer instanceof Promise ? 'promise' : typeof answer;
  return fail('ERR_CALLBACK_FAILED', `expected.origin: the predicate answered ${received}, not a boolean`, {
    details: { field: 'origin', expected: 'boolean', received },
  });
}

function matchesList(value: string, expected: string | readonly string[]): boolean {
  return typeof expected === 'string' ? value === expected : expected.includes(value);
}

/**
 * Throws `ERR_ORIGIN_MISMATCH` unless clientData.origin is expected; returns the matched origin. A
 * predicate must answer a boolean synchronously: one that throws, or answers anything else (a
 * promise included), is `ERR_CALLBACK_FAILED` and never accepts.
 */
export function checkOrigin(received: string, expected: ExpectedOrigin, step: string): string {
  const ok =
    received.length > 0 && (typeof expected === 'function' ? askPredicate(expected, received) : matchesList(received, expected));
  if (!ok) {
    fail('ERR_ORIGIN_MISMATCH', `clientData.origin ${JSON.stringify(received.slice(0, 200))} is not an expected origin`, {
      step,
      details: { field: 'origin', received: received.slice(0, 200) },
    });
  }
  return received;
}

/**
 * Checks crossOrigin and topOrigin. `steps` are the spec steps of the two checks
 * (§7.1 steps 10, 11 or §7.2 steps 13, 14).
 */
export function checkCrossOrigin(
  clientData: ClientData,
  expected: CrossOriginExpectation,
  steps: { readonly crossOrigin: string; readonly topOrigin: string },
): void {
  const crossOrigin = clientData.crossOrigin === true;
  if (crossOrigin && expected.allowCrossOrigin !== true) {
    fail('ERR_CROSS_ORIGIN_NOT_ALLOWED', 'The ceremony ran in a cross-origin iframe, which this relying party does not allow', {
      step: steps.crossOrigin,
    });
  }
  const topOrigin = clientData.topOrigin;
  if (topOrigin !== undefined) {
    if (!crossOrigin) {
      fail('ERR_TOP_ORIGIN_INVALID', 'clientData.topOrigin is present but crossOrigin is not true', {
        step: steps.topOrigin,
      });
    }
    if (expected.topOrigin === undefined || !matchesList(topOrigin, expected.topOrigin)) {
      fail('ERR_TOP_ORIGIN_MISMATCH', `clientData.topOrigin ${JSON.stringify(topOrigin.slice(0, 200))} is not expected`, {
        step: steps.topOrigin,
        details: { field: 'topOrigin', received: topOrigin.slice(0, 200) },
      });
    }
  } else if (crossOrigin && expected.topOrigin !== undefined) {
    // The relying party named the top-level origins it accepts; a cross-origin ceremony that does
    // not say where it was embedded cannot be matched against them.
    fail('ERR_TOP_ORIGIN_MISMATCH', 'Cross-origin ceremony without clientData.topOrigin, but top origins are expected', {
      step: steps.topOrigin,
    });
  }
}
