/**
 * Structural CBOR mutations on an item tree, shared by the attestation-object mutators and the
 * authData ones (COSE key, extensions). The encoding defects — a non-shortest head, an indefinite
 * length, a tag, a duplicate map key, extra nesting — are refused by the library's strict scanner
 * (docs/security.md "Inputs are bounded"), so they are always `mustReject`; member deletion, type
 * and value changes depend on the member, which the caller's {@link MemberRules} decide.
 */
import { type CborNode, cloneNode, encodeItem, int, type Slot, slots, text } from '../cbor-tree.js';
import { type Entropy, pick } from './types.js';

/** What the caller knows about the members of the structure being mutated. */
export interface MemberRules {
  /** Deleting the member at `path` may be legal (an optional member). */
  readonly optional: (path: readonly (string | number)[]) => boolean;
  /** Changing the type of the node at `path` may be legal (a member nothing checks). */
  readonly untyped: (path: readonly (string | number)[]) => boolean;
}

/** The structural CBOR mutations. */
export type CborOp =
  | 'non-minimal-head'
  | 'indefinite-length'
  | 'tag'
  | 'duplicate-key'
  | 'delete-key'
  | 'reorder-keys'
  | 'type-change'
  | 'value-change'
  | 'nest-deeper'
  | 'integer-as-float'
  | 'length-mismatch';

/** Every op, in a fixed order (fast-check shrinks towards the first). */
export const CBOR_OPS: readonly CborOp[] = [
  'non-minimal-head',
  'indefinite-length',
  'tag',
  'duplicate-key',
  'delete-key',
  'reorder-keys',
  'type-change',
  'value-change',
  'nest-deeper',
  'integer-as-float',
  'length-mismatch',
];

/** Ops that only break the encoding (the strict scanner refuses them whatever the seed). */
export const CBOR_DEFECTS: ReadonlySet<string> = new Set(['non-minimal-head', 'indefinite-length', 'tag', 'duplicate-key', 'integer-as-float', 'length-mismatch']);

/** The node re-encoded with a head that claims one byte / item more or fewer than follow. */
function withWrongCount(node: CborNode, delta: 1 | -1): CborNode | undefined {
  const encoded = encodeItem(node);
  const info = encoded[0]! & 0x1f;
  const headLength = info < 24 ? 1 : info === 24 ? 2 : info === 25 ? 3 : info === 26 ? 5 : 9;
  const count = headValue(node) + BigInt(delta);
  if (count < 0n) return undefined;
  const head = encodeItem({ kind: 'uint', value: count });
  head[0] = (head[0]! & 0x1f) | (encoded[0]! & 0xe0);
  return { kind: 'raw', bytes: Uint8Array.from([...head, ...encoded.subarray(headLength)]) };
}

/** The same number as a CBOR float (single or double precision; half when exact and small). */
function floatOf(value: number, e: Entropy): CborNode {
  const width = e.value % 3;
  if (width === 0 && Number.isInteger(value) && Math.abs(value) <= 2048) {
    // binary16: sign, 5-bit exponent (bias 15), 10-bit fraction; exact for |v| ≤ 2048.
    const sign = value < 0 ? 0x8000 : 0;
    const v = Math.abs(value);
    if (v === 0) return { kind: 'float', raw: Uint8Array.of(sign >> 8, 0) };
    const exponent = Math.floor(Math.log2(v));
    const bits = sign | ((exponent + 15) << 10) | Math.round((v / 2 ** exponent - 1) * 1024);
    return { kind: 'float', raw: Uint8Array.of(bits >> 8, bits & 0xff) };
  }
  const raw = Buffer.alloc(width === 1 ? 4 : 8);
  if (width === 1) raw.writeFloatBE(value);
  else raw.writeDoubleBE(value);
  return { kind: 'float', raw: Uint8Array.from(raw) };
}

const hasHead = (n: CborNode) => n.kind !== 'simple' && n.kind !== 'float' && n.kind !== 'raw';
const headValue = (n: CborNode): bigint =>
  n.kind === 'uint' || n.kind === 'nint'
    ? n.value
    : n.kind === 'bytes' || n.kind === 'text'
      ? BigInt(n.value.length)
      : n.kind === 'array'
        ? BigInt(n.items.length)
        : n.kind === 'map'
          ? BigInt(n.entries.length)
          : n.kind === 'tag'
            ? n.tag
            : 0n;

/** A node of a different CBOR major type than `node`. */
function otherKind(node: CborNode, e: Entropy): CborNode {
  const options: CborNode[] = [
    int(e.value % 1000),
    int(-1 - (e.value % 1000)),
    { kind: 'bytes', value: e.blob },
    text('x'),
    { kind: 'array', items: [] },
    { kind: 'map', entries: [] },
    { kind: 'simple', value: 20 + (e.value % 4) },
    { kind: 'float', raw: Uint8Array.of(0x3e, 0x00) }, // 1.5: integral floats are integer-as-float's
  ];
  return pick(options.filter((o) => o.kind !== node.kind), e.at);
}

/** The same type with a different value. */
function otherValue(node: CborNode, e: Entropy): CborNode | undefined {
  switch (node.kind) {
    case 'uint':
    case 'nint':
      return { ...node, value: node.value + 1n + BigInt(e.value % 3) };
    case 'bytes':
    case 'text': {
      if (node.value.length === 0) return { ...node, value: e.blob };
      const value = node.value.slice();
      const at = e.at % value.length;
      value[at] = value[at]! ^ (1 + (e.value % 255));
      return { ...node, value };
    }
    case 'array':
      return node.items.length === 0 ? { ...node, items: [int(0)] } : { ...node, items: node.items.slice(0, -1) };
    case 'map':
      return { ...node, entries: [...node.entries, [text(`x-${e.value % 10}`), int(1)]] };
    default:
      return undefined;
  }
}

/**
 * Applies `op` to one node of a copy of `root` (chosen by `e.at`); returns the new root, whether
 * acceptance would be a bug, and a description; undefined when the op has no target here.
 */
export function mutateCbor(
  root: CborNode,
  op: CborOp,
  e: Entropy,
  rules: MemberRules,
): [CborNode, boolean, string] | undefined {
  const holder = { value: cloneNode(root) };
  const all = slots(holder);
  const choose = (filter: (s: Slot) => boolean): Slot | undefined => {
    const candidates = all.filter(filter);
    return candidates.length === 0 ? undefined : pick(candidates, e.at);
  };
  const where = (s: Slot) => s.path.join('.') || '(root)';
  switch (op) {
    case 'non-minimal-head': {
      const s = choose((c) => hasHead(c.node));
      if (s === undefined) return undefined;
      const v = headValue(s.node);
      const widths = ([1, 2, 4, 8] as const).filter((w) => (w === 1 ? v < 0x100n : w === 2 ? v < 0x10000n : w === 4 ? v < 0x100000000n : true));
      const shortest = v < 24n ? 0 : v < 0x100n ? 1 : v < 0x10000n ? 2 : v < 0x100000000n ? 4 : 8;
      const wider = widths.filter((w) => w > shortest);
      if (wider.length === 0) return undefined;
      s.replace({ ...s.node, head: pick(wider, e.value) } as CborNode);
      return [holder.value, true, where(s)];
    }
    case 'indefinite-length': {
      const s = choose((c) => ['bytes', 'text', 'array', 'map'].includes(c.node.kind));
      if (s === undefined) return undefined;
      s.replace({ ...s.node, indefinite: true } as CborNode);
      return [holder.value, true, where(s)];
    }
    case 'tag': {
      const s = choose(() => true)!;
      s.replace({ kind: 'tag', tag: BigInt(pick([24, 55799, 0, 2, 258], e.value)), item: s.node });
      return [holder.value, true, where(s)];
    }
    case 'nest-deeper': {
      const s = choose((c) => c.depth > 0)!;
      if (s === undefined) return undefined;
      let node = s.node;
      const levels = 1 + (e.value % 8);
      for (let i = 0; i < levels; i++) node = { kind: 'array', items: [node] };
      s.replace(node);
      return [holder.value, !rules.untyped(s.path), `${where(s)} x${levels}`];
    }
    case 'duplicate-key': {
      const s = choose((c) => c.node.kind === 'map' && c.node.entries.length > 0);
      if (s === undefined || s.node.kind !== 'map') return undefined;
      const entries = s.node.entries;
      const [key, value] = entries[e.value % entries.length]!;
      const copyValue = e.op % 2 === 0 ? cloneNode(value) : otherKind(value, e);
      entries.splice(e.blob[0]! % (entries.length + 1), 0, [cloneNode(key), copyValue]);
      return [holder.value, true, where(s)];
    }
    case 'delete-key': {
      const s = choose((c) => c.node.kind === 'map' && c.node.entries.length > 0);
      if (s === undefined || s.node.kind !== 'map') return undefined;
      const map = s.node;
      const i = e.value % map.entries.length;
      const memberPath = all.find((c) => c.node === map.entries[i]![1])!.path;
      map.entries.splice(i, 1);
      return [holder.value, !rules.optional(memberPath), memberPath.join('.')];
    }
    case 'reorder-keys': {
      const s = choose((c) => c.node.kind === 'map' && c.node.entries.length > 1);
      if (s === undefined || s.node.kind !== 'map') return undefined;
      const entries = s.node.entries;
      const i = e.value % entries.length;
      const j = (i + 1 + (e.op % (entries.length - 1))) % entries.length;
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      return [holder.value, false, where(s)];
    }
    case 'type-change': {
      const s = choose((c) => c.depth > 0);
      if (s === undefined) return undefined;
      s.replace(otherKind(s.node, e));
      return [holder.value, !rules.untyped(s.path), where(s)];
    }
    case 'integer-as-float': {
      // A CBOR float with an integer's value: decoders that map both to one number type cannot
      // tell them apart, so the major type must be checked before decoding.
      const s = choose((c) => c.node.kind === 'uint' || c.node.kind === 'nint');
      if (s === undefined || (s.node.kind !== 'uint' && s.node.kind !== 'nint')) return undefined;
      const value = s.node.kind === 'uint' ? Number(s.node.value) : -1 - Number(s.node.value);
      if (!Number.isSafeInteger(value)) return undefined;
      s.replace(floatOf(value, e));
      return [holder.value, !rules.untyped(s.path), where(s)];
    }
    case 'length-mismatch': {
      // The head's length or count off by one: the items after it are read out of step.
      const s = choose((c) => ['bytes', 'text', 'array', 'map'].includes(c.node.kind) && !c.node.indefinite);
      if (s === undefined) return undefined;
      const next = withWrongCount(s.node, e.value % 2 ? 1 : -1);
      if (next === undefined) return undefined;
      s.replace(next);
      return [holder.value, true, where(s)];
    }
    case 'value-change': {
      const s = choose((c) => c.depth > 0 && !c.path.at(-1)?.toString().startsWith('#'));
      if (s === undefined) return undefined;
      const next = otherValue(s.node, e);
      if (next === undefined) return undefined;
      s.replace(next);
      // Value changes are judged by the caller (signed bytes, or its own rules).
      return [holder.value, false, where(s)];
    }
  }
}
