/**
 * The outcome model shared by the ceremony property tests.
 *
 * A mutation property does not stop at "some WebAuthnError": for each kind of mutation it names
 * the exact code (or the exact, justified set of codes) the spec's order of checks leads to, and it
 * treats `ERR_INTERNAL` — a foreign failure wrapped by the verifier, always a bug — as a failure.
 */
import { expect } from 'vitest';
import { WebAuthnError, type WebAuthnErrorCode } from '../../src/errors.js';

/** What a verify call did: accepted, or rejected with a WebAuthnError of this code. */
export type Outcome = 'accepted' | WebAuthnErrorCode;

/**
 * Awaits `promise` and returns its outcome. Anything thrown that is not a WebAuthnError fails the
 * property at once, and so does `ERR_INTERNAL` (its cause is shown).
 */
export async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  return (await settle(promise)).outcome;
}

/** Like {@link outcomeOf}, with the resolved value when the call was accepted. */
export async function settle<T>(promise: Promise<T>): Promise<{ outcome: Outcome; value?: T }> {
  const settled = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('value' in settled) return { outcome: 'accepted', value: settled.value };
  const result = settled.error;
  if (!(result instanceof WebAuthnError)) {
    throw new Error(`a foreign exception escaped: ${result instanceof Error ? `${result.name}: ${result.message}` : String(result)}`, {
      cause: result,
    });
  }
  if (result.code === 'ERR_INTERNAL') {
    const cause = result.cause instanceof Error ? `${result.cause.name}: ${result.cause.message}` : String(result.cause);
    throw new Error(`ERR_INTERNAL (a bug): ${result.message}; cause ${cause}`, { cause: result });
  }
  return { outcome: result.code };
}

/** Runs `fn` synchronously and returns its outcome under the same rules as {@link outcomeOf}. */
export function syncOutcomeOf(fn: () => unknown): Outcome {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof WebAuthnError)) {
      throw new Error(`a foreign exception escaped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, {
        cause: error,
      });
    }
    if (error.code === 'ERR_INTERNAL') throw new Error(`ERR_INTERNAL (a bug): ${error.message}`, { cause: error });
    return error.code;
  }
}

/** Asserts that `outcome` is one of `allowed`; `why` names the mutation for the failure message. */
export function expectOutcomeIn(outcome: Outcome, allowed: Iterable<Outcome>, why: string): void {
  const set = [...allowed];
  expect(set, `${why}: got ${outcome}, expected one of ${set.join(', ')}`).toContain(outcome);
}

/**
 * The codes a malformed strict-CBOR item can raise (encoding/cbor): a mutated head can make an
 * item truncated, non-shortest, indefinite, tagged, a repeated key, invalid UTF-8 text, an
 * undefined simple value, a declared count over the bound, or leave bytes after it.
 */
export const CBOR_CODES: readonly WebAuthnErrorCode[] = [
  'ERR_CBOR_MALFORMED',
  'ERR_CBOR_TRUNCATED',
  'ERR_CBOR_TRAILING_DATA',
  'ERR_CBOR_INDEFINITE_LENGTH',
  'ERR_CBOR_TAG_FORBIDDEN',
  'ERR_CBOR_DUPLICATE_KEY',
  'ERR_CBOR_TOO_DEEP',
  'ERR_CBOR_TOO_LARGE',
  'ERR_CBOR_NON_CANONICAL',
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

function countMembers(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + countMembers(item), 0);
  return Object.values(value).reduce((n: number, item) => n + 1 + countMembers(item), 0);
}

/** What the relying party expects of clientData in the model. */
export interface ClientDataExpectations {
  readonly type: 'webauthn.create' | 'webauthn.get';
  readonly challenge: string;
  readonly origins: readonly string[];
}

/**
 * A reference model of §5.8.1 parsing and the clientData checks of §7.1 steps 5–11 / §7.2 steps
 * 10–14 for a mutated clientDataJSON whose original parsed to `original` (used to see a member
 * name turned into a repeat of another: JSON.parse keeps the last, so the member count drops).
 *
 * Returns `ERR_CLIENTDATA_MALFORMED` (not UTF-8, not JSON, not an object, a repeated name, a
 * required member missing or of the wrong type), the policy code of the first failing check when
 * `checkValues` (registration: checked before the attestation signature), or `undefined`: the
 * bytes pass, so only the signature over SHA-256(clientDataJSON) can refuse them.
 */
export function clientDataModel(
  bytes: Uint8Array,
  original: unknown,
  expected: ClientDataExpectations,
  checkValues: boolean,
): WebAuthnErrorCode | undefined {
  let parsed: unknown;
  try {
    let text = utf8.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    parsed = JSON.parse(text);
  } catch {
    return 'ERR_CLIENTDATA_MALFORMED';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'ERR_CLIENTDATA_MALFORMED';
  if (countMembers(parsed) !== countMembers(original)) return 'ERR_CLIENTDATA_MALFORMED';
  const data = parsed as Record<string, unknown>;
  for (const name of ['type', 'challenge', 'origin']) if (typeof data[name] !== 'string') return 'ERR_CLIENTDATA_MALFORMED';
  if ('crossOrigin' in data && typeof data.crossOrigin !== 'boolean') return 'ERR_CLIENTDATA_MALFORMED';
  if ('topOrigin' in data && typeof data.topOrigin !== 'string') return 'ERR_CLIENTDATA_MALFORMED';
  if (!checkValues) return undefined;
  if (data.type !== expected.type) return 'ERR_CLIENTDATA_TYPE';
  if (data.challenge !== expected.challenge) return 'ERR_CHALLENGE_MISMATCH';
  if (!expected.origins.includes(data.origin as string)) return 'ERR_ORIGIN_MISMATCH';
  return undefined;
}
