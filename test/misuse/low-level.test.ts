/**
 * The low-level exports (webauthn-verify/low-level) of the parse, policy, key and encoding layers:
 * a wrongly typed argument is `ERR_OPTIONS_INVALID` naming the argument — the docs promise only
 * WebAuthnError, so no TypeError or RangeError escapes (issue 14: parsers, decodeCoseKey,
 * `new KeyCache(0)`).
 */
import { describe, expect, it } from 'vitest';
import {
  KeyCache,
  WebAuthnError,
  base64UrlToBytes,
  bytesToBase64Url,
  counterVerdict,
  decodeCoseKey,
  encodeAuthenticatorData,
  isAlgorithmAllowed,
  isBase64Url,
  parseAttestationObject,
  parseAuthenticatorData,
  parseClientDataJSON,
  parseCoseKey,
} from '../../src/low-level.js';
import { expectCode } from '../helpers/expect-code.js';
import { testKey } from '../helpers/keys.js';

const WRONG: readonly unknown[] = [undefined, null, 0, 37, 'AAAA', '{}', true, {}, [1, 2, 3], new ArrayBuffer(37), new DataView(new ArrayBuffer(4))];

function field(fn: () => unknown): unknown {
  return expectCode(fn, 'ERR_OPTIONS_INVALID').details?.field;
}

describe('parsers: anything but a Uint8Array → ERR_OPTIONS_INVALID naming the argument', () => {
  const parsers: [string, (value: never) => unknown, string][] = [
    ['parseClientDataJSON', parseClientDataJSON, 'clientDataJSON'],
    ['parseAuthenticatorData', parseAuthenticatorData, 'authenticatorData'],
    ['parseAttestationObject', parseAttestationObject, 'attestationObject'],
    ['parseCoseKey', parseCoseKey, 'bytes'],
    ['decodeCoseKey', decodeCoseKey, 'bytes'],
  ];
  for (const [name, parse, argument] of parsers) {
    it(name, () => {
      for (const value of WRONG) expect(field(() => parse(value as never)), `${name}(${String(value)})`).toBe(argument);
    });
  }

  it('a Uint8Array view of any buffer is fine (the ceremonies are not the only callers)', () => {
    const bytes = new TextEncoder().encode('{"type":"webauthn.get","challenge":"AA","origin":"https://a.example"}');
    const view = new Uint8Array(new ArrayBuffer(bytes.length + 8), 4, bytes.length);
    view.set(bytes);
    expect(parseClientDataJSON(view).type).toBe('webauthn.get');
  });
});

describe('keys', () => {
  const cose = testKey('ES256').cose;

  it('decodeCoseKey / parseCoseKey options must be an object with a boolean leniency', () => {
    for (const options of [null, 5, 'lenient']) expect(field(() => decodeCoseKey(cose, options as never))).toBe('options');
    for (const allow of ['yes', 1, null]) {
      expect(field(() => parseCoseKey(cose, { allowLegacyKeyWithoutCurve: allow as never }))).toBe('allowLegacyKeyWithoutCurve');
    }
    expect(decodeCoseKey(cose, {}).alg).toBe(-7);
  });

  it('new KeyCache(0) and other malformed arguments', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '16', null]) {
      expect(field(() => new KeyCache(capacity as never))).toBe('capacity');
    }
    expect(field(() => new KeyCache(4, { prepareKey: 1 } as never))).toBe('keyBackend');
    expect(field(() => new KeyCache(4, undefined, 'strict' as never))).toBe('keyOptions');
    const cache = new KeyCache(4);
    for (const value of [42, null, {}, [1]]) expect(field(() => cache.get(value as never))).toBe('cose');
    expect(new KeyCache(undefined).capacity).toBe(1024);
  });

  it('isAlgorithmAllowed: the allow-list must be a list', () => {
    for (const allowed of [null, -7, '-7', { includes: () => true }]) expect(field(() => isAlgorithmAllowed(-7, allowed as never))).toBe('allowed');
    expect(isAlgorithmAllowed(-7, [-7])).toBe(true);
    expect(isAlgorithmAllowed(-65535)).toBe(false);
  });
});

describe('counterVerdict: counters must be unsigned 32-bit integers', () => {
  it('a string, a negative, a fraction, NaN or 2^32 → ERR_OPTIONS_INVALID naming it (a string once compared as text)', () => {
    for (const wrong of ['10', -1, 1.5, Number.NaN, 2 ** 32, null, undefined]) {
      expect(field(() => counterVerdict(wrong as never, 0))).toBe('stored');
      expect(field(() => counterVerdict(0, wrong as never))).toBe('received');
    }
    expect(counterVerdict(9, 10)).toBe('increased');
    expect(counterVerdict(0, 0)).toBe('unsupported');
    expect(counterVerdict(10, 10)).toBe('regressed');
    expect(counterVerdict(0xffffffff, 0)).toBe('regressed');
  });
});

describe('base64url helpers', () => {
  it('non-string text, a bad maxLength, non-bytes → ERR_OPTIONS_INVALID naming the argument', () => {
    for (const value of [42, null, undefined, {}, new Uint8Array(3)]) expect(field(() => base64UrlToBytes(value as never))).toBe('text');
    for (const max of [-1, 1.5, '10', Number.NaN]) expect(field(() => base64UrlToBytes('AAAA', max as never))).toBe('maxLength');
    for (const value of ['AAAA', [1, 2], null, 7, new ArrayBuffer(2)]) expect(field(() => bytesToBase64Url(value as never))).toBe('bytes');
  });

  it('isBase64Url is a predicate: false for anything else, never a throw', () => {
    for (const value of [42, null, undefined, {}, 'a+b', 'AAAAA', 'AB']) expect(isBase64Url(value)).toBe(false);
    expect(isBase64Url('AAAA')).toBe(true);
    expect(isBase64Url('')).toBe(true);
  });
});

describe('encodeAuthenticatorData', () => {
  it('malformed parts → ERR_OPTIONS_INVALID naming the part, never a RangeError', () => {
    const rpIdHash = new Uint8Array(32);
    for (const [parts, name] of [
      [undefined, 'parts'],
      [{ rpIdHash: new Uint8Array(31), flags: 0, signCount: 0 }, 'rpIdHash'],
      [{ rpIdHash, flags: 256, signCount: 0 }, 'flags'],
      [{ rpIdHash, flags: { raw: '1' }, signCount: 0 }, 'flags'],
      [{ rpIdHash, flags: 0, signCount: -1 }, 'signCount'],
    ] as const) {
      expect(field(() => encodeAuthenticatorData(parts as never))).toBe(name);
    }
    expect(encodeAuthenticatorData({ rpIdHash, flags: 1, signCount: 0 }).length).toBe(37);
  });
});

describe('every low-level export of these layers answers wrong types with a WebAuthnError, never ERR_INTERNAL', () => {
  it('a sweep of one- and two-argument calls', () => {
    const functions: ((...args: never[]) => unknown)[] = [
      parseClientDataJSON,
      parseAuthenticatorData,
      parseAttestationObject,
      parseCoseKey,
      decodeCoseKey,
      counterVerdict,
      isAlgorithmAllowed,
      base64UrlToBytes,
      bytesToBase64Url,
      encodeAuthenticatorData,
    ];
    for (const fn of functions) {
      for (const a of WRONG) {
        for (const b of [undefined, null, 'x', 5]) {
          try {
            fn(a as never, b as never);
          } catch (error) {
            expect(error, `${fn.name}(${String(a)}, ${String(b)})`).toBeInstanceOf(WebAuthnError);
            expect((error as WebAuthnError).code, `${fn.name}(${String(a)}, ${String(b)})`).not.toBe('ERR_INTERNAL');
          }
        }
      }
    }
  });
});
