/**
 * A small, lenient CBOR item tree for the fuzz mutators: decode a definite-length item into nodes
 * that keep map order and exact text bytes, change nodes, and encode again — in shortest form by
 * default, or with the deliberate encoding defects a mutator asks for (longer heads, indefinite
 * lengths). It is campaign tooling, independent of src/encoding on purpose: the library's strict
 * decoder is what is under test, so the mutators must be able to produce what it refuses.
 */

/** Width of an item's head argument: 0 = in the initial byte, else 1, 2, 4 or 8 following bytes. */
export type HeadWidth = 0 | 1 | 2 | 4 | 8;

interface Shape {
  /** Forces the head's argument width (a non-shortest head when wider than needed). */
  head?: HeadWidth;
  /** Strings, arrays and maps: encode with an indefinite length (chunked for strings). */
  indefinite?: boolean;
}

/** One CBOR data item, with the encoding choices a mutator may force ({@link Shape}). */
export type CborNode = Shape &
  (
    | { kind: 'uint'; value: bigint }
    | { kind: 'nint'; value: bigint } // the encoded argument: the value is -1 - argument
    | { kind: 'bytes'; value: Uint8Array }
    | { kind: 'text'; value: Uint8Array } // exact UTF-8 (or not) bytes
    | { kind: 'array'; items: CborNode[] }
    | { kind: 'map'; entries: [CborNode, CborNode][] }
    | { kind: 'tag'; tag: bigint; item: CborNode }
    | { kind: 'simple'; value: number } // 20 false, 21 true, 22 null, 23 undefined
    | { kind: 'float'; raw: Uint8Array } // the 2, 4 or 8 argument bytes
    | { kind: 'raw'; bytes: Uint8Array } // emitted verbatim
  );

/** Bytes the tree decoder cannot read (it is lenient, but definite-length only). */
export class CborTreeError extends Error {}

const MAJOR = { uint: 0, nint: 1, bytes: 2, text: 3, array: 4, map: 5, tag: 6 } as const;

function readArg(bytes: Uint8Array, at: number, info: number): [bigint, number, HeadWidth] {
  if (info < 24) return [BigInt(info), at, 0];
  const width = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : -1;
  if (width < 0) throw new CborTreeError(`unsupported additional info ${info} at ${at - 1}`);
  if (at + width > bytes.length) throw new CborTreeError('truncated head');
  let value = 0n;
  for (let i = 0; i < width; i++) value = (value << 8n) | BigInt(bytes[at + i]!);
  return [value, at + width, width as HeadWidth];
}

function shortestWidth(value: bigint): HeadWidth {
  if (value < 24n) return 0;
  if (value < 0x100n) return 1;
  if (value < 0x10000n) return 2;
  if (value < 0x100000000n) return 4;
  return 8;
}

/** Decodes one item at `offset`; returns it and the offset just past it. Definite lengths only. */
export function decodeItem(bytes: Uint8Array, offset = 0, depth = 0): [CborNode, number] {
  if (depth > 64) throw new CborTreeError('too deep');
  if (offset >= bytes.length) throw new CborTreeError('truncated item');
  const initial = bytes[offset]!;
  const major = initial >> 5;
  const info = initial & 0x1f;
  if (major === 7) {
    if (info < 24) return [{ kind: 'simple', value: info }, offset + 1];
    const width = info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : -1;
    if (width < 0) throw new CborTreeError(`unsupported simple ${info}`);
    const end = offset + 1 + width;
    if (end > bytes.length) throw new CborTreeError('truncated float');
    return [{ kind: 'float', raw: bytes.slice(offset + 1, end) }, end];
  }
  const [arg, at, width] = readArg(bytes, offset + 1, info);
  const head = width === shortestWidth(arg) ? {} : { head: width };
  switch (major) {
    case 0:
      return [{ kind: 'uint', value: arg, ...head }, at];
    case 1:
      return [{ kind: 'nint', value: arg, ...head }, at];
    case 2:
    case 3: {
      const end = at + Number(arg);
      if (end > bytes.length) throw new CborTreeError('truncated string');
      return [{ kind: major === 2 ? 'bytes' : 'text', value: bytes.slice(at, end), ...head }, end];
    }
    case 4: {
      const items: CborNode[] = [];
      let p = at;
      for (let i = 0n; i < arg; i++) {
        const [item, next] = decodeItem(bytes, p, depth + 1);
        items.push(item);
        p = next;
      }
      return [{ kind: 'array', items, ...head }, p];
    }
    case 5: {
      const entries: [CborNode, CborNode][] = [];
      let p = at;
      for (let i = 0n; i < arg; i++) {
        const [key, afterKey] = decodeItem(bytes, p, depth + 1);
        const [value, afterValue] = decodeItem(bytes, afterKey, depth + 1);
        entries.push([key, value]);
        p = afterValue;
      }
      return [{ kind: 'map', entries, ...head }, p];
    }
    default: {
      const [item, end] = decodeItem(bytes, at, depth + 1);
      return [{ kind: 'tag', tag: arg, item, ...head }, end];
    }
  }
}

function encodeHead(major: number, value: bigint, width: HeadWidth | undefined): number[] {
  const w = width ?? shortestWidth(value);
  if (w === 0) return [(major << 5) | Number(value)];
  const out = [(major << 5) | (w === 1 ? 24 : w === 2 ? 25 : w === 4 ? 26 : 27)];
  for (let i = w - 1; i >= 0; i--) out.push(Number((value >> BigInt(8 * i)) & 0xffn));
  return out;
}

function encodeInto(node: CborNode, out: number[]): void {
  switch (node.kind) {
    case 'raw':
      for (const b of node.bytes) out.push(b);
      return;
    case 'uint':
    case 'nint':
      out.push(...encodeHead(MAJOR[node.kind], node.value, node.head));
      return;
    case 'bytes':
    case 'text': {
      const major = MAJOR[node.kind];
      if (node.indefinite) {
        // Two chunks (the second may be empty), then the break byte.
        const half = node.value.length >> 1;
        out.push((major << 5) | 31);
        for (const chunk of [node.value.subarray(0, half), node.value.subarray(half)]) {
          out.push(...encodeHead(major, BigInt(chunk.length), undefined));
          for (const b of chunk) out.push(b);
        }
        out.push(0xff);
        return;
      }
      out.push(...encodeHead(major, BigInt(node.value.length), node.head));
      for (const b of node.value) out.push(b);
      return;
    }
    case 'array':
      if (node.indefinite) out.push(0x9f);
      else out.push(...encodeHead(4, BigInt(node.items.length), node.head));
      for (const item of node.items) encodeInto(item, out);
      if (node.indefinite) out.push(0xff);
      return;
    case 'map':
      if (node.indefinite) out.push(0xbf);
      else out.push(...encodeHead(5, BigInt(node.entries.length), node.head));
      for (const [key, value] of node.entries) {
        encodeInto(key, out);
        encodeInto(value, out);
      }
      if (node.indefinite) out.push(0xff);
      return;
    case 'tag':
      out.push(...encodeHead(6, node.tag, node.head));
      encodeInto(node.item, out);
      return;
    case 'simple':
      out.push(0xe0 | node.value);
      return;
    case 'float':
      out.push(node.raw.length === 2 ? 0xf9 : node.raw.length === 4 ? 0xfa : 0xfb, ...node.raw);
      return;
  }
}

/** Encodes a node (shortest heads unless the node asks otherwise). */
export function encodeItem(node: CborNode): Uint8Array {
  const out: number[] = [];
  encodeInto(node, out);
  return Uint8Array.from(out);
}

/** Convenience constructors. */
export const text = (s: string): CborNode => ({ kind: 'text', value: new TextEncoder().encode(s) });
/** A byte string node. */
export const bytes = (b: Uint8Array): CborNode => ({ kind: 'bytes', value: b });
/** An integer node (major type 0 or 1). */
export const int = (n: number | bigint): CborNode =>
  BigInt(n) >= 0n ? { kind: 'uint', value: BigInt(n) } : { kind: 'nint', value: -1n - BigInt(n) };

/** The text of a text node, or undefined. */
export function textOf(node: CborNode | undefined): string | undefined {
  return node?.kind === 'text' ? new TextDecoder().decode(node.value) : undefined;
}

/** The value under text key `name` in a map node. */
export function mapGet(map: CborNode, name: string): CborNode | undefined {
  if (map.kind !== 'map') return undefined;
  return map.entries.find(([key]) => textOf(key) === name)?.[1];
}

/** A location in a tree: the node, and how to replace it in its parent. */
export interface Slot {
  readonly node: CborNode;
  readonly depth: number;
  /** Map member names (`#key` for a key node itself) and array indexes from the root. */
  readonly path: readonly (string | number)[];
  readonly replace: (next: CborNode) => void;
}

/** Every node of `root` (root first, then depth-first), each with a setter. Mutates in place. */
export function slots(root: { value: CborNode }): Slot[] {
  const out: Slot[] = [];
  type Path = readonly (string | number)[];
  const visit = (node: CborNode, depth: number, path: Path, replace: (next: CborNode) => void) => {
    out.push({ node, depth, path, replace });
    if (node.kind === 'array') {
      node.items.forEach((item, i) => {
        visit(item, depth + 1, [...path, i], (n) => {
          node.items[i] = n;
        });
      });
    } else if (node.kind === 'map')
      node.entries.forEach((entry, i) => {
        const k = entry[0];
        const name = textOf(k) ?? (k.kind === 'uint' ? String(k.value) : k.kind === 'nint' ? String(-1n - k.value) : '?');
        visit(entry[0], depth + 1, [...path, `#${name}`], (n) => {
          node.entries[i]![0] = n;
        });
        visit(entry[1], depth + 1, [...path, name], (n) => {
          node.entries[i]![1] = n;
        });
      });
    else if (node.kind === 'tag')
      visit(node.item, depth + 1, [...path, 'tag'], (n) => {
        node.item = n;
      });
  };
  visit(root.value, 0, [], (n) => {
    root.value = n;
  });
  return out;
}

/** A deep copy (byte arrays copied too), so a mutator never changes a seed. */
export function cloneNode(node: CborNode): CborNode {
  return structuredClone(node);
}
