/** Typed access to attStmt members, shared by the format verifiers. */
import { fail } from '../errors.js';
import { type ParsedCertificate, parseCertificate } from '../x509/index.js';
import type { AttestationBudget, AttestationContext } from './types.js';

/** Largest x5c accepted (checklist §5: a handful of certificates is all attestation needs). */
export const MAX_X5C_LENGTH = 5;

/**
 * Largest number of certificates one registration parses, over all the sub-statements of a
 * compound statement (a single statement is bounded by {@link MAX_X5C_LENGTH}). Each certificate
 * costs a parse and up to two signature checks in trust evaluation (its issuer's, and the self-
 * signature test of a last certificate), so this caps the CPU a registration can ask for
 * (docs/security.md "Registration cost caps").
 */
export const MAX_REGISTRATION_CERTIFICATES = 10;

/** A fresh budget for one registration. */
export function createAttestationBudget(): AttestationBudget {
  return { remainingCertificates: MAX_REGISTRATION_CERTIFICATES };
}

/**
 * Takes `count` certificates from `budget` before they are parsed.
 *
 * @throws WebAuthnError `ERR_ATTESTATION_TOO_COSTLY` when the registration would exceed
 *   {@link MAX_REGISTRATION_CERTIFICATES}.
 */
export function chargeCertificates(budget: AttestationBudget | undefined, count: number, step: string): void {
  if (budget === undefined) return;
  if (count > budget.remainingCertificates) {
    fail('ERR_ATTESTATION_TOO_COSTLY', `The attestation carries more than ${MAX_REGISTRATION_CERTIFICATES} certificates in all`, {
      step,
      details: { field: 'x5c', expected: MAX_REGISTRATION_CERTIFICATES },
    });
  }
  budget.remainingCertificates -= count;
}

function invalid(step: string, message: string, field: string): never {
  return fail('ERR_ATTESTATION_STATEMENT_INVALID', message, { step, details: { field } });
}

function misuse(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', `Attestation context: ${message}`, { details: { field } });
}

/**
 * Checks the shape of a verifier's context up front, so that a format verifier called directly
 * (low-level exports, `getAttestationVerifier`) with a wrong argument reports
 * `ERR_OPTIONS_INVALID` naming the member, never a TypeError from inside.
 */
export function checkAttestationContext(context: AttestationContext): void {
  if (typeof context !== 'object' || context === null) misuse('context', 'expected an AttestationContext object');
  const { attStmt, authData, clientDataHash, credentialKey, now } = context;
  if (!(attStmt instanceof Map)) misuse('attStmt', 'attStmt must be a Map (the decoded CBOR map)');
  if (typeof authData !== 'object' || authData === null || !(authData.raw instanceof Uint8Array)) {
    misuse('authData', 'authData must be parsed authenticator data');
  }
  const attested = authData.attestedCredentialData;
  if (typeof attested !== 'object' || attested === null || !(attested.aaguid instanceof Uint8Array) || !(attested.credentialId instanceof Uint8Array)) {
    misuse('authData.attestedCredentialData', 'authData must carry attested credential data');
  }
  if (!(clientDataHash instanceof Uint8Array)) misuse('clientDataHash', 'clientDataHash must be bytes');
  if (typeof credentialKey !== 'object' || credentialKey === null || typeof credentialKey.kty !== 'string') {
    misuse('credentialKey', 'credentialKey must be a decoded COSE public key');
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) misuse('now', 'now must be a valid Date');
}

/** Rejects members other than `allowed` (a format's CDDL lists them all). */
export function checkMembers(attStmt: ReadonlyMap<unknown, unknown>, allowed: readonly string[], step: string): void {
  for (const key of attStmt.keys()) {
    if (typeof key !== 'string' || !allowed.includes(key)) {
      invalid(step, `attStmt has an unexpected member ${JSON.stringify(String(key).slice(0, 32))}`, String(key));
    }
  }
}

/** An integer member (e.g. `alg`). */
export function requireInteger(attStmt: ReadonlyMap<unknown, unknown>, name: string, step: string): number {
  const value = attStmt.get(name);
  if (typeof value !== 'number' || !Number.isInteger(value)) invalid(step, `attStmt.${name} is missing or not an integer`, name);
  return value;
}

/** A non-empty byte-string member (e.g. `sig`). */
export function requireBytes(attStmt: ReadonlyMap<unknown, unknown>, name: string, step: string): Uint8Array {
  const value = attStmt.get(name);
  if (!(value instanceof Uint8Array) || value.length === 0) {
    invalid(step, `attStmt.${name} is missing, not a byte string, or empty`, name);
  }
  return value;
}

/** `x5c`: a non-empty array of at most {@link MAX_X5C_LENGTH} DER certificates, parsed. */
export function parseX5c(value: unknown, step: string): ParsedCertificate[] {
  if (!Array.isArray(value) || value.length === 0) invalid(step, 'attStmt.x5c is not a non-empty array', 'x5c');
  if (value.length > MAX_X5C_LENGTH) invalid(step, `attStmt.x5c has more than ${MAX_X5C_LENGTH} certificates`, 'x5c');
  return value.map((der, index) => {
    if (!(der instanceof Uint8Array) || der.length === 0) invalid(step, `attStmt.x5c[${index}] is not a byte string`, 'x5c');
    return parseCertificate(der);
  });
}
