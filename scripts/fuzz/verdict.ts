/**
 * One input through webauthn-verify's public ceremonies, as the CLI and the fixture tests verify a
 * vector (src/cli/vector.ts expectations: every registered algorithm allowed, `now` =
 * verificationTime, the vector's trust anchors, `require: 'trusted'` when there are anchors). The
 * verdict records what a relying party would observe, and how long the call took.
 */
import { performance } from 'node:perf_hooks';
import { authenticationExpectations, registrationExpectations, type Vector } from '../../src/cli/vector.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../src/index.js';
import { verifyAuthenticationResponse, verifyRegistrationResponse, WebAuthnError } from '../../src/index.js';

/** What webauthn-verify concluded about one input, and how long it took. */
export interface Verdict {
  readonly accepted: boolean;
  /** Rejections: the WebAuthnError code; `FOREIGN:<name>` when something else was thrown. */
  readonly code?: string;
  readonly step?: string;
  readonly message?: string;
  /** Registration acceptances: what the attestation was concluded to be. */
  readonly attestation?: { readonly format: string; readonly type: string; readonly trusted: boolean };
  /** Wall time of the call, milliseconds. */
  readonly ms: number;
}

async function call(vector: Vector): Promise<Verdict['attestation']> {
  if (vector.ceremony === 'registration') {
    const result = await verifyRegistrationResponse(
      vector.response as unknown as RegistrationResponseJSON,
      registrationExpectations(vector),
    );
    const { format, type, trusted } = result.attestation;
    return { format, type, trusted };
  }
  const credential = vector.credential!;
  await verifyAuthenticationResponse(
    vector.response as unknown as AuthenticationResponseJSON,
    { id: credential.id, publicKey: credential.publicKey, algorithm: vector.alg!, signCount: credential.signCount },
    authenticationExpectations(vector),
  );
  return undefined;
}

/** Verifies `vector` once with webauthn-verify; never throws. */
export async function runOurs(vector: Vector): Promise<Verdict> {
  const start = performance.now();
  try {
    const attestation = await call(vector);
    const ms = performance.now() - start;
    return { accepted: true, ms, ...(attestation === undefined ? {} : { attestation }) };
  } catch (error) {
    const ms = performance.now() - start;
    if (error instanceof WebAuthnError) {
      return { accepted: false, code: error.code, ...(error.step === undefined ? {} : { step: error.step }), message: error.message, ms };
    }
    const name = error instanceof Error ? error.name : typeof error;
    return { accepted: false, code: `FOREIGN:${name}`, message: error instanceof Error ? error.message : String(error), ms };
  }
}
