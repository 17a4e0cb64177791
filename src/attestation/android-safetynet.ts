/**
 * §8.5 Android SafetyNet attestation (deprecated in L3, still produced by older Android devices):
 * a SafetyNet JWS whose nonce binds it to this registration.
 */
import { backend } from '../crypto/backend.js';
import { ecdsaP1363ToDer } from '../crypto/ecdsa-der.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { assertBase64Url } from '../encoding/base64url.js';
import { concatBytes, decodeUtf8Strict, encodeUtf8 } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import { COSE_ALG_ES256, COSE_ALG_RS256 } from '../parse/cose-constants.js';
import { type ParsedCertificate, certificatePublicKey, getNameValues, parseCertificate } from '../x509/index.js';
import { MAX_X5C_LENGTH, chargeCertificates, checkMembers, requireBytes, checkAttestationContext } from './statement-fields.js';
import type { AttestationContext, StatementVerification } from './types.js';

const STEP = '8.5';

/** Largest SafetyNet response accepted (real ones are 4–9 KiB: two certificates and a payload). */
export const SAFETYNET_MAX_RESPONSE_BYTES = 32 * 1024;

/** Default age a SafetyNet response may have at `now` (the FIDO conformance tools use one minute). */
export const SAFETYNET_DEFAULT_MAX_AGE_MS = 60_000;

/** The host name Google's SafetyNet signing certificate is issued to. */
const SAFETYNET_HOSTNAME = 'attest.android.com';

// JWS "alg" → the COSE algorithm it is verified with. Google signs SafetyNet with RS256.
const JWS_ALGORITHMS: Readonly<Record<string, number>> = Object.assign(Object.create(null), {
  RS256: COSE_ALG_RS256,
  ES256: COSE_ALG_ES256,
});

function invalid(message: string, field: string): never {
  return fail('ERR_ATTESTATION_STATEMENT_INVALID', `SafetyNet: ${message}`, { step: STEP, details: { field } });
}

function decodeSegment(segment: string, field: string): Uint8Array {
  try {
    return backend.decodeBase64Url(segment, SAFETYNET_MAX_RESPONSE_BYTES * 2);
  } catch (error) {
    if (!isWebAuthnError(error)) throw error;
    return invalid(`the JWS ${field} is not base64url`, field);
  }
}

function parseJsonObject(bytes: Uint8Array, field: string): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8Strict(bytes));
  } catch {
    return invalid(`the JWS ${field} is not UTF-8 JSON`, field);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`the JWS ${field} is not an object`, field);
  return value as Readonly<Record<string, unknown>>;
}

/** Standard base64 (RFC 4648 §4, padded), which JWS x5c headers use for DER certificates. */
function standardBase64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) invalid('an x5c entry is not base64', 'x5c');
  const url = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  try {
    assertBase64Url(url);
  } catch {
    return invalid('an x5c entry is not canonical base64', 'x5c');
  }
  return backend.decodeBase64Url(url, SAFETYNET_MAX_RESPONSE_BYTES * 2);
}

function standardBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

function isIssuedToSafetyNet(leaf: ParsedCertificate): boolean {
  const dnsNames = (leaf.subjectAltName?.names ?? []).filter((name) => name.type === 'dNSName');
  if (dnsNames.length > 0) return dnsNames.some((name) => 'value' in name && name.value === SAFETYNET_HOSTNAME);
  return getNameValues(leaf.subject, 'CN').includes(SAFETYNET_HOSTNAME);
}

/**
 * Verifies an android-safetynet statement `{ver, response}` (§8.5): `ver` a non-empty version
 * string; `response` a compact JWS (RS256 or ES256) whose x5c header carries the signing chain,
 * leaf first, the leaf issued to attest.android.com and its key verifying the JWS; the payload's
 * `nonce` equal to base64(SHA-256(authenticatorData ‖ clientDataHash)), `ctsProfileMatch` true and
 * `timestampMs` neither after `now` nor older than the allowed age (default 60 s). The chain is
 * returned as the trust path (Basic) for path validation against the caller's anchors.
 */
export async function verifyAndroidSafetyNet(context: AttestationContext): Promise<StatementVerification> {
  checkAttestationContext(context);
  const { attStmt, authData, clientDataHash, now } = context;
  checkMembers(attStmt, ['ver', 'response'], STEP);
  const ver = attStmt.get('ver');
  if (typeof ver !== 'string' || ver.length === 0) invalid('ver is missing, not text, or empty', 'ver');
  const response = requireBytes(attStmt, 'response', STEP);
  if (response.length > SAFETYNET_MAX_RESPONSE_BYTES) invalid('response is too large', 'response');

  let jws: string;
  try {
    jws = decodeUtf8Strict(response);
  } catch {
    return invalid('response is not UTF-8', 'response');
  }
  const parts = jws.split('.');
  if (parts.length !== 3) invalid('response is not a compact JWS', 'response');
  const [headerText, payloadText, signatureText] = parts as [string, string, string];
  const header = parseJsonObject(decodeSegment(headerText, 'header'), 'header');
  const payload = parseJsonObject(decodeSegment(payloadText, 'payload'), 'payload');
  const signature = decodeSegment(signatureText, 'signature');

  const alg = typeof header.alg === 'string' ? JWS_ALGORITHMS[header.alg] : undefined;
  if (alg === undefined) invalid('the JWS alg is not RS256 or ES256', 'header.alg');
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_X5C_LENGTH || !x5c.every((c) => typeof c === 'string')) {
    invalid(`the JWS x5c header is not a list of 1 to ${MAX_X5C_LENGTH} certificates`, 'header.x5c');
  }
  chargeCertificates(context.budget, x5c.length, STEP);
  const chain = (x5c as string[]).map((entry) => parseCertificate(standardBase64ToBytes(entry)));
  const leaf = chain[0]!;
  if (!isIssuedToSafetyNet(leaf)) {
    fail('ERR_ATTESTATION_CERT_INVALID', `SafetyNet: the signing certificate is not issued to ${SAFETYNET_HOSTNAME}`, {
      step: STEP,
      details: { field: 'x5c[0]' },
    });
  }
  // JWS ECDSA signatures are the fixed-size r‖s (RFC 7518 §3.4); verification takes DER.
  const signatureForVerify = alg === COSE_ALG_ES256 ? ecdsaP1363ToDer(signature, 'P-256') : signature;
  if (signatureForVerify === null) {
    fail('ERR_ATTESTATION_SIGNATURE_INVALID', 'SafetyNet: an ES256 JWS signature must be 64 bytes (r‖s)', { step: STEP });
  }
  try {
    await verifySignature(certificatePublicKey(leaf, alg), encodeUtf8(`${headerText}.${payloadText}`), signatureForVerify, {
      step: STEP,
      allowedAlgorithms: [alg],
    });
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_SIGNATURE_INVALID')) {
      fail('ERR_ATTESTATION_SIGNATURE_INVALID', 'SafetyNet: the JWS signature does not verify', { step: STEP, cause: error });
    }
    throw error;
  }

  // The payload is authentic from here on: bind it to this registration.
  const expectedNonce = standardBase64(backend.hash('SHA-256', concatBytes(authData.raw, clientDataHash)));
  if (payload.nonce !== expectedNonce) {
    fail('ERR_SAFETYNET_NONCE_MISMATCH', 'SafetyNet: the nonce is not base64(SHA-256(authenticatorData ‖ clientDataHash))', {
      step: STEP,
      details: { field: 'nonce' },
    });
  }
  if (payload.ctsProfileMatch !== true) {
    fail('ERR_SAFETYNET_CTS_PROFILE_MISMATCH', 'SafetyNet: ctsProfileMatch is not true (the device failed the compatibility check)', {
      step: STEP,
      details: { field: 'ctsProfileMatch' },
    });
  }
  const timestamp = payload.timestampMs;
  const maxAge = context.options?.safetyNetMaxAgeMs ?? SAFETYNET_DEFAULT_MAX_AGE_MS;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) invalid('timestampMs is missing or not a number', 'timestampMs');
  const age = now.getTime() - timestamp;
  if (age < 0 || age > maxAge) {
    fail('ERR_SAFETYNET_TIMESTAMP_INVALID', age < 0 ? 'SafetyNet: timestampMs is in the future' : `SafetyNet: the response is older than ${maxAge} ms`, {
      step: STEP,
      details: { field: 'timestampMs', expected: maxAge, received: age },
    });
  }
  return { type: 'basic', trustPath: chain };
}
