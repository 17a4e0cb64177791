/** X.501 distinguished names (RFC 5280 §4.1.2.4) as ordered attribute lists. */
import * as asn1js from 'asn1js';
import { fail } from '../errors.js';
import { decodeUtf8Strict, toHex } from '../encoding/bytes.js';
import { encodedBytes, freezeWithOwnedBytes, oidOf, primitiveBytes, sequenceItems } from './der.js';
import { ATTRIBUTE_OIDS, ATTRIBUTE_SHORT_NAMES } from './oids.js';

const STEP = '7.1.22';

/** One AttributeTypeAndValue of a name, in certificate order. */
export interface X509NameAttribute {
  /** The attribute type OID, e.g. `2.5.4.3`. */
  readonly type: string;
  /** The short name when known: `C`, `O`, `OU`, `CN`, `serialNumber`, `tpmManufacturer`, … */
  readonly name?: string;
  /**
   * The value as text for the directory string types; any other value is `#` followed by the
   * hex of its DER encoding (RFC 4514 §2.4).
   */
  readonly value: string;
}

/** A distinguished name: its attributes in order (multi-valued RDNs flattened) and its exact DER. */
export interface X509Name {
  readonly attributes: readonly X509NameAttribute[];
  /** The DER encoding of the Name as it appears in the certificate. */
  readonly der: Uint8Array;
}

/**
 * Every value of the attribute named by short name (`'CN'`, `'OU'`, …) or dotted OID, in order.
 */
export function getNameValues(name: X509Name, typeOrShortName: string): string[] {
  const oid = ATTRIBUTE_OIDS[typeOrShortName] ?? typeOrShortName;
  const values: string[] = [];
  for (const attribute of name.attributes) if (attribute.type === oid) values.push(attribute.value);
  return values;
}

/** The first value of the attribute named by short name or OID, or `undefined`. */
export function getNameValue(name: X509Name, typeOrShortName: string): string | undefined {
  return getNameValues(name, typeOrShortName)[0];
}

/** RFC 4514-like text of a name for messages: `CN=…, O=…` (in certificate order). */
export function formatName(name: X509Name): string {
  return name.attributes.map((a) => `${a.name ?? a.type}=${a.value}`).join(', ');
}

function latin1(bytes: Uint8Array, asciiOnly: boolean): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (asciiOnly && byte > 0x7f) return undefined;
    out += String.fromCharCode(byte);
  }
  return out;
}

function utf16be(bytes: Uint8Array): string | undefined {
  if (bytes.length % 2 !== 0) return undefined;
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) out += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return out;
}

function utf32be(bytes: Uint8Array): string | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const code =
      (bytes[i] as number) * 0x1000000 + (((bytes[i + 1] as number) << 16) | ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number));
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    out += String.fromCodePoint(code);
  }
  return out;
}

/** Text of a universal string type (tag number), `undefined` when the bytes are not valid for it. */
function stringValue(tagNumber: number, bytes: Uint8Array): string | undefined {
  switch (tagNumber) {
    case 12: // UTF8String
      try {
        return decodeUtf8Strict(bytes);
      } catch {
        return undefined;
      }
    case 18: // NumericString
    case 19: // PrintableString
    case 22: // IA5String
    case 26: // VisibleString
      return latin1(bytes, true);
    case 20: // TeletexString: in practice Latin-1
      return latin1(bytes, false);
    case 30: // BMPString
      return utf16be(bytes);
    case 28: // UniversalString
      return utf32be(bytes);
    default:
      return undefined;
  }
}

const STRING_TAGS = new Set([12, 18, 19, 20, 22, 26, 28, 30]);

/**
 * Text of a string-typed ASN.1 value, or `undefined` when `node` is not a primitive universal
 * string; throws `ERR_CERT_MALFORMED` when it is one whose bytes are invalid for its type.
 */
export function asn1StringValue(node: asn1js.AsnType, what: string): string | undefined {
  if (!(node instanceof asn1js.BaseBlock)) return undefined;
  const { tagClass, tagNumber, isConstructed } = node.idBlock;
  if (tagClass !== 1 || isConstructed || !STRING_TAGS.has(tagNumber)) return undefined;
  const text = stringValue(tagNumber, primitiveBytes(node));
  if (text === undefined) fail('ERR_CERT_MALFORMED', `${what} holds bytes invalid for its string type`, { step: STEP });
  return text;
}

/** Parses a decoded `Name` (SEQUENCE OF RelativeDistinguishedName). Throws `ERR_CERT_MALFORMED`. */
export function parseName(node: asn1js.AsnType | undefined, what: string): X509Name {
  const rdns = node instanceof asn1js.Sequence ? node.valueBlock.value : undefined;
  if (rdns === undefined) fail('ERR_CERT_MALFORMED', `${what} is not a Name`, { step: STEP });
  const attributes: X509NameAttribute[] = [];
  for (const rdn of rdns) {
    const set = rdn instanceof asn1js.Set ? rdn.valueBlock.value : undefined;
    if (set === undefined || set.length === 0) fail('ERR_CERT_MALFORMED', `${what} has an empty or malformed RDN`, { step: STEP });
    for (const atv of set) {
      const parts = sequenceItems(atv);
      const type = oidOf(parts?.[0]);
      const valueNode = parts?.[1];
      if (parts === undefined || parts.length !== 2 || type === undefined || valueNode === undefined) {
        fail('ERR_CERT_MALFORMED', `${what} has a malformed AttributeTypeAndValue`, { step: STEP });
      }
      const value = asn1StringValue(valueNode, what) ?? `#${toHex(encodedBytes(valueNode))}`;
      const short = ATTRIBUTE_SHORT_NAMES[type];
      attributes.push(Object.freeze(short === undefined ? { type, value } : { type, name: short, value }));
    }
  }
  // `der` is handed out as a copy on every read: the name lives in a cached certificate.
  return freezeWithOwnedBytes({ attributes: Object.freeze(attributes) } as { attributes: readonly X509NameAttribute[]; der: Uint8Array }, {
    der: encodedBytes(node as asn1js.AsnType),
  });
}
