/**
 * base64url (RFC 4648 §5, unpadded, canonical) at its edges — the default 4 MiB bound and a
 * caller's bound at exactly n and n + 1, each trailing-bit mask bit by bit, the first bad
 * character's offset — and the byte helpers every layer uses, value by value. Written against
 * the survivors of a mutation run (docs/security.md, "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import {
  BASE64URL_MAX_LENGTH,
  assertBase64Url,
  base64UrlToBytes,
  bytesToBase64Url,
  isBase64Url,
} from '../../src/encoding/base64url.js';
import {
  bytesToBigInt,
  bytesToUuid,
  concatBytes,
  decodeUtf8Strict,
  encodeUtf8,
  equalBytes,
  fromHex,
  readUint16BE,
  readUint32BE,
  toHex,
} from '../../src/encoding/bytes.js';
import { expectCode } from '../helpers/expect-code.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('base64url bounds', () => {
  it('BASE64URL_MAX_LENGTH is 4 MiB of text: exactly that decodes, one more character is refused before decoding', () => {
    expect(BASE64URL_MAX_LENGTH).toBe(4 * 1024 * 1024);
    const max = 'A'.repeat(BASE64URL_MAX_LENGTH);
    expect(base64UrlToBytes(max).length).toBe((BASE64URL_MAX_LENGTH / 4) * 3);
    const error = expectCode(() => base64UrlToBytes(`${max}AA`), 'ERR_BASE64URL_INVALID');
    expect(error.details).toEqual({ expected: BASE64URL_MAX_LENGTH, received: BASE64URL_MAX_LENGTH + 2 });
    expect(error.message).toBe(`base64url text longer than ${BASE64URL_MAX_LENGTH} characters`);
  });

  it("a caller's bound: n accepted, n + 1 refused with both numbers (also by assertBase64Url)", () => {
    expect(base64UrlToBytes('AAAAAA', 6)).toEqual(new Uint8Array(4));
    const error = expectCode(() => assertBase64Url('AAAAAAA', 6), 'ERR_BASE64URL_INVALID');
    expect(error.details).toEqual({ expected: 6, received: 7 });
    expect(() => assertBase64Url('AAAAAA', 6)).not.toThrow();
    expect(() => assertBase64Url('', 0)).not.toThrow();
    expectCode(() => assertBase64Url('A', 0), 'ERR_BASE64URL_INVALID');
  });

  it('a non-string is ERR_OPTIONS_INVALID naming the argument, never a TypeError; isBase64Url says false', () => {
    for (const value of [undefined, null, 42, new Uint8Array(4), ['AAAA']]) {
      expect(expectCode(() => assertBase64Url(value as unknown as string), 'ERR_OPTIONS_INVALID').details?.field).toBe('text');
      expect(isBase64Url(value)).toBe(false);
    }
    expect(isBase64Url('')).toBe(true);
    expect(isBase64Url('AQ')).toBe(true);
  });
});

describe('base64url canonical form, bit by bit', () => {
  // Two characters carry one byte: the last sextet's low 4 bits must be zero.
  it.each(ALPHABET.split('').map((c, i) => [c, i] as const))('"A%s" (sextet %i)', (c, value) => {
    const canonical = (value & 0x0f) === 0;
    expect(isBase64Url(`A${c}`)).toBe(canonical);
    // Three characters carry two bytes: the low 2 bits must be zero.
    expect(isBase64Url(`AA${c}`)).toBe((value & 0x03) === 0);
    if (canonical) expect([...base64UrlToBytes(`A${c}`)]).toEqual([value >> 4]);
    if ((value & 0x03) === 0) expect([...base64UrlToBytes(`AA${c}`)]).toEqual([0, value >> 2]);
  });

  it('each length modulo 4: 1 is impossible, with its own message', () => {
    const error = expectCode(() => base64UrlToBytes('AAAAA'), 'ERR_BASE64URL_INVALID');
    expect(error.message).toBe('base64url length is impossible (n mod 4 = 1)');
    expect(base64UrlToBytes('AAAAAA').length).toBe(4);
    expect(base64UrlToBytes('AAAAAAA').length).toBe(5);
    expect(base64UrlToBytes('AAAAAAAA').length).toBe(6);
    const bits = expectCode(() => base64UrlToBytes('AB'), 'ERR_BASE64URL_INVALID');
    expect(bits.message).toBe('base64url is not canonical (non-zero trailing bits)');
  });

  it('every sextet decodes to its value in each of the four positions', () => {
    for (let v = 0; v < 64; v++) {
      const c = ALPHABET[v]!;
      expect([...base64UrlToBytes(`${c}AAA`)]).toEqual([v << 2, 0, 0]);
      expect([...base64UrlToBytes(`A${c}AA`)]).toEqual([v >> 4, (v & 0x0f) << 4, 0]);
      expect([...base64UrlToBytes(`AA${c}A`)]).toEqual([0, v >> 2, (v & 0x03) << 6]);
      expect([...base64UrlToBytes(`AAA${c}`)]).toEqual([0, 0, v]);
    }
  });

  it('the encoder writes each trailing form exactly', () => {
    expect(bytesToBase64Url(new Uint8Array([0xff]))).toBe('_w');
    expect(bytesToBase64Url(new Uint8Array([0xff, 0xff]))).toBe('__8');
    expect(bytesToBase64Url(new Uint8Array([0xfb, 0xef, 0xbe]))).toBe('----');
    expect(bytesToBase64Url(new Uint8Array([0x00, 0x10, 0x83]))).toBe('ABCD');
    expect(bytesToBase64Url(new Uint8Array([0x03]))).toBe('Aw');
    expect(bytesToBase64Url(new Uint8Array([0x00, 0x0f]))).toBe('AA8');
    expect(bytesToBase64Url(new Uint8Array(0))).toBe('');
  });
});

describe('base64url: the offset of the first bad character', () => {
  it.each([
    ['+AAA', 0],
    ['A/AA', 1],
    ['AA=A', 2],
    ['AAA ', 3],
    ['AAAAé', 4],
    ['AAAA\u0100', 4],
    ['AAAAAA\u0080A', 6],
    ['AAAA.AA', 4],
  ])('%j → offset %i', (text, offset) => {
    const error = expectCode(() => base64UrlToBytes(text), 'ERR_BASE64URL_INVALID');
    expect(error.details).toEqual({ offset });
    expect(error.message).toBe(`Character ${JSON.stringify(text[offset])} at ${offset} is not base64url`);
  });
});

describe('byte helpers', () => {
  it('concatBytes joins in order, including empty parts, into a new array', () => {
    const a = new Uint8Array([1, 2]);
    const out = concatBytes(a, new Uint8Array(0), new Uint8Array([3]), new Uint8Array([4, 5]));
    expect([...out]).toEqual([1, 2, 3, 4, 5]);
    expect(out).not.toBe(a);
    expect(concatBytes().length).toBe(0);
  });

  it('equalBytes: length first, then every byte including the last', () => {
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(equalBytes(new Uint8Array([0, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('readUint16BE and readUint32BE are big-endian and unsigned, at an offset', () => {
    const bytes = new Uint8Array([0x99, 0x12, 0x34, 0x56, 0x78, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, 0]);
    expect(readUint16BE(bytes, 1)).toBe(0x1234);
    expect(readUint16BE(bytes, 5)).toBe(0xffff);
    expect(readUint32BE(bytes, 1)).toBe(0x12345678);
    expect(readUint32BE(bytes, 5)).toBe(0xffffffff);
    expect(readUint32BE(bytes, 9)).toBe(0x80000000);
  });

  it('toHex is lower-case and zero-padded; fromHex takes both cases and refuses odd or non-hex text', () => {
    expect(toHex(new Uint8Array([0x00, 0x0a, 0xab, 0xff]))).toBe('000aabff');
    expect([...fromHex('00aAfF10')]).toEqual([0x00, 0xaa, 0xff, 0x10]);
    expect(fromHex('').length).toBe(0);
    expect(() => fromHex('abc')).toThrow(RangeError);
    expect(() => fromHex('zz')).toThrow(RangeError);
    expect(() => fromHex('0x')).toThrow(RangeError);
  });

  it('bytesToBigInt is big-endian; the empty array is 0', () => {
    expect(bytesToBigInt(new Uint8Array(0))).toBe(0n);
    expect(bytesToBigInt(new Uint8Array([0x01, 0x00]))).toBe(256n);
    expect(bytesToBigInt(new Uint8Array([0x00, 0xff]))).toBe(255n);
  });

  it('decodeUtf8Strict keeps a BOM and throws on malformed input; encodeUtf8 is UTF-8', () => {
    expect(decodeUtf8Strict(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBe('\uFEFFA');
    expect(() => decodeUtf8Strict(new Uint8Array([0xc0, 0x80]))).toThrow(TypeError);
    expect([...encodeUtf8('é')]).toEqual([0xc3, 0xa9]);
  });

  it('bytesToUuid groups 8-4-4-4-12 lower-case hex digits', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    expect(bytesToUuid(bytes)).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });
});
