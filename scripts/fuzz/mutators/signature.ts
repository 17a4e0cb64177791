/**
 * Signature mutators: the assertion signature (authentication) and attStmt.sig (registration).
 * ECDSA DER edge cases — a leading zero, a negative INTEGER, a non-minimal length, r or s zero or
 * ≥ n, trailing bytes, the P1363 r‖s form — must all fail (docs/security.md "Signatures": strict
 * DER, 1 ≤ r, s < n). The high-S twin (n − s) of a valid signature verifies the same bytes and
 * is accepted by design, so its acceptance is legal. Non-DER signatures (RSA, EdDSA, ML-DSA) get
 * byte flips, truncation and extension, which must fail.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { type CborNode, cloneNode, int, mapGet } from '../cbor-tree.js';
import { type Seed, toB64u } from '../corpus.js';
import { type DerNode, encodeDer, integerNode, integerValue, isInteger, parseDer } from '../der-tree.js';
import { cloneResponse, concat, type Entropy, type Mutated, type Mutator, pick, sameVerification, withAttestation } from './types.js';

/** Curve order by COSE algorithm (ECDSA only). */
const ORDERS: Record<number, bigint> = {
  [-7]: p256.Point.CURVE().n,
  [-9]: p256.Point.CURVE().n,
  [-35]: p384.Point.CURVE().n,
  [-51]: p384.Point.CURVE().n,
  [-36]: p521.Point.CURVE().n,
  [-52]: p521.Point.CURVE().n,
  [-47]: secp256k1.Point.CURVE().n,
};

/** The signature of a seed and the COSE algorithm that made it (undefined when unknown). */
function signatureOf(seed: Seed): { bytes: Uint8Array; alg: number | undefined } | undefined {
  if (seed.ceremony === 'authentication') return seed.signature && seed.signature.length > 0 ? { bytes: seed.signature, alg: seed.vector.alg ?? undefined } : undefined;
  const stmt = seed.attestationObject === undefined ? undefined : mapGet(seed.attestationObject, 'attStmt');
  const sig = stmt === undefined ? undefined : mapGet(stmt, 'sig');
  if (sig?.kind !== 'bytes') return undefined;
  const alg = mapGet(stmt!, 'alg');
  const value = alg?.kind === 'nint' ? Number(-1n - alg.value) : alg?.kind === 'uint' ? Number(alg.value) : seed.fmt === 'fido-u2f' ? -7 : undefined;
  return { bytes: sig.value, alg: value };
}

function withSignature(seed: Seed, bytes: Uint8Array): Record<string, unknown> {
  if (seed.ceremony === 'authentication') {
    const response = cloneResponse(seed);
    response.response.signature = toB64u(bytes);
    return response;
  }
  const tree = cloneNode(seed.attestationObject!);
  const stmt = mapGet(tree, 'attStmt')!;
  if (stmt.kind === 'map') {
    const entry = stmt.entries.find(([k]) => k.kind === 'text' && Buffer.from(k.value).toString() === 'sig');
    if (entry !== undefined) entry[1] = { kind: 'bytes', value: bytes } as CborNode;
  }
  return withAttestation(seed, tree);
}

/** r and s of a DER ECDSA signature, or undefined. */
function ecdsaParts(bytes: Uint8Array): [DerNode, DerNode, DerNode] | undefined {
  try {
    const seq = parseDer(bytes);
    const [r, s] = seq.children ?? [];
    return seq.tag[0] === 0x30 && seq.children?.length === 2 && r && s && isInteger(r) && isInteger(s) ? [seq, r, s] : undefined;
  } catch {
    return undefined;
  }
}

const fixed = (v: bigint, size: number): Uint8Array => Uint8Array.from(Buffer.from(v.toString(16).padStart(size * 2, '0').slice(-size * 2), 'hex'));

type DerVariant = (seq: DerNode, r: DerNode, s: DerNode, n: bigint | undefined, e: Entropy) => [Uint8Array, boolean, string] | undefined;

const DER_VARIANTS: Record<string, DerVariant> = {
  'leading-zero': (seq, r, s, _n, e) => {
    const target = e.op % 2 ? r : s;
    // One octet too many for the same value (0xff keeps a negative value negative).
    target.content = concat(Uint8Array.of((target.content![0] ?? 0) >= 0x80 ? 0xff : 0), target.content!);
    return [encodeDer(seq), true, e.op % 2 ? 'r' : 's'];
  },
  negative: (seq, r, s, _n, e) => {
    const target = e.op % 2 ? r : s;
    const c = target.content!;
    if (c[0] === 0 && c.length > 1 && c[1]! & 0x80) target.content = c.slice(1);
    else target.content = concat(Uint8Array.of(0x80 | c[0]!), c.subarray(1));
    return [encodeDer(seq), true, e.op % 2 ? 'r' : 's'];
  },
  'non-minimal-length': (seq, r, s, _n, e) => {
    pick([seq, r, s], e.op).lengthPad = 1 + (e.value % 2);
    return [encodeDer(seq), true, pick(['sequence', 'r', 's'], e.op)];
  },
  'high-s': (seq, _r, s, n) => {
    if (n === undefined) return undefined;
    const next = integerNode(n - integerValue(s));
    seq.children![1] = next;
    // Same message, same key: the twin signature verifies; WebAuthn does not require low-S.
    return [encodeDer(seq), false, 'n - s'];
  },
  'out-of-range': (seq, r, s, n, e) => {
    if (n === undefined) return undefined;
    const which = e.op % 4;
    const target = which < 2 ? 0 : 1;
    const value = integerValue(target === 0 ? r : s);
    seq.children![target] = integerNode(which % 2 === 0 ? value + n : 0n);
    return [encodeDer(seq), true, `${target === 0 ? 'r' : 's'} ${which % 2 === 0 ? '+ n' : '= 0'}`];
  },
  'p1363-form': (_seq, r, s, n) => {
    if (n === undefined) return undefined;
    const size = Math.ceil(n.toString(16).length / 2);
    return [concat(fixed(integerValue(r), size), fixed(integerValue(s), size)), true, `${size * 2} bytes`];
  },
  'swap-r-s': (seq, r, s) => {
    seq.children = [s, r];
    return Buffer.compare(Buffer.from(r.content!), Buffer.from(s.content!)) === 0 ? undefined : [encodeDer(seq), true, 's, r'];
  },
  'extra-integer': (seq, _r, _s, _n, e) => {
    seq.children!.push(integerNode(BigInt(e.value % 256)));
    return [encodeDer(seq), true, 'three INTEGERs'];
  },
};

type RawVariant = (bytes: Uint8Array, e: Entropy) => [Uint8Array, boolean, string] | undefined;

const RAW_VARIANTS: Record<string, RawVariant> = {
  'byte-flip': (bytes, e) => {
    const b = Uint8Array.from(bytes);
    const at = e.at % b.length;
    b[at] = b[at]! ^ (1 << (e.value % 8));
    return [b, true, `byte ${at}`];
  },
  trailing: (bytes, e) => [concat(bytes, e.blob), true, `${e.blob.length} bytes`],
  truncate: (bytes, e) => [bytes.slice(0, e.at % bytes.length), true, 'truncated'],
  'leading-zero-octet': (bytes) => [concat(Uint8Array.of(0), bytes), true, '0x00 prefix'],
  zeros: (bytes) => [new Uint8Array(bytes.length), true, 'all zero'],
};

const derMutators: Mutator[] = Object.entries(DER_VARIANTS).map(([variant, fn]) => ({
  name: `signature.der-${variant}`,
  ceremonies: ['registration', 'authentication'],
  applies: (seed: Seed) => {
    const sig = signatureOf(seed);
    return sig !== undefined && ecdsaParts(sig.bytes) !== undefined;
  },
  apply(seed, e): Mutated | undefined {
    const sig = signatureOf(seed)!;
    const parts = ecdsaParts(sig.bytes);
    if (parts === undefined) return undefined;
    const n = sig.alg === undefined ? undefined : ORDERS[sig.alg];
    const out = fn(...parts, n, e);
    if (out === undefined) return undefined;
    return { response: withSignature(seed, out[0]), mustReject: out[1], defect: out[1] && variant !== 'swap-r-s', variant: `${variant}:${out[2]}` };
  },
}));

const rawMutators: Mutator[] = Object.entries(RAW_VARIANTS).map(([variant, fn]) => ({
  name: `signature.${variant}`,
  ceremonies: ['registration', 'authentication'],
  applies: (seed: Seed) => signatureOf(seed) !== undefined,
  apply(seed, e): Mutated | undefined {
    const out = fn(signatureOf(seed)!.bytes, e);
    if (out === undefined) return undefined;
    // A bit flip or a cut could repair a seed whose signature is broken the same way.
    const defect = out[1] && (variant === 'trailing' || variant === 'leading-zero-octet' || variant === 'zeros');
    return { response: withSignature(seed, out[0]), mustReject: out[1], defect, variant: `${variant}:${out[2]}` };
  },
}));

/** The attStmt `alg` replaced (registration): a different algorithm must not verify the same bytes. */
const algMutator: Mutator = {
  name: 'signature.statement-alg',
  ceremonies: ['registration'],
  applies: (seed) => seed.attestationObject !== undefined && mapGet(mapGet(seed.attestationObject, 'attStmt') ?? int(0), 'alg') !== undefined,
  apply(seed, e) {
    const tree = cloneNode(seed.attestationObject!);
    const stmt = mapGet(tree, 'attStmt')!;
    if (stmt.kind !== 'map') return undefined;
    const entry = stmt.entries.find(([k]) => k.kind === 'text' && Buffer.from(k.value).toString() === 'alg')!;
    const current = entry[1].kind === 'nint' ? -1 - Number(entry[1].value) : Number((entry[1] as { value: bigint }).value);
    const next = pick([-7, -35, -36, -8, -257, -37, -65535, -47, -19, -48], e.value);
    if (next === current) return undefined;
    entry[1] = int(next);
    // ES256/ESP256, ES384/ESP384, ES512/ESP512 and EdDSA/Ed25519 name the same verification.
    return { response: withAttestation(seed, tree), mustReject: !sameVerification(current, next), variant: `${current}->${next}` };
  },
};

/** Signature mutators. */
export const SIGNATURE_MUTATORS: readonly Mutator[] = [...derMutators, ...rawMutators, algMutator];
