/**
 * What a mutator is, and the helpers mutators share to rebuild a response from changed parts.
 *
 * A mutator turns a seed and a few fast-check-generated numbers ({@link Entropy}) into a mutated
 * response, deterministically, so that fast-check can shrink a failing input by shrinking the
 * numbers. Each mutated input carries `mustReject`: true when acceptance would be a bug whatever
 * else holds — an encoding the library documents as refused (non-shortest CBOR heads, duplicate
 * keys, trailing bytes, non-canonical base64url, non-DER certificates or signatures), a change to
 * bytes a verified signature or chain covers, a wrong member type. Where acceptance can be legal
 * (an unsigned envelope member, a `none` attestation's unsigned authData, a high-S twin of a valid
 * ECDSA signature) it is false, and the byte-level invariant of fuzz/invariants.ts still applies.
 */
import fc from 'fast-check';
import { type CborNode, cloneNode, encodeItem, mapGet } from '../cbor-tree.js';
import { type Ceremony, fromB64u, type Seed, toB64u } from '../corpus.js';

/** The generated numbers a mutator interprets (they shrink towards 0 and empty). */
export interface Entropy {
  readonly op: number;
  readonly at: number;
  readonly value: number;
  readonly blob: Uint8Array;
}

export const entropyArb: fc.Arbitrary<Entropy> = fc.record({
  op: fc.nat(1 << 16),
  at: fc.nat(),
  value: fc.nat(),
  blob: fc.uint8Array({ minLength: 1, maxLength: 16 }),
});

/** A mutated response and what acceptance of it would mean. */
export interface Mutated {
  readonly response: Record<string, unknown>;
  /**
   * Acceptance of this input is a bug — judged only on seeds that verify unmutated, unless
   * `defect` is set (a mutation of an invalid seed may repair it: a wrong alg set right).
   */
  readonly mustReject: boolean;
  /** An encoding defect the library documents as refused: must fail whatever the seed. */
  readonly defect?: boolean;
  /** The variant applied (`op` of the mutator), for the report. */
  readonly variant: string;
}

export interface Mutator {
  /** `family.name`, e.g. `cbor.duplicate-key`. */
  readonly name: string;
  readonly ceremonies: readonly Ceremony[];
  /** Whether the mutator has anything to work on in this seed. */
  readonly applies: (seed: Seed) => boolean;
  /** The mutated input, or undefined when this entropy gives nothing to do on this seed. */
  readonly apply: (seed: Seed, e: Entropy) => Mutated | undefined;
}

/** COSE algorithms that name the same verification (fully-specified and polymorphic ids). */
const SAME_VERIFICATION: readonly (readonly number[])[] = [
  [-7, -9],
  [-35, -51],
  [-36, -52],
  [-8, -19],
];

/** Whether COSE algorithms `a` and `b` verify a signature the same way. */
export const sameVerification = (a: number, b: number): boolean => a === b || SAME_VERIFICATION.some((pair) => pair.includes(a) && pair.includes(b));

/** `list[i mod length]`. */
export const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

/** A deep copy of the seed's response, free to change. */
export const cloneResponse = (seed: Seed): Record<string, unknown> & { response: Record<string, unknown> } =>
  structuredClone(seed.vector.response) as Record<string, unknown> & { response: Record<string, unknown> };

/** A copy of the seed's attestation object tree wrapped for {@link slots}. */
export const cloneAttestation = (seed: Seed): { value: CborNode } => ({ value: cloneNode(seed.attestationObject!) });

/** Sets `response.attestationObject` from a tree (plus the seed's trailing bytes unless `trailing`). */
export function withAttestation(
  seed: Seed,
  tree: CborNode,
  options: { trailing?: Uint8Array; keepCopy?: boolean } = {},
): Record<string, unknown> {
  const response = cloneResponse(seed);
  const encoded = encodeItem(tree);
  const trailing = options.trailing ?? seed.attestationTrailing ?? new Uint8Array(0);
  response.response.attestationObject = toB64u(Buffer.concat([encoded, trailing]));
  // Keep the L3 authenticatorData copy in step, so that the mutation reaches the deeper checks.
  const authData = mapGet(tree, 'authData');
  if (!options.keepCopy && typeof response.response.authenticatorData === 'string' && authData?.kind === 'bytes') {
    response.response.authenticatorData = toB64u(authData.value);
  }
  return response;
}

/** The response with its authenticator data replaced (inside the attestation object for registrations). */
export function withAuthData(seed: Seed, authData: Uint8Array): Record<string, unknown> {
  if (seed.ceremony === 'authentication') {
    const response = cloneResponse(seed);
    response.response.authenticatorData = toB64u(authData);
    return response;
  }
  const tree = cloneNode(seed.attestationObject!);
  if (tree.kind === 'map') {
    const entry = tree.entries.find(([k]) => k.kind === 'text' && Buffer.from(k.value).toString() === 'authData');
    if (entry !== undefined) entry[1] = { kind: 'bytes', value: authData };
  }
  return withAttestation(seed, tree);
}

/** The response with clientDataJSON replaced. */
export function withClientData(seed: Seed, bytes: Uint8Array): Record<string, unknown> {
  const response = cloneResponse(seed);
  response.response.clientDataJSON = toB64u(bytes);
  return response;
}

/** The bytes of a base64url member of `response.response` (lenient decoding, for comparisons). */
export const memberBytes = (response: Record<string, unknown>, name: string): Uint8Array =>
  fromB64u((response.response as Record<string, unknown> | undefined)?.[name]);

/** Concatenation. */
export const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
