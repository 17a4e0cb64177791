/**
 * Turns a CBOR item that {@link scanCborItem} has already accepted into JavaScript values.
 *
 * The scanner has enforced everything (canonical heads, definite lengths, no tags, no duplicate
 * keys, valid UTF-8, integers within ±Number.MAX_SAFE_INTEGER, only false/true/null and floats as
 * simple values, bounds), so this decoder only maps the RFC 8949 §3 data model to values: unsigned
 * and negative integers → number, byte string → plain `Uint8Array` view of the input, text string →
 * string, array → Array, map → Map (keys keep their decoded type), false/true/null → boolean and null,
 * and a float → a {@link CborFloat}, never a plain number: no WebAuthn or COSE member is a float, so
 * `-7.0` must not pass where the integer `-7` is expected (an `alg`, a COSE label, a counter), and a
 * float map key never collides with the integer key of the same value. Pure JavaScript with no dependency: no native add-on, no `eval`, no environment read,
 * so it runs unchanged on Node, Deno, Bun, Workers and browsers.
 *
 * Iterative (an explicit stack of open containers), so nesting depth costs heap, never call stack.
 *
 * @module
 */
import { fail } from '../errors.js';

/** An open array or map: the container, how many items it still expects, and a pending map key. */
interface Frame {
  readonly array: unknown[] | undefined;
  readonly map: Map<unknown, unknown> | undefined;
  remaining: number;
  key: unknown;
  hasKey: boolean;
}

/**
 * A decoded CBOR floating-point value (RFC 8949 §3.3, major type 7, ai 25–27). Kept apart from
 * numbers so that integer-typed members cannot be satisfied by a float of the same value.
 */
export class CborFloat {
  /** The IEEE 754 value, widened to a JavaScript number. */
  readonly value: number;
  constructor(value: number) {
    this.value = value;
    Object.freeze(this);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** RFC 8949 §3.3 and Appendix D: IEEE 754 binary16 to a number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function text(bytes: Uint8Array, start: number, end: number): string {
  // Short ASCII strings (COSE and attestation map keys, "fmt" values) skip the TextDecoder call.
  if (end - start <= 32) {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i] as number;
      if (c >= 0x80) return utf8.decode(bytes.subarray(start, end));
      out += String.fromCharCode(c);
    }
    return out;
  }
  return utf8.decode(bytes.subarray(start, end));
}

function uint32(bytes: Uint8Array, pos: number): number {
  return (bytes[pos] as number) * 0x1000000 + (((bytes[pos + 1] as number) << 16) | ((bytes[pos + 2] as number) << 8) | (bytes[pos + 3] as number));
}

/**
 * Decodes the item that occupies exactly `bytes[start, end)`. Only call it on a range
 * {@link scanCborItem} returned: it does not re-validate.
 *
 * @throws {WebAuthnError} `ERR_INTERNAL` only if the range was not scanned (a bug, never input).
 */
export function decodeScannedItem(bytes: Uint8Array, start: number, end: number): unknown {
  const stack: Frame[] = [];
  let view: DataView | undefined;
  let pos = start;

  for (;;) {
    if (pos >= end) return fail('ERR_INTERNAL', 'CBOR decoder ran past a scanned item', { details: { offset: pos } });
    const initial = bytes[pos++] as number;
    const major = initial >> 5;
    const info = initial & 0x1f;

    let arg = info;
    if (info === 24) arg = bytes[pos++] as number;
    else if (info === 25) {
      arg = ((bytes[pos] as number) << 8) | (bytes[pos + 1] as number);
      pos += 2;
    } else if (info === 26) {
      arg = uint32(bytes, pos);
      pos += 4;
    } else if (info === 27) {
      // The scanner bounded integers and lengths to 2^53 - 1, so this sum is exact where it is used.
      arg = uint32(bytes, pos) * 0x100000000 + uint32(bytes, pos + 4);
      pos += 8;
    }

    let value: unknown;
    let container: Frame | undefined;
    switch (major) {
      case 0:
        value = arg;
        break;
      case 1:
        value = -1 - arg;
        break;
      case 2:
        // A plain view, also when `bytes` is a Node Buffer: no Buffer leaks into results.
        value = new Uint8Array(bytes.buffer, bytes.byteOffset + pos, arg);
        pos += arg;
        break;
      case 3:
        value = text(bytes, pos, pos + arg);
        pos += arg;
        break;
      case 4:
        value = [];
        if (arg > 0) container = { array: value as unknown[], map: undefined, remaining: arg, key: undefined, hasKey: false };
        break;
      case 5:
        value = new Map();
        if (arg > 0) container = { array: undefined, map: value as Map<unknown, unknown>, remaining: arg * 2, key: undefined, hasKey: false };
        break;
      case 7:
        if (info === 20) value = false;
        else if (info === 21) value = true;
        else if (info === 22) value = null;
        else if (info === 25) value = new CborFloat(halfToNumber(arg));
        else if (info === 26 || info === 27) {
          view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          value = new CborFloat(info === 26 ? view.getFloat32(pos - 4) : view.getFloat64(pos - 8));
        } else return fail('ERR_INTERNAL', 'CBOR decoder met a simple value the scanner forbids', { details: { offset: pos - 1 } });
        break;
      default:
        return fail('ERR_INTERNAL', 'CBOR decoder met a tag the scanner forbids', { details: { offset: pos - 1 } });
    }

    // A non-empty container is filled first and attached to its parent when it closes, so the
    // order of items and of map entries is the encoded order.
    if (container !== undefined) {
      stack.push(container);
      continue;
    }
    // Attach the finished value to the innermost open container; close every container it completes.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return value;
      if (top.array !== undefined) top.array.push(value);
      else if (top.hasKey) {
        (top.map as Map<unknown, unknown>).set(top.key, value);
        top.hasKey = false;
        top.key = undefined;
      } else {
        top.key = value;
        top.hasKey = true;
      }
      if (--top.remaining > 0) break;
      stack.pop();
      value = top.array ?? top.map;
    }
  }
}
