/**
 * Certificate extensions (RFC 5280 §4.2) this library interprets. Each parser takes the extnValue
 * octets and throws `ERR_CERT_EXTENSION_INVALID` when they do not have the extension's syntax.
 */
import * as asn1js from 'asn1js';
import { fail, WebAuthnError } from '../errors.js';
import { decodeDer, EXTENSION_LIMITS, encodedBytes, freezeWithOwnedBytes, oidOf, primitiveBytes, sequenceItems } from './der.js';
import { parseName, type X509Name } from './names.js';

/** One extension exactly as carried: `value` is the content of extnValue (the DER of the extension). */
export interface X509Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** RFC 5280 §4.2.1.9 BasicConstraints. */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLenConstraint?: number;
}

/** RFC 5280 §4.2.1.3 KeyUsage bit names, in bit order. */
export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** A KeyUsage bit name (`nonRepudiation` is also called contentCommitment). */
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

/** One RFC 5280 §4.2.1.6 GeneralName. */
export type GeneralName =
  | { readonly type: 'directoryName'; readonly name: X509Name }
  | { readonly type: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'iPAddress'; readonly value: Uint8Array }
  | { readonly type: 'registeredID'; readonly value: string }
  | { readonly type: 'otherName' | 'x400Address' | 'ediPartyName'; readonly der: Uint8Array };

/** RFC 5280 §4.2.1.6 SubjectAltName: the raw extension value and its parsed names. */
export interface SubjectAltName {
  readonly raw: Uint8Array;
  readonly names: readonly GeneralName[];
  /** The directoryName entries alone (what the TPM format reads, §8.3.1). */
  readonly directoryNames: readonly X509Name[];
}

const STEP = '7.1.22';

function invalid(what: string, message: string): never {
  fail('ERR_CERT_EXTENSION_INVALID', `${what}: ${message}`, { step: STEP, details: { field: what } });
}

function decodeExtension(value: Uint8Array, what: string): asn1js.AsnType {
  return decodeDer(value, what, EXTENSION_LIMITS, 'ERR_CERT_EXTENSION_INVALID', STEP);
}

/** Parses a basicConstraints extnValue. */
export function parseBasicConstraints(value: Uint8Array): BasicConstraints {
  const what = 'basicConstraints';
  const items = decodeExtension(value, what);
  const parts = items instanceof asn1js.Sequence ? items.valueBlock.value : invalid(what, 'not a SEQUENCE');
  let index = 0;
  let ca = false;
  const first = parts[0];
  if (first instanceof asn1js.Boolean) {
    ca = first.valueBlock.value;
    // RFC 5280 §4.2.1.9 `cA BOOLEAN DEFAULT FALSE`: DER (X.690 §11.5) leaves the default out.
    if (!ca) invalid(what, 'cA FALSE is encoded, DER omits a DEFAULT value');
    index = 1;
  }
  const second = parts[index];
  let pathLenConstraint: number | undefined;
  if (second !== undefined) {
    if (!(second instanceof asn1js.Integer)) invalid(what, 'pathLenConstraint is not an INTEGER');
    const bytes = second.valueBlock.valueHexView;
    if (bytes.length > 4 || ((bytes[0] as number) & 0x80) !== 0) invalid(what, 'pathLenConstraint is negative or too large');
    pathLenConstraint = second.valueBlock.valueDec;
    index++;
  }
  if (index !== parts.length) invalid(what, 'unexpected members');
  return Object.freeze(pathLenConstraint === undefined ? { ca } : { ca, pathLenConstraint });
}

/** Parses a keyUsage extnValue into the names of its set bits. */
export function parseKeyUsage(value: Uint8Array): readonly KeyUsageName[] {
  const what = 'keyUsage';
  const node = decodeExtension(value, what);
  if (!(node instanceof asn1js.BitString)) invalid(what, 'not a BIT STRING');
  const octets = node.valueBlock.valueHexView;
  const unused = node.valueBlock.unusedBits;
  if (octets.length === 0 || octets.length > 2 || unused > 7) invalid(what, 'wrong length');
  const names: KeyUsageName[] = [];
  const bitCount = octets.length * 8 - unused;
  for (let bit = 0; bit < Math.min(bitCount, KEY_USAGE_NAMES.length); bit++) {
    if (((octets[bit >> 3] as number) & (0x80 >> (bit & 7))) !== 0) names.push(KEY_USAGE_NAMES[bit] as KeyUsageName);
  }
  return Object.freeze(names);
}

/** Parses an extKeyUsage extnValue into its purpose OIDs. */
export function parseExtendedKeyUsage(value: Uint8Array): readonly string[] {
  const what = 'extKeyUsage';
  const items = sequenceItems(decodeExtension(value, what));
  if (items === undefined || items.length === 0) invalid(what, 'not a non-empty SEQUENCE');
  return Object.freeze(items.map((item) => oidOf(item) ?? invalid(what, 'member is not an OID')));
}

/** Dotted text of OBJECT IDENTIFIER content octets (as carried by an implicit registeredID). */
function oidFromContent(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || ((bytes[bytes.length - 1] as number) & 0x80) !== 0) return undefined;
  const arcs: number[] = [];
  let current = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (current === 0 && byte === 0x80) return undefined;
    current = current * 128 + (byte & 0x7f);
    if (current > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((byte & 0x80) === 0) {
      arcs.push(current);
      current = 0;
    }
  }
  const head = arcs[0] as number;
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [first, head - first * 40, ...arcs.slice(1)].join('.');
}

function ascii(bytes: Uint8Array, what: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte > 0x7f) invalid(what, 'IA5String holds a non-ASCII byte');
    out += String.fromCharCode(byte);
  }
  return out;
}

/** Parses a subjectAltName extnValue (GeneralNames). */
export function parseSubjectAltName(value: Uint8Array): SubjectAltName {
  const what = 'subjectAltName';
  const items = sequenceItems(decodeExtension(value, what));
  if (items === undefined || items.length === 0) invalid(what, 'not a non-empty SEQUENCE');
  const names: GeneralName[] = [];
  const directoryNames: X509Name[] = [];
  for (const item of items) {
    const id = (item as asn1js.BaseBlock).idBlock;
    if (id.tagClass !== 3) invalid(what, 'member is not a context-specific GeneralName');
    switch (id.tagNumber) {
      case 0:
      case 3:
      case 5: {
        const type = id.tagNumber === 0 ? 'otherName' : id.tagNumber === 3 ? 'x400Address' : 'ediPartyName';
        if (!id.isConstructed) invalid(what, `${type} is not constructed`);
        names.push(freezeWithOwnedBytes({ type } as { type: typeof type; der: Uint8Array }, { der: encodedBytes(item) }));
        break;
      }
      case 1:
      case 2:
      case 6: {
        if (id.isConstructed) invalid(what, 'string GeneralName is constructed');
        const type = id.tagNumber === 1 ? 'rfc822Name' : id.tagNumber === 2 ? 'dNSName' : 'uniformResourceIdentifier';
        names.push(Object.freeze({ type, value: ascii(primitiveBytes(item), what) }));
        break;
      }
      case 4: {
        const inner = id.isConstructed ? (item as asn1js.Constructed).valueBlock.value : undefined;
        if (inner === undefined || inner.length !== 1) invalid(what, 'directoryName does not hold exactly one Name');
        let name: X509Name;
        try {
          name = parseName(inner[0], 'subjectAltName directoryName');
        } catch (error) {
          if (error instanceof WebAuthnError) invalid(what, error.message);
          throw error;
        }
        names.push(Object.freeze({ type: 'directoryName', name }));
        directoryNames.push(name);
        break;
      }
      case 7: {
        const bytes = id.isConstructed ? undefined : primitiveBytes(item);
        if (bytes === undefined || (bytes.length !== 4 && bytes.length !== 16)) invalid(what, 'iPAddress is not 4 or 16 bytes');
        names.push(freezeWithOwnedBytes({ type: 'iPAddress' } as { type: 'iPAddress'; value: Uint8Array }, { value: bytes }));
        break;
      }
      case 8: {
        const oid = id.isConstructed ? undefined : oidFromContent(primitiveBytes(item));
        if (oid === undefined) invalid(what, 'registeredID is not an OID');
        names.push(Object.freeze({ type: 'registeredID', value: oid }));
        break;
      }
      default:
        invalid(what, `unknown GeneralName tag [${id.tagNumber}]`);
    }
  }
  return freezeWithOwnedBytes(
    { names: Object.freeze(names), directoryNames: Object.freeze(directoryNames) } as {
      names: readonly GeneralName[];
      directoryNames: readonly X509Name[];
      raw: Uint8Array;
    },
    { raw: value },
  );
}
