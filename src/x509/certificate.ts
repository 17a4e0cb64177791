/**
 * X.509 certificate parsing (RFC 5280 §4.1) into a readonly plain object. Each DER is decoded
 * once, with bounded size and depth, into an asn1js tree; what signature checks need (the pkijs
 * key and algorithm objects, built on first use) is kept out of the public object, in a WeakMap.
 * Parsed certificates are cached by fingerprint: asn1js needs ~0.3 ms per certificate, and
 * the same batch certificates and intermediates come with every registration of a model.
 */
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { fail, WebAuthnError } from '../errors.js';
import { equalBytes, toHex } from '../encoding/bytes.js';
import { BoundedCache, sha256Hex } from './bounded-cache.js';
import { type CertificateQuirk, repairKnownCertificate } from './certificate-quirks.js';
import {
  bitStringOctets,
  CERT_LIMITS,
  contextItems,
  decodeDer,
  encodedBytes,
  freezeWithOwnedBytes,
  isContextTag,
  oidOf,
  parseX509Time,
  primitiveBytes,
} from './der.js';
import { isDerEcdsaSignature } from './der-strict.js';
import {
  type BasicConstraints,
  type KeyUsageName,
  parseBasicConstraints,
  parseExtendedKeyUsage,
  parseKeyUsage,
  parseSubjectAltName,
  type SubjectAltName,
  type X509Extension,
} from './extensions.js';
import { type X509Name, parseName } from './names.js';
import {
  OID_BASIC_CONSTRAINTS,
  OID_EC_PUBLIC_KEY,
  OID_ECDSA_WITH_SHA1,
  OID_ECDSA_WITH_SHA256,
  OID_ECDSA_WITH_SHA384,
  OID_ECDSA_WITH_SHA512,
  OID_EXT_KEY_USAGE,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
} from './oids.js';

const ECDSA_SIGNATURE_OIDS = new Set([OID_ECDSA_WITH_SHA1, OID_ECDSA_WITH_SHA256, OID_ECDSA_WITH_SHA384, OID_ECDSA_WITH_SHA512]);

/** The subject public key algorithm: its OID and, for EC keys, the named curve OID. */
export interface PublicKeyAlgorithm {
  readonly oid: string;
  readonly curve?: string;
}

/**
 * A parsed X.509 certificate. Plain readonly data. Every byte array (`der`, `spki`, extension
 * values, name DER) is a fresh copy on each read: the object is cached and shared, its bytes are
 * not, so writing to one never changes what the library or another caller sees.
 */
export interface ParsedCertificate {
  /** The certificate DER, as carried (a copy on each read). */
  readonly der: Uint8Array;
  readonly version: 1 | 2 | 3;
  /** Hex of the serialNumber INTEGER content octets, as encoded. */
  readonly serialNumber: string;
  /** OID of the signature algorithm the issuer signed with. */
  readonly signatureAlgorithm: string;
  readonly issuer: X509Name;
  readonly subject: X509Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER of the SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  readonly publicKeyAlgorithm: PublicKeyAlgorithm;
  /** Absent extension → `undefined`. */
  readonly basicConstraints: BasicConstraints | undefined;
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  readonly extendedKeyUsage: readonly string[] | undefined;
  readonly subjectAltName: SubjectAltName | undefined;
  /** Every extension, in order, raw. */
  readonly extensions: readonly X509Extension[];
  /** Lower-case hex SHA-256 of `der`. */
  readonly sha256Fingerprint: string;
  /** Issuer and subject are the same name (RFC 5280 §6.1 "self-issued"). */
  readonly isSelfIssued: boolean;
  /** Documented device quirks repaired before parsing (docs/quirks.md); empty for nearly all. */
  readonly quirks: readonly CertificateQuirk[];
}

/** What the X.509 layer keeps per parsed certificate, outside the public object. */
export interface CertificateInternals {
  /** A private copy of the DER, immune to changes of the public `der` array. */
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly fingerprint: string;
  readonly signatureValue: asn1js.BitString;
  /** The decoded outer signatureAlgorithm and SubjectPublicKeyInfo, for pkijs. */
  readonly signatureAlgorithmNode: asn1js.Sequence;
  readonly spkiNode: asn1js.Sequence;
  /** Built from the nodes above on the first signature check that needs them. */
  signatureAlgorithm?: pkijs.AlgorithmIdentifier;
  publicKeyInfo?: pkijs.PublicKeyInfo;
  /** The tbsCertificate as a string key (duplicate detection), built on first use. */
  tbsKey?: string;
}

const INTERNALS = new WeakMap<ParsedCertificate, CertificateInternals>();
const PARSED_CACHE_SIZE = 256;
const parsedCache = new BoundedCache<string, ParsedCertificate>(PARSED_CACHE_SIZE);

/** Empties the parsed-certificate cache. */
export function clearParsedCertificateCache(): void {
  parsedCache.clear();
}

/**
 * The internals of a certificate this module parsed.
 *
 * @throws WebAuthnError `ERR_OPTIONS_INVALID` naming `field` for any other value (a caller's
 *   mistake when it reaches a low-level export).
 */
export function certificateInternals(cert: ParsedCertificate, field = 'certificate'): CertificateInternals {
  const internals = typeof cert === 'object' && cert !== null ? INTERNALS.get(cert) : undefined;
  if (internals === undefined) {
    fail('ERR_OPTIONS_INVALID', `${field} is not a ParsedCertificate returned by parseCertificate`, { details: { field } });
  }
  return internals;
}

const STEP = '7.1.22';

function malformed(message: string): never {
  fail('ERR_CERT_MALFORMED', `Certificate ${message}`, { step: STEP });
}

function parseTime(node: asn1js.AsnType | undefined, what: string): Date {
  return parseX509Time(node) ?? malformed(`${what} is not an RFC 5280 UTCTime or GeneralizedTime`);
}

function parseExtensions(node: asn1js.AsnType | undefined): X509Extension[] {
  const wrapper = contextItems(node, 3);
  const list = wrapper?.length === 1 && wrapper[0] instanceof asn1js.Sequence ? wrapper[0].valueBlock.value : undefined;
  if (list === undefined || list.length === 0) malformed('extensions are not a non-empty SEQUENCE');
  const seen = new Set<string>();
  const extensions: X509Extension[] = [];
  for (const item of list) {
    const parts = item instanceof asn1js.Sequence ? item.valueBlock.value : [];
    const oid = oidOf(parts[0]);
    const hasCritical = parts.length === 3;
    const criticalNode = hasCritical ? parts[1] : undefined;
    const valueNode = parts[hasCritical ? 2 : 1];
    if (
      oid === undefined ||
      (parts.length !== 2 && !hasCritical) ||
      (hasCritical && !(criticalNode instanceof asn1js.Boolean)) ||
      !(valueNode instanceof asn1js.OctetString)
    ) {
      malformed('has a malformed Extension');
    }
    if (seen.has(oid)) {
      fail('ERR_CERT_EXTENSION_INVALID', `Certificate repeats extension ${oid} (RFC 5280 §4.2)`, {
        step: STEP,
        details: { field: oid },
      });
    }
    seen.add(oid);
    const critical = criticalNode instanceof asn1js.Boolean ? criticalNode.valueBlock.value : false;
    // RFC 5280 §4.1 `critical BOOLEAN DEFAULT FALSE`: DER (X.690 §11.5) leaves the default out.
    if (hasCritical && !critical) malformed(`extension ${oid} encodes critical FALSE, DER omits a DEFAULT value`);
    extensions.push(freezeWithOwnedBytes({ oid, critical } as X509Extension, { value: primitiveBytes(valueNode) }));
  }
  return extensions;
}

/** Attribute values compared as RFC 5280 §7.1 asks, simplified: trimmed, spaces collapsed, case-folded. */
function normalizeValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * True when two names are the same name: identical DER, or the same attribute types in the same
 * order with values equal after RFC 5280 §7.1-style normalization.
 */
export function namesMatch(a: X509Name, b: X509Name): boolean {
  if (equalBytes(a.der, b.der)) return true;
  if (a.attributes.length !== b.attributes.length) return false;
  for (let i = 0; i < a.attributes.length; i++) {
    const x = a.attributes[i]!;
    const y = b.attributes[i]!;
    if (x.type !== y.type || normalizeValue(x.value) !== normalizeValue(y.value)) return false;
  }
  return true;
}

function buildCertificate(carried: Uint8Array, fingerprint: string): ParsedCertificate {
  // A listed device certificate is parsed from its repaired encoding; identity stays the carried one.
  const repaired = repairKnownCertificate(carried, fingerprint);
  const der = repaired?.der ?? carried;
  const root = decodeDer(der, 'Certificate', CERT_LIMITS, 'ERR_CERT_MALFORMED', STEP);
  const top = root instanceof asn1js.Sequence ? root.valueBlock.value : [];
  const [tbsNode, outerAlgorithm, signatureValue] = top;
  if (top.length !== 3 || !(tbsNode instanceof asn1js.Sequence) || !(outerAlgorithm instanceof asn1js.Sequence)) {
    malformed('is not a SEQUENCE of tbsCertificate, signatureAlgorithm and signatureValue');
  }
  if (bitStringOctets(signatureValue) === undefined) malformed('signatureValue is not a whole-byte BIT STRING');
  const tbs = tbsNode.valueBlock.value;
  let i = 0;
  let version: 1 | 2 | 3 = 1;
  if (isContextTag(tbs[0], 0)) {
    const inner = contextItems(tbs[0], 0);
    const value = inner?.length === 1 && inner[0] instanceof asn1js.Integer ? inner[0].valueBlock.valueDec : -1;
    if (value !== 0 && value !== 1 && value !== 2) malformed('version is not v1, v2 or v3');
    // RFC 5280 §4.1 `version [0] EXPLICIT Version DEFAULT v1`: DER (X.690 §11.5) omits v1.
    if (value === 0) malformed('version v1 is encoded, DER omits a DEFAULT value');
    version = (value + 1) as 1 | 2 | 3;
    i = 1;
  }
  const serial = tbs[i++];
  const innerAlgorithm = tbs[i++];
  const issuerNode = tbs[i++];
  const validity = tbs[i++];
  const subjectNode = tbs[i++];
  const spkiNode = tbs[i++];
  if (!(serial instanceof asn1js.Integer) || serial.valueBlock.valueHexView.length === 0) malformed('serialNumber is not an INTEGER');
  if (!(innerAlgorithm instanceof asn1js.Sequence) || !equalBytes(encodedBytes(innerAlgorithm), encodedBytes(outerAlgorithm))) {
    malformed('signature algorithm inside and outside tbsCertificate differ (RFC 5280 §4.1.1.2)');
  }
  const signatureAlgorithm = oidOf(outerAlgorithm.valueBlock.value[0]) ?? malformed('signatureAlgorithm has no OID');
  // RFC 5480 §2.2.3 / RFC 3279 §2.2.3: an ECDSA signatureValue holds exactly one DER Ecdsa-Sig-Value.
  if (ECDSA_SIGNATURE_OIDS.has(signatureAlgorithm) && !isDerEcdsaSignature(bitStringOctets(signatureValue) as Uint8Array)) {
    malformed('ECDSA signatureValue is not a DER SEQUENCE of two minimal positive INTEGERs');
  }
  const times = validity instanceof asn1js.Sequence ? validity.valueBlock.value : [];
  if (times.length !== 2) malformed('validity is not a SEQUENCE of two times');
  const notBefore = parseTime(times[0], 'notBefore');
  const notAfter = parseTime(times[1], 'notAfter');
  const issuer = parseName(issuerNode, 'Certificate issuer');
  const subject = parseName(subjectNode, 'Certificate subject');

  const spkiParts = spkiNode instanceof asn1js.Sequence ? spkiNode.valueBlock.value : [];
  const algorithmParts = spkiParts[0] instanceof asn1js.Sequence ? spkiParts[0].valueBlock.value : [];
  const keyOid = oidOf(algorithmParts[0]);
  if (!(spkiNode instanceof asn1js.Sequence) || spkiParts.length !== 2 || keyOid === undefined || !(spkiParts[1] instanceof asn1js.BitString)) {
    malformed('subjectPublicKeyInfo is malformed');
  }
  // Every key type this library reads encodes subjectPublicKey as whole octets (RFC 5480, 8410, 3279).
  if (bitStringOctets(spkiParts[1]) === undefined) malformed('subjectPublicKey is not a whole-byte BIT STRING');
  let publicKeyAlgorithm: PublicKeyAlgorithm = { oid: keyOid };
  if (keyOid === OID_EC_PUBLIC_KEY) {
    const curve = oidOf(algorithmParts[1]);
    if (curve === undefined || algorithmParts.length !== 2) malformed('EC key has no named curve');
    publicKeyAlgorithm = { oid: keyOid, curve };
  }

  if (isContextTag(tbs[i], 1)) {
    if (version === 1) malformed('v1 certificate has an issuerUniqueID');
    i++;
  }
  if (isContextTag(tbs[i], 2)) {
    if (version === 1) malformed('v1 certificate has a subjectUniqueID');
    i++;
  }
  let extensions: X509Extension[] = [];
  if (isContextTag(tbs[i], 3)) {
    if (version !== 3) malformed('has extensions but is not v3');
    extensions = parseExtensions(tbs[i]);
    i++;
  }
  if (i !== tbs.length) malformed('tbsCertificate has unexpected members');

  let basicConstraints: BasicConstraints | undefined;
  let keyUsage: readonly KeyUsageName[] | undefined;
  let extendedKeyUsage: readonly string[] | undefined;
  let subjectAltName: SubjectAltName | undefined;
  for (const extension of extensions) {
    if (extension.oid === OID_BASIC_CONSTRAINTS) basicConstraints = parseBasicConstraints(extension.value);
    else if (extension.oid === OID_KEY_USAGE) keyUsage = parseKeyUsage(extension.value);
    else if (extension.oid === OID_EXT_KEY_USAGE) extendedKeyUsage = parseExtendedKeyUsage(extension.value);
    else if (extension.oid === OID_SUBJECT_ALT_NAME) subjectAltName = parseSubjectAltName(extension.value);
  }

  const publicFields = {
    version,
    serialNumber: toHex(serial.valueBlock.valueHexView),
    signatureAlgorithm,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKeyAlgorithm: Object.freeze(publicKeyAlgorithm),
    basicConstraints,
    keyUsage,
    extendedKeyUsage,
    subjectAltName,
    extensions: Object.freeze(extensions),
    sha256Fingerprint: fingerprint,
    isSelfIssued: namesMatch(issuer, subject),
    quirks: Object.freeze(repaired === undefined ? [] : [repaired.quirk]),
  };
  const parsed = freezeWithOwnedBytes(publicFields as typeof publicFields & { der: Uint8Array; spki: Uint8Array }, {
    der: carried,
    spki: encodedBytes(spkiNode),
  }) as ParsedCertificate;
  INTERNALS.set(parsed, {
    der: carried,
    tbs: encodedBytes(tbsNode),
    fingerprint,
    signatureValue: signatureValue as asn1js.BitString,
    signatureAlgorithmNode: outerAlgorithm,
    spkiNode,
  });
  return parsed;
}

/**
 * Parses one DER X.509 certificate (at most 8 KiB, bounded nesting). Synchronous. The same DER
 * returns the same (frozen) object while it stays in a bounded cache.
 *
 * @throws WebAuthnError `ERR_OPTIONS_INVALID` when `der` is not a Uint8Array;
 *   `ERR_CERT_MALFORMED` when the bytes are not a well-formed DER certificate;
 *   `ERR_CERT_EXTENSION_INVALID` when an extension it interprets (basicConstraints, keyUsage,
 *   extKeyUsage, subjectAltName) is malformed, or an extension is repeated.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  if (!(der instanceof Uint8Array)) {
    fail('ERR_OPTIONS_INVALID', 'parseCertificate expects the DER bytes as a Uint8Array', { details: { field: 'der' } });
  }
  if (der.length > CERT_LIMITS.maxBytes) {
    fail('ERR_CERT_MALFORMED', `Certificate is larger than ${CERT_LIMITS.maxBytes} bytes`, {
      step: STEP,
      details: { expected: CERT_LIMITS.maxBytes, received: der.length },
    });
  }
  const copy = der.slice();
  const fingerprint = sha256Hex(copy);
  const cached = parsedCache.get(fingerprint);
  if (cached !== undefined) return cached;
  try {
    const parsed = buildCertificate(copy, fingerprint);
    parsedCache.set(fingerprint, parsed);
    return parsed;
  } catch (error) {
    if (error instanceof WebAuthnError) throw error;
    fail('ERR_CERT_MALFORMED', 'Certificate could not be decoded', { step: STEP, cause: error });
  }
}
