/** The registry of attestation statement formats, keyed by their exact (case-sensitive) id. */
import { verifyAndroidKey } from './android-key.js';
import { verifyApple } from './apple.js';
import { createCompoundVerifier } from './compound.js';
import { verifyAndroidSafetyNet } from './android-safetynet.js';
import { verifyFidoU2f } from './fido-u2f.js';
import { verifyNone } from './none.js';
import { verifyPacked } from './packed.js';
import { verifyTpm } from './tpm/index.js';
import type { AttestationFormat, AttestationStatementVerifier } from './types.js';

export type {
  AttestationContext,
  AttestationFormat,
  AttestationStatementVerifier,
  AttestationType,
  CompoundEntryOutcome,
  StatementVerification,
} from './types.js';

const REGISTRY: ReadonlyMap<string, AttestationStatementVerifier> = new Map<AttestationFormat, AttestationStatementVerifier>([
  ['packed', verifyPacked],
  ['fido-u2f', verifyFidoU2f],
  ['android-key', verifyAndroidKey],
  ['apple', verifyApple],
  ['android-safetynet', verifyAndroidSafetyNet],
  ['tpm', verifyTpm],
  ['none', verifyNone],
  // §8.9: looks its sub-formats up here (called only after the registry is built).
  ['compound', createCompoundVerifier((fmt) => REGISTRY.get(fmt))],
]);

/** The formats this library verifies. */
export const SUPPORTED_ATTESTATION_FORMATS: readonly AttestationFormat[] = Object.freeze([
  ...(REGISTRY.keys() as IterableIterator<AttestationFormat>),
]);

/** §7.1 step 21: the verifier of `fmt`, matched case-sensitively, or undefined. */
export function getAttestationVerifier(fmt: string): AttestationStatementVerifier | undefined {
  return REGISTRY.get(fmt);
}
