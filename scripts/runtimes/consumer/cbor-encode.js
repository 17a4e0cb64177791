/**
 * A minimal CBOR encoder (RFC 8949 §3) for the runtime matrix: unsigned and negative integers,
 * byte strings, text strings, arrays and maps, each with the shortest head (§4.2.1 core
 * deterministic encoding). Maps are a Map (or a plain object for text keys) and are written in the
 * order given; callers pass CTAP2-canonical order (shorter key first, then bytewise). Nothing else
 * is needed to build COSE keys and attestation objects, and nothing else is accepted.
 *
 * Plain JavaScript with no imports, so that it runs unchanged in Node, Bun, Deno and workerd.
 */

const textEncoder = new TextEncoder();

function head(major, value, out) {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`cbor-encode: bad length or value ${value}`);
  const m = major << 5;
  if (value < 24) out.push(m | value);
  else if (value < 0x100) out.push(m | 24, value);
  else if (value < 0x10000) out.push(m | 25, value >>> 8, value & 0xff);
  else if (value < 0x100000000) out.push(m | 26, value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  else {
    const high = Math.floor(value / 0x100000000);
    const low = value >>> 0;
    out.push(m | 27, high >>> 24, (high >>> 16) & 0xff, (high >>> 8) & 0xff, high & 0xff);
    out.push(low >>> 24, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff);
  }
}

function pushBytes(bytes, out) {
  for (const byte of bytes) out.push(byte);
}

function item(value, out) {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`cbor-encode: only safe integers, got ${value}`);
    if (value >= 0) head(0, value, out);
    else head(1, -1 - value, out);
  } else if (value instanceof Uint8Array) {
    head(2, value.length, out);
    pushBytes(value, out);
  } else if (typeof value === 'string') {
    const bytes = textEncoder.encode(value);
    head(3, bytes.length, out);
    pushBytes(bytes, out);
  } else if (Array.isArray(value)) {
    head(4, value.length, out);
    for (const element of value) item(element, out);
  } else if (value instanceof Map) {
    head(5, value.size, out);
    for (const [key, element] of value) {
      item(key, out);
      item(element, out);
    }
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    head(5, entries.length, out);
    for (const [key, element] of entries) {
      item(key, out);
      item(element, out);
    }
  } else {
    throw new Error(`cbor-encode: unsupported value ${String(value)}`);
  }
}

/** The CBOR encoding of `value` (see the module comment for what is supported). */
export function encodeCbor(value) {
  const out = [];
  item(value, out);
  return Uint8Array.from(out);
}
