/**
 * Attestation object mutators (§6.5.4): the shared structural CBOR ops over the whole map (fmt,
 * attStmt and its members, authData's encoding), trailing bytes and truncation.
 *
 * What acceptance means per member: `authData`'s content is judged by the signed-bytes
 * invariant; a certificate in `x5c` is covered by its issuer's signature or by the trust anchor,
 * except the last one of a chain verified without anchors; android-safetynet's `ver` is
 * informational (§8.5); apple's `alg` is a tolerated optional member (docs/quirks.md). Everything
 * else in a statement (alg, sig, certInfo, pubArea, response, ver of tpm) is checked, so a change
 * must fail.
 */
import { type CborNode, encodeItem, mapGet } from '../cbor-tree.js';
import type { Seed } from '../corpus.js';
import { CBOR_DEFECTS, CBOR_OPS, type MemberRules, mutateCbor } from './cbor-ops.js';
import { concat, type Mutated, type Mutator, sameVerification, withAttestation } from './types.js';

type Path = readonly (string | number)[];

/** The x5c array a path points into, and the index of the certificate. */
function certificateAt(tree: CborNode, path: Path): [number, number] | undefined {
  const i = path.indexOf('x5c');
  if (i < 0 || typeof path[i + 1] !== 'number') return undefined;
  let node: CborNode | undefined = tree;
  for (const step of path.slice(0, i + 1)) {
    if (node === undefined) return undefined;
    node = typeof step === 'number' ? (node.kind === 'array' ? node.items[step] : undefined) : mapGet(node, step);
  }
  return node?.kind === 'array' ? [path[i + 1] as number, node.items.length] : undefined;
}

/** Whether a change of the node at `path` may verify (see the file comment). */
export function changeMayVerify(seed: Seed, path: Path): boolean {
  if (path[0] === 'authData') return true;
  const cert = certificateAt(seed.attestationObject!, path);
  if (cert !== undefined) return cert[0] === cert[1] - 1 && seed.vector.trustAnchors.length === 0;
  if (path.includes('x5c')) return true; // the array itself: dropping its last certificate
  if (path.at(-1) === 'ver' && seed.fmt === 'android-safetynet') return true;
  return false;
}

const algOf = (node: CborNode | undefined): number | undefined =>
  node?.kind === 'uint' ? Number(node.value) : node?.kind === 'nint' ? -1 - Number(node.value) : undefined;

/** A changed attStmt.alg that names the same verification (e.g. ES256 → ESP256) may verify. */
function sameAlg(seed: Seed, tree: CborNode, path: Path): boolean {
  if (path.length !== 2 || path[0] !== 'attStmt' || path[1] !== 'alg') return false;
  const before = algOf(mapGet(mapGet(seed.attestationObject!, 'attStmt')!, 'alg'));
  const after = algOf(mapGet(mapGet(tree, 'attStmt')!, 'alg'));
  return before !== undefined && after !== undefined && sameVerification(before, after);
}

function rulesFor(seed: Seed): MemberRules {
  const member = (path: readonly (string | number)[], name: string) => path.length === 2 && path[0] === 'attStmt' && path[1] === name;
  return {
    // apple's alg is tolerated (docs/quirks.md); without x5c a packed statement is self
    // attestation, legal when the credential key made the signature and no trust is required.
    optional: (path) =>
      (seed.fmt === 'apple' && member(path, 'alg')) || (seed.fmt === 'packed' && member(path, 'x5c') && seed.vector.trustAnchors.length === 0),
    untyped: () => false,
  };
}

const structural: Mutator[] = CBOR_OPS.map((op) => ({
  name: `cbor.${op}`,
  ceremonies: ['registration'],
  applies: (seed: Seed) => seed.attestationObject !== undefined,
  apply(seed, e): Mutated | undefined {
    const out = mutateCbor(seed.attestationObject!, op, e, rulesFor(seed));
    if (out === undefined) return undefined;
    const [tree, mustReject, where] = out;
    const path = where === '(root)' ? [] : where.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const judged = op === 'value-change' ? !changeMayVerify(seed, path) && !sameAlg(seed, tree, path) : mustReject;
    return { response: withAttestation(seed, tree), mustReject: judged, defect: judged && CBOR_DEFECTS.has(op), variant: `${op}:${where}` };
  },
}));

const framing: Mutator[] = [
  {
    name: 'cbor.trailing-bytes',
    ceremonies: ['registration'],
    applies: (seed) => seed.attestationObject !== undefined,
    apply: (seed, e) => ({
      response: withAttestation(seed, seed.attestationObject!, { trailing: concat(seed.attestationTrailing ?? new Uint8Array(0), e.blob) }),
      mustReject: true,
      defect: true,
      variant: `${e.blob.length} bytes`,
    }),
  },
  {
    name: 'cbor.truncate',
    ceremonies: ['registration'],
    applies: (seed) => seed.attestationObject !== undefined,
    apply(seed, e) {
      const full = encodeItem(seed.attestationObject!);
      const cut = e.at % full.length;
      const response = withAttestation(seed, { kind: 'raw', bytes: full.slice(0, cut) }, { trailing: new Uint8Array(0) });
      return { response, mustReject: true, defect: true, variant: `${cut} of ${full.length}` };
    },
  },
  {
    name: 'cbor.wrap-root',
    ceremonies: ['registration'],
    applies: (seed) => seed.attestationObject !== undefined,
    apply(seed, e) {
      const root = seed.attestationObject!;
      const wrapped: CborNode =
        e.op % 3 === 0
          ? { kind: 'array', items: [root] }
          : e.op % 3 === 1
            ? { kind: 'bytes', value: encodeItem(root) }
            : { kind: 'map', entries: [[{ kind: 'text', value: new TextEncoder().encode('attestationObject') }, root]] };
      return { response: withAttestation(seed, wrapped), mustReject: true, defect: true, variant: wrapped.kind };
    },
  },
];

/** Attestation-object mutators. */
export const ATTESTATION_OBJECT_MUTATORS: readonly Mutator[] = [...structural, ...framing];
