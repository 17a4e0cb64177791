/**
 * The interop vector format (../shared/interop/README.md) and the fixture members beyond it
 * (fixtures/README.md): the shape check and the expectations a vector is verified with.
 */
import type { AuthenticationExpectations, RegistrationExpectations } from '../index.js';
import { COSE_ALGORITHMS } from '../low-level.js';

export interface Vector {
  readonly id: string;
  readonly description?: string;
  readonly ceremony: 'registration' | 'authentication';
  readonly attestationFormat: string | null;
  readonly alg: number | null;
  readonly response: { readonly [key: string]: unknown; readonly response: { readonly [key: string]: unknown } };
  readonly expected: {
    readonly challenge: string;
    readonly origin: string | string[];
    readonly rpId: string;
    readonly userVerificationRequired?: boolean;
    readonly allowCrossOrigin?: boolean;
    readonly topOrigin?: string;
    readonly attestationRequire?: 'none' | 'valid' | 'trusted';
    readonly algorithms?: number[];
    readonly mediation?: 'conditional';
  };
  readonly credential?: { readonly id: string; readonly publicKey: string; readonly signCount: number } | null;
  readonly verificationTime: string | null;
  readonly trustAnchors: readonly string[];
  readonly outcome: 'valid' | 'invalid';
  readonly invalidReason?: string;
  /** Fixtures only: the exact code an invalid fixture must be rejected with. */
  readonly expectedError?: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Loosely: does this JSON look like a vector at all (as opposed to a bare response)? */
export function looksLikeVector(value: unknown): boolean {
  return isObject(value) && 'ceremony' in value && 'response' in value && 'expected' in value;
}

/** The reason `value` is not a usable vector, or undefined when it is one. */
export function vectorProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (typeof value.id !== 'string') return 'no string "id"';
  if (value.ceremony !== 'registration' && value.ceremony !== 'authentication') {
    return '"ceremony" is not "registration" or "authentication"';
  }
  if (!isObject(value.response) || !isObject(value.response.response)) return 'no "response" object';
  const expected = value.expected;
  if (!isObject(expected) || typeof expected.challenge !== 'string' || typeof expected.rpId !== 'string') {
    return '"expected" lacks challenge or rpId';
  }
  if (typeof expected.origin !== 'string' && !Array.isArray(expected.origin)) return '"expected.origin" is missing';
  if (value.outcome !== 'valid' && value.outcome !== 'invalid') return '"outcome" is not "valid" or "invalid"';
  if (!Array.isArray(value.trustAnchors)) return '"trustAnchors" is not an array';
  if (value.verificationTime !== null && typeof value.verificationTime !== 'string') return '"verificationTime" is not a string or null';
  if (value.ceremony === 'authentication') {
    const credential = value.credential;
    if (!isObject(credential) || typeof credential.publicKey !== 'string' || typeof credential.signCount !== 'number') {
      return 'an authentication vector needs "credential" {id, publicKey, signCount}';
    }
    if (typeof value.alg !== 'number') return 'an authentication vector needs a numeric "alg"';
  }
  return undefined;
}

/** Registration vectors are verified with every registered algorithm allowed, RS1 included (interop README). */
const ALL_ALGORITHMS: readonly number[] = Object.keys(COSE_ALGORITHMS).map(Number);

function commonExpectations(vector: Vector) {
  const e = vector.expected;
  return {
    challenge: e.challenge,
    origin: e.origin,
    rpId: e.rpId,
    userVerification: e.userVerificationRequired === true ? ('required' as const) : ('preferred' as const),
    ...(e.allowCrossOrigin === undefined ? {} : { allowCrossOrigin: e.allowCrossOrigin }),
    ...(e.topOrigin === undefined ? {} : { topOrigin: e.topOrigin }),
  };
}

export function registrationExpectations(vector: Vector): RegistrationExpectations {
  const e = vector.expected;
  const anchors = vector.trustAnchors;
  return {
    ...commonExpectations(vector),
    ...(e.mediation === undefined ? {} : { mediation: e.mediation }),
    algorithms: e.algorithms ?? ALL_ALGORITHMS,
    ...(vector.verificationTime === null ? {} : { now: new Date(vector.verificationTime) }),
    attestation: { trustAnchors: anchors, require: e.attestationRequire ?? (anchors.length > 0 ? 'trusted' : 'valid') },
  };
}

export function authenticationExpectations(vector: Vector): AuthenticationExpectations {
  return commonExpectations(vector);
}
