/** Every mutator of the campaign, by family. */
import type { Ceremony } from '../corpus.js';
import { ATTESTATION_OBJECT_MUTATORS } from './attestation-object.js';
import { AUTHENTICATOR_DATA_MUTATORS } from './authenticator-data.js';
import { CERTIFICATE_MUTATORS } from './certificate.js';
import { CLIENT_DATA_MUTATORS } from './client-data.js';
import { ENVELOPE_MUTATORS } from './envelope.js';
import { SIGNATURE_MUTATORS } from './signature.js';
import type { Mutator } from './types.js';

export type { Entropy, Mutated, Mutator } from './types.js';
export { entropyArb } from './types.js';

/** All mutators, in a fixed order (fast-check shrinks towards the first). */
export const MUTATORS: readonly Mutator[] = [
  ...ENVELOPE_MUTATORS,
  ...CLIENT_DATA_MUTATORS,
  ...AUTHENTICATOR_DATA_MUTATORS,
  ...ATTESTATION_OBJECT_MUTATORS,
  ...SIGNATURE_MUTATORS,
  ...CERTIFICATE_MUTATORS,
];

/** The mutators of one ceremony. */
export const mutatorsFor = (ceremony: Ceremony): Mutator[] => MUTATORS.filter((m) => m.ceremonies.includes(ceremony));

/** A mutator by name. */
export function mutatorNamed(name: string): Mutator {
  const found = MUTATORS.find((m) => m.name === name);
  if (found === undefined) throw new Error(`no mutator ${name}`);
  return found;
}
