/**
 * Strict unpadded base64url (RFC 4648 §5), the encoding WebAuthn's JSON forms use for bytes.
 * Accepts only the URL-safe alphabet, no padding, and only the canonical encoding (unused trailing
 * bits zero), so that one byte string has exactly one text form and id/rawId comparisons are sound.
 */
import { fail } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Indexed by char code; codes ≥ 128 are screened by `sextet`.
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Largest input accepted by {@link base64UrlToBytes} unless the caller passes its own bound. */
export const BASE64URL_MAX_LENGTH = 1 << 22;

function invalidCharacter(text: string): never {
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code >= 128 || (DECODE[code] as number) < 0) break;
    index++;
  }
  return fail('ERR_BASE64URL_INVALID', `Character ${JSON.stringify(text[index])} at ${index} is not base64url`, {
    details: { offset: index },
  });
}

/** A wrongly typed argument of a low-level export (DESIGN: never a TypeError). */
function misuse(field: string, message: string): never {
  return fail('ERR_OPTIONS_INVALID', `${field} ${message}`, { details: { field } });
}

/** The sextet of the character at `index`, or -1 for a non-alphabet character. */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (DECODE[code] as number) : -1;
}

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;

/**
 * Checks that `text` is unpadded, canonical base64url of at most `maxLength` characters, without
 * decoding it: the URL-safe alphabet only (no `+`, `/`, `=` or whitespace), a possible length, and
 * zero unused trailing bits. Throws `ERR_BASE64URL_INVALID` (`ERR_OPTIONS_INVALID` when `text` is
 * not a string or `maxLength` not a non-negative integer). Native decoders that are lenient
 * (Node's Buffer, `Uint8Array.fromBase64`) are safe to use after this check.
 */
export function assertBase64Url(text: string, maxLength = BASE64URL_MAX_LENGTH): void {
  if (typeof text !== 'string') misuse('text', 'must be a string');
  if (!Number.isSafeInteger(maxLength) || maxLength < 0) misuse('maxLength', 'must be a non-negative integer');
  const length = text.length;
  if (length > maxLength) {
    fail('ERR_BASE64URL_INVALID', `base64url text longer than ${maxLength} characters`, {
      details: { expected: maxLength, received: length },
    });
  }
  if (!BASE64URL_TEXT.test(text)) invalidCharacter(text);
  const rest = length % 4;
  if (rest === 1) fail('ERR_BASE64URL_INVALID', 'base64url length is impossible (n mod 4 = 1)');
  // Canonical form: the bits below the last whole byte must be zero.
  if (rest !== 0) {
    const last = sextet(text, length - 1);
    if ((rest === 2 && (last & 0x0f) !== 0) || (rest === 3 && (last & 0x03) !== 0)) {
      fail('ERR_BASE64URL_INVALID', 'base64url is not canonical (non-zero trailing bits)');
    }
  }
}

/**
 * Decodes unpadded, canonical base64url. Throws `ERR_BASE64URL_INVALID` on any other character
 * (including `+`, `/` and `=`), on an impossible length, on non-zero trailing bits, or when longer
 * than `maxLength` characters; `ERR_OPTIONS_INVALID` when `text` is not a string. Portable (no
 * Buffer); the Node backend has a native twin.
 */
export function base64UrlToBytes(text: string, maxLength = BASE64URL_MAX_LENGTH): Uint8Array {
  assertBase64Url(text, maxLength);
  const length = text.length;
  const rest = length % 4;
  const out = new Uint8Array(((length * 3) >> 2) >>> 0);
  const full = length - rest;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const v = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (rest !== 0) {
    const a = sextet(text, full);
    const b = sextet(text, full + 1);
    out[o++] = (a << 2) | (b >> 4);
    if (rest === 3) out[o++] = ((b & 0x0f) << 4) | (sextet(text, full + 2) >> 2);
  }
  return out;
}

/** Encodes bytes as unpadded base64url. Throws `ERR_OPTIONS_INVALID` when `bytes` is not a Uint8Array. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) misuse('bytes', 'must be a Uint8Array');
  let out = '';
  const full = bytes.length - (bytes.length % 3);
  for (let i = 0; i < full; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const v = bytes[full] as number;
    out += ALPHABET[v >> 2]! + ALPHABET[(v & 3) << 4]!;
  } else if (rest === 2) {
    const v = ((bytes[full] as number) << 8) | (bytes[full + 1] as number);
    out += ALPHABET[v >> 10]! + ALPHABET[(v >> 4) & 63]! + ALPHABET[(v & 15) << 2]!;
  }
  return out;
}

/** True when `text` is canonical unpadded base64url (checked without decoding). */
export function isBase64Url(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  try {
    assertBase64Url(text);
    return true;
  } catch {
    return false;
  }
}
