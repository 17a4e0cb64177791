/**
 * One input through webauthn-verify's public ceremonies, as the CLI and the fixture tests verify a
 * vector (src/cli/vector.ts expectations: every registered algorithm allowed, `now` =
 * verificationTime, the vector's trust anchors, `require: 'trusted'` when there are anchors). The
 * verdict records what a relying party would observe, and how long the call took.
 */
import { performance } from 'node:perf_hooks';
import { runCeremony } from '../../src/cli/run-vector.js';
import type { Vector } from '../../src/cli/vector.js';
import { WebAuthnError } from '../../src/index.js';

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

/** Verifies `vector` once with webauthn-verify; never throws. */
export async function runOurs(vector: Vector): Promise<Verdict> {
  const start = performance.now();
  try {
    const attestation = await runCeremony(vector);
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
