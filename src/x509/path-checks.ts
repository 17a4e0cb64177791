/**
 * The per-certificate rules of certification path validation (RFC 5280 §6.1.3 and §6.1.4,
 * reduced to what attestation needs): validity at `now`, critical extensions understood, and the
 * rules on a certificate that issues another (CA, keyCertSign, pathLenConstraint).
 */
import { fail, type WebAuthnErrorDetails } from '../errors.js';
import type { ParsedCertificate } from './certificate.js';
import { formatName } from './names.js';
import {
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_POLICIES,
  OID_EXT_KEY_USAGE,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_SUBJECT_KEY_IDENTIFIER,
} from './oids.js';

/** The step every path failure names. */
export const PATH_STEP = '7.1.24';

/** Where a certificate sits: its x5c index, or the anchor. */
export type PathPosition = number | 'anchor';

/**
 * Critical extensions a path may carry. certificatePolicies is accepted without policy
 * processing: attestation trust comes from the anchor, not from a policy OID.
 * nameConstraints is deliberately absent, so a critical one is refused as unsupported.
 */
const UNDERSTOOD_CRITICAL = new Set([
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  OID_EXT_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_CERTIFICATE_POLICIES,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_SUBJECT_KEY_IDENTIFIER,
]);

/** Throws `ERR_CERT_CHAIN_INVALID` (step 7.1.24) with `details.reason`. */
export function chainInvalid(message: string, details: WebAuthnErrorDetails): never {
  fail('ERR_CERT_CHAIN_INVALID', message, { step: PATH_STEP, details });
}

/** RFC 5280 §6.1.3 (a)(2): the certificate is valid at `now` (both ends inclusive). */
export function checkValidity(cert: ParsedCertificate, now: Date, index: PathPosition): void {
  const time = now.getTime();
  if (time < cert.notBefore.getTime()) {
    fail('ERR_CERT_NOT_YET_VALID', `Certificate ${index} is not valid before ${cert.notBefore.toISOString()}`, {
      step: PATH_STEP,
      details: { index, subject: formatName(cert.subject), expected: cert.notBefore.toISOString(), received: now.toISOString() },
    });
  }
  if (time > cert.notAfter.getTime()) {
    fail('ERR_CERT_EXPIRED', `Certificate ${index} expired at ${cert.notAfter.toISOString()}`, {
      step: PATH_STEP,
      details: { index, subject: formatName(cert.subject), expected: cert.notAfter.toISOString(), received: now.toISOString() },
    });
  }
}

/** RFC 5280 §6.1.4 (o): every critical extension is one this library processes. */
export function checkCriticalExtensions(cert: ParsedCertificate, index: PathPosition): void {
  for (const extension of cert.extensions) {
    if (extension.critical && !UNDERSTOOD_CRITICAL.has(extension.oid)) {
      fail('ERR_CERT_EXTENSION_INVALID', `Certificate ${index} has critical extension ${extension.oid}, which is not supported`, {
        step: PATH_STEP,
        details: { index, field: extension.oid },
      });
    }
  }
}

/**
 * The rules on a certificate that issues another (RFC 5280 §6.1.4 (k), (l), (m), (n)): CA true
 * (required for x5c members; for an anchor only when it carries basicConstraints, so v1 roots
 * stay usable), keyCertSign when keyUsage is present, and pathLenConstraint against the
 * intermediates below it.
 */
export function checkIssuer(issuer: ParsedCertificate, index: PathPosition, intermediatesBelow: number, isAnchor: boolean): void {
  const constraints = issuer.basicConstraints;
  if (constraints === undefined ? !isAnchor : !constraints.ca) {
    chainInvalid(`Certificate ${index} issues a certificate but is not a CA (basicConstraints)`, { index, reason: 'not-ca' });
  }
  if (issuer.keyUsage !== undefined && !issuer.keyUsage.includes('keyCertSign')) {
    chainInvalid(`Certificate ${index} issues a certificate but its keyUsage lacks keyCertSign`, {
      index,
      reason: 'no-key-cert-sign',
    });
  }
  const limit = constraints?.pathLenConstraint;
  if (limit !== undefined && intermediatesBelow > limit) {
    chainInvalid(`Certificate ${index} allows ${limit} intermediate CAs below it, the path has ${intermediatesBelow}`, {
      index,
      reason: 'path-length',
      expected: limit,
      received: intermediatesBelow,
    });
  }
}
