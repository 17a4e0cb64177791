/**
 * The DER walker (src/x509/der-strict.ts), rule by rule (X.690 §8, §10, §11): each violation is
 * found with its reason and offset, and the minimal DER twin of each input passes. Used by
 * decodeDer on every signed structure; the public-API tests are in hardening.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { assertDer, findDerViolation, isDerEcdsaSignature } from '../../src/x509/der-strict.js';
import { expectCode } from './util.js';

const der = (...bytes: number[]) => Uint8Array.from(bytes);

describe('findDerViolation: encodings that are DER', () => {
  const valid: [string, Uint8Array][] = [
    ['an empty SEQUENCE', der(0x30, 0x00)],
    ['a SEQUENCE of INTEGER 0, 127, 128, -1, -128', der(0x30, 0x10, 0x02, 0x01, 0x00, 0x02, 0x01, 0x7f, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0xff, 0x02, 0x01, 0x80)],
    ['BOOLEAN TRUE and FALSE', der(0x30, 0x06, 0x01, 0x01, 0xff, 0x01, 0x01, 0x00)],
    ['NULL', der(0x05, 0x00)],
    ['a BIT STRING with 3 unused zero bits', der(0x03, 0x02, 0x03, 0xf8)],
    ['an empty BIT STRING', der(0x03, 0x01, 0x00)],
    ['a 128-byte OCTET STRING in the long form', Uint8Array.of(0x04, 0x81, 0x80, ...new Uint8Array(128))],
    ['a context tag [31] in the high form', der(0xbf, 0x1f, 0x00)],
    ['an implicit [1] primitive (content not judged)', der(0x81, 0x01, 0x00)],
    ['a SET', der(0x31, 0x03, 0x02, 0x01, 0x01)],
  ];
  for (const [name, bytes] of valid) {
    it(name, () => expect(findDerViolation(bytes)).toBeUndefined());
  }
});

describe('findDerViolation: BER-only and malformed encodings', () => {
  const invalid: [string, Uint8Array, string][] = [
    ['indefinite length', der(0x30, 0x80, 0x00, 0x00), 'indefinite length'],
    ['reserved length octet', der(0x04, 0xff), 'reserved length octet 0xFF'],
    ['long form below 128', der(0x04, 0x81, 0x01, 0x00), 'length is not minimal (long form below 128)'],
    ['a leading zero length octet', Uint8Array.of(0x04, 0x82, 0x00, 0x80, ...new Uint8Array(128)), 'length is not minimal (leading zero octet)'],
    ['a length field of 5 octets', der(0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01), 'length field is too long'],
    ['a child overrunning its parent', der(0x30, 0x02, 0x04, 0x02, 0x00, 0x00), 'item overruns its parent'],
    ['an item longer than the input', der(0x04, 0x05, 0x00), 'item overruns its parent'],
    ['trailing bytes', der(0x05, 0x00, 0x00), 'trailing bytes after the item'],
    ['no item at all', der(), 'no item'],
    ['a truncated length', der(0x30), 'truncated length'],
    ['INTEGER with a redundant 0x00', der(0x02, 0x02, 0x00, 0x7f), 'INTEGER is not minimal (redundant leading octet)'],
    ['INTEGER with a redundant 0xFF', der(0x02, 0x02, 0xff, 0x80), 'INTEGER is not minimal (redundant leading octet)'],
    ['an empty INTEGER', der(0x02, 0x00), 'INTEGER is empty'],
    ['ENUMERATED with a redundant 0x00', der(0x0a, 0x02, 0x00, 0x01), 'INTEGER is not minimal (redundant leading octet)'],
    ['BOOLEAN 0x01', der(0x01, 0x01, 0x01), 'BOOLEAN is not one octet 0x00 or 0xFF'],
    ['BOOLEAN of two octets', der(0x01, 0x02, 0xff, 0xff), 'BOOLEAN is not one octet 0x00 or 0xFF'],
    ['NULL with content', der(0x05, 0x01, 0x00), 'NULL has content'],
    ['BIT STRING without its count', der(0x03, 0x00), 'BIT STRING has no unused-bits octet'],
    ['BIT STRING count 8', der(0x03, 0x02, 0x08, 0x00), 'BIT STRING unused-bits count is above 7'],
    ['empty BIT STRING with a count', der(0x03, 0x01, 0x01), 'empty BIT STRING has a non-zero unused-bits count'],
    ['BIT STRING with set unused bits', der(0x03, 0x02, 0x03, 0xf9), 'BIT STRING unused bits are not zero'],
    ['a constructed OCTET STRING', der(0x24, 0x03, 0x04, 0x01, 0x00), 'universal type 4 is constructed'],
    ['a primitive SEQUENCE', der(0x10, 0x00), 'SEQUENCE or SET is primitive'],
    ['a low tag number in the high form', der(0xbf, 0x05, 0x00), 'tag number below 31 in the high form'],
    ['a non-minimal high tag number', der(0xbf, 0x80, 0x1f, 0x00), 'tag number is not minimal'],
    ['a violation nested two levels deep', der(0x30, 0x06, 0x30, 0x04, 0x02, 0x02, 0x00, 0x01), 'INTEGER is not minimal (redundant leading octet)'],
  ];
  for (const [name, bytes, reason] of invalid) {
    it(`${name}: ${reason}`, () => expect(findDerViolation(bytes)?.reason).toBe(reason));
  }

  it('reports the offset of the offending item', () => {
    expect(findDerViolation(der(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00))).toBeUndefined();
    expect(findDerViolation(der(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x01))?.offset).toBe(5);
  });

  it('assertDer throws the caller code with the reason and offset in details', () => {
    const error = expectCode(() => assertDer(der(0x02, 0x02, 0x00, 0x01), 'Thing', 'ERR_ANDROID_KEY_DESCRIPTION_INVALID', '8.4'), 'ERR_ANDROID_KEY_DESCRIPTION_INVALID');
    expect(error.step).toBe('8.4');
    expect(error.details).toMatchObject({ offset: 0, reason: 'INTEGER is not minimal (redundant leading octet)' });
    expect(() => assertDer(der(0x02, 0x01, 0x01), 'Thing', 'ERR_CERT_MALFORMED')).not.toThrow();
  });
});

describe('isDerEcdsaSignature (RFC 3279 §2.2.3 Ecdsa-Sig-Value)', () => {
  const r = [0x02, 0x01, 0x01];
  it('accepts two minimal positive INTEGERs, in the short and the long SEQUENCE form', () => {
    expect(isDerEcdsaSignature(der(0x30, 0x06, ...r, ...r))).toBe(true);
    const big = [0x02, 0x42, 0x00, 0x80, ...new Array(64).fill(1)];
    expect(isDerEcdsaSignature(Uint8Array.of(0x30, 0x81, 0x88, ...big, ...big))).toBe(true);
  });
  const bad: [string, Uint8Array][] = [
    ['a zero r', der(0x30, 0x06, 0x02, 0x01, 0x00, ...r)],
    ['a negative s', der(0x30, 0x06, ...r, 0x02, 0x01, 0x80)],
    ['a redundant leading zero', der(0x30, 0x07, 0x02, 0x02, 0x00, 0x01, ...r)],
    ['one INTEGER', der(0x30, 0x03, ...r)],
    ['three INTEGERs', der(0x30, 0x09, ...r, ...r, ...r)],
    ['a trailing byte', der(0x30, 0x06, ...r, ...r, 0x00)],
    ['not a SEQUENCE', der(0x31, 0x06, ...r, ...r)],
    ['an OCTET STRING member', der(0x30, 0x06, 0x04, 0x01, 0x01, ...r)],
    ['raw r‖s', new Uint8Array(64).fill(1)],
  ];
  for (const [name, bytes] of bad) {
    it(`refuses ${name}`, () => expect(isDerEcdsaSignature(bytes)).toBe(false));
  }
});
