/**
 * The CBOR bounds of docs/security.md ("Inputs are bounded": 64 KiB per item, 4096 items, depth 4,
 * 5 for compound) at n and n + 1 with the default limits, which the other CBOR tests exercise
 * with explicit limits. Written against a mutation run (docs/security.md, "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import { CBOR_DEFAULT_LIMITS, CBOR_MAX_DEPTH_COMPOUND, decodeCbor, scanCborItem } from '../../src/encoding/cbor.js';
import { expectCode } from '../helpers/expect-code.js';

/** A byte string item of exactly `total` bytes (3-byte head, so 256 + 3 ≤ total ≤ 65535 + 3). */
function byteStringItem(total: number): Uint8Array {
  const n = total - 3;
  const out = new Uint8Array(total);
  out.set([0x59, n >> 8, n & 0xff]);
  return out;
}

/** An array of `count` zeros (count ≥ 256, 3-byte head): count + 1 items. */
function arrayOfZeros(count: number): Uint8Array {
  const out = new Uint8Array(3 + count);
  out.set([0x99, count >> 8, count & 0xff]);
  return out;
}

describe('default CBOR bounds at their edges', () => {
  it('the documented defaults', () => {
    expect(CBOR_DEFAULT_LIMITS).toEqual({ maxDepth: 4, maxBytes: 65536, maxItems: 4096 });
    expect(CBOR_MAX_DEPTH_COMPOUND).toBe(5);
  });

  it('an item of exactly 65536 bytes is accepted; 65537 bytes is ERR_CBOR_TOO_LARGE', () => {
    expect((decodeCbor(byteStringItem(65536)) as Uint8Array).length).toBe(65533);
    expect(scanCborItem(byteStringItem(65536), 0)).toBe(65536);
    const error = expectCode(() => decodeCbor(byteStringItem(65537)), 'ERR_CBOR_TOO_LARGE');
    expect(error.step).toBe('7.1.13');
    // One byte over inside a larger buffer: the item's own span is what is bounded.
    const inBuffer = new Uint8Array(70000);
    inBuffer.set(byteStringItem(65537));
    expectCode(() => scanCborItem(inBuffer, 0), 'ERR_CBOR_TOO_LARGE');
    inBuffer.set(byteStringItem(65536));
    expect(scanCborItem(inBuffer, 0)).toBe(65536);
  });

  it('4096 items (an array and 4095 elements) are accepted; 4097 are ERR_CBOR_TOO_LARGE', () => {
    expect((decodeCbor(arrayOfZeros(4095)) as number[]).length).toBe(4095);
    expectCode(() => decodeCbor(arrayOfZeros(4096)), 'ERR_CBOR_TOO_LARGE');
  });

  it('depth 4 by default, 5 with CBOR_MAX_DEPTH_COMPOUND, counted from the top-level container', () => {
    const nested = (levels: number) => new Uint8Array([...new Array(levels).fill(0x81), 0x00]);
    expect(decodeCbor(nested(4))).toEqual([[[[0]]]]);
    expectCode(() => decodeCbor(nested(5)), 'ERR_CBOR_TOO_DEEP');
    expect(decodeCbor(nested(5), { maxDepth: CBOR_MAX_DEPTH_COMPOUND })).toEqual([[[[[0]]]]]);
    expect(decodeCbor(new Uint8Array([0x00]), { maxDepth: 0 })).toBe(0);
  });
});
