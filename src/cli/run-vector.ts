/** One vector through its ceremony, judged against its labelled outcome. */
import {
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  SUPPORTED_ATTESTATION_FORMATS,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  WebAuthnError,
} from '../index.js';
import type { DocumentedQuirk } from './quirks.js';
import { authenticationExpectations, registrationExpectations, type Vector } from './vector.js';

/**
 * `met`: the labelled outcome (and code, when the vector names one) was reached. `disagreement`:
 * rejected with the code docs/quirks.md argues for. `pending`: a registration of a format this
 * library does not verify yet. `not-met`: anything else.
 */
export type VectorStatus = 'met' | 'not-met' | 'disagreement' | 'pending';

export interface VectorReport {
  readonly id: string;
  readonly file: string;
  readonly ceremony: Vector['ceremony'];
  readonly format: string | null;
  readonly expected: { readonly outcome: Vector['outcome']; readonly error?: string };
  readonly outcome: 'valid' | 'invalid';
  readonly status: VectorStatus;
  readonly attestation?: { readonly format: string; readonly type: string; readonly trusted: boolean };
  readonly error?: { readonly code: string; readonly step: string | null; readonly message: string };
  readonly note?: string;
}

const supported = new Set<string>(SUPPORTED_ATTESTATION_FORMATS);

/** Verifies `vector` through its ceremony with the CLI's expectations; the attestation facts for a registration. */
export async function runCeremony(vector: Vector): Promise<VectorReport['attestation'] | undefined> {
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

export async function runVector(vector: Vector, file: string, quirk: DocumentedQuirk | undefined): Promise<VectorReport> {
  const expectedError = typeof vector.expectedError === 'string' ? vector.expectedError : undefined;
  const base = {
    id: vector.id,
    file,
    ceremony: vector.ceremony,
    format: vector.ceremony === 'registration' ? vector.attestationFormat : null,
    expected: { outcome: vector.outcome, ...(expectedError === undefined ? {} : { error: expectedError }) },
  };
  let attestation: VectorReport['attestation'];
  let error: VectorReport['error'];
  try {
    attestation = await runCeremony(vector);
  } catch (caught) {
    error =
      caught instanceof WebAuthnError
        ? { code: caught.code, step: caught.step ?? null, message: caught.message }
        : { code: 'ERR_INTERNAL', step: null, message: caught instanceof Error ? caught.message : String(caught) };
  }
  const outcome = error === undefined ? 'valid' : 'invalid';
  const facts = { ...base, outcome, ...(attestation === undefined ? {} : { attestation }), ...(error === undefined ? {} : { error }) } as const;

  if (vector.ceremony === 'registration' && vector.attestationFormat !== null && !supported.has(vector.attestationFormat)) {
    return { ...facts, status: 'pending', note: `format ${vector.attestationFormat} not yet supported` };
  }
  if (quirk !== undefined && error?.code === quirk.code) {
    return { ...facts, status: 'disagreement', note: `documented disagreement (docs/quirks.md: ${quirk.quirk})` };
  }
  if (outcome !== vector.outcome) {
    return { ...facts, status: 'not-met', note: `expected ${vector.outcome}, got ${outcome}` };
  }
  if (expectedError !== undefined && error?.code !== expectedError) {
    return { ...facts, status: 'not-met', note: `expected ${expectedError}` };
  }
  return { ...facts, status: 'met' };
}
