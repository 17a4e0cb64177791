/**
 * §6.5.5 strict DER Ecdsa-Sig-Value at the exact edges the scanner draws (RFC 3279 §2.2.3, X.690
 * §8.1.3 minimal lengths): the 8-byte minimum, the 0x7f/0x80 switch between short and long
 * SEQUENCE lengths, the sign byte, the field size; and the DER writer's length forms at 0x7f/0x80
 * and 0xff/0x100. Written against the survivors of a mutation run (docs/security.md).
 */
import { describe, expect, it } from 'vitest';
import {
  ECDSA_CURVES,
  type EcdsaCurveParams,
  ecdsaDerToP1363,
  ecdsaP1363ToDer,
  ecdsaPartsToP1363,
  isStrictEcdsaDer,
  parseEcdsaSignatureDer,
} from '../../src/crypto/ecdsa-der.js';
import { expectCode } from '../helpers/expect-code.js';

const P521 = ECDSA_CURVES['P-521'];

function bytes(...parts: (number | readonly number[] | Uint8Array)[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...p])));
}

/** `n` bytes: `first`, then zeros, then `last`. */
function magnitude(n: number, first: number, last = 0x01): number[] {
  const out = new Array<number>(n).fill(0);
  out[0] = first;
  out[n - 1] = last;
  return out;
}

const int = (body: readonly number[]) => [0x02, body.length, ...body];

describe('scanner edges', () => {
  it('the shortest signature (8 bytes, r = s = 1) is accepted on every curve', () => {
    const der = bytes(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01);
    for (const curve of Object.keys(ECDSA_CURVES) as (keyof typeof ECDSA_CURVES)[]) {
      expect(isStrictEcdsaDer(der, curve), curve).toBe(true);
      const p1363 = ecdsaDerToP1363(der, curve)!;
      const size = ECDSA_CURVES[curve].size;
      expect(p1363.length).toBe(2 * size);
      expect(p1363[size - 1]).toBe(1);
      expect(p1363[2 * size - 1]).toBe(1);
      expect(p1363.filter((b) => b !== 0).length).toBe(2);
    }
    expect(isStrictEcdsaDer(der.subarray(0, 7), 'P-256')).toBe(false);
  });

  it('an empty INTEGER is refused even where the 8-byte minimum does not catch it', () => {
    // r = (nothing), s = 0x00 0x80: 8 bytes, SEQUENCE length right, s minimal and in range.
    expect(isStrictEcdsaDer(bytes(0x30, 0x06, 0x02, 0x00, 0x02, 0x02, 0x00, 0x80), 'P-256')).toBe(false);
    expect(isStrictEcdsaDer(bytes(0x30, 0x06, 0x02, 0x02, 0x00, 0x80, 0x02, 0x00), 'P-256')).toBe(false);
    expect(isStrictEcdsaDer(bytes(0x30, 0x08, 0x02, 0x02, 0x00, 0x80, 0x02, 0x02, 0x00, 0x80), 'P-256')).toBe(true);
  });

  it('long-form SEQUENCE length: 0x81 0x80 is the smallest allowed, 0x81 0x7f is not minimal', () => {
    // P-521: r of 66 bytes (below n), s of 58 bytes: 68 + 60 = 128 content bytes.
    const r = magnitude(66, 0x01);
    const s128 = magnitude(58, 0x01, 0x02);
    const content128 = [...int(r), ...int(s128)];
    expect(content128.length).toBe(0x80);
    const der = bytes(0x30, 0x81, 0x80, content128);
    expect(isStrictEcdsaDer(der, P521)).toBe(true);
    const { r: rOut, s: sOut } = parseEcdsaSignatureDer(der, 'P-521');
    expect([...rOut]).toEqual(r);
    expect([...sOut]).toEqual([...new Array(8).fill(0), ...s128]);

    const content127 = [...int(r), ...int(magnitude(57, 0x01))];
    expect(content127.length).toBe(0x7f);
    expect(isStrictEcdsaDer(bytes(0x30, 0x7f, content127), P521)).toBe(true);
    expect(isStrictEcdsaDer(bytes(0x30, 0x81, 0x7f, content127), P521)).toBe(false);
    // Any other length-of-length, or the long form with a wrong length, is refused.
    expect(isStrictEcdsaDer(bytes(0x30, 0x82, 0x00, 0x80, content128), P521)).toBe(false);
    expect(isStrictEcdsaDer(bytes(0x30, 0x81, 0x81, content128), P521)).toBe(false);
    expect(isStrictEcdsaDer(bytes(0x30, 0x81, 0x80, content128, 0x00), P521)).toBe(false);
  });

  it('INTEGER length 0x7f is read as short form; 0x80 and above are refused', () => {
    // A custom curve with a 127-byte field so that a 127-byte INTEGER can be in range.
    const wide: EcdsaCurveParams = { size: 127, order: new Uint8Array(127).fill(0xff) };
    const r = magnitude(0x7f, 0x01);
    const content = [...int(r), ...int([0x05])];
    expect(isStrictEcdsaDer(bytes(0x30, 0x81, content.length, content), wide)).toBe(true);
    const wider: EcdsaCurveParams = { size: 128, order: new Uint8Array(128).fill(0xff) };
    const r128 = magnitude(0x80, 0x01);
    const long = [0x02, 0x81, 0x80, ...r128, ...int([0x05])];
    expect(isStrictEcdsaDer(bytes(0x30, 0x81, long.length, long), wider)).toBe(false);
  });

  it('the sign byte: 0x7f and 0x00 0x80 are positive and minimal; 0x80 is negative; 0x00 0x7f is not minimal', () => {
    const withR = (r: number[]) => bytes(0x30, 2 + r.length + 3, int(r), int([0x01]));
    expect(isStrictEcdsaDer(withR([0x7f]), 'P-256')).toBe(true);
    expect(isStrictEcdsaDer(withR([0x00, 0x80]), 'P-256')).toBe(true);
    expect(isStrictEcdsaDer(withR([0x80]), 'P-256')).toBe(false);
    expect(isStrictEcdsaDer(withR([0x00, 0x7f]), 'P-256')).toBe(false);
    expect(isStrictEcdsaDer(withR([0x00]), 'P-256')).toBe(false);
    // The sign byte does not count towards the field size: 0x00 ‖ 32 bytes is a 32-byte r.
    const r33 = [0x00, 0x80, ...new Array(31).fill(0)];
    const p1363 = ecdsaDerToP1363(withR(r33), 'P-256')!;
    expect(p1363[0]).toBe(0x80);
    expect(p1363[63]).toBe(0x01);
    // 33 magnitude bytes are too many even when the value is small at the top.
    expect(isStrictEcdsaDer(withR(magnitude(33, 0x01)), 'P-256')).toBe(false);
  });

  it('r and s are placed right-aligned in their halves (no overlap, no shift)', () => {
    const der = bytes(0x30, 0x09, int([0x0a, 0x0b]), int([0x0c, 0x0d, 0x0e]));
    const out = ecdsaDerToP1363(der, 'P-256')!;
    const expected = new Uint8Array(64);
    expected.set([0x0a, 0x0b], 30);
    expected.set([0x0c, 0x0d, 0x0e], 61);
    expect([...out]).toEqual([...expected]);
    const parts = parseEcdsaSignatureDer(der, 'P-256');
    expect([...parts.r]).toEqual([...expected.subarray(0, 32)]);
    expect([...parts.s]).toEqual([...expected.subarray(32)]);
    expect([...ecdsaPartsToP1363(parts)]).toEqual([...expected]);
  });

  it('an r equal to n in all but a lower last byte is accepted; equal to n is refused (P-256)', () => {
    const n = [...ECDSA_CURVES['P-256'].order];
    const below = [...n];
    below[31] = (below[31] as number) - 1;
    const signed = (v: number[]) => [0x00, ...v]; // n's top bit is set
    const sig = (v: number[]) => bytes(0x30, 2 + 33 + 3, int(signed(v)), int([0x01]));
    expect(isStrictEcdsaDer(sig(below), 'P-256')).toBe(true);
    expect(isStrictEcdsaDer(sig(n), 'P-256')).toBe(false);
    const firstHigher = [...n];
    firstHigher[4] = 0xff; // n = ffffffff 00…: a larger byte at the first difference
    expect(isStrictEcdsaDer(sig(firstHigher), 'P-256')).toBe(false);
  });
});

describe('error and curve names', () => {
  it('the message names the curve, by name or by its parameters object; unknown parameters are "the curve"', () => {
    const bad = new Uint8Array(8);
    const byName = expectCode(() => parseEcdsaSignatureDer(bad, 'secp256k1'), 'ERR_SIGNATURE_INVALID');
    expect(byName.message).toBe('Not a strict DER ECDSA signature for secp256k1');
    expect(byName.step).toBe('6.5.5');
    expect(byName.details).toEqual({ field: 'signature', expected: 'DER Ecdsa-Sig-Value' });
    const byParams = expectCode(() => parseEcdsaSignatureDer(bad, ECDSA_CURVES['P-384']), 'ERR_SIGNATURE_INVALID');
    expect(byParams.message).toBe('Not a strict DER ECDSA signature for P-384');
    const custom = { size: 32, order: ECDSA_CURVES['P-256'].order };
    const unknown = expectCode(() => parseEcdsaSignatureDer(bad, custom), 'ERR_SIGNATURE_INVALID');
    expect(unknown.message).toBe('Not a strict DER ECDSA signature for the curve');
  });
});

describe('ecdsaP1363ToDer length forms', () => {
  const curve = (size: number): EcdsaCurveParams => ({ size, order: new Uint8Array(size).fill(0xff) });

  it('strips leading zeros down to one byte, adds a sign byte only for a set top bit', () => {
    const der = ecdsaP1363ToDer(new Uint8Array(64), 'P-256')!;
    expect([...der]).toEqual([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]);
    const raw = new Uint8Array(64);
    raw[2] = 0x80;
    raw[63] = 0x7f;
    const der2 = ecdsaP1363ToDer(raw, 'P-256')!;
    expect([...der2.subarray(0, 5)]).toEqual([0x30, 2 + 31 + 3, 0x02, 31, 0x00]);
    expect(der2[5]).toBe(0x80);
    expect([...der2.subarray(der2.length - 3)]).toEqual([0x02, 0x01, 0x7f]);
  });

  it.each([
    [127, [0x02, 0x7f]],
    [128, [0x02, 0x81, 0x80]],
    [255, [0x02, 0x81, 0xff]],
    [256, [0x02, 0x82, 0x01, 0x00]],
  ])('an INTEGER of %i bytes has the minimal length form', (size, prefix) => {
    const raw = new Uint8Array(2 * size);
    raw[0] = 0x01;
    raw[size] = 0x01;
    const der = ecdsaP1363ToDer(raw, curve(size))!;
    const intLength = prefix.length + size;
    const body = 2 * intLength;
    const seqHeader = body < 0x80 ? [0x30, body] : body < 0x100 ? [0x30, 0x81, body] : [0x30, 0x82, body >> 8, body & 0xff];
    expect([...der.subarray(0, seqHeader.length)]).toEqual(seqHeader);
    expect([...der.subarray(seqHeader.length, seqHeader.length + prefix.length)]).toEqual(prefix);
    expect(der.length).toBe(seqHeader.length + body);
  });

  it('a raw signature one byte short or long is null', () => {
    expect(ecdsaP1363ToDer(new Uint8Array(63), 'P-256')).toBeNull();
    expect(ecdsaP1363ToDer(new Uint8Array(65), 'P-256')).toBeNull();
    expect(ecdsaP1363ToDer(new Uint8Array(131), 'P-521')).toBeNull();
    expect(ecdsaP1363ToDer(new Uint8Array(132), 'P-521')).not.toBeNull();
  });
});
