/**
 * Byte-level DER editing for hostile re-encodings of genuine certificates: split a certificate
 * into its three top-level members, rebuild TLVs with chosen (also non-minimal) lengths, re-sign a
 * tbsCertificate. Test-only; never used to decide what the library accepts.
 */
import { createSign, KeyObject, constants } from 'node:crypto';

/** One TLV at a position: its tag octet, header length and content range. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads the TLV at `offset` (low tag numbers only, definite lengths). */
export function readTlv(der: Uint8Array, offset = 0): Tlv {
  const tag = der[offset] as number;
  let pos = offset + 1;
  let length = der[pos++] as number;
  if (length > 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[pos++] as number);
  }
  return { tag, start: offset, contentStart: pos, end: pos + length };
}

/** The children of the constructed TLV `parent`. */
export function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end; ) {
    const child = readTlv(der, pos);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** The encoded bytes of a TLV. */
export function bytesOf(der: Uint8Array, tlv: Tlv): Uint8Array {
  return der.slice(tlv.start, tlv.end);
}

/** The content bytes of a TLV. */
export function contentOf(der: Uint8Array, tlv: Tlv): Uint8Array {
  return der.slice(tlv.contentStart, tlv.end);
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/** A DER length field; `extraOctets` > 0 writes it in a non-minimal long form. */
export function lengthField(length: number, extraOctets = 0): Uint8Array {
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  if (length < 0x80 && extraOctets === 0) return Uint8Array.of(length);
  for (let i = 0; i < extraOctets; i++) octets.unshift(0);
  if (octets.length === 0) octets.push(0);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** A TLV of `tag` around `content`, optionally with a non-minimal length. */
export function tlv(tag: number, content: Uint8Array, extraLengthOctets = 0): Uint8Array {
  return concat(Uint8Array.of(tag), lengthField(content.length, extraLengthOctets), content);
}

/** The three members of a certificate, as encoded. */
export interface CertificateParts {
  readonly tbs: Uint8Array;
  readonly algorithm: Uint8Array;
  readonly signatureValue: Uint8Array;
}

export function splitCertificate(der: Uint8Array): CertificateParts {
  const [tbs, algorithm, signatureValue] = childrenOf(der, readTlv(der)) as [Tlv, Tlv, Tlv];
  return { tbs: bytesOf(der, tbs), algorithm: bytesOf(der, algorithm), signatureValue: bytesOf(der, signatureValue) };
}

export function joinCertificate(parts: CertificateParts, extraLengthOctets = 0): Uint8Array {
  return tlv(0x30, concat(parts.tbs, parts.algorithm, parts.signatureValue), extraLengthOctets);
}

/** The ECDSA (r, s) content octets of a certificate's signatureValue. */
export function ecdsaSignatureOf(der: Uint8Array): { r: Uint8Array; s: Uint8Array } {
  const bitString = splitCertificate(der).signatureValue;
  const inner = contentOf(bitString, readTlv(bitString)).subarray(1);
  const [r, s] = childrenOf(inner, readTlv(inner)) as [Tlv, Tlv];
  return { r: contentOf(inner, r), s: contentOf(inner, s) };
}

/** A signatureValue BIT STRING holding an Ecdsa-Sig-Value of the given INTEGER contents. */
export function ecdsaSignatureValue(r: Uint8Array, s: Uint8Array): Uint8Array {
  const sequence = tlv(0x30, concat(tlv(0x02, r), tlv(0x02, s)));
  return tlv(0x03, concat(Uint8Array.of(0), sequence));
}

/** Replaces the tbsCertificate member at `index` (0 = [0] version when present) with `member`. */
export function replaceTbsMember(tbs: Uint8Array, index: number, member: Uint8Array): Uint8Array {
  const members = childrenOf(tbs, readTlv(tbs)).map((child) => bytesOf(tbs, child));
  members[index] = member;
  return tlv(0x30, concat(...members));
}

/** The tbsCertificate members, as encoded. */
export function tbsMembers(tbs: Uint8Array): Uint8Array[] {
  return childrenOf(tbs, readTlv(tbs)).map((child) => bytesOf(tbs, child));
}

/**
 * An RSASSA-PSS signature of `data` with `privateKey` (a WebCrypto RSA key), MGF1 over `hash`,
 * salt `saltLength` — node:crypto lets the test choose what WebCrypto fixes.
 */
export function rsaPssSign(privateKey: CryptoKey, hash: 'sha1' | 'sha256' | 'sha384', saltLength: number, data: Uint8Array): Uint8Array {
  const signer = createSign(hash);
  signer.update(data);
  return new Uint8Array(
    signer.sign({ key: KeyObject.from(privateKey), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }),
  );
}
