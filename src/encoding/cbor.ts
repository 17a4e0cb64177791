/**
 * Strict CBOR (RFC 8949) for WebAuthn: attestation objects, COSE keys and extension maps.
 *
 * Every input first goes through {@link scanCborItem}, an iterative scanner that enforces the subset
 * of CBOR WebAuthn needs (CTAP2 canonical heads, definite lengths, no tags, no duplicate keys,
 * bounded depth, size and item count) and returns the exact end of the item; only that byte range
 * is then turned into values by our own dependency-free decoder (./cbor-decode.ts). No third-party
 * CBOR library is loaded, hence no native add-on and no environment read on any runtime.
 */
import { fail, type WebAuthnErrorCode } from '../errors.js';
import { decodeScannedItem } from './cbor-decode.js';

export { CborFloat } from './cbor-decode.js';

/** Bounds the scanner enforces. */
export interface CborLimits {
  /** Deepest nesting of arrays and maps; a top-level map is depth 1, a scalar depth 0. */
  readonly maxDepth: number;
  /** Largest number of bytes one item may span. */
  readonly maxBytes: number;
  /** Largest number of data items (every key, value and element, containers included) one item may hold. */
  readonly maxItems: number;
}

/** {@link CborLimits} plus the spec step reported by errors (default `7.1.13`, CBOR decoding of the attestation object). */
export interface CborOptions extends Partial<CborLimits> {
  readonly step?: string;
}

/**
 * Default bounds. Depth 4: CTAP2 §8 (Message Encoding) limits nesting of maps and arrays to four
 * levels, and every WebAuthn structure fits (attestationObject map → attStmt map → x5c array is
 * depth 3); only the `compound` format needs {@link CBOR_MAX_DEPTH_COMPOUND}. 64 KiB fits a TPM
 * attestation with a full x5c chain and ML-DSA-87 keys many times over. 4096 items is far above
 * any real attestation object.
 */
export const CBOR_DEFAULT_LIMITS: CborLimits = Object.freeze({ maxDepth: 4, maxBytes: 65536, maxItems: 4096 });

/**
 * Depth needed by the `compound` attestation format (§8.9): attestationObject (1) → attStmt array (2)
 * → sub-statement map (3) → its attStmt (4) → x5c (5). Pass it as `maxDepth` only there.
 */
export const CBOR_MAX_DEPTH_COMPOUND = 5;

const DEFAULT_STEP = '7.1.13';

interface Resolved {
  readonly maxDepth: number;
  readonly maxBytes: number;
  readonly maxItems: number;
  readonly step: string;
}

/** A wrongly typed argument of a low-level export: `ERR_OPTIONS_INVALID` naming it (DESIGN: never a TypeError/RangeError). */
function misuse(field: string, message: string): never {
  return fail('ERR_OPTIONS_INVALID', message, { details: { field } });
}

function checkLimit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) misuse(name, `CBOR limit ${name} must be a non-negative integer`);
  return value;
}

const DEFAULT_RESOLVED: Resolved = Object.freeze({ ...CBOR_DEFAULT_LIMITS, step: DEFAULT_STEP });

function resolve(options: CborOptions | undefined): Resolved {
  if (options === undefined) return DEFAULT_RESOLVED;
  if (typeof options !== 'object' || options === null) misuse('limits', 'CBOR limits must be an object');
  if (options.step !== undefined && typeof options.step !== 'string') misuse('step', 'CBOR step must be a string');
  return {
    maxDepth: checkLimit('maxDepth', options.maxDepth ?? CBOR_DEFAULT_LIMITS.maxDepth),
    maxBytes: checkLimit('maxBytes', options.maxBytes ?? CBOR_DEFAULT_LIMITS.maxBytes),
    maxItems: checkLimit('maxItems', options.maxItems ?? CBOR_DEFAULT_LIMITS.maxItems),
    step: options.step ?? DEFAULT_STEP,
  };
}

function checkArguments(bytes: Uint8Array, offset: number): void {
  if (!(bytes instanceof Uint8Array)) misuse('bytes', 'CBOR input must be a Uint8Array');
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) misuse('offset', 'CBOR offset is outside the input');
}

/** True when bytes[start, end) is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). */
function isUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 === 0xe0) lo = 0xa0;
      else if (b0 === 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 === 0xf0) lo = 0x90;
      else if (b0 === 0xf4) hi = 0x8f;
    } else return false;
    if (i + need >= end) return false;
    const b1 = bytes[i + 1] as number;
    if (b1 < lo || b1 > hi) return false;
    for (let k = 2; k <= need; k++) {
      const b = bytes[i + k] as number;
      if (b < 0x80 || b > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

/** A text or byte string key's identity for duplicate detection: its (canonical) encoding as a string. */
function keyIdentity(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i += 4096) {
    const chunk = bytes.subarray(i, Math.min(end, i + 4096));
    text += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return text;
}

const MAJOR_NAMES = ['unsigned integer', 'negative integer', 'byte string', 'text string', 'array', 'map', 'tag', 'simple/float'];

/**
 * Validates the CBOR item that starts at `offset` and returns the offset just past it.
 *
 * Enforces: shortest-form heads (`ERR_CBOR_NON_CANONICAL`), definite lengths
 * (`ERR_CBOR_INDEFINITE_LENGTH`), no tags (`ERR_CBOR_TAG_FORBIDDEN`), no repeated map key compared by
 * encoding (`ERR_CBOR_DUPLICATE_KEY`), map keys that are integers, byte or text strings, integers
 * within ±`Number.MAX_SAFE_INTEGER`, valid UTF-8 text, only false/true/null and floats as simple values
 * (`ERR_CBOR_MALFORMED`), declared lengths within the input (`ERR_CBOR_TRUNCATED`) and the limits
 * (`ERR_CBOR_TOO_DEEP`, `ERR_CBOR_TOO_LARGE`). Map key order is not checked: authenticators vary.
 * Iterative: deep input cannot exhaust the stack. Nothing is allocated from declared lengths.
 *
 * @throws {WebAuthnError} with the codes above; `details.offset` locates the offending head;
 * `ERR_OPTIONS_INVALID` naming the argument for input that is not a Uint8Array, an offset outside
 * it, or a limit that is not a non-negative integer.
 */
export function scanCborItem(bytes: Uint8Array, offset: number, limits?: CborOptions): number {
  checkArguments(bytes, offset);
  return scan(bytes, offset, resolve(limits));
}

function error(code: WebAuthnErrorCode, message: string, step: string, offset: number): never {
  return fail(code, message, { step, details: { offset } });
}

/** Past the item's byte budget but within the input the item is too large; past the input it is truncated. */
function overrun(end: number, length: number, o: Resolved, offset: number): never {
  return end > length
    ? error('ERR_CBOR_TRUNCATED', 'CBOR item extends past the end of the input', o.step, offset)
    : error('ERR_CBOR_TOO_LARGE', `CBOR item exceeds ${o.maxBytes} bytes`, o.step, offset);
}

function scan(bytes: Uint8Array, offset: number, o: Resolved): number {
  const length = bytes.length;
  const limitEnd = Math.min(length, offset + o.maxBytes);
  const step = o.step;

  // One frame per open container: items still expected (a map of n entries expects 2n), whether it
  // is a map, and the identities of the keys seen so far (maps of two entries or more).
  const remaining: number[] = [];
  const isMap: boolean[] = [];
  const keys: (Set<string | number> | undefined)[] = [];
  let depth = 0;
  let items = 0;
  let pos = offset;

  for (;;) {
    const start = pos;
    if (pos >= limitEnd) overrun(pos + 1, length, o, pos);
    if (++items > o.maxItems) error('ERR_CBOR_TOO_LARGE', `CBOR holds more than ${o.maxItems} items`, step, start);
    const top = depth - 1;
    const isKey = depth > 0 && isMap[top] === true && (remaining[top] as number) % 2 === 0;
    const initial = bytes[pos++] as number;
    const major = initial >> 5;
    const info = initial & 0x1f;

    if (major === 6) error('ERR_CBOR_TAG_FORBIDDEN', 'CBOR tags are not allowed', step, start);
    if (info >= 28 && info <= 30) error('ERR_CBOR_MALFORMED', `Reserved additional information ${info}`, step, start);
    if (info === 31) {
      if (major >= 2 && major <= 5) {
        error('ERR_CBOR_INDEFINITE_LENGTH', `Indefinite-length ${MAJOR_NAMES[major]} is not allowed`, step, start);
      }
      error('ERR_CBOR_MALFORMED', major === 7 ? 'Break code outside an indefinite-length item' : 'Invalid indefinite integer', step, start);
    }
    if (isKey && major > 3) {
      error('ERR_CBOR_MALFORMED', `Map key of type ${MAJOR_NAMES[major]} is not allowed`, step, start);
    }

    // The argument of the head. For major type 7, ai 25–27 are floats whose bits need no check.
    let arg = info;
    if (info >= 24) {
      const size = 1 << (info - 24);
      if (pos + size > limitEnd) overrun(pos + size, length, o, start);
      if (info === 24) arg = bytes[pos] as number;
      else if (info === 25) arg = ((bytes[pos] as number) << 8) | (bytes[pos + 1] as number);
      else if (info === 26) {
        arg = (bytes[pos] as number) * 0x1000000 + (((bytes[pos + 1] as number) << 16) | ((bytes[pos + 2] as number) << 8) | (bytes[pos + 3] as number));
      } else {
        const high = (bytes[pos] as number) * 0x1000000 + (((bytes[pos + 1] as number) << 16) | ((bytes[pos + 2] as number) << 8) | (bytes[pos + 3] as number));
        const low = (bytes[pos + 4] as number) * 0x1000000 + (((bytes[pos + 5] as number) << 16) | ((bytes[pos + 6] as number) << 8) | (bytes[pos + 7] as number));
        // Above 2^53 - 1 the sum is inexact; such values are rejected below (integers) or are beyond any input (lengths).
        arg = high > 0x1fffff ? Number.POSITIVE_INFINITY : high * 0x100000000 + low;
        if (major !== 7 && high === 0) error('ERR_CBOR_NON_CANONICAL', 'CBOR head is not in its shortest form', step, start);
      }
      pos += size;
      if (major !== 7) {
        // CTAP2 canonical CBOR: the argument must use the fewest bytes (RFC 8949 §4.2.1).
        if ((info === 24 && arg < 24) || (info === 25 && arg < 0x100) || (info === 26 && arg < 0x10000)) {
          error('ERR_CBOR_NON_CANONICAL', 'CBOR head is not in its shortest form', step, start);
        }
      }
    }

    let opened = false;
    switch (major) {
      case 0:
        if (arg > Number.MAX_SAFE_INTEGER) error('ERR_CBOR_MALFORMED', 'Integer beyond Number.MAX_SAFE_INTEGER', step, start);
        break;
      case 1:
        if (arg > Number.MAX_SAFE_INTEGER - 1) error('ERR_CBOR_MALFORMED', 'Integer beyond -Number.MAX_SAFE_INTEGER', step, start);
        break;
      case 2:
      case 3:
        if (arg > limitEnd - pos) overrun(pos + arg, length, o, start);
        if (major === 3 && !isUtf8(bytes, pos, pos + arg)) error('ERR_CBOR_MALFORMED', 'Text string is not valid UTF-8', step, start);
        pos += arg;
        break;
      case 4:
      case 5: {
        if (depth + 1 > o.maxDepth) error('ERR_CBOR_TOO_DEEP', `CBOR nesting exceeds depth ${o.maxDepth}`, step, start);
        const count = major === 5 ? arg * 2 : arg;
        // Every item takes at least one byte, so a count beyond the bytes left can never be satisfied.
        if (count > limitEnd - pos) overrun(pos + count, length, o, start);
        if (items + count > o.maxItems) error('ERR_CBOR_TOO_LARGE', `CBOR holds more than ${o.maxItems} items`, step, start);
        if (count > 0) {
          remaining[depth] = count;
          isMap[depth] = major === 5;
          keys[depth] = major === 5 && arg > 1 ? new Set() : undefined;
          depth++;
          opened = true;
        }
        break;
      }
      default: // 7
        if (info < 20 || info === 23 || info === 24) {
          error('ERR_CBOR_MALFORMED', info === 23 ? 'CBOR undefined is not allowed' : 'Unassigned CBOR simple value', step, start);
        }
    }

    if (isKey) {
      const seen = keys[top];
      if (seen !== undefined) {
        const id = major === 0 ? arg : major === 1 ? -1 - arg : keyIdentity(bytes, start, pos);
        if (seen.has(id)) error('ERR_CBOR_DUPLICATE_KEY', 'CBOR map repeats a key', step, start);
        seen.add(id);
      }
    }

    if (opened) continue;
    // The item is complete: close every container it completes.
    while (depth > 0) {
      const left = (remaining[depth - 1] as number) - 1;
      if (left > 0) {
        remaining[depth - 1] = left;
        break;
      }
      keys[depth - 1] = undefined;
      depth--;
    }
    if (depth === 0) return pos;
  }
}

/**
 * Validates (the strict scanner `scanCborItem`: canonical heads, definite lengths, no tags, no
 * duplicate keys, bounded depth, size and item count) and decodes the CBOR item at `offset`.
 * Maps decode as `Map` (integer keys stay numbers), byte strings as plain `Uint8Array` views of
 * `bytes`, integers as numbers, text as strings, floats as {@link CborFloat} (never numbers). Bytes after
 * the item are left alone; `end` says where it stopped.
 */
export function decodeCborItem(bytes: Uint8Array, offset = 0, limits?: CborOptions): { value: unknown; end: number } {
  checkArguments(bytes, offset);
  const o = resolve(limits);
  const end = scan(bytes, offset, o);
  return { value: decodeScannedItem(bytes, offset, end), end };
}

/**
 * Decodes input that must be exactly one strict CBOR item (validated as {@link decodeCborItem} does).
 *
 * @throws {WebAuthnError} `ERR_CBOR_TRAILING_DATA` when bytes follow the item, `ERR_CBOR_TOO_LARGE`
 * when the input exceeds `maxBytes`, and every code of the strict scanner (`ERR_CBOR_*`).
 */
export function decodeCbor(bytes: Uint8Array, limits?: CborOptions): unknown {
  checkArguments(bytes, 0);
  const o = resolve(limits);
  if (bytes.length > o.maxBytes) {
    fail('ERR_CBOR_TOO_LARGE', `CBOR input exceeds ${o.maxBytes} bytes`, {
      step: o.step,
      details: { expected: o.maxBytes, received: bytes.length },
    });
  }
  const end = scan(bytes, 0, o);
  if (end !== bytes.length) {
    fail('ERR_CBOR_TRAILING_DATA', `${bytes.length - end} byte(s) follow the CBOR item`, {
      step: o.step,
      details: { offset: end },
    });
  }
  return decodeScannedItem(bytes, 0, end);
}
