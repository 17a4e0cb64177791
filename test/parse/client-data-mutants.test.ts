/**
 * §5.8.1 clientDataJSON: the duplicate-name scan and the depth count on the inputs where a changed
 * rule would go wrong one way or the other — each JSON whitespace before a colon, escaped and
 * unescaped quotes, brackets inside strings, sibling containers (the depth must come back down),
 * objects and nulls inside nested arrays — plus the exact error step and field. Written against
 * the survivors of a mutation run (docs/security.md, "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../src/encoding/bytes.js';
import { CLIENT_DATA_MAX_DEPTH, parseClientDataJSON } from '../../src/parse/client-data.js';
import { expectCode } from '../helpers/expect-code.js';

const BASE = '"type":"webauthn.create","challenge":"Y2hhbGxlbmdl","origin":"https://rp.example"';
const parse = (text: string) => parseClientDataJSON(encodeUtf8(text));
const malformed = (text: string) => {
  const error = expectCode(() => parse(text), 'ERR_CLIENTDATA_MALFORMED');
  expect(error.step).toBe('5.8.1');
  return error;
};

describe('duplicate-name scan: whitespace between a name and its colon', () => {
  it.each([
    ['space', ' '],
    ['tab', '\t'],
    ['line feed', '\n'],
    ['carriage return', '\r'],
    ['all four', ' \t\r\n'],
  ])('%s: a single name is accepted, the name twice is a repeat', (_, ws) => {
    const parsed = parse(`{${BASE},"extra"${ws}:1}`);
    expect(parsed.members.extra).toBe(1);
    const nested = parse(`{${BASE},"o":{"a"${ws}:1,"b"${ws}:2}}`);
    expect(nested.members.o).toEqual({ a: 1, b: 2 });
    const error = malformed(`{${BASE},"extra"${ws}:1,"extra"${ws}:2}`);
    expect(error.message).toBe('clientDataJSON repeats a member name');
    expect(error.details).toBeUndefined();
  });

  it('a string value followed by whitespace and a comma is not a name', () => {
    expect(parse(`{${BASE},"a":"x" ,"b":"y"\t,"c":"z"\n}`).members.c).toBe('z');
  });
});

describe('duplicate-name scan: string bodies', () => {
  it('an escaped quote does not end a string; an escaped backslash before a quote does', () => {
    // "a\":1,\"a" is one string; the real members are "s" and "t".
    expect(parse(`{${BASE},"s":"a\\":1,\\"a","t":2}`).members.s).toBe('a":1,"a');
    // Three backslashes: an escaped backslash then an escaped quote, still inside the string.
    expect(parse(`{${BASE},"s":"x\\\\\\":","t":1}`).members.s).toBe('x\\":');
    // Two backslashes: the string ends after them, so "t" is the next name and the repeat is seen.
    expect(parse(`{${BASE},"s":"x\\\\","t":1}`).members.s).toBe('x\\');
    malformed(`{${BASE},"s":"x\\\\","t":1,"t":2}`);
  });

  it('a name that ends with an escaped backslash is still counted', () => {
    expect(parse(`{${BASE},"k\\\\":1}`).members['k\\']).toBe(1);
    malformed(`{${BASE},"k\\\\":1,"k\\\\":2}`);
  });

  it('colons, braces and brackets inside strings count for nothing', () => {
    const deep = '['.repeat(CLIENT_DATA_MAX_DEPTH + 5);
    const parsed = parse(`{${BASE},"s":"${deep}{:}","t":"\\":"}`);
    expect(parsed.members.s).toBe(`${deep}{:}`);
    expect(parsed.members.t).toBe('":');
  });
});

describe('depth count', () => {
  it('sibling containers do not add up (the depth comes back down after each)', () => {
    const arrays = Array.from({ length: CLIENT_DATA_MAX_DEPTH + 8 }, () => '[]').join(',');
    const objects = Array.from({ length: CLIENT_DATA_MAX_DEPTH + 8 }, (_, i) => `"k${i}":{}`).join(',');
    expect((parse(`{${BASE},"a":[${arrays}]}`).members.a as unknown[]).length).toBe(CLIENT_DATA_MAX_DEPTH + 8);
    expect(Object.keys(parse(`{${BASE},"o":{${objects}}}`).members.o as object).length).toBe(CLIENT_DATA_MAX_DEPTH + 8);
  });

  it(`mixed objects and arrays: depth ${CLIENT_DATA_MAX_DEPTH} accepted, ${CLIENT_DATA_MAX_DEPTH + 1} refused with its own message`, () => {
    const open = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? '[' : '{"k":')).join('');
    const close = (n: number) =>
      Array.from({ length: n }, (_, i) => (i % 2 === 0 ? ']' : '}'))
        .reverse()
        .join('');
    const inner = CLIENT_DATA_MAX_DEPTH - 1; // the top-level object is depth 1
    // An even count ends on '[' so the innermost value is an element: write 1 there.
    expect(() => parse(`{${BASE},"n":${open(inner)}1${close(inner)}}`)).not.toThrow();
    const error = malformed(`{${BASE},"n":${open(inner + 1)}1${close(inner + 1)}}`);
    expect(error.message).toBe(`JSON nesting exceeds depth ${CLIENT_DATA_MAX_DEPTH}`);
  });
});

describe('nested values walked for their own keys', () => {
  it('objects inside nested arrays, next to nulls and scalars, are counted (no false repeat)', () => {
    const parsed = parse(`{${BASE},"z":null,"a":[null,[{"x":1},null,[{"y":{"w":null}}]],2,"s"],"o":{"n":null,"m":[{"v":[]}]}}`);
    expect(parsed.members.z).toBeNull();
    expect(parsed.members.a).toEqual([null, [{ x: 1 }, null, [{ y: { w: null } }]], 2, 's']);
  });

  it('a repeat inside an object inside arrays inside arrays is found', () => {
    malformed(`{${BASE},"a":[[[{"x":1,"x":2}]]]}`);
    malformed(`{${BASE},"a":[null,[{"x":1}],[{"y":{"w":1,"w":2}}]]}`);
  });

  it('the same name at different levels is no repeat', () => {
    expect(parse(`{${BASE},"x":{"x":{"x":[{"x":1}]}}}`).members.x).toEqual({ x: { x: [{ x: 1 }] } });
  });
});

describe('members: exact messages and fields', () => {
  it.each(['type', 'challenge', 'origin'])('%s missing or not a string names the field', (name) => {
    const without = BASE.split(',')
      .filter((m) => !m.startsWith(`"${name}"`))
      .join(',');
    const missing = malformed(`{${without}}`);
    expect(missing.message).toBe(`clientData.${name} is missing`);
    expect(missing.details).toEqual({ field: name });
    const wrong = malformed(`{${without},"${name}":1}`);
    expect(wrong.message).toBe(`clientData.${name} is not a string`);
    expect(wrong.details).toEqual({ field: name });
  });

  it('crossOrigin false and an absent topOrigin are kept as given', () => {
    const parsed = parse(`{${BASE},"crossOrigin":false}`);
    expect(parsed.crossOrigin).toBe(false);
    expect(parsed.topOrigin).toBeUndefined();
    expect(parse(`{${BASE}}`).crossOrigin).toBeUndefined();
  });

  it('crossOrigin and topOrigin of the wrong kind name their field and kind', () => {
    const co = malformed(`{${BASE},"crossOrigin":"true"}`);
    expect(co.message).toBe('clientData.crossOrigin is not a boolean');
    expect(co.details).toEqual({ field: 'crossOrigin' });
    const to = malformed(`{${BASE},"topOrigin":true}`);
    expect(to.message).toBe('clientData.topOrigin is not a string');
    expect(to.details).toEqual({ field: 'topOrigin' });
  });

  it('not UTF-8 and not JSON keep their cause; a non-object top level has none', () => {
    const utf8 = expectCode(() => parseClientDataJSON(new Uint8Array([0x7b, 0xff, 0x7d])), 'ERR_CLIENTDATA_MALFORMED');
    expect(utf8.message).toBe('clientDataJSON is not valid UTF-8');
    expect(utf8.cause).toBeInstanceOf(TypeError);
    const json = malformed(`{${BASE},}`);
    expect(json.message).toBe('clientDataJSON is not JSON');
    expect(json.cause).toBeInstanceOf(SyntaxError);
    for (const top of ['[]', 'null', '"x"', '1']) {
      const error = malformed(top);
      expect(error.message).toBe('clientDataJSON is not a JSON object');
      expect(error.cause).toBeUndefined();
    }
  });

  it('only a leading BOM is dropped; the result is frozen and raw is the input', () => {
    const bytes = encodeUtf8(`\uFEFF{${BASE}}`);
    const parsed = parseClientDataJSON(bytes);
    expect(parsed.raw).toBe(bytes);
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(parsed.type).toBe('webauthn.create');
    expect(parsed.challenge).toBe('Y2hhbGxlbmdl');
    expect(parsed.origin).toBe('https://rp.example');
    malformed(` \uFEFF{${BASE}}`);
  });
});
