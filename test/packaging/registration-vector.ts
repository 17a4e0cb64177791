/**
 * Registration expectations from an interop vector, as src/cli/vector.ts builds them (every
 * registered algorithm allowed, the vector's time and trust anchors). Shared by the packaging tests
 * and the consumers they bundle, so it imports nothing.
 */

/** The members of an interop registration vector these tests read (../shared/interop/README.md). */
export interface RegistrationVector {
  readonly id: string;
  readonly response: unknown;
  readonly expected: {
    readonly challenge: string;
    readonly origin: string | string[];
    readonly rpId: string;
    readonly userVerificationRequired?: boolean;
  };
  readonly verificationTime: string | null;
  readonly trustAnchors: readonly string[];
  readonly outcome: 'valid' | 'invalid';
}

/** Every algorithm the specification registers, RS1 included (interop README). */
export const ALL_ALGORITHMS = [-7, -35, -36, -9, -51, -52, -47, -8, -19, -53, -257, -258, -259, -37, -38, -39, -48, -49, -50, -65535];

/** The expectations `webauthn-verify verify` uses for `vector`. */
export function registrationExpectationsOf(vector: RegistrationVector) {
  const e = vector.expected;
  return {
    challenge: e.challenge,
    origin: e.origin,
    rpId: e.rpId,
    userVerification: e.userVerificationRequired === true ? ('required' as const) : ('preferred' as const),
    algorithms: ALL_ALGORITHMS,
    ...(vector.verificationTime === null ? {} : { now: new Date(vector.verificationTime) }),
    attestation: { trustAnchors: vector.trustAnchors, require: vector.trustAnchors.length > 0 ? ('trusted' as const) : ('valid' as const) },
  };
}
