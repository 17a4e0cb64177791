/** Turning decoded values (bytes, CBOR maps, errors) into the JSON model the CLI prints. */
import { bytesToBase64Url, WebAuthnError } from '../low-level.js';
import { type JsonValue, toHex } from './format.js';

export function bytesNode(bytes: Uint8Array, encoding: 'base64url' | 'hex' = 'base64url'): JsonValue {
  return encoding === 'hex' ? { length: bytes.length, hex: toHex(bytes) } : { length: bytes.length, base64url: bytesToBase64Url(bytes) };
}

/** Any decoded CBOR or JSON value, with byte strings as base64url. */
export function plainValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return bytesNode(value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of value) out[String(key)] = plainValue(item);
    return out;
  }
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plainValue(item);
    return out;
  }
  return String(value);
}

/** A failure to decode one part, shown in place of that part. */
export function errorNode(error: unknown): { error: JsonValue } {
  if (error instanceof WebAuthnError) {
    return {
      error: { code: error.code, ...(error.step === undefined ? {} : { step: error.step }), message: error.message },
    };
  }
  return { error: { message: error instanceof Error ? error.message : String(error) } };
}

/** True when a node (or any node under it) records a decoding error. */
export function hasError(node: JsonValue): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasError);
  const record = node as Record<string, JsonValue>;
  return 'error' in record || Object.values(record).some(hasError);
}
