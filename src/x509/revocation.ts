/**
 * Revocation from CRLs the caller supplies (RFC 5280 §5, §6.3, simplified): never fetched, only
 * used when given. A CRL counts for a certificate when its issuer name is the certificate's
 * issuer and its signature verifies with the issuer's key; it is current when
 * thisUpdate ≤ now < nextUpdate. Delta, indirect and partitioned CRLs are not supported.
 */
import * as asn1js from 'asn1js';
import { fail, WebAuthnError } from '../errors.js';
import { equalBytes, toHex } from '../encoding/bytes.js';
import { namesMatch, type ParsedCertificate } from './certificate.js';
import { bitStringOctets, contextItems, CRL_LIMITS, decodeDer, encodedBytes, oidOf, parseX509Time } from './der.js';
import { type X509Name, parseName } from './names.js';
import { OID_AUTHORITY_KEY_IDENTIFIER, OID_CRL_NUMBER, OID_CRL_REASON, OID_INVALIDITY_DATE } from './oids.js';
import { type Pkijs, type SignatureOptions, type SignedObject, verifySignedObject } from './signature.js';

const STEP = '7.1.24';

/** Revocation input of a path validation. */
export interface RevocationOptions {
  /** DER CRLs. Only those whose issuer is on the path are used. */
  readonly crls: readonly Uint8Array[];
  /**
   * `require`: every certificate issued on the path needs a current, authentic CRL of its issuer.
   * `if-available`: only the CRLs given are consulted.
   */
  readonly mode: 'require' | 'if-available';
}

interface ParsedCrl {
  readonly issuer: X509Name;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Minimal hex of each revoked serial number. */
  readonly revoked: ReadonlySet<string>;
  /** Why the CRL cannot be interpreted (a critical extension not understood), if it cannot. */
  readonly unsupported: string | undefined;
  readonly signed: SignedObject;
}

const KNOWN_CRL_EXTENSIONS = new Set([OID_CRL_NUMBER, OID_AUTHORITY_KEY_IDENTIFIER]);
const KNOWN_ENTRY_EXTENSIONS = new Set([OID_CRL_REASON, OID_INVALIDITY_DATE]);

function malformed(message: string): never {
  fail('ERR_CERT_MALFORMED', `CRL ${message}`, { step: STEP });
}

/** Hex of serial number content octets, reduced to minimal two's complement. */
function serialKey(hex: string): string {
  let start = 0;
  while (start < hex.length - 2 && hex.startsWith('00', start) && Number.parseInt(hex[start + 2] as string, 16) < 8) start += 2;
  return hex.slice(start);
}

/** The first critical extension OID of `list` not in `known`, if any. */
function unknownCritical(list: asn1js.AsnType | undefined, known: ReadonlySet<string>): string | undefined {
  const items = list instanceof asn1js.Sequence ? list.valueBlock.value : malformed('extensions are not a SEQUENCE');
  for (const item of items) {
    const parts = item instanceof asn1js.Sequence ? item.valueBlock.value : [];
    const oid = oidOf(parts[0]);
    if (oid === undefined || parts.length < 2 || parts.length > 3) malformed('has a malformed extension');
    const critical = parts.length === 3 && parts[1] instanceof asn1js.Boolean && parts[1].valueBlock.value;
    if (critical && !known.has(oid)) return oid;
  }
  return undefined;
}

function parseCrl(der: Uint8Array): ParsedCrl {
  const root = decodeDer(der, 'CRL', CRL_LIMITS, 'ERR_CERT_MALFORMED', STEP);
  const top = root instanceof asn1js.Sequence ? root.valueBlock.value : [];
  const [tbsNode, algorithmNode, signatureNode] = top;
  if (top.length !== 3 || !(tbsNode instanceof asn1js.Sequence) || !(algorithmNode instanceof asn1js.Sequence)) {
    malformed('is not a CertificateList');
  }
  if (bitStringOctets(signatureNode) === undefined || !(signatureNode instanceof asn1js.BitString)) {
    malformed('signatureValue is not a whole-byte BIT STRING');
  }
  const tbs = tbsNode.valueBlock.value;
  let i = tbs[0] instanceof asn1js.Integer ? 1 : 0;
  const innerAlgorithm = tbs[i++];
  if (!(innerAlgorithm instanceof asn1js.Sequence)) malformed('has no signature algorithm');
  if (!equalBytes(encodedBytes(innerAlgorithm), encodedBytes(algorithmNode))) malformed('signature algorithms differ');
  const issuer = parseName(tbs[i++], 'CRL issuer');
  const thisUpdate = parseX509Time(tbs[i++]) ?? malformed('thisUpdate is not an RFC 5280 time');
  let nextUpdate: Date | undefined;
  // asn1js GeneralizedTime is a UTCTime subclass, so this matches both time types.
  if (tbs[i] instanceof asn1js.UTCTime) nextUpdate = parseX509Time(tbs[i++]) ?? malformed('nextUpdate is not an RFC 5280 time');
  const revoked = new Set<string>();
  let unsupported: string | undefined;
  if (tbs[i] instanceof asn1js.Sequence) {
    for (const entry of (tbs[i] as asn1js.Sequence).valueBlock.value) {
      const parts = entry instanceof asn1js.Sequence ? entry.valueBlock.value : [];
      const serial = parts[0];
      if (!(serial instanceof asn1js.Integer) || parts.length < 2 || parts.length > 3) malformed('has a malformed revoked entry');
      if (parts.length === 3) unsupported ??= unknownCritical(parts[2], KNOWN_ENTRY_EXTENSIONS);
      revoked.add(serialKey(toHex(serial.valueBlock.valueHexView)));
    }
    i++;
  }
  const extensions = contextItems(tbs[i], 0);
  if (extensions !== undefined) {
    if (extensions.length !== 1) malformed('crlExtensions are malformed');
    unsupported ??= unknownCritical(extensions[0], KNOWN_CRL_EXTENSIONS);
    i++;
  }
  if (i !== tbs.length) malformed('tbsCertList has unexpected members');
  const algorithmOid = oidOf(algorithmNode.valueBlock.value[0]) ?? malformed('signatureAlgorithm has no OID');
  const algorithm = (lib: Pkijs) => new lib.AlgorithmIdentifier({ schema: algorithmNode });
  return {
    issuer,
    thisUpdate,
    nextUpdate,
    revoked,
    unsupported,
    signed: { what: 'CRL', tbs: encodedBytes(tbsNode), algorithmOid, algorithmNode, algorithm, signature: signatureNode },
  };
}

/** Parses every CRL (ERR_CERT_MALFORMED for one that is not a CRL). */
export function parseCrls(crls: readonly Uint8Array[]): ParsedCrl[] {
  const parsed: ParsedCrl[] = [];
  for (const der of crls) {
    if (!(der instanceof Uint8Array)) fail('ERR_OPTIONS_INVALID', 'revocation.crls must hold DER bytes', { details: { field: 'revocation.crls' } });
    try {
      parsed.push(parseCrl(der));
    } catch (error) {
      if (error instanceof WebAuthnError) throw error;
      fail('ERR_CERT_MALFORMED', 'CRL could not be decoded', { step: STEP, cause: error });
    }
  }
  return parsed;
}

/** One certificate of the path with the certificate that issued it. */
export interface IssuedLink {
  readonly subject: ParsedCertificate;
  readonly issuer: ParsedCertificate;
  readonly index: number;
}

/**
 * Checks `link.subject` against the CRLs of its issuer.
 *
 * @throws WebAuthnError `ERR_CERT_REVOKED` when an authentic CRL lists it (current or not: a
 *   revocation does not expire); `ERR_CERT_REVOCATION_UNKNOWN` when a CRL that names its issuer
 *   is not authentic or cannot be interpreted, or, in `require` mode, when no authentic current
 *   CRL covers it.
 */
export async function checkRevocation(
  link: IssuedLink,
  crls: readonly ParsedCrl[],
  mode: RevocationOptions['mode'],
  now: Date,
  options: SignatureOptions,
): Promise<void> {
  const { subject, issuer, index } = link;
  const serial = serialKey(subject.serialNumber);
  let covered = false;
  for (const crl of crls) {
    if (!namesMatch(crl.issuer, subject.issuer) || !namesMatch(crl.issuer, issuer.subject)) continue;
    const unknown = (reason: string, message: string): never =>
      fail('ERR_CERT_REVOCATION_UNKNOWN', message, { step: STEP, details: { index, reason } });
    if (issuer.keyUsage !== undefined && !issuer.keyUsage.includes('cRLSign')) {
      unknown('issuer-not-crl-signer', `A CRL names certificate ${index}'s issuer, whose keyUsage lacks cRLSign`);
    }
    if (!(await verifySignedObject(crl.signed, issuer, { ...options, step: STEP }))) {
      unknown('crl-signature-invalid', `The signature of a CRL of certificate ${index}'s issuer does not verify`);
    }
    if (crl.revoked.has(serial)) {
      fail('ERR_CERT_REVOKED', `Certificate ${index} (serial ${subject.serialNumber}) is revoked`, {
        step: STEP,
        details: { index, received: subject.serialNumber },
      });
    }
    if (crl.unsupported !== undefined) {
      unknown('crl-unsupported', `A CRL of certificate ${index}'s issuer has critical extension ${crl.unsupported}`);
    }
    const current =
      crl.thisUpdate.getTime() <= now.getTime() && crl.nextUpdate !== undefined && now.getTime() < crl.nextUpdate.getTime();
    if (current) covered = true;
  }
  if (mode === 'require' && !covered) {
    fail('ERR_CERT_REVOCATION_UNKNOWN', `No current, authentic CRL covers certificate ${index}`, {
      step: STEP,
      details: { index, reason: 'no-current-crl' },
    });
  }
}
