/**
 * The DER encoding rules (X.690 §10, §11) checked over raw bytes, before asn1js (which is a BER
 * decoder) sees them. A generic walker of the whole TLV tree, schema-free: it looks only at
 * encodings, never at what a structure means, so extensions the library does not interpret (a TPM
 * AIK certificate's certificatePolicies with a PrintableString explicitText, say) are not judged
 * beyond their encoding. The rules, each with its X.690 clause:
 *
 * - definite lengths only (§10.1), in the minimal number of octets (§10.1: long form only for
 *   lengths ≥ 128, no leading zero octet), no reserved length octet 0xFF (§8.1.3.5);
 * - tag numbers in the low form when below 31, high-form tag octets minimal (§8.1.2.4.2 c);
 * - every child exactly inside its parent: no overrun, no gap, no trailing bytes (§8.1.1);
 * - universal string types primitive (§10.2), SEQUENCE and SET constructed (§8.9.1, §8.11.1);
 * - BOOLEAN one octet, 0x00 or 0xFF (§11.1); NULL empty (§8.8.2);
 * - INTEGER and ENUMERATED non-empty and minimal: no redundant leading 0x00 or 0xFF (§8.3.2);
 * - BIT STRING: at least the unused-bits octet, a count from 0 to 7, 0 when empty, and the unused
 *   bits zero (§8.6.2.2, §11.2.1).
 *
 * DEFAULT values that must not be encoded (§11.5) belong to a schema; the parsers of the
 * structures this library interprets check those (certificate.ts, extensions.ts, signature.ts).
 */
import { fail, type WebAuthnErrorCode } from '../errors.js';

const UNIVERSAL_BOOLEAN = 1;
const UNIVERSAL_INTEGER = 2;
const UNIVERSAL_BIT_STRING = 3;
const UNIVERSAL_NULL = 5;
const UNIVERSAL_ENUMERATED = 10;
const UNIVERSAL_SEQUENCE = 16;
const UNIVERSAL_SET = 17;
/** Largest length field accepted: 4 octets (no structure this library reads comes near 4 GiB). */
const MAX_LENGTH_OCTETS = 4;

/** Where a DER violation was found and what it is. */
export interface DerViolation {
  readonly offset: number;
  readonly reason: string;
}

interface Frame {
  readonly end: number;
  pos: number;
}

function checkPrimitive(bytes: Uint8Array, tag: number, start: number, length: number): string | undefined {
  const first = bytes[start] as number;
  switch (tag) {
    case UNIVERSAL_BOOLEAN:
      if (length !== 1 || (first !== 0x00 && first !== 0xff)) return 'BOOLEAN is not one octet 0x00 or 0xFF';
      return undefined;
    case UNIVERSAL_INTEGER:
    case UNIVERSAL_ENUMERATED: {
      if (length === 0) return 'INTEGER is empty';
      const second = bytes[start + 1] as number;
      if (length > 1 && ((first === 0x00 && second < 0x80) || (first === 0xff && second >= 0x80))) {
        return 'INTEGER is not minimal (redundant leading octet)';
      }
      return undefined;
    }
    case UNIVERSAL_BIT_STRING: {
      if (length === 0) return 'BIT STRING has no unused-bits octet';
      if (first > 7) return 'BIT STRING unused-bits count is above 7';
      if (length === 1 && first !== 0) return 'empty BIT STRING has a non-zero unused-bits count';
      const last = bytes[start + length - 1] as number;
      if (length > 1 && (last & ((1 << first) - 1)) !== 0) return 'BIT STRING unused bits are not zero';
      return undefined;
    }
    case UNIVERSAL_NULL:
      return length === 0 ? undefined : 'NULL has content';
    default:
      return undefined;
  }
}

/**
 * The first DER violation in `bytes`, which must hold exactly one item, or `undefined` when the
 * encoding is DER. Iterative (no recursion), linear in the input.
 */
export function findDerViolation(bytes: Uint8Array): DerViolation | undefined {
  const stack: Frame[] = [{ end: bytes.length, pos: 0 }];
  let items = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.pos === frame.end) {
      stack.pop();
      continue;
    }
    // The top level holds exactly one item.
    if (stack.length === 1 && items === 1) return { offset: frame.pos, reason: 'trailing bytes after the item' };
    if (stack.length === 1) items = 1;
    const offset = frame.pos;
    let pos = offset;
    const id = bytes[pos++] as number;
    const tagClass = id >> 6;
    const constructed = (id & 0x20) !== 0;
    let tag = id & 0x1f;
    if (tag === 0x1f) {
      tag = 0;
      let octets = 0;
      for (;;) {
        if (pos >= frame.end) return { offset, reason: 'truncated tag' };
        const byte = bytes[pos++] as number;
        if (octets === 0 && byte === 0x80) return { offset, reason: 'tag number is not minimal' };
        if (++octets > 4) return { offset, reason: 'tag number is too large' };
        tag = tag * 128 + (byte & 0x7f);
        if ((byte & 0x80) === 0) break;
      }
      if (tag < 0x1f) return { offset, reason: 'tag number below 31 in the high form' };
    }
    if (pos >= frame.end) return { offset, reason: 'truncated length' };
    const lengthByte = bytes[pos++] as number;
    let length = lengthByte;
    if (lengthByte === 0x80) return { offset, reason: 'indefinite length' };
    if (lengthByte === 0xff) return { offset, reason: 'reserved length octet 0xFF' };
    if (lengthByte > 0x80) {
      const count = lengthByte & 0x7f;
      if (count > MAX_LENGTH_OCTETS) return { offset, reason: 'length field is too long' };
      if (pos + count > frame.end) return { offset, reason: 'truncated length' };
      if (bytes[pos] === 0) return { offset, reason: 'length is not minimal (leading zero octet)' };
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[pos++] as number);
      if (length < 0x80) return { offset, reason: 'length is not minimal (long form below 128)' };
    }
    const contentEnd = pos + length;
    if (contentEnd > frame.end) return { offset, reason: 'item overruns its parent' };
    frame.pos = contentEnd;
    if (tagClass === 0) {
      if (constructed && tag !== UNIVERSAL_SEQUENCE && tag !== UNIVERSAL_SET) {
        return { offset, reason: `universal type ${tag} is constructed` };
      }
      if (!constructed && (tag === UNIVERSAL_SEQUENCE || tag === UNIVERSAL_SET)) {
        return { offset, reason: 'SEQUENCE or SET is primitive' };
      }
      if (!constructed) {
        const reason = checkPrimitive(bytes, tag, pos, length);
        if (reason !== undefined) return { offset, reason };
      }
    }
    if (constructed) stack.push({ end: contentEnd, pos });
  }
  return items === 1 ? undefined : { offset: 0, reason: 'no item' };
}

/**
 * Throws `code` when `bytes` is not exactly one DER item.
 *
 * @throws WebAuthnError `code`, with the offset and reason of the first violation in details.
 */
export function assertDer(bytes: Uint8Array, what: string, code: WebAuthnErrorCode, step?: string): void {
  const violation = findDerViolation(bytes);
  if (violation === undefined) return;
  fail(code, `${what} is not DER: ${violation.reason} at offset ${violation.offset}`, {
    ...(step === undefined ? {} : { step }),
    details: { offset: violation.offset, reason: violation.reason },
  });
}

/**
 * Whether `bytes` is exactly an X.509 / RFC 3279 §2.2.3 Ecdsa-Sig-Value in DER: a SEQUENCE of two
 * minimal, positive INTEGERs r and s, and nothing else.
 */
export function isDerEcdsaSignature(bytes: Uint8Array): boolean {
  if (findDerViolation(bytes) !== undefined || bytes[0] !== 0x30) return false;
  let pos = bytes[1] === 0x81 ? 3 : 2;
  for (let i = 0; i < 2; i++) {
    if (bytes[pos] !== 0x02) return false;
    const length = bytes[pos + 1] as number;
    // r and s are below the group order: at most 67 octets (P-521 with a sign octet), short form.
    if (length === 0 || length > 0x7f) return false;
    const first = bytes[pos + 2] as number;
    if ((first & 0x80) !== 0 || (length === 1 && first === 0)) return false;
    pos += 2 + length;
  }
  return pos === bytes.length;
}
