import { describe, expect, it } from 'vitest';
import { base64UrlToBytes } from '../../src/encoding/base64url.js';
import { concatBytes, encodeUtf8, fromHex } from '../../src/encoding/bytes.js';
import { CLIENT_DATA_MAX_DEPTH, CLIENT_DATA_MAX_LENGTH, parseClientDataJSON } from '../../src/parse/client-data.js';
import { expectCode } from '../helpers/expect-code.js';
import { loadInteropVectors } from '../helpers/interop.js';

const BASE = '"type":"webauthn.get","challenge":"AAECAwQFBgcICQoLDA0ODw","origin":"https://example.com"';

/** clientDataJSON bytes of `{BASE, ...extra}` written verbatim. */
function json(extra = '', base = BASE): Uint8Array {
  return encodeUtf8(`{${base}${extra === '' ? '' : `,${extra}`}}`);
}

const parseText = (text: string) => parseClientDataJSON(encodeUtf8(text));
const malformed = (text: string) => expectCode(() => parseText(text), 'ERR_CLIENTDATA_MALFORMED');

describe('§5.8.1 clientDataJSON: well-formed input', () => {
  it('reads type, challenge, origin; raw is the input; the result is frozen', () => {
    const bytes = json();
    const data = parseClientDataJSON(bytes);
    expect(data.type).toBe('webauthn.get');
    expect(data.challenge).toBe('AAECAwQFBgcICQoLDA0ODw');
    expect(data.origin).toBe('https://example.com');
    expect(data.crossOrigin).toBeUndefined();
    expect(data.topOrigin).toBeUndefined();
    expect(data.raw).toBe(bytes);
    expect(Object.isFrozen(data)).toBe(true);
  });

  it('crossOrigin and topOrigin when present', () => {
    const data = parseClientDataJSON(json('"crossOrigin":true,"topOrigin":"https://top.example"'));
    expect(data.crossOrigin).toBe(true);
    expect(data.topOrigin).toBe('https://top.example');
    expect(parseClientDataJSON(json('"crossOrigin":false')).crossOrigin).toBe(false);
  });

  it('members holds every member, known and unknown, in a null-prototype object', () => {
    const data = parseClientDataJSON(json('"other_keys_can_be_added_here":"do not compare","n":[1,{"a":null}]'));
    expect(Object.getPrototypeOf(data.members)).toBe(null);
    expect(Object.keys(data.members)).toEqual(['type', 'challenge', 'origin', 'other_keys_can_be_added_here', 'n']);
    expect(data.members.n).toEqual([1, { a: null }]);
  });

  it('a member named __proto__ (top level or nested) is plain data and pollutes nothing', () => {
    const data = parseClientDataJSON(json('"__proto__":{"polluted":true},"x":{"__proto__":{"polluted":true}}'));
    expect(Object.hasOwn(data.members, '__proto__')).toBe(true);
    expect((data.members as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data.members)).toBe(null);
  });

  it('members named like Object.prototype properties are read as data', () => {
    const data = parseClientDataJSON(json('"constructor":1,"toString":"x","hasOwnProperty":null'));
    expect(data.members.constructor).toBe(1);
    expect(data.members.toString).toBe('x');
  });

  it('B.7/B.8/B.11 empty type, challenge and origin parse (policy rejects them)', () => {
    const data = parseText('{"type":"","challenge":"","origin":""}');
    expect([data.type, data.challenge, data.origin]).toEqual(['', '', '']);
  });

  it('B.5 one leading BOM is stripped, not rejected', () => {
    const data = parseClientDataJSON(concatBytes(fromHex('efbbbf'), json()));
    expect(data.type).toBe('webauthn.get');
  });

  it('pretty-printed JSON with CR LF and whitespace before colons (real Windows Hello output)', () => {
    const data = parseText('{\r\n  "type" : "webauthn.create",\r\n  "challenge" :"x",\r\n\t"origin": "https://a.b"\r\n}');
    expect(data.type).toBe('webauthn.create');
  });

  it('strings containing quotes, backslashes, colons and braces do not disturb the duplicate scan', () => {
    const data = parseClientDataJSON(
      json(String.raw`"a\"b":"c\\","s":"\\\"x\":{[","t\\":"\u0022:","e":"\\\\"`),
    );
    expect(data.members['a"b']).toBe('c\\');
    expect(data.members.s).toBe('\\"x":{[');
    expect(data.members['t\\']).toBe('":');
  });

  it('the same name in different objects is not a duplicate', () => {
    expect(() => parseClientDataJSON(json('"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]'))).not.toThrow();
  });

  it('non-ASCII member values (UTF-8) survive', () => {
    expect(parseClientDataJSON(json('"note":"é€😀"')).members.note).toBe('é€😀');
  });

  it(`exactly CLIENT_DATA_MAX_LENGTH (${CLIENT_DATA_MAX_LENGTH}) bytes is accepted`, () => {
    const head = json('"pad":""');
    const padded = json(`"pad":"${'p'.repeat(CLIENT_DATA_MAX_LENGTH - head.length)}"`);
    expect(padded.length).toBe(CLIENT_DATA_MAX_LENGTH);
    expect(() => parseClientDataJSON(padded)).not.toThrow();
  });

  it(`nesting of depth ${CLIENT_DATA_MAX_DEPTH} is accepted`, () => {
    const depth = CLIENT_DATA_MAX_DEPTH - 1; // the top-level object is depth 1
    expect(() => parseClientDataJSON(json(`"n":${'['.repeat(depth)}${']'.repeat(depth)}`))).not.toThrow();
  });

  it('B.18 tokenBinding is [RESERVED] in L3: any value is kept in members and not validated', () => {
    for (const value of ['{"status":"present","id":"AAA"}', '{"status":"supported"}', '{"status":"not-supported"}', '{}', '"unused"', 'null', '[]', '1', '{"status":"present","id":1}']) {
      const parsed = parseClientDataJSON(json(`"tokenBinding":${value}`));
      expect(parsed.members.tokenBinding).toEqual(JSON.parse(value));
    }
  });

  it('misuse is ERR_OPTIONS_INVALID naming the argument, not a TypeError', () => {
    for (const value of ['{}', null, undefined, 7, [123, 125], new ArrayBuffer(2)]) {
      const error = expectCode(() => parseClientDataJSON(value as unknown as Uint8Array), 'ERR_OPTIONS_INVALID');
      expect(error.details?.field).toBe('clientDataJSON');
    }
  });
});

describe('§5.8.1 clientDataJSON: rejections → ERR_CLIENTDATA_MALFORMED', () => {
  it('B.5 bytes that are not UTF-8', () => {
    for (const bad of ['7bff7d', '7bc0af7d', '7beda0807d', '7bf49080807d', '7be2827d']) {
      expectCode(() => parseClientDataJSON(fromHex(bad)), 'ERR_CLIENTDATA_MALFORMED');
    }
    // a valid document with one invalid byte inside a string value
    const bytes = json('"x":"ab"');
    bytes[bytes.length - 3] = 0xfe;
    const error = expectCode(() => parseClientDataJSON(bytes), 'ERR_CLIENTDATA_MALFORMED');
    expect(error.step).toBe('5.8.1');
  });

  it('B.5 a second BOM is not stripped', () => {
    expectCode(() => parseClientDataJSON(concatBytes(fromHex('efbbbfefbbbf'), json())), 'ERR_CLIENTDATA_MALFORMED');
  });

  it('B.6 not JSON', () => {
    for (const text of ['', '{', '{"type":"x",}', "{'type':'x'}", 'webauthn.get', '{"type":"a"} x', 'NaN']) malformed(text);
  });

  it('B.6 top level not an object', () => {
    for (const text of ['[]', '["webauthn.get"]', '"x"', '1', 'null', 'true']) malformed(text);
  });

  it(`more than CLIENT_DATA_MAX_LENGTH (${CLIENT_DATA_MAX_LENGTH}) bytes`, () => {
    const head = json('"pad":""');
    expectCode(
      () => parseClientDataJSON(json(`"pad":"${'p'.repeat(CLIENT_DATA_MAX_LENGTH - head.length + 1)}"`)),
      'ERR_CLIENTDATA_MALFORMED',
    );
  });

  it(`nesting deeper than ${CLIENT_DATA_MAX_DEPTH}`, () => {
    const depth = CLIENT_DATA_MAX_DEPTH;
    malformed(`{${BASE},"n":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    malformed(`{${BASE},"n":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
    // far deeper than any stack, still a clean rejection
    malformed(`{${BASE},"n":${'['.repeat(8000)}${']'.repeat(8000)}}`);
  });

  for (const name of ['type', 'challenge', 'origin']) {
    it(`B.7/B.8/B.11 ${name} missing`, () => {
      const base = BASE.split(',').filter((member) => !member.startsWith(`"${name}"`)).join(',');
      const error = malformed(`{${base}}`);
      expect(error.details?.field).toBe(name);
    });

    for (const value of ['1', 'null', 'true', '["x"]', '{"x":1}']) {
      it(`B.7/B.8/B.11 ${name} of the wrong type (${value})`, () => {
        const base = BASE.replace(new RegExp(`"${name}":"[^"]*"`), `"${name}":${value}`);
        expect(malformed(`{${base}}`).details?.field).toBe(name);
      });
    }
  }

  for (const value of ['"true"', '1', 'null', '0']) {
    it(`crossOrigin not a boolean (${value})`, () => {
      expect(malformed(`{${BASE},"crossOrigin":${value}}`).details?.field).toBe('crossOrigin');
    });
  }

  for (const value of ['1', 'null', 'true', '["https://a"]']) {
    it(`topOrigin not a string (${value})`, () => {
      expect(malformed(`{${BASE},"topOrigin":${value}}`).details?.field).toBe('topOrigin');
    });
  }

  it('B.10 duplicate member names: two "challenge"', () => {
    malformed(`{${BASE},"challenge":"evil"}`);
  });

  it('B.10 duplicate member names: two "type"', () => {
    malformed(`{"type":"webauthn.create",${BASE}}`);
  });

  it('B.10 duplicate member names spelled differently ("type" and "\\u0074ype")', () => {
    malformed(`{${BASE},"\\u0074ype":"webauthn.create"}`);
  });

  it('B.10 duplicate member names in a nested object or in an object inside an array', () => {
    malformed(`{${BASE},"tokenBinding":{"status":"present","status":"supported"}}`);
    malformed(`{${BASE},"x":[1,{"a":1,"a":2}]}`);
    malformed(`{${BASE},"x":{"y":{"z":1,"z":1}}}`);
  });

  it('B.10 duplicate unknown member names', () => {
    malformed(`{${BASE},"extra":1,"extra":1}`);
  });
});

describe('interop vectors', () => {
  // Every vector's clientDataJSON parses, the two tokenBinding ones included (L3 reserves the member).
  for (const vector of loadInteropVectors()) {
    const bytes = base64UrlToBytes(vector.response.response.clientDataJSON as string);
    it(`${vector.id}: clientDataJSON parses`, () => {
      const data = parseClientDataJSON(bytes);
      expect(data.challenge).toBe(vector.expected.challenge);
      expect(data.type).toBe(vector.ceremony === 'registration' ? 'webauthn.create' : 'webauthn.get');
      if (vector.id.includes('tokenbinding')) expect(data.members.tokenBinding).toBeDefined();
    });
  }
});
