/**
 * Bounded DER decoding on top of asn1js. asn1js is a recursive BER decoder, so every input is
 * size-checked first and decoded with explicit depth and node limits (checklist §5, V39); the
 * result is then walked iteratively to refuse BER-only forms (indefinite lengths, constructed
 * strings) that DER, and therefore X.509, forbids.
 */
import * as asn1js from 'asn1js';
import { fail, type WebAuthnErrorCode } from '../errors.js';
import { assertDer } from './der-strict.js';

/** Limits of one DER decode. */
export interface DerLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxNodes: number;
}

/** One certificate: real attestation certificates are 0.5–2 KiB; TPM AIK ones up to ~1.8 KiB. */
export const CERT_LIMITS: DerLimits = Object.freeze({ maxBytes: 8192, maxDepth: 24, maxNodes: 2048 });
/** One extension value, decoded on its own. */
export const EXTENSION_LIMITS: DerLimits = Object.freeze({ maxBytes: 8192, maxDepth: 16, maxNodes: 1024 });
/** One CRL: large enough for tens of thousands of entries, still bounded. */
export const CRL_LIMITS: DerLimits = Object.freeze({ maxBytes: 4 << 20, maxDepth: 16, maxNodes: 400_000 });

/**
 * Decodes exactly one DER item spanning all of `bytes`. Throws `code` (default
 * `ERR_CERT_MALFORMED`) on oversize input, a decoding error, or any violation of the DER encoding
 * rules (der-strict.ts: non-minimal lengths or INTEGERs, children overrunning their parent,
 * trailing bytes, indefinite lengths, constructed strings, non-DER BOOLEANs and BIT STRINGs).
 */
export function decodeDer(
  bytes: Uint8Array,
  what: string,
  limits: DerLimits,
  code: WebAuthnErrorCode = 'ERR_CERT_MALFORMED',
  step?: string,
): asn1js.AsnType {
  const options = step === undefined ? {} : { step };
  if (bytes.length === 0) fail(code, `${what} is empty`, options);
  if (bytes.length > limits.maxBytes) {
    fail(code, `${what} is larger than ${limits.maxBytes} bytes`, {
      ...options,
      details: { expected: limits.maxBytes, received: bytes.length },
    });
  }
  // X.690 §10–11 on the raw bytes first: asn1js is a BER decoder (RFC 5280 §4.1 requires DER).
  assertDer(bytes, what, code, step);
  const decoded = asn1js.fromBER(bytes, {
    maxDepth: limits.maxDepth,
    maxNodes: limits.maxNodes,
    maxContentLength: limits.maxBytes,
    parseEmbedded: false,
  });
  if (decoded.offset === -1 || decoded.result.error !== '') {
    fail(code, `${what} is not valid DER: ${decoded.result.error || 'decoding failed'}`, options);
  }
  if (decoded.offset !== bytes.length) {
    fail(code, `${what} has ${bytes.length - decoded.offset} trailing bytes`, options);
  }
  assertDerForms(decoded.result, what, code, options);
  return decoded.result;
}

function assertDerForms(root: asn1js.AsnType, what: string, code: WebAuthnErrorCode, options: { step?: string }): void {
  const stack: asn1js.AsnType[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as asn1js.BaseBlock;
    if (node.lenBlock.isIndefiniteForm) fail(code, `${what} uses an indefinite length (not DER)`, options);
    const { tagClass, tagNumber, isConstructed } = node.idBlock;
    if (isConstructed) {
      // Universal string types (BIT STRING, OCTET STRING, character strings) are primitive in DER.
      if (tagClass === 1 && tagNumber !== 16 && tagNumber !== 17) {
        fail(code, `${what} uses a constructed encoding of universal type ${tagNumber} (not DER)`, options);
      }
      const children = (node.valueBlock as unknown as { value?: unknown }).value;
      if (Array.isArray(children)) for (const child of children) stack.push(child as asn1js.AsnType);
    }
  }
}

/** The children of a SEQUENCE or SET, or `undefined` when `node` is not one. */
export function sequenceItems(node: asn1js.AsnType | undefined): asn1js.AsnType[] | undefined {
  if (node instanceof asn1js.Sequence || node instanceof asn1js.Set) return node.valueBlock.value;
  return undefined;
}

/** The children of a constructed context-specific `[tag]`, or `undefined`. */
export function contextItems(node: asn1js.AsnType | undefined, tag: number): asn1js.AsnType[] | undefined {
  if (!(node instanceof asn1js.Constructed)) return undefined;
  if (node.idBlock.tagClass !== 3 || node.idBlock.tagNumber !== tag) return undefined;
  return node.valueBlock.value;
}

/** True when `node` is a context-specific `[tag]` (primitive or constructed). */
export function isContextTag(node: asn1js.AsnType | undefined, tag: number): boolean {
  return node instanceof asn1js.BaseBlock && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === tag;
}

/** The content octets of a primitive item (a copy is not made). */
export function primitiveBytes(node: asn1js.AsnType): Uint8Array {
  return (node as asn1js.BaseBlock<asn1js.ValueBlock & { valueHexView: Uint8Array }>).valueBlock.valueHexView;
}

/** The exact encoding (tag, length and content) an item was decoded from. */
export function encodedBytes(node: asn1js.AsnType): Uint8Array {
  return (node as asn1js.BaseBlock).valueBeforeDecodeView;
}

/**
 * The unsigned big-endian magnitude of a non-negative INTEGER, without its sign octet.
 * Returns `undefined` for a negative or empty INTEGER.
 */
export function unsignedIntegerBytes(node: asn1js.Integer): Uint8Array | undefined {
  const bytes = node.valueBlock.valueHexView;
  if (bytes.length === 0 || ((bytes[0] as number) & 0x80) !== 0) return undefined;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

/** Content of a BIT STRING whose unused-bit count is 0, or `undefined`. */
export function bitStringOctets(node: asn1js.AsnType | undefined): Uint8Array | undefined {
  if (!(node instanceof asn1js.BitString) || node.valueBlock.unusedBits !== 0) return undefined;
  return node.valueBlock.valueHexView;
}

/** The dotted OID of an OBJECT IDENTIFIER node, or `undefined`. */
export function oidOf(node: asn1js.AsnType | undefined): string | undefined {
  if (!(node instanceof asn1js.ObjectIdentifier)) return undefined;
  const text = node.valueBlock.toString();
  return /^\d+(\.\d+)+$/.test(text) ? text : undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * An RFC 5280 §4.1.2.5 time: UTCTime `YYMMDDHHMMSSZ` (YY < 50 → 20YY) or GeneralizedTime
 * `YYYYMMDDHHMMSSZ`. `undefined` when `node` is not one, or not a valid date.
 */
export function parseX509Time(node: asn1js.AsnType | undefined): Date | undefined {
  // asn1js derives GeneralizedTime from UTCTime: test the subclass first.
  const generalized = node instanceof asn1js.GeneralizedTime;
  if (!generalized && !(node instanceof asn1js.UTCTime)) return undefined;
  let text = '';
  for (const byte of primitiveBytes(node)) text += String.fromCharCode(byte);
  const pattern = generalized ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
  const match = pattern.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const year = generalized ? y : y < 50 ? 2000 + y : 1900 + y;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = mo === 2 && !leap ? 28 : (DAYS_IN_MONTH[mo - 1] ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > maxDay || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date;
}

/**
 * Freezes `target` after defining each of `bytes` on it as an enumerable getter that returns a
 * fresh copy. Parsed certificates are cached and shared across requests: a caller that writes to
 * the array it was given changes that array only, never the cache or another request's result.
 */
export function freezeWithOwnedBytes<T extends object>(target: T, bytes: Readonly<Record<string, Uint8Array>>): T {
  for (const [name, value] of Object.entries(bytes)) {
    const kept = value.slice();
    Object.defineProperty(target, name, { enumerable: true, configurable: false, get: () => kept.slice() });
  }
  return Object.freeze(target);
}
