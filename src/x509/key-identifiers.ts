/**
 * Key identifiers (RFC 5280 §4.2.1.1 authorityKeyIdentifier, §4.2.1.2 subjectKeyIdentifier) as
 * path-building hints: when a child names its issuer's key and a candidate names its own key and
 * the two differ, the candidate is not the issuer and its signature is never tried. They decide
 * nothing else — trust comes from a verified signature up to an anchor.
 */
import * as asn1js from 'asn1js';
import { equalBytes } from '../encoding/bytes.js';
import type { ParsedCertificate } from './certificate.js';
import { decodeDer, EXTENSION_LIMITS, primitiveBytes } from './der.js';
import { OID_AUTHORITY_KEY_IDENTIFIER, OID_SUBJECT_KEY_IDENTIFIER } from './oids.js';

/** The two identifiers of one certificate (undefined when absent or unreadable). */
interface KeyIdentifiers {
  readonly subject: Uint8Array | undefined;
  readonly authority: Uint8Array | undefined;
}

const IDENTIFIERS = new WeakMap<ParsedCertificate, KeyIdentifiers>();

function extensionValue(cert: ParsedCertificate, oid: string): Uint8Array | undefined {
  return cert.extensions.find((extension) => extension.oid === oid)?.value;
}

/** RFC 5280 §4.2.1.2: SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING). */
function readSubjectKeyIdentifier(value: Uint8Array | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const node = decodeDer(value, 'subjectKeyIdentifier', EXTENSION_LIMITS, 'ERR_CERT_EXTENSION_INVALID');
  return node instanceof asn1js.OctetString ? primitiveBytes(node).slice() : undefined;
}

/** RFC 5280 §4.2.1.1: AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }. */
function readAuthorityKeyIdentifier(value: Uint8Array | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const node = decodeDer(value, 'authorityKeyIdentifier', EXTENSION_LIMITS, 'ERR_CERT_EXTENSION_INVALID');
  if (!(node instanceof asn1js.Sequence)) return undefined;
  const first = node.valueBlock.value[0];
  if (!(first instanceof asn1js.Primitive) || first.idBlock.tagClass !== 3 || first.idBlock.tagNumber !== 0) return undefined;
  return primitiveBytes(first).slice();
}

function orUndefined(read: () => Uint8Array | undefined): Uint8Array | undefined {
  try {
    return read();
  } catch {
    // A hint only: an identifier that cannot be read is treated as absent (docs/trust.md).
    return undefined;
  }
}

function identifiersOf(cert: ParsedCertificate): KeyIdentifiers {
  let ids = IDENTIFIERS.get(cert);
  if (ids === undefined) {
    ids = {
      subject: orUndefined(() => readSubjectKeyIdentifier(extensionValue(cert, OID_SUBJECT_KEY_IDENTIFIER))),
      authority: orUndefined(() => readAuthorityKeyIdentifier(extensionValue(cert, OID_AUTHORITY_KEY_IDENTIFIER))),
    };
    IDENTIFIERS.set(cert, ids);
  }
  return ids;
}

/**
 * False only when both identifiers are present and differ: `child`'s authorityKeyIdentifier
 * names another key than `candidate`'s subjectKeyIdentifier. An absent identifier on either side
 * proves nothing, so the candidate stays one.
 */
export function keyIdentifiersAllow(child: ParsedCertificate, candidate: ParsedCertificate): boolean {
  const authority = identifiersOf(child).authority;
  const subject = identifiersOf(candidate).subject;
  return authority === undefined || subject === undefined || equalBytes(authority, subject);
}
