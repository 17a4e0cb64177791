/**
 * clientDataJSON mutators (§5.8.1): members deleted, retyped, changed, duplicated (at the top
 * level and nested), escaped differently, added; a byte-order mark, whitespace, invalid UTF-8,
 * size and nesting at and past the documented bounds (16 KiB, depth 32), non-object JSON,
 * truncation and trailing data.
 *
 * clientDataJSON is signed (through its hash) in every ceremony except a `none` registration, so
 * any byte change that verifies is caught by the signed-bytes invariant; `mustReject` marks what
 * must fail even unsigned: the checked members (type, challenge, origin, crossOrigin, topOrigin),
 * duplicates, invalid UTF-8, over-limit size or depth, and text that is not one JSON object.
 */
import type { Seed } from '../corpus.js';
import { concat, type Entropy, type Mutated, type Mutator, pick, withClientData } from './types.js';

const CHECKED = new Set(['type', 'challenge', 'origin', 'crossOrigin', 'topOrigin']);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function members(seed: Seed): [string, unknown][] | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(seed.clientDataJSON));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
  } catch {
    return undefined;
  }
}

/** Serialises members in order; a repeated name is allowed (that is the point of some mutators). */
const serialise = (entries: [string, unknown][]): string => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;

function otherType(value: unknown, e: Entropy): unknown {
  const options: unknown[] = [1, 0, true, false, null, [], {}, 'x', [String(value)], { value }];
  const differs = options.filter((o) => typeof o !== typeof value || Array.isArray(o) !== Array.isArray(value) || (o === null) !== (value === null));
  return pick(differs, e.value);
}

function changedValue(name: string, value: unknown, e: Entropy): unknown {
  if (name === 'type') return pick(['webauthn.get', 'webauthn.create', 'payment.get', 'WEBAUTHN.CREATE', ''], e.value).replace(String(value), 'webauthn.x');
  if (name === 'origin' && typeof value === 'string') {
    const variants = [
      value.toUpperCase(),
      `${value}/`,
      value.replace('https:', 'http:'),
      `${value}:443`,
      value.replace('://', '://evil.'),
      `${value}.evil.example`,
      value.replace(/.$/, ''),
      ` ${value}`,
      `${value}\u0000`,
    ];
    return pick(variants.filter((v) => v !== value), e.value);
  }
  if (typeof value === 'string') {
    if (value.length === 0) return 'A';
    const at = e.at % value.length;
    const c = value.charCodeAt(at);
    return value.slice(0, at) + String.fromCharCode(c === 0x41 ? 0x42 : 0x41) + value.slice(at + 1);
  }
  if (typeof value === 'boolean') return !value;
  return otherType(value, e);
}

/** Escapes one character of a JSON string literal as \uXXXX (same value, different bytes). */
function escapeOne(json: string, e: Entropy): string | undefined {
  const positions: number[] = [];
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (c === '"' && json[i - 1] !== '\\') inString = !inString;
    else if (inString && c !== '\\' && json[i - 1] !== '\\') positions.push(i);
  }
  if (positions.length === 0) return undefined;
  const at = pick(positions, e.at);
  const code = json.charCodeAt(at).toString(16).padStart(4, '0');
  return `${json.slice(0, at)}\\u${e.value % 2 ? code : code.toUpperCase()}${json.slice(at + 1)}`;
}

type Variant = (seed: Seed, entries: [string, unknown][], e: Entropy) => [Uint8Array, boolean, string] | undefined;

const VARIANTS: Record<string, Variant> = {
  'delete-member': (_s, entries, e) => {
    const i = e.op % entries.length;
    const [name] = entries[i]!;
    return [utf8(serialise(entries.filter((_, j) => j !== i))), name === 'type' || name === 'challenge' || name === 'origin', name];
  },
  'retype-member': (_s, entries, e) => {
    const i = e.op % entries.length;
    const [name, value] = entries[i]!;
    const next = entries.map(([k, v], j): [string, unknown] => [k, j === i ? otherType(value, e) : v]);
    return [utf8(serialise(next)), CHECKED.has(name), name];
  },
  'change-member': (seed, entries, e) => {
    const i = e.op % entries.length;
    const [name, value] = entries[i]!;
    const next = entries.map(([k, v], j): [string, unknown] => [k, j === i ? changedValue(name, value, e) : v]);
    // crossOrigin false→true needs the opt-in; true→false removes a claim (topOrigin then dangles).
    const crossOriginAllowed = value === true || seed.vector.expected.allowCrossOrigin === true;
    return [utf8(serialise(next)), CHECKED.has(name) && !(name === 'crossOrigin' && crossOriginAllowed), name];
  },
  'duplicate-member': (_s, entries, e) => {
    const i = e.op % entries.length;
    const [name, value] = entries[i]!;
    const copy: [string, unknown] = [name, e.value % 2 ? value : changedValue(name, value, e)];
    const next = [...entries];
    next.splice(e.at % (entries.length + 1), 0, copy);
    return [utf8(serialise(next)), true, name];
  },
  'nested-duplicate': (_s, entries, e) => {
    const json = serialise(entries);
    const inner = pick(['{"a":1,"a":1}', '[{"k":"v","k":"w"}]', '{"x":{"y":0,"y":0}}'], e.value);
    return [utf8(`${json.slice(0, -1)},"other_keys_can_be_added_here":${inner}}`), true, inner];
  },
  'escape-character': (_s, entries, e) => {
    const json = escapeOne(serialise(entries), e);
    return json === undefined ? undefined : [utf8(json), false, 'unicode escape'];
  },
  'add-member': (_s, entries, e) => {
    const value = pick(['\u00e9\u{1F600}', '\ud800', 'a\u0000b', { nested: [1, 2, { deep: null }] }, 2 ** 70, -0, 1e308], e.value);
    const name = pick(['other_keys_can_be_added_here', 'extraData', '\u00e9', '', '__proto__', 'constructor'], e.at);
    return [utf8(`${serialise(entries).slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(value)}}`), false, name];
  },
  'byte-order-mark': (seed, _entries, e) => {
    const boms = e.value % 2 ? 2 : 1;
    // One leading BOM is documented as dropped; a second one is not JSON.
    return [concat(...Array.from({ length: boms }, () => Uint8Array.of(0xef, 0xbb, 0xbf)), seed.clientDataJSON), boms === 2, `${boms} BOM`];
  },
  whitespace: (_s, entries, e) => [utf8(JSON.stringify(Object.fromEntries(entries), null, pick([1, 2, '\t', '\r\n'], e.value))), false, 'pretty-printed'],
  'invalid-utf8': (seed, _entries, e) => {
    const text = Buffer.from(seed.clientDataJSON);
    const at = Math.max(1, text.indexOf('"', 2) + 1 + (e.at % 4));
    const bad = pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]], e.value);
    return [concat(text.subarray(0, at), Uint8Array.from(bad), text.subarray(at)), true, bad.map((b) => b.toString(16)).join(' ')];
  },
  size: (_s, entries, e) => {
    const over = e.value % 2 === 1;
    const json = serialise(entries);
    const head = `${json.slice(0, -1)},"pad":"`;
    const target = 16384 + (over ? 1 : 0);
    return [utf8(`${head}${'a'.repeat(Math.max(0, target - head.length - 2))}"}`), over, over ? '16385 bytes' : '16384 bytes'];
  },
  depth: (_s, entries, e) => {
    // The top-level object is depth 1: 31 nested arrays reach 32 (accepted), 32 reach 33.
    const levels = pick([31, 32, 1000], e.value);
    return [utf8(`${serialise(entries).slice(0, -1)},"deep":${'['.repeat(levels)}${']'.repeat(levels)}}`), levels > 31, `depth ${levels + 1}`];
  },
  'not-an-object': (_s, entries, e) => {
    const json = serialise(entries);
    return [utf8(pick([`[${json}]`, JSON.stringify(json), 'null', '', '{}', `${json}${json}`], e.value)), true, 'non-object'];
  },
  truncate: (seed, _entries, e) => {
    const cut = e.at % seed.clientDataJSON.length;
    return [seed.clientDataJSON.slice(0, cut), true, `${cut} bytes`];
  },
  trailing: (seed, _entries, e) => {
    const tail = pick([' ', '\n', 'x', '}', '\u0000', '{}'], e.value);
    return [concat(seed.clientDataJSON, utf8(tail)), !/^\s+$/.test(tail), JSON.stringify(tail)];
  },
};

/** Variants whose must-reject inputs are malformed JSON text, whatever the seed. */
const CLIENT_DATA_DEFECTS = new Set(['duplicate-member', 'nested-duplicate', 'byte-order-mark', 'invalid-utf8', 'size', 'depth', 'not-an-object', 'truncate', 'trailing']);

/** clientDataJSON mutators, one per variant. */
export const CLIENT_DATA_MUTATORS: readonly Mutator[] = Object.entries(VARIANTS).map(([variant, fn]) => ({
  name: `clientdata.${variant}`,
  ceremonies: ['registration', 'authentication'],
  applies: (seed) => members(seed) !== undefined && (members(seed)?.length ?? 0) > 0,
  apply(seed, e): Mutated | undefined {
    const entries = members(seed);
    if (entries === undefined || entries.length === 0) return undefined;
    const out = fn(seed, entries, e);
    if (out === undefined) return undefined;
    return { response: withClientData(seed, out[0]), mustReject: out[1], defect: out[1] && CLIENT_DATA_DEFECTS.has(variant), variant: `${variant}:${out[2]}` };
  },
}));
