/**
 * RSASSA-PSS signature algorithm parameters (RFC 4055 §3.1), read exactly:
 *
 * ```
 * RSASSA-PSS-params ::= SEQUENCE {
 *   hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1Identifier,
 *   maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
 *   saltLength         [2] INTEGER          DEFAULT 20,
 *   trailerField       [3] INTEGER          DEFAULT trailerFieldBC }   -- trailerFieldBC = 1
 * ```
 *
 * What is verified is what WebCrypto's RSA-PSS does: MGF1 with the message hash, a given salt
 * length, trailer 0xBC. So the parameters must say exactly that: the MGF1 hash equal to the hash
 * (a certificate declaring MGF1-SHA-1 with SHA-256 is refused, never verified as something else),
 * a salt as long as the hash (RFC 4055 §3.1 and RFC 8017 §9.1 recommend it; every PSS-signed
 * certificate we know of uses it), trailer 1. DEFAULT values written out are not DER (X.690
 * §11.5). Absent or empty parameters mean SHA-1, MGF1-SHA-1, salt 20: a SHA-1 signature.
 */
import * as asn1js from 'asn1js';
import { fail } from '../errors.js';
import { contextItems, oidOf, sequenceItems } from './der.js';

/** The hash of a PSS signature, as WebCrypto names it. */
export type PssHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** The parameters a PSS signature is verified with. */
export interface PssParameters {
  readonly hash: PssHash;
  readonly saltLength: number;
}

const OID_MGF1 = '1.2.840.113549.1.1.8';
const HASHES: Readonly<Record<string, { readonly name: PssHash; readonly length: number }>> = Object.assign(Object.create(null), {
  '1.3.14.3.2.26': { name: 'SHA-1', length: 20 },
  '2.16.840.1.101.3.4.2.1': { name: 'SHA-256', length: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'SHA-384', length: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'SHA-512', length: 64 },
});
const SHA1 = HASHES['1.3.14.3.2.26'] as { readonly name: PssHash; readonly length: number };

function malformed(what: string, reason: string, step: string | undefined): never {
  fail('ERR_CERT_MALFORMED', `${what} RSASSA-PSS parameters: ${reason}`, {
    ...(step === undefined ? {} : { step }),
    details: { field: 'signatureAlgorithm.parameters', reason },
  });
}

function unsupported(what: string, reason: string, step: string | undefined): never {
  fail('ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', `${what} RSASSA-PSS parameters: ${reason}`, {
    ...(step === undefined ? {} : { step }),
    details: { field: 'signatureAlgorithm.parameters', reason },
  });
}

/** A HashAlgorithm: a known hash OID with absent or NULL parameters (RFC 4055 §2.1 accepts both). */
function hashOf(node: asn1js.AsnType | undefined, what: string, step: string | undefined) {
  const parts = sequenceItems(node);
  const oid = oidOf(parts?.[0]);
  if (parts === undefined || oid === undefined || parts.length > 2 || (parts.length === 2 && !(parts[1] instanceof asn1js.Null))) {
    malformed(what, 'a hash AlgorithmIdentifier is malformed', step);
  }
  return HASHES[oid] ?? unsupported(what, `hash ${oid} is not SHA-1, SHA-256, SHA-384 or SHA-512`, step);
}

/** The single INTEGER inside an EXPLICIT tag, as a small non-negative number. */
function smallInteger(node: asn1js.AsnType | undefined, what: string, field: string, step: string | undefined): number {
  const inner = (node as asn1js.Constructed).valueBlock.value;
  const value = inner.length === 1 && inner[0] instanceof asn1js.Integer ? inner[0] : undefined;
  const bytes = value?.valueBlock.valueHexView;
  if (bytes === undefined || bytes.length > 2 || ((bytes[0] as number) & 0x80) !== 0) malformed(what, `${field} is not a small INTEGER`, step);
  return (value as asn1js.Integer).valueBlock.valueDec;
}

/**
 * The hash and salt length `algorithm` (a decoded RSASSA-PSS AlgorithmIdentifier) declares.
 *
 * @throws WebAuthnError `ERR_CERT_MALFORMED` when the parameters are not DER RSASSA-PSS-params
 *   (a member out of order, repeated or unknown, a DEFAULT written out);
 *   `ERR_CERT_SIGNATURE_ALG_UNSUPPORTED` for a combination not verified here (an unknown hash, a
 *   mask generation other than MGF1 with the message hash, a salt not the hash length, a trailer
 *   other than 1).
 */
export function parsePssParameters(algorithm: asn1js.AsnType, what: string, step?: string): PssParameters {
  const parts = sequenceItems(algorithm) ?? [];
  const params = parts[1];
  if (parts.length > 2) malformed(what, 'AlgorithmIdentifier has extra members', step);
  // Absent (or NULL, as some encoders write) parameters: every member takes its DEFAULT.
  if (params === undefined || params instanceof asn1js.Null) return Object.freeze({ hash: 'SHA-1', saltLength: 20 });
  const members = sequenceItems(params);
  if (!(params instanceof asn1js.Sequence) || members === undefined) malformed(what, 'parameters are not a SEQUENCE', step);
  let hash = SHA1;
  let mgfHash = SHA1;
  let saltLength = 20;
  let lastTag = -1;
  for (const member of members) {
    const tag = [0, 1, 2, 3].find((candidate) => contextItems(member, candidate) !== undefined);
    if (tag === undefined || tag <= lastTag) malformed(what, 'a member is unknown, repeated or out of order', step);
    lastTag = tag;
    const inner = contextItems(member, tag) as asn1js.AsnType[];
    if (tag === 0) {
      if (inner.length !== 1) malformed(what, 'hashAlgorithm is malformed', step);
      hash = hashOf(inner[0], what, step);
      if (hash === SHA1) malformed(what, 'hashAlgorithm SHA-1 is written out, DER omits a DEFAULT value', step);
    } else if (tag === 1) {
      const mgf = inner.length === 1 ? sequenceItems(inner[0]) : undefined;
      if (mgf === undefined || mgf.length !== 2) malformed(what, 'maskGenAlgorithm is malformed', step);
      const mgfOid = oidOf(mgf[0]);
      if (mgfOid !== OID_MGF1) unsupported(what, `mask generation ${mgfOid ?? '?'} is not MGF1`, step);
      mgfHash = hashOf(mgf[1], what, step);
      if (mgfHash === SHA1) malformed(what, 'maskGenAlgorithm MGF1-SHA-1 is written out, DER omits a DEFAULT value', step);
    } else if (tag === 2) {
      saltLength = smallInteger(member, what, 'saltLength', step);
      if (saltLength === 20) malformed(what, 'saltLength 20 is written out, DER omits a DEFAULT value', step);
    } else {
      const trailer = smallInteger(member, what, 'trailerField', step);
      if (trailer === 1) malformed(what, 'trailerField 1 is written out, DER omits a DEFAULT value', step);
      unsupported(what, `trailerField ${trailer} is not 1 (0xBC)`, step);
    }
  }
  if (mgfHash !== hash) unsupported(what, `MGF1 uses ${mgfHash.name} but the signature hash is ${hash.name}`, step);
  if (saltLength !== hash.length) unsupported(what, `saltLength ${saltLength} is not the ${hash.name} length ${hash.length}`, step);
  return Object.freeze({ hash: hash.name, saltLength });
}
