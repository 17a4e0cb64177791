/**
 * §6.5.4 / §7.1 step 13: parseAttestationObject member by member, with the exact code, step and
 * field of each rejection, the 256 KiB bound at its edge, and the depth-5 exception for `compound`
 * only. Written against the survivors of a mutation run (docs/security.md, "Mutation score"): the
 * CBOR is built byte by byte here, so a test fails exactly when the parser's rule changes.
 */
import { describe, expect, it } from 'vitest';
import { parseAttestationObject } from '../../src/parse/attestation-object.js';
import { expectCode } from '../helpers/expect-code.js';

/** A CBOR head of major type `major` with argument `n`, shortest form. */
function head(major: number, n: number): number[] {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  return [m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

type Item = number | string | Uint8Array | Item[] | Map<Item, Item>;

function cbor(item: Item): number[] {
  if (typeof item === 'number') return head(0, item);
  if (typeof item === 'string') {
    const utf8 = [...new TextEncoder().encode(item)];
    return [...head(3, utf8.length), ...utf8];
  }
  if (item instanceof Uint8Array) return [...head(2, item.length), ...item];
  if (Array.isArray(item)) return [...head(4, item.length), ...item.flatMap(cbor)];
  return [...head(5, item.size), ...[...item].flatMap(([k, v]) => [...cbor(k), ...cbor(v)])];
}

function encode(item: Item): Uint8Array {
  return new Uint8Array(cbor(item));
}

/** 37 bytes of authenticator data: rpIdHash 0x11…, flags UP, signCount 7. */
const AUTH_DATA = new Uint8Array([...new Uint8Array(32).fill(0x11), 0x01, 0, 0, 0, 7]);

function object(members: [string | number, Item][]): Uint8Array {
  return encode(new Map<Item, Item>(members));
}

const none = (attStmt: Item = new Map(), authData: Item = AUTH_DATA, fmt: Item = 'none') =>
  object([
    ['fmt', fmt],
    ['attStmt', attStmt],
    ['authData', authData],
  ]);

describe('parseAttestationObject: the accepted shape', () => {
  it('returns fmt, the attStmt map, the parsed authData and the input itself as raw', () => {
    const bytes = none(new Map<Item, Item>([['alg', 3]]));
    const parsed = parseAttestationObject(bytes);
    expect(parsed.fmt).toBe('none');
    expect(parsed.attStmt).toBeInstanceOf(Map);
    expect([...(parsed.attStmt as Map<unknown, unknown>)]).toEqual([['alg', 3]]);
    expect(parsed.authData.signCount).toBe(7);
    expect(parsed.authData.flags.up).toBe(true);
    expect(parsed.authData.raw).toEqual(AUTH_DATA);
    expect(parsed.raw).toBe(bytes);
  });

  it('member order does not matter', () => {
    const bytes = object([
      ['authData', AUTH_DATA],
      ['attStmt', new Map()],
      ['fmt', 'packed'],
    ]);
    expect(parseAttestationObject(bytes).fmt).toBe('packed');
  });

  it('compound may carry an array as attStmt (§8.9), kept as decoded', () => {
    const parsed = parseAttestationObject(none([new Map<Item, Item>([['fmt', 'none']])], AUTH_DATA, 'compound'));
    expect(Array.isArray(parsed.attStmt)).toBe(true);
    expect((parsed.attStmt as unknown[]).length).toBe(1);
  });
});

describe('parseAttestationObject: each member, exact code, step 7.1.13 and field', () => {
  const malformed = (bytes: Uint8Array, field: string | undefined, message?: RegExp) => {
    const error = expectCode(() => parseAttestationObject(bytes), 'ERR_ATTESTATION_OBJECT_MALFORMED');
    expect(error.step).toBe('7.1.13');
    expect(error.details?.field).toBe(field);
    if (message !== undefined) expect(error.message).toMatch(message);
    return error;
  };

  it('a top level that is not a map (array, text, bytes, integer)', () => {
    for (const top of [[AUTH_DATA], 'none', AUTH_DATA, 1] as Item[]) {
      const error = malformed(encode(top), undefined, /is not a CBOR map/);
      expect(error.details).toBeUndefined();
    }
  });

  it('an unexpected member, text or integer, is named (at most 32 characters of it)', () => {
    malformed(object([['fmt', 'none'], ['attStmt', new Map()], ['authData', AUTH_DATA], ['ext', 1]]), 'ext', /"ext"/);
    malformed(object([[1, 'none']]), '1', /"1"/);
    const long = 'x'.repeat(40);
    const error = malformed(object([[long, 1]]), long);
    expect(error.message).toContain(`"${'x'.repeat(32)}"`);
    expect(error.message).not.toContain('x'.repeat(33));
  });

  it('fmt missing, empty, or not text', () => {
    malformed(object([['attStmt', new Map()], ['authData', AUTH_DATA]]), 'fmt', /fmt is missing or not a text string/);
    malformed(none(new Map(), AUTH_DATA, ''), 'fmt');
    malformed(none(new Map(), AUTH_DATA, 7), 'fmt');
    malformed(none(new Map(), AUTH_DATA, new Uint8Array([0x6e])), 'fmt');
  });

  it('attStmt missing or not a map; an array only for compound (and the message says so)', () => {
    const error = malformed(object([['fmt', 'packed'], ['authData', AUTH_DATA]]), 'attStmt');
    expect(error.message).toBe('attestationObject.attStmt is missing or not a map');
    malformed(none([], AUTH_DATA, 'packed'), 'attStmt', /not a map$/);
    malformed(none('x', AUTH_DATA, 'packed'), 'attStmt');
    const compound = malformed(none('x', AUTH_DATA, 'compound'), 'attStmt');
    expect(compound.message).toBe('attestationObject.attStmt is missing or not a map or array');
  });

  it('authData missing, not a byte string, or empty', () => {
    for (const bytes of [
      object([['fmt', 'none'], ['attStmt', new Map()]]),
      none(new Map(), 'AAAA'),
      none(new Map(), [1, 2]),
      none(new Map(), new Uint8Array(0)),
    ]) {
      malformed(bytes, 'authData', /authData is missing, not a byte string, or empty/);
    }
  });

  it('authData is parsed: its own codes pass through (36 bytes)', () => {
    const error = expectCode(() => parseAttestationObject(none(new Map(), AUTH_DATA.subarray(0, 36))), 'ERR_AUTHDATA_MALFORMED');
    expect(error.step).toBe('6.1');
  });

  it('fmt is checked before attStmt, attStmt before authData', () => {
    malformed(object([['fmt', 1], ['attStmt', 1], ['authData', 1]]), 'fmt');
    malformed(object([['fmt', 'none'], ['attStmt', 1], ['authData', 1]]), 'attStmt');
  });
});

describe('parseAttestationObject: bounds', () => {
  /** A `none` object of exactly `total` bytes, padded with a byte string in attStmt. */
  function sized(total: number): Uint8Array {
    const overhead = none(new Map<Item, Item>([['p', new Uint8Array(0x10000)]])).length - 0x10000;
    const bytes = none(new Map<Item, Item>([['p', new Uint8Array(total - overhead)]]));
    expect(bytes.length).toBe(total);
    return bytes;
  }

  it('256 KiB is accepted, one byte more is ERR_CBOR_TOO_LARGE at step 7.1.13', () => {
    expect(parseAttestationObject(sized(256 * 1024)).fmt).toBe('none');
    const error = expectCode(() => parseAttestationObject(sized(256 * 1024 + 1)), 'ERR_CBOR_TOO_LARGE');
    expect(error.step).toBe('7.1.13');
  });

  // Depth: the top-level map is 1, attStmt 2, an array in it 3, …
  const nest = (levels: number): Item => (levels === 0 ? 0 : [nest(levels - 1)]);

  it('depth 4 is accepted for any fmt; depth 5 only for compound; depth 6 never', () => {
    expect(parseAttestationObject(none(new Map<Item, Item>([['x', nest(2)]]), AUTH_DATA, 'packed')).fmt).toBe('packed');
    const packed5 = expectCode(
      () => parseAttestationObject(none(new Map<Item, Item>([['x', nest(3)]]), AUTH_DATA, 'packed')),
      'ERR_CBOR_TOO_DEEP',
    );
    expect(packed5.step).toBe('7.1.13');
    expect(parseAttestationObject(none([new Map<Item, Item>([['x', nest(2)]])], AUTH_DATA, 'compound')).fmt).toBe('compound');
    expectCode(() => parseAttestationObject(none([new Map<Item, Item>([['x', nest(3)]])], AUTH_DATA, 'compound')), 'ERR_CBOR_TOO_DEEP');
  });

  it('a depth-5 top level that is not a map stays ERR_CBOR_TOO_DEEP (not "not a map")', () => {
    expectCode(() => parseAttestationObject(encode(nest(5))), 'ERR_CBOR_TOO_DEEP');
  });

  it('a depth-5 object whose fmt comes after the deep part is still judged by its fmt', () => {
    const bytes = object([
      ['attStmt', [new Map<Item, Item>([['x', nest(2)]])]],
      ['authData', AUTH_DATA],
      ['fmt', 'compound'],
    ]);
    expect(parseAttestationObject(bytes).fmt).toBe('compound');
  });

  it('too deep at 4 and otherwise broken at 5: the depth error is the one reported', () => {
    // Deep enough to fail at depth 4; at depth 5 the scan gets past it and meets a repeated key.
    const deepThenDuplicate = new Uint8Array([
      ...head(5, 4),
      ...cbor('attStmt'),
      ...cbor(new Map<Item, Item>([['x', nest(3)]])),
      ...cbor('fmt'),
      ...cbor('compound'),
      ...cbor('authData'),
      ...cbor(AUTH_DATA),
      ...cbor('fmt'),
      ...cbor('compound'),
    ]);
    expectCode(() => parseAttestationObject(deepThenDuplicate), 'ERR_CBOR_TOO_DEEP');
  });

  it('other CBOR errors pass through unchanged (truncation, trailing bytes)', () => {
    const bytes = none();
    expectCode(() => parseAttestationObject(bytes.subarray(0, bytes.length - 1)), 'ERR_CBOR_TRUNCATED');
    expectCode(() => parseAttestationObject(new Uint8Array([...bytes, 0])), 'ERR_CBOR_TRAILING_DATA');
  });
});
