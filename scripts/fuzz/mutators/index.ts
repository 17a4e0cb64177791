/** Every mutator of the campaign, by family. */
import { type Ceremony, type Seed, toSeed } from '../corpus.js';
import { ATTESTATION_OBJECT_MUTATORS } from './attestation-object.js';
import { AUTHENTICATOR_DATA_MUTATORS } from './authenticator-data.js';
import { CERTIFICATE_MUTATORS } from './certificate.js';
import { CLIENT_DATA_MUTATORS } from './client-data.js';
import { ENVELOPE_MUTATORS } from './envelope.js';
import { SIGNATURE_MUTATORS } from './signature.js';
import type { Mutator } from './types.js';

export type { Entropy, Mutated, Mutator } from './types.js';
export { entropyArb } from './types.js';

const SINGLE: readonly Mutator[] = [
  ...ENVELOPE_MUTATORS,
  ...CLIENT_DATA_MUTATORS,
  ...AUTHENTICATOR_DATA_MUTATORS,
  ...ATTESTATION_OBJECT_MUTATORS,
  ...SIGNATURE_MUTATORS,
  ...CERTIFICATE_MUTATORS,
];

/**
 * Two mutations in a row (the second applied to the first's output, decoded again as a seed).
 * Judged by the signed-bytes invariant and the error invariants only: a second mutation can undo
 * what made the first one must-reject (a duplicate key deleted again).
 */
function stacked(ceremony: Ceremony): Mutator {
  const pool = SINGLE.filter((m) => m.ceremonies.includes(ceremony));
  return {
    name: `stack.pair-${ceremony}`,
    ceremonies: [ceremony],
    applies: (seed) => seed.ceremony === ceremony,
    apply(seed, e) {
      const first = pool.filter((m) => m.applies(seed));
      if (first.length === 0) return undefined;
      const m1 = first[e.op % first.length]!;
      const out1 = m1.apply(seed, e);
      if (out1 === undefined) return undefined;
      const inner = out1.response.response;
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return undefined;
      // The mutators expect a response shaped like a seed's; one they cannot read is skipped.
      let out2: ReturnType<Mutator['apply']>;
      let m2: Mutator;
      try {
        const middle = toSeed({ ...seed.vector, response: out1.response as Seed['vector']['response'] }, seed.source);
        const second = pool.filter((m) => m.applies(middle));
        if (second.length === 0) return undefined;
        m2 = second[e.at % second.length]!;
        out2 = m2.apply(middle, { op: e.value, at: Math.floor(e.at / 7), value: e.op, blob: e.blob });
      } catch {
        return undefined;
      }
      if (out2 === undefined) return undefined;
      return { response: out2.response, mustReject: false, variant: `${m1.name}(${out1.variant}) + ${m2.name}(${out2.variant})` };
    },
  };
}

/** All mutators, in a fixed order (fast-check shrinks towards the first). */
export const MUTATORS: readonly Mutator[] = [...SINGLE, stacked('registration'), stacked('authentication')];

/** The mutators of one ceremony. */
export const mutatorsFor = (ceremony: Ceremony): Mutator[] => MUTATORS.filter((m) => m.ceremonies.includes(ceremony));

/** A mutator by name. */
export function mutatorNamed(name: string): Mutator {
  const found = MUTATORS.find((m) => m.name === name);
  if (found === undefined) throw new Error(`no mutator ${name}`);
  return found;
}
