/**
 * A lenient DER TLV tree for the certificate and signature mutators: parse, change a node, encode
 * again — minimally by default, or with a deliberate defect (a non-minimal length). Constructed
 * values are parsed into children; OCTET STRING and BIT STRING contents that are themselves one
 * complete DER value (certificate extensions, public keys) are parsed as `encapsulated` children,
 * so mutations reach inside extensions such as the AAGUID or the Android key description.
 */

/** One DER TLV, as parsed or as a mutator wants it encoded. */
export interface DerNode {
  /** The identifier octets as they were (multi-byte high tag numbers kept verbatim). */
  tag: Uint8Array;
  /** Primitive content (absent when `children` is set). */
  content?: Uint8Array;
  children?: DerNode[];
  /** BIT STRING only: the unused-bits octet before encapsulated children. */
  bitPrefix?: number;
  /** Children came from a primitive OCTET/BIT STRING's content. */
  encapsulated?: boolean;
  /** Extra leading zero octets in a long-form length (a non-minimal length when > 0). */
  lengthPad?: number;
}

/** Bytes the DER tree parser cannot read. */
export class DerTreeError extends Error {}

function parseOne(bytes: Uint8Array, at: number, depth: number): [DerNode, number] {
  if (depth > 40) throw new DerTreeError('too deep');
  const tagStart = at;
  if (at >= bytes.length) throw new DerTreeError('truncated');
  const first = bytes[at++]!;
  if ((first & 0x1f) === 0x1f) {
    while (at < bytes.length && (bytes[at]! & 0x80) !== 0) at++;
    at++;
  }
  if (at >= bytes.length) throw new DerTreeError('truncated tag');
  const tag = bytes.slice(tagStart, at);
  let length = bytes[at++]!;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || at + n > bytes.length) throw new DerTreeError('bad length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[at++]!;
  }
  const end = at + length;
  if (end > bytes.length) throw new DerTreeError('content overruns');
  const content = bytes.subarray(at, end);
  if (first & 0x20) return [{ tag, children: parseAll(content, depth + 1) }, end];
  const node: DerNode = { tag, content: content.slice() };
  // Encapsulated DER inside OCTET STRING (0x04) or BIT STRING (0x03, 0 unused bits).
  const inner = first === 0x04 ? content : first === 0x03 && content[0] === 0 ? content.subarray(1) : undefined;
  if (inner !== undefined && inner.length > 1 && (inner[0] === 0x30 || inner[0] === 0x31)) {
    try {
      const children = parseAll(inner, depth + 1);
      if (children.length === 1) {
        delete node.content;
        node.children = children;
        node.encapsulated = true;
        if (first === 0x03) node.bitPrefix = 0;
      }
    } catch {
      // plain bytes
    }
  }
  return [node, end];
}

function parseAll(bytes: Uint8Array, depth: number): DerNode[] {
  const out: DerNode[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [node, next] = parseOne(bytes, at, depth);
    out.push(node);
    at = next;
  }
  return out;
}

/** Parses exactly one DER value filling `bytes`. */
export function parseDer(bytes: Uint8Array): DerNode {
  const [node, end] = parseOne(bytes, 0, 0);
  if (end !== bytes.length) throw new DerTreeError('trailing bytes');
  return node;
}

function lengthOctets(length: number, pad: number): number[] {
  if (length < 0x80 && pad === 0) return [length];
  const body: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) body.unshift(v & 0xff);
  for (let i = 0; i < pad; i++) body.unshift(0);
  if (body.length === 0) body.push(0);
  return [0x80 | body.length, ...body];
}

/** Encodes a node (minimal lengths unless `lengthPad` is set on a node). */
export function encodeDer(node: DerNode): Uint8Array {
  let content: Uint8Array;
  if (node.children === undefined) content = node.content ?? new Uint8Array(0);
  else {
    const parts = node.children.map(encodeDer);
    const prefix = node.bitPrefix === undefined ? [] : [node.bitPrefix];
    content = new Uint8Array(prefix.length + parts.reduce((n, p) => n + p.length, 0));
    content.set(prefix, 0);
    let at = prefix.length;
    for (const part of parts) {
      content.set(part, at);
      at += part.length;
    }
  }
  const len = lengthOctets(content.length, node.lengthPad ?? 0);
  const out = new Uint8Array(node.tag.length + len.length + content.length);
  out.set(node.tag, 0);
  out.set(len, node.tag.length);
  out.set(content, node.tag.length + len.length);
  return out;
}

/** Every node, depth-first, root first. */
export function derNodes(root: DerNode): DerNode[] {
  const out: DerNode[] = [];
  const visit = (node: DerNode) => {
    out.push(node);
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return out;
}

/** The universal INTEGER tag. */
export const isInteger = (node: DerNode): boolean => node.tag.length === 1 && node.tag[0] === 0x02;

/** A minimal two's-complement INTEGER node for a non-negative bigint. */
export function integerNode(value: bigint): DerNode {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let content = Uint8Array.from(Buffer.from(hex, 'hex'));
  if (content[0]! & 0x80) content = Uint8Array.from([0, ...content]);
  return { tag: Uint8Array.of(0x02), content };
}

/** The non-negative value of an INTEGER node's content. */
export function integerValue(node: DerNode): bigint {
  const content = node.content ?? new Uint8Array(0);
  return content.length === 0 ? 0n : BigInt(`0x${Buffer.from(content).toString('hex')}`);
}
