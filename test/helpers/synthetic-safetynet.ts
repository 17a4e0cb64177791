/**
 * Synthetic android-safetynet (§8.5) registrations on top of synthetic-registration.ts: a test CA
 * (root → intermediate → leaf issued to attest.android.com), a compact JWS signed by the leaf as
 * Google's SafetyNet service signs it, and the attStmt `{ver, response}`.
 *
 * The nonce depends on authData and clientDataHash, which do not depend on the statement, so the
 * registration is built as `none` first and its attestationObject is then re-encoded with
 * `fmt: android-safetynet` and the statement (every other byte is identical).
 *
 * JWS per RFC 7515 compact serialization; the x5c header holds standard (padded) base64 DER,
 * leaf first (RFC 7515 §4.1.6); ES256 signatures are raw r‖s (RFC 7518 §3.4) unless told
 * otherwise. Nothing here calls the code under test.
 */
import type { RegistrationExpectations } from '../../src/ceremony/verify-registration.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import {
  b64u,
  createRegistration,
  encodeAttestationObject,
  flip,
  OMIT,
  type RegistrationOptions,
  type SyntheticRegistration,
  sha256,
  signWithKeyPair,
} from './synthetic-registration.js';
import { createTestCa, type IssueOptions, type TestCa, type TestKeyPair, TEST_NOW } from './test-ca.js';

export const SAFETYNET_HOST = 'attest.android.com';

export type SafetyNetAlg = 'RS256' | 'ES256';

export interface SafetyNetCaOptions {
  /** The JWS algorithm the leaf key serves: RS256 → RSA-2048, ES256 → P-256 (default RS256). */
  readonly alg?: SafetyNetAlg;
  /** Distinguishes independent CAs (names and keys derive from it). */
  readonly name?: string;
  /** The leaf's SAN dNSName (default attest.android.com); `null` → no SAN extension. */
  readonly san?: string | null;
  /** Overrides for the leaf (subject …). */
  readonly leaf?: Partial<IssueOptions>;
}

const caCache = new Map<string, Promise<TestCa>>();

/** A root → intermediate → leaf CA whose leaf is issued to attest.android.com (CN and SAN dNSName). */
export function safetyNetCa(options: SafetyNetCaOptions = {}): Promise<TestCa> {
  const alg = options.alg ?? 'RS256';
  const name = options.name ?? 'SafetyNet';
  const san = options.san === undefined ? SAFETYNET_HOST : options.san;
  const key = JSON.stringify([alg, name, san, options.leaf ?? null]);
  let ca = caCache.get(key);
  if (ca === undefined) {
    ca = createTestCa({
      name,
      deterministic: true,
      leafKey: alg === 'RS256' ? 'RSA-2048' : 'P-256',
      leaf: {
        subject: { C: 'US', ST: 'California', L: 'Mountain View', O: 'Google LLC', CN: SAFETYNET_HOST },
        ...(san === null ? {} : { subjectAltName: { dnsName: san } }),
        keySeed: `${name} safetynet leaf ${alg}`,
        ...options.leaf,
      },
    });
    caCache.set(key, ca);
  }
  return ca;
}

/** Standard base64 with padding (RFC 4648 §4), as JWS x5c entries and the SafetyNet nonce use. */
export function standardBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** base64url without padding of UTF-8 text. */
export function b64uText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The raw r‖s (32 + 32 bytes) form of a DER ECDSA P-256 signature. */
export function derToRawP256(der: Uint8Array): Uint8Array {
  // SEQUENCE { INTEGER r, INTEGER s }, short-form lengths for P-256.
  if (der[0] !== 0x30) throw new Error('not a DER signature');
  const out = new Uint8Array(64);
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (der[at] !== 0x02) throw new Error('not a DER INTEGER');
    const length = der[at + 1] as number;
    let value = der.subarray(at + 2, at + 2 + length);
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    out.set(value, i * 32 + (32 - value.length));
    at += 2 + length;
  }
  return out;
}

/** The SafetyNet nonce of a registration: base64(SHA-256(authenticatorData ‖ clientDataHash)). */
export function safetyNetNonce(authenticatorData: Uint8Array, clientDataHash: Uint8Array): string {
  const data = new Uint8Array(authenticatorData.length + clientDataHash.length);
  data.set(authenticatorData);
  data.set(clientDataHash, authenticatorData.length);
  return standardBase64(sha256(data));
}

type Members = Readonly<Record<string, unknown>>;

export interface SafetyNetOptions {
  /** JWS alg and leaf key type (default RS256). */
  readonly alg?: SafetyNetAlg;
  /** The CA (default {@link safetyNetCa} for `alg`). */
  readonly ca?: TestCa;
  /** Header members replacing or adding to `{alg, x5c}`; {@link OMIT} removes one. */
  readonly header?: Members;
  /** Payload members replacing or adding to the computed ones; {@link OMIT} removes one. */
  readonly payload?: Members;
  /** payload.timestampMs (default TEST_NOW − 5 s). */
  readonly timestampMs?: number;
  /** ES256 signature encoding: `raw` r‖s per RFC 7518 (default) or DER. */
  readonly ecdsaSignature?: 'raw' | 'der';
  /** Sign with this key instead of the leaf's (with the hash of `alg`). */
  readonly signingKey?: TestKeyPair;
  /** Flip one bit of the signed input before signing (a well-formed signature that does not verify). */
  readonly badSignature?: boolean;
  /** Rewrites the compact JWS text before it becomes `response`. */
  readonly jws?: (compact: string, parts: { header: string; payload: string; signature: string }) => string;
  /** attStmt.ver (default '12345'); {@link OMIT} leaves it out. */
  readonly ver?: unknown;
  /** attStmt.response replacing the JWS bytes; {@link OMIT} leaves it out. */
  readonly response?: unknown;
  /** Members appended to attStmt. */
  readonly extra?: Iterable<readonly [unknown, unknown]>;
  /** Options of the underlying registration (format is forced to none, then replaced). */
  readonly registration?: Omit<RegistrationOptions, 'format' | 'attestationObject' | 'trailingBytes' | 'attStmt'>;
}

export interface SafetyNetRegistration {
  readonly response: RegistrationResponseJSON;
  /** challenge, origin, rpId, the CA root as the only trust anchor and `now` = TEST_NOW. */
  readonly expected: RegistrationExpectations;
  readonly ca: TestCa;
  readonly attStmt: Map<unknown, unknown>;
  readonly jws: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly nonce: string;
  readonly base: SyntheticRegistration;
}

function merge(computed: Record<string, unknown>, overrides: Members | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...computed };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === OMIT) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** Builds an android-safetynet registration; valid at TEST_NOW unless the options break it. */
export async function createSafetyNetRegistration(options: SafetyNetOptions = {}): Promise<SafetyNetRegistration> {
  const alg = options.alg ?? 'RS256';
  const ca = options.ca ?? (await safetyNetCa({ alg }));
  const base = await createRegistration({ ...options.registration, format: 'none' });
  const nonce = safetyNetNonce(base.authenticatorData, sha256(base.clientDataJSON));

  const header = merge({ alg, x5c: ca.x5c.map(standardBase64) }, options.header);
  const payload = merge(
    {
      nonce,
      timestampMs: options.timestampMs ?? TEST_NOW.getTime() - 5_000,
      apkPackageName: 'com.google.android.gms',
      apkDigestSha256: standardBase64(sha256('synthetic apk')),
      ctsProfileMatch: true,
      apkCertificateDigestSha256: [standardBase64(sha256('synthetic apk certificate'))],
      basicIntegrity: true,
      evaluationType: 'BASIC,HARDWARE_BACKED',
    },
    options.payload,
  );
  const headerText = b64uText(JSON.stringify(header));
  const payloadText = b64uText(JSON.stringify(payload));
  const signingInput = new TextEncoder().encode(`${headerText}.${payloadText}`);
  const toSign = options.badSignature === true ? flip(signingInput, signingInput.length - 1) : signingInput;
  const key = options.signingKey ?? ca.leaf.key;
  let signature = await signWithKeyPair(key, key.type === 'RSA-2048' ? -257 : -7, toSign);
  if (key.type === 'P-256' && (options.ecdsaSignature ?? 'raw') === 'raw') signature = derToRawP256(signature);
  const signatureText = b64u(signature);
  const compact = `${headerText}.${payloadText}.${signatureText}`;
  const jws = options.jws === undefined ? compact : options.jws(compact, { header: headerText, payload: payloadText, signature: signatureText });

  const attStmt = new Map<unknown, unknown>();
  const ver = 'ver' in options ? options.ver : '12345';
  if (ver !== OMIT) attStmt.set('ver', ver);
  const response = 'response' in options ? options.response : new TextEncoder().encode(jws);
  if (response !== OMIT) attStmt.set('response', response);
  for (const [name, value] of options.extra ?? []) attStmt.set(name, value);

  const attestationObject = encodeAttestationObject('android-safetynet', attStmt, base.authenticatorData);
  return {
    response: { ...base.response, response: { ...base.response.response, attestationObject: b64u(attestationObject) } },
    expected: { ...base.expected, attestation: { trustAnchors: [...ca.trustAnchors] } },
    ca,
    attStmt,
    jws,
    header,
    payload,
    nonce,
    base,
  };
}
