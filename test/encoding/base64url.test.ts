import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlToBytes, bytesToBase64Url, isBase64Url } from '../../src/encoding/base64url.js';
import { expectCode } from '../helpers/expect-code.js';

describe('base64url (RFC 4648 §5, unpadded, canonical)', () => {
  it('round-trips any bytes, and agrees with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = bytesToBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64UrlToBytes(text)).toEqual(bytes);
      }),
    );
  });

  it('decodes the RFC 4648 test vectors (unpadded)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) expect(new TextDecoder().decode(base64UrlToBytes(encoded))).toBe(plain);
  });

  for (const [name, text] of [
    ['standard-base64 +', 'ab+c'],
    ['standard-base64 /', 'ab/c'],
    ['padding', 'Zg=='],
    ['padding inside', 'Zg=a'],
    ['a space', 'Zm9 v'],
    ['a non-ASCII letter', 'Zm9é'],
    ['a character whose low byte is in the alphabet', `Zm9${String.fromCharCode(0x141)}`],
    ['length ≡ 1 mod 4', 'Zm9vY'],
    ['non-zero trailing bits (2 chars)', 'Zh'],
    ['non-zero trailing bits (3 chars)', 'Zm9'],
  ] as const) {
    it(`rejects ${name} → ERR_BASE64URL_INVALID`, () => {
      expectCode(() => base64UrlToBytes(text), 'ERR_BASE64URL_INVALID');
      expect(isBase64Url(text)).toBe(false);
    });
  }

  it('reports the offset of the first bad character', () => {
    const error = expectCode(() => base64UrlToBytes('AAAAAA*A'), 'ERR_BASE64URL_INVALID');
    expect(error.details?.offset).toBe(6);
  });

  it('enforces the length bound before decoding', () => {
    expectCode(() => base64UrlToBytes('AAAA'.repeat(10), 39), 'ERR_BASE64URL_INVALID');
    expect(base64UrlToBytes('AAAA'.repeat(10), 40).length).toBe(30);
  });

  it('arbitrary strings never throw anything but WebAuthnError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (text) => {
        try {
          base64UrlToBytes(text);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('ERR_BASE64URL_INVALID');
        }
      }),
    );
  });
});

describe('the backend decoder (native where the platform has one) follows the same rules', () => {
  it('agrees with the portable decoder on arbitrary text: same bytes, or the same rejection', async () => {
    const { backend } = await import('../../src/crypto/backend.js');
    const alphabetish = fc.string({ unit: fc.constantFrom(...'AQgw_-z9+/= \n\u00e9'), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(alphabetish, fc.string({ maxLength: 24 })), (text) => {
        let expected: Uint8Array | string;
        try {
          expected = base64UrlToBytes(text, 64);
        } catch (error) {
          expected = (error as { code: string }).code;
        }
        let actual: Uint8Array | string;
        try {
          actual = backend.decodeBase64Url(text, 64);
          expect(Object.getPrototypeOf(actual)).toBe(Uint8Array.prototype);
        } catch (error) {
          actual = (error as { code: string }).code;
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
