/**
 * Certificate mutators on attStmt.x5c: DER re-encodings (non-minimal lengths, INTEGER leading
 * zeros, trailing bytes, truncation), byte flips anywhere in a certificate (extensions included),
 * chains swapped, reversed, with a certificate duplicated or dropped, certificates re-signed by an
 * attacker key with the same names, and a whole attacker chain with the same names.
 *
 * Acceptance: a certificate is covered by its issuer's signature, or — the last one — by the
 * trust anchor when the vector has anchors (`require: 'trusted'`). Only the last certificate of a
 * chain verified without anchors is unprotected, and even there the outer DER must be strict;
 * only the content of an extension or key wrapped in an OCTET/BIT STRING is then unchecked.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type CborNode, cloneNode, mapGet } from '../cbor-tree.js';
import type { Seed } from '../corpus.js';
import { type DerNode, encodeDer, isInteger, parseDer } from '../der-tree.js';
import { concat, type Entropy, type Mutated, type Mutator, pick, withAttestation } from './types.js';

/** The top-level x5c certificates of a registration seed. */
function chainOf(seed: Seed): Uint8Array[] | undefined {
  if (seed.attestationObject === undefined) return undefined;
  const x5c = mapGet(mapGet(seed.attestationObject, 'attStmt') ?? { kind: 'map', entries: [] }, 'x5c');
  if (x5c?.kind !== 'array' || x5c.items.length === 0 || x5c.items.some((c) => c.kind !== 'bytes')) return undefined;
  return x5c.items.map((c) => (c as { value: Uint8Array }).value);
}

function withChain(seed: Seed, chain: CborNode[]): Record<string, unknown> {
  const tree = cloneNode(seed.attestationObject!);
  const stmt = mapGet(tree, 'attStmt')!;
  if (stmt.kind === 'map') {
    const entry = stmt.entries.find(([k]) => k.kind === 'text' && Buffer.from(k.value).toString() === 'x5c')!;
    entry[1] = { kind: 'array', items: chain };
  }
  return withAttestation(seed, tree);
}

const asNode = (b: Uint8Array): CborNode => ({ kind: 'bytes', value: b });

/** Whether certificate `i` of `n` is unprotected (last, no anchors): see the file comment. */
const unprotected = (seed: Seed, i: number, n: number) => i === n - 1 && seed.vector.trustAnchors.length === 0;

// Attacker keys, made once per process, one per signature algorithm family.
const OIDS: Record<string, { type: 'ec' | 'rsa' | 'ed25519'; curve?: string; hash: string | null }> = {
  '2a8648ce3d040302': { type: 'ec', curve: 'P-256', hash: 'sha256' },
  '2a8648ce3d040303': { type: 'ec', curve: 'P-384', hash: 'sha384' },
  '2a8648ce3d040304': { type: 'ec', curve: 'P-521', hash: 'sha512' },
  '2a864886f70d010105': { type: 'rsa', hash: 'sha1' },
  '2a864886f70d01010b': { type: 'rsa', hash: 'sha256' },
  '2a864886f70d01010c': { type: 'rsa', hash: 'sha384' },
  '2a864886f70d01010d': { type: 'rsa', hash: 'sha512' },
  '2b6570': { type: 'ed25519', hash: null },
};
const attackerKeys = new Map<string, { privateKey: KeyObject; spki: Uint8Array }>();
function attackerKey(kind: { type: 'ec' | 'rsa' | 'ed25519'; curve?: string }) {
  const id = `${kind.type}:${kind.curve ?? ''}`;
  let key = attackerKeys.get(id);
  if (key === undefined) {
    const pair =
      kind.type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: kind.curve! })
        : kind.type === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ed25519');
    key = { privateKey: createPrivateKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' })), spki: Uint8Array.from(pair.publicKey.export({ type: 'spki', format: 'der' })) };
    attackerKeys.set(id, key);
  }
  return key;
}

/** Re-signs a parsed certificate's TBS with the attacker key of its signature algorithm (in place). */
function resign(cert: DerNode, replaceKey: boolean): boolean {
  const [tbs, algId] = cert.children ?? [];
  const oid = algId?.children?.[0]?.content;
  const kind = oid === undefined ? undefined : OIDS[Buffer.from(oid).toString('hex')];
  if (tbs?.children === undefined || kind === undefined) return false;
  const key = attackerKey(kind);
  if (replaceKey) {
    const spkiAt = tbs.children[0]?.tag[0] === 0xa0 ? 6 : 5;
    tbs.children[spkiAt] = parseDer(key.spki);
  }
  const signature = sign(kind.hash, encodeDer(tbs), key.privateKey);
  cert.children![2] = { tag: Uint8Array.of(0x03), content: concat(Uint8Array.of(0), signature) };
  return true;
}

/** Every node of a certificate with whether it sits inside an OCTET/BIT STRING's wrapped DER. */
function nodesOf(root: DerNode): [DerNode, boolean][] {
  const out: [DerNode, boolean][] = [];
  const visit = (node: DerNode, wrapped: boolean) => {
    out.push([node, wrapped]);
    for (const child of node.children ?? []) visit(child, wrapped || node.encapsulated === true);
  };
  visit(root, false);
  return out;
}

type Variant = (seed: Seed, chain: Uint8Array[], e: Entropy) => [CborNode[], boolean, string] | undefined;

/** One certificate re-encoded: `edit` changes the tree and says whether it hit wrapped DER. */
function editOne(edit: (cert: DerNode, e: Entropy) => [boolean, string] | undefined): Variant {
  return (seed, chain, e) => {
    const i = e.op % chain.length;
    let cert: DerNode;
    try {
      cert = parseDer(chain[i]!);
    } catch {
      return undefined;
    }
    const out = edit(cert, e);
    if (out === undefined) return undefined;
    const [wrapped, what] = out;
    const items = chain.map(asNode);
    items[i] = asNode(encodeDer(cert));
    return [items, !(unprotected(seed, i, chain.length) && wrapped), `cert ${i}/${chain.length}: ${what}`];
  };
}

const VARIANTS: Record<string, Variant> = {
  'der-non-minimal-length': editOne((cert, e) => {
    const [node, wrapped] = pick(nodesOf(cert), e.at);
    node.lengthPad = 1 + (e.value % 2);
    return [wrapped, `length of tag ${node.tag[0]!.toString(16)}`];
  }),
  'der-integer-leading-zero': editOne((cert, e) => {
    const ints = nodesOf(cert).filter(([n]) => isInteger(n) && n.content !== undefined);
    if (ints.length === 0) return undefined;
    const [node, wrapped] = pick(ints, e.at);
    // 0x00 before a first octet < 0x80, 0xff before one ≥ 0x80: the same value, one octet too
    // long (0x00 before a high first octet would be a different, minimal, positive value).
    const negative = (node.content![0] ?? 0) >= 0x80;
    node.content = concat(Uint8Array.of(negative ? 0xff : 0), node.content!);
    return [wrapped, `INTEGER ${negative ? '0xff' : '0x00'} prefix`];
  }),
  'byte-flip': (seed, chain, e) => {
    const i = e.op % chain.length;
    const cert = Uint8Array.from(chain[i]!);
    const at = e.at % cert.length;
    cert[at] = cert[at]! ^ (1 << (e.value % 8));
    const items = chain.map(asNode);
    items[i] = asNode(cert);
    return [items, !unprotected(seed, i, chain.length), `cert ${i}/${chain.length} byte ${at}`];
  },
  'trailing-bytes': (_seed, chain, e) => {
    const i = e.op % chain.length;
    const items = chain.map(asNode);
    items[i] = asNode(concat(chain[i]!, e.blob));
    return [items, true, `cert ${i}/${chain.length} + ${e.blob.length}`];
  },
  truncate: (_seed, chain, e) => {
    const i = e.op % chain.length;
    const items = chain.map(asNode);
    items[i] = asNode(chain[i]!.slice(0, e.at % chain[i]!.length));
    return [items, true, `cert ${i}/${chain.length}`];
  },
  swap: (seed, chain, e) => {
    if (chain.length < 2) return undefined;
    const i = e.op % chain.length;
    const j = (i + 1 + (e.value % (chain.length - 1))) % chain.length;
    const items = chain.map(asNode);
    [items[i], items[j]] = [items[j]!, items[i]!];
    // Only a seed whose own order verified has no other valid order (a misordered seed can be fixed).
    return [items, seed.baseline?.accepted === true, `${i}<->${j} of ${chain.length}`];
  },
  reverse: (seed, chain) => (chain.length < 2 ? undefined : [chain.map(asNode).reverse(), seed.baseline?.accepted === true, `${chain.length} reversed`]),
  duplicate: (_seed, chain, e) => {
    const i = e.op % chain.length;
    const items = chain.map(asNode);
    items.splice(i + 1, 0, asNode(chain[i]!));
    // A repeated last certificate adds nothing unsigned below it; anything else breaks the chain.
    return [items, i !== chain.length - 1, `cert ${i}/${chain.length} twice`];
  },
  drop: (_seed, chain, e) => {
    const i = e.op % chain.length;
    const items = chain.map(asNode).filter((_, j) => j !== i);
    // Dropping the last of several leaves a shorter chain, to be judged on its own.
    return [items, !(i === chain.length - 1 && chain.length > 1), `cert ${i}/${chain.length} dropped`];
  },
  resign: (seed, chain, e) => {
    const i = e.op % chain.length;
    let cert: DerNode;
    try {
      cert = parseDer(chain[i]!);
    } catch {
      return undefined;
    }
    if (!resign(cert, false)) return undefined;
    const items = chain.map(asNode);
    items[i] = asNode(encodeDer(cert));
    return [items, !unprotected(seed, i, chain.length), `cert ${i}/${chain.length} re-signed`];
  },
  'attacker-chain': (seed, chain) => {
    // The last certificate gets the attacker's key and signs itself; the one below is re-signed by it.
    const n = chain.length;
    let top: DerNode;
    let below: DerNode | undefined;
    try {
      top = parseDer(chain[n - 1]!);
      below = n > 1 ? parseDer(chain[n - 2]!) : undefined;
    } catch {
      return undefined;
    }
    if (!resign(top, true)) return undefined;
    if (below !== undefined && !resign(below, false)) return undefined;
    const items = chain.map(asNode);
    items[n - 1] = asNode(encodeDer(top));
    if (below !== undefined) items[n - 2] = asNode(encodeDer(below));
    // A one-certificate chain loses the key that made attStmt.sig; a longer one is only untrusted.
    return [items, n === 1 || seed.vector.trustAnchors.length > 0, `${n} certificates`];
  },
  empty: () => [[], true, 'x5c []'],
};

/** Variants that only break the DER (refused whatever the seed). */
const CERTIFICATE_DEFECTS = new Set(['der-non-minimal-length', 'der-integer-leading-zero', 'trailing-bytes', 'truncate', 'empty']);

/** Certificate mutators. */
export const CERTIFICATE_MUTATORS: readonly Mutator[] = Object.entries(VARIANTS).map(([variant, fn]) => ({
  name: `certificate.${variant}`,
  ceremonies: ['registration'],
  applies: (seed: Seed) => chainOf(seed) !== undefined,
  apply(seed, e): Mutated | undefined {
    const chain = chainOf(seed);
    if (chain === undefined) return undefined;
    const out = fn(seed, chain, e);
    if (out === undefined) return undefined;
    return { response: withChain(seed, out[0]), mustReject: out[1], defect: out[1] && CERTIFICATE_DEFECTS.has(variant), variant: `${variant}:${out[2]}` };
  },
}));
