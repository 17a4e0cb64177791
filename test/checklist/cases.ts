/**
 * Small builders shared by the checklist tests: a response with one member replaced, removed or
 * retyped, and assertions of the exact outcome through the public API.
 */
import { expect } from 'vitest';
import { type RegistrationExpectations, verifyRegistrationResponse } from '../../src/index.js';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { expectRejection } from '../helpers/expect-code.js';
import { b64u, createRegistration, type RegistrationOptions, type SyntheticRegistration } from '../helpers/synthetic-registration.js';

/** Marks a member to delete in {@link edit}. */
export const DELETE: unique symbol = Symbol('delete');

/**
 * A deep copy of `value` (plain JSON data) with `path` (dot-separated) set to `replacement`, or
 * deleted when it is {@link DELETE}.
 */
export function edit<T>(value: T, path: string, replacement: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (replacement === DELETE) delete node[last];
  else node[last] = replacement;
  return copy as T;
}

/** A registration response whose clientDataJSON is `text` (the statement is not re-signed). */
export function withClientDataText(registration: SyntheticRegistration, text: string): RegistrationResponseJSON {
  return edit(registration.response, 'response.clientDataJSON', b64u(new TextEncoder().encode(text)));
}

/** clientData members in §5.8.1.1 order with `changes` applied (DELETE removes one). */
export function clientDataText(changes: Readonly<Record<string, unknown>>, base: Readonly<Record<string, unknown>>): string {
  const data: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === DELETE) delete data[key];
    else data[key] = value;
  }
  return JSON.stringify(data);
}

const cache = new Map<string, Promise<SyntheticRegistration>>();

/** A registration built once per `key` (the builders are deterministic). */
export function registrationOnce(key: string, options: RegistrationOptions): Promise<SyntheticRegistration> {
  let found = cache.get(key);
  if (found === undefined) {
    found = createRegistration(options);
    cache.set(key, found);
  }
  return found;
}

/** Asserts the registration is rejected with `code`. */
export async function rejectsRegistration(
  response: RegistrationResponseJSON,
  expected: RegistrationExpectations,
  code: WebAuthnErrorCode,
): Promise<void> {
  await expectRejection(verifyRegistrationResponse(response, expected), code);
}

/** Asserts the registration is accepted and returns the result. */
export async function acceptsRegistration(response: RegistrationResponseJSON, expected: RegistrationExpectations) {
  const result = await verifyRegistrationResponse(response, expected);
  expect(result.credential.id).toBe(response.id);
  return result;
}
