/**
 * Authenticator data mutators (§6.1): flag bits, the signature counter, rpIdHash, AAGUID, the
 * credential id length and bytes, the COSE credential key and the extensions map (through the
 * shared CBOR ops), trailing bytes and truncation.
 *
 * authData is signed in every ceremony but a `none` registration; a changed authData that
 * verifies is caught by the signed-bytes invariant. `mustReject` marks what must fail even
 * unsigned: trailing or missing bytes, CBOR encoding defects, a COSE key missing a member.
 */
import { createHash } from 'node:crypto';
import { type CborNode, decodeItem, encodeItem } from '../cbor-tree.js';
import type { Seed } from '../corpus.js';
import { CBOR_DEFECTS, CBOR_OPS, type CborOp, type MemberRules, mutateCbor } from './cbor-ops.js';
import { concat, type Entropy, type Mutated, type Mutator, pick, withAuthData } from './types.js';

const FLAG_AT = 0x40;
const FLAG_ED = 0x80;

interface Layout {
  readonly flags: number;
  /** Offsets of the attested credential data parts, when AT is set. */
  readonly credIdLength?: number;
  readonly keyStart?: number;
  readonly keyEnd?: number;
  /** Start of the extensions map when ED is set. */
  readonly extStart?: number;
}

function layout(authData: Uint8Array): Layout | undefined {
  if (authData.length < 37) return undefined;
  const flags = authData[32]!;
  let at = 37;
  const out: { flags: number; credIdLength?: number; keyStart?: number; keyEnd?: number; extStart?: number } = { flags };
  try {
    if (flags & FLAG_AT) {
      const length = (authData[53]! << 8) | authData[54]!;
      out.credIdLength = length;
      out.keyStart = 55 + length;
      const [, end] = decodeItem(authData, out.keyStart);
      out.keyEnd = end;
      at = end;
    }
    if (flags & FLAG_ED && at < authData.length) out.extStart = at;
  } catch {
    return undefined;
  }
  return out;
}

const copy = (b: Uint8Array) => Uint8Array.from(b);
const sha256 = (s: string) => Uint8Array.from(createHash('sha256').update(s).digest());

type Variant = (a: Uint8Array, l: Layout, e: Entropy) => [Uint8Array, boolean, string] | undefined;

/** COSE_Key members (RFC 9052 §7): kid (2) and key_ops (4) and base IV (5) are optional. */
const COSE_RULES: MemberRules = {
  optional: (path) => ['2', '4', '5'].includes(String(path.at(-1))),
  untyped: () => false,
};
/** Extension outputs: unknown extensions are ignored, so their values are untyped to us. */
const EXTENSION_RULES: MemberRules = { optional: () => true, untyped: (path) => path.length > 0 && !String(path[0]).startsWith('#') };

function cborVariant(region: 'key' | 'extensions', op: CborOp): Variant {
  return (a, l, e) => {
    const start = region === 'key' ? l.keyStart : l.extStart;
    if (start === undefined) return undefined;
    let item: CborNode;
    let end: number;
    try {
      [item, end] = decodeItem(a, start);
    } catch {
      return undefined;
    }
    if (region === 'key' && end !== l.keyEnd) return undefined;
    const out = mutateCbor(item, op, e, region === 'key' ? COSE_RULES : EXTENSION_RULES);
    if (out === undefined) return undefined;
    return [concat(a.subarray(0, start), encodeItem(out[0]), a.subarray(end)), out[1], out[2]];
  };
}

const VARIANTS: Record<string, Variant> = {
  'flag-bit': (a, _l, e) => {
    const b = copy(a);
    const bit = e.op % 8;
    b[32] = b[32]! ^ (1 << bit);
    // Clearing AT or ED, or setting them, changes how the rest parses; the signed-bytes
    // invariant judges acceptance.
    return [b, false, `bit ${bit}`];
  },
  counter: (a, _l, e) => {
    const b = copy(a);
    const current = new DataView(b.buffer).getUint32(33);
    const next = pick([0, current + 1, current - 1, 0xffffffff, e.value >>> 0, current + 0x100], e.op) >>> 0;
    if (next === current) return undefined;
    new DataView(b.buffer).setUint32(33, next);
    return [b, false, `${current}->${next}`];
  },
  'rp-id-hash': (a, _l, e) => {
    const b = copy(a);
    if (e.op % 2 === 0) b[e.at % 32] = b[e.at % 32]! ^ (1 + (e.value % 255));
    else b.set(sha256(pick(['evil.example', 'localhost', 'example.com.', 'EXAMPLE.COM', ''], e.value)), 0);
    // An rpIdHash that no longer matches the RP ID must fail even when nothing signs it.
    return Buffer.compare(Buffer.from(a.subarray(0, 32)), Buffer.from(b.subarray(0, 32))) === 0 ? undefined : [b, true, 'rpIdHash'];
  },
  aaguid: (a, l, e) => {
    if (l.keyStart === undefined) return undefined;
    const b = copy(a);
    if (e.op % 3 === 0) b.fill(0, 37, 53);
    else if (e.op % 3 === 1) b.fill(0xff, 37, 53);
    else b[37 + (e.at % 16)] = b[37 + (e.at % 16)]! ^ (1 + (e.value % 255));
    return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0 ? undefined : [b, false, 'aaguid'];
  },
  'credential-id-length': (a, l, e) => {
    if (l.credIdLength === undefined) return undefined;
    const b = copy(a);
    const next = pick([0, 1, l.credIdLength + 1, l.credIdLength - 1, 1023, 1024, 0xffff, e.value & 0xffff], e.op) & 0xffff;
    if (next === l.credIdLength) return undefined;
    b[53] = next >> 8;
    b[54] = next & 0xff;
    // The credential key then starts elsewhere: the bytes no longer parse as one.
    return [b, true, `${l.credIdLength}->${next}`];
  },
  'credential-id': (a, l, e) => {
    if (l.credIdLength === undefined || l.credIdLength === 0) return undefined;
    const b = copy(a);
    const at = 55 + (e.at % l.credIdLength);
    b[at] = b[at]! ^ (1 + (e.value % 255));
    // rawId no longer equals the attested id (§7.1 step 3 / the stored id at sign-in).
    return [b, true, `byte ${at - 55}`];
  },
  'add-extensions': (a, l, e) => {
    if (l.extStart !== undefined) return undefined;
    const b = copy(a);
    b[32] = b[32]! | FLAG_ED;
    const ext = pick([Uint8Array.of(0xa0), Uint8Array.of(0xa1, 0x6b, ...Buffer.from('credProtect'), 0x02), Uint8Array.of(), Uint8Array.of(0x80)], e.op);
    // ED without data, or a non-map, is malformed; a map (even empty) is a change of signed bytes.
    const valid = ext.length > 0 && (ext[0]! & 0xe0) === 0xa0;
    return [concat(b, ext), !valid, Buffer.from(ext).toString('hex') || 'ED without data'];
  },
  'extensions-without-flag': (a, l, e) => {
    if (l.extStart !== undefined) return undefined;
    return [concat(a, Uint8Array.of(0xa1, 0x61, 0x78, e.value % 24)), true, 'map without ED'];
  },
  trailing: (a, _l, e) => [concat(a, e.blob), true, `${e.blob.length} bytes`],
  truncate: (a, _l, e) => {
    const cut = e.at % a.length;
    return [a.slice(0, cut), true, `${cut} of ${a.length}`];
  },
  'byte-flip': (a, _l, e) => {
    const b = copy(a);
    const at = e.at % b.length;
    b[at] = b[at]! ^ (1 << (e.value % 8));
    return [b, false, `byte ${at}`];
  },
};
for (const op of CBOR_OPS) {
  VARIANTS[`cose-key.${op}`] = cborVariant('key', op);
  VARIANTS[`extensions.${op}`] = cborVariant('extensions', op);
}

/** Variants whose must-reject inputs are malformed authData, whatever the seed. */
const AUTHDATA_DEFECTS = new Set(['add-extensions', 'extensions-without-flag', 'trailing', 'truncate']);

/** authData mutators, one per variant (registration and authentication). */
export const AUTHENTICATOR_DATA_MUTATORS: readonly Mutator[] = Object.entries(VARIANTS).map(([variant, fn]) => ({
  name: `authdata.${variant}`,
  ceremonies: variant.startsWith('cose-key') || variant.startsWith('credential-id') || variant === 'aaguid' ? ['registration'] : ['registration', 'authentication'],
  applies: (seed: Seed) => {
    if (seed.authData === undefined) return false;
    const l = layout(seed.authData);
    if (l === undefined) return false;
    if (variant.startsWith('cose-key') || variant.startsWith('credential-id') || variant === 'aaguid') return l.keyStart !== undefined;
    if (variant.startsWith('extensions.')) return l.extStart !== undefined;
    return true;
  },
  apply(seed, e): Mutated | undefined {
    const l = layout(seed.authData!);
    if (l === undefined) return undefined;
    const out = fn(seed.authData!, l, e);
    if (out === undefined) return undefined;
    const defect = out[1] && (AUTHDATA_DEFECTS.has(variant) || CBOR_DEFECTS.has(variant.slice(variant.indexOf('.') + 1)));
    return { response: withAuthData(seed, out[0]), mustReject: out[1], defect, variant: `${variant}:${out[2]}` };
  },
}));
