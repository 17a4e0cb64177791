/**
 * Assertions that a call fails with a specific {@link WebAuthnError} code, not merely "throws".
 * Every negative test should use these so that a different failure cannot pass for the expected one.
 */
import { expect } from 'vitest';
import { WebAuthnError, type WebAuthnErrorCode } from '../../src/errors.js';

function check(error: unknown, code: WebAuthnErrorCode): WebAuthnError {
  if (!(error instanceof WebAuthnError)) {
    throw new Error(`Expected WebAuthnError ${code}, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, {
      cause: error,
    });
  }
  expect(error.code, error.message).toBe(code);
  return error;
}

/**
 * Calls `fn` and asserts it throws a WebAuthnError with `code` synchronously; returns the error for
 * further assertions (step, details). A returned promise is a mistake: use {@link expectCodeAsync}.
 */
export function expectCode(fn: () => unknown, code: WebAuthnErrorCode): WebAuthnError {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    return check(error, code);
  }
  if (result instanceof Promise) {
    result.catch(() => {});
    throw new Error(`Expected ${code} to be thrown synchronously, but the function returned a promise; use expectCodeAsync`);
  }
  throw new Error(`Expected WebAuthnError ${code}, but nothing was thrown`);
}

/**
 * Awaits `promiseOrFn` (a promise, or a function that returns one or throws) and asserts it rejects
 * with a WebAuthnError carrying `code`; returns the error.
 */
export async function expectCodeAsync(
  promiseOrFn: Promise<unknown> | (() => unknown),
  code: WebAuthnErrorCode,
): Promise<WebAuthnError> {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    return check(error, code);
  }
  throw new Error(`Expected WebAuthnError ${code}, but the operation succeeded`);
}

/** Awaits `promise` and returns its rejection, asserting that it is a WebAuthnError. */
export async function rejection(promise: Promise<unknown>): Promise<WebAuthnError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection, got a result'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(WebAuthnError);
  return outcome as WebAuthnError;
}

/** Asserts that `promise` rejects with `code` (and `step`, when given); returns the error. */
export async function expectRejection(promise: Promise<unknown>, code: WebAuthnErrorCode, step?: string): Promise<WebAuthnError> {
  const error = await rejection(promise);
  expect(error.code, error.message).toBe(code);
  if (step !== undefined) expect(error.step).toBe(step);
  return error;
}
