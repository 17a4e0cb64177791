/**
 * Options for the two ceremonies (WebAuthn L3 §5.4 PublicKeyCredentialCreationOptions, §5.5
 * PublicKeyCredentialRequestOptions) in their JSON forms (§5.1 `parseCreationOptionsFromJSON`,
 * `parseRequestOptionsFromJSON`), together with the expectations that the response must later be
 * verified against.
 *
 * Pure apart from randomness: challenges (§13.4.3) and user handles (§14.6.1) come from
 * `globalThis.crypto.getRandomValues`. Nothing is stored: the relying party keeps `expected` on
 * its side (with an expiry) and consumes it exactly once.
 */
import { base64UrlToBytes, bytesToBase64Url, isBase64Url } from '../encoding/base64url.js';
import { asWebAuthnError, fail, isWebAuthnError } from '../errors.js';
import {
  COSE_ALGORITHMS,
  COSE_ALG_EDDSA,
  COSE_ALG_ES256,
  COSE_ALG_ES384,
  COSE_ALG_ES512,
  COSE_ALG_PS256,
  COSE_ALG_RS256,
} from '../parse/cose-constants.js';
import type { Base64URLString, UserVerificationRequirement } from '../types.js';
import { type InputContext, callbackFailed, readList, readMembers } from './input.js';

// ---------------------------------------------------------------------------------------------
// W3C WebAuthn L3 JSON shapes

/** §5.8.8 PublicKeyCredentialHint: how the relying party would like the user to create or use a credential. */
export type PublicKeyCredentialHint = 'client-device' | 'security-key' | 'hybrid';
/** §5.4.6 ResidentKeyRequirement. */
export type ResidentKeyRequirement = 'required' | 'preferred' | 'discouraged';
/** §5.4.5 AuthenticatorAttachment. */
export type AuthenticatorAttachment = 'platform' | 'cross-platform';
/** §5.4.7 AttestationConveyancePreference. */
export type AttestationConveyancePreference = 'none' | 'indirect' | 'direct' | 'enterprise';

/** Client extension inputs in their JSON form (§5.1 AuthenticationExtensionsClientInputsJSON). */
export type AuthenticationExtensionsClientInputsJSON = Readonly<Record<string, unknown>>;

/** §5.4.2 PublicKeyCredentialRpEntity. */
export interface PublicKeyCredentialRpEntity {
  /** The RP ID the credential is scoped to (default, in the browser: the origin's effective domain). */
  readonly id?: string;
  /** A human-palatable name of the relying party. */
  readonly name: string;
}

/** §5.1 PublicKeyCredentialUserEntityJSON (`id` is the user handle, base64url). */
export interface PublicKeyCredentialUserEntityJSON {
  /** The user handle (1–64 bytes), base64url. */
  readonly id: Base64URLString;
  /** The account name shown by the client (e.g. an e-mail address). */
  readonly name: string;
  /** A friendly name of the account. */
  readonly displayName: string;
}

/** §5.3 PublicKeyCredentialParameters. */
export interface PublicKeyCredentialParameters {
  /** Always `public-key`. */
  readonly type: 'public-key';
  /** A COSE algorithm identifier (IANA COSE Algorithms registry). */
  readonly alg: number;
}

/** §5.1 PublicKeyCredentialDescriptorJSON. */
export interface PublicKeyCredentialDescriptorJSON {
  /** Always `public-key`. */
  readonly type: 'public-key';
  /** The credential id, base64url. */
  readonly id: Base64URLString;
  /** Transport hints for the client (the ones recorded at registration). */
  readonly transports?: readonly string[];
}

/** §5.4.4 AuthenticatorSelectionCriteria. */
export interface AuthenticatorSelectionCriteria {
  /** `platform` or `cross-platform`, when only one kind of authenticator is wanted. */
  readonly authenticatorAttachment?: AuthenticatorAttachment;
  /** Whether a discoverable credential (a passkey) is wanted. */
  readonly residentKey?: ResidentKeyRequirement;
  /** Level 1 spelling of `residentKey: 'required'`, kept for older clients. */
  readonly requireResidentKey?: boolean;
  /** The user verification the relying party asks for. */
  readonly userVerification?: UserVerificationRequirement;
}

/** §5.1 PublicKeyCredentialCreationOptionsJSON: the argument of `PublicKeyCredential.parseCreationOptionsFromJSON`. */
export interface PublicKeyCredentialCreationOptionsJSON {
  /** The relying party. */
  readonly rp: PublicKeyCredentialRpEntity;
  /** The account the credential is created for. */
  readonly user: PublicKeyCredentialUserEntityJSON;
  /** The challenge, base64url (single use; kept server side in `expected`). */
  readonly challenge: Base64URLString;
  /** The acceptable credential key algorithms, most preferred first. */
  readonly pubKeyCredParams: readonly PublicKeyCredentialParameters[];
  /** Milliseconds the client may wait for the user. */
  readonly timeout?: number;
  /** Credentials the account already has, so an authenticator holding one is not registered twice. */
  readonly excludeCredentials?: readonly PublicKeyCredentialDescriptorJSON[];
  /** What kind of authenticator is wanted. */
  readonly authenticatorSelection?: AuthenticatorSelectionCriteria;
  /** Which kind of authenticator to offer first (§5.8.8). */
  readonly hints?: readonly PublicKeyCredentialHint[];
  /** Attestation conveyance preference. */
  readonly attestation?: AttestationConveyancePreference;
  /** Preferred attestation statement formats, most preferred first. */
  readonly attestationFormats?: readonly string[];
  /** Client extension inputs. */
  readonly extensions?: AuthenticationExtensionsClientInputsJSON;
}

/** §5.1 PublicKeyCredentialRequestOptionsJSON: the argument of `PublicKeyCredential.parseRequestOptionsFromJSON`. */
export interface PublicKeyCredentialRequestOptionsJSON {
  /** The challenge, base64url (single use; kept server side in `expected`). */
  readonly challenge: Base64URLString;
  /** Milliseconds the client may wait for the user. */
  readonly timeout?: number;
  /** The RP ID the credentials are scoped to. */
  readonly rpId?: string;
  /** The credentials that may answer; absent for discoverable (username-less) sign-in. */
  readonly allowCredentials?: readonly PublicKeyCredentialDescriptorJSON[];
  /** The user verification the relying party asks for. */
  readonly userVerification?: UserVerificationRequirement;
  /** Which kind of authenticator to offer first (§5.8.8). */
  readonly hints?: readonly PublicKeyCredentialHint[];
  /** Client extension inputs. */
  readonly extensions?: AuthenticationExtensionsClientInputsJSON;
}

// ---------------------------------------------------------------------------------------------
// Inputs and results

/**
 * A stored credential to list in excludeCredentials / allowCredentials: a `CredentialRecord`
 * fits as it is (its `id` and `transports` are used, nothing else).
 */
export interface CredentialDescriptorSource {
  /** The credential id, base64url or bytes. */
  readonly id: Base64URLString | Uint8Array;
  /** The transports the browser reported at registration, passed on as hints to the client. */
  readonly transports?: readonly string[] | undefined;
}

/** What {@link generateRegistrationOptions} needs. Unknown members are refused. */
export interface RegistrationOptionsInput {
  /** The relying party: `id` is the RP ID (a lower-case domain, e.g. `wallet.example`), `name` a human-palatable name. */
  readonly rp: { readonly id: string; readonly name: string };
  /** The account the credential is created for. */
  readonly user: {
    /**
     * The user handle (§14.6.1): 1–64 bytes, or their base64url. Default: 32 random bytes — store
     * them with the account and pass them again for the account's further credentials (a platform
     * authenticator replaces a credential of the same RP ID and user handle).
     */
    readonly id?: Uint8Array | Base64URLString | undefined;
    /** The account name shown by the client (e.g. an e-mail address). */
    readonly name: string;
    /** A friendly name; default `name`. */
    readonly displayName?: string | undefined;
  };
  /**
   * COSE algorithms in preference order; default ES256, EdDSA, ES384, ES512, RS256, PS256. Each
   * must be one this library verifies; RS1 (-65535) is offered only when listed here.
   */
  readonly algorithms?: readonly number[] | undefined;
  /** Milliseconds; default 300000, or 120000 when userVerification is `discouraged` (§15.1). */
  readonly timeout?: number | undefined;
  /** The user's existing credentials, so that an authenticator holding one is not registered twice. */
  readonly excludeCredentials?: readonly CredentialDescriptorSource[] | undefined;
  /**
   * The choice the user made, in preference order: `client-device` (this device), `security-key`
   * (a USB/NFC key) or `hybrid` (another device, by QR code). When every hint implies the same
   * attachment (`client-device` → `platform`, `security-key` and `hybrid` → `cross-platform`),
   * authenticatorSelection.authenticatorAttachment is set to it.
   */
  readonly hints?: readonly PublicKeyCredentialHint[] | undefined;
  /** Overrides the attachment derived from `hints`; must agree with every hint. */
  readonly authenticatorAttachment?: AuthenticatorAttachment | undefined;
  /** Default `required` (a passkey); `requireResidentKey` mirrors it. */
  readonly residentKey?: ResidentKeyRequirement | undefined;
  /** Default `preferred`; passkey flows usually want `required`. Copied into `expected`. */
  readonly userVerification?: UserVerificationRequirement | undefined;
  /** Attestation conveyance; default `none`. */
  readonly attestation?: AttestationConveyancePreference | undefined;
  /** Preferred attestation statement formats, most preferred first (L3 §5.4). */
  readonly attestationFormats?: readonly string[] | undefined;
  /** Client extension inputs, passed through; `credProps: true` is always added. */
  readonly extensions?: AuthenticationExtensionsClientInputsJSON | undefined;
  /** Challenge size in bytes, at least 16 (§13.4.3); default 32. */
  readonly challengeLength?: number | undefined;
}

/** What {@link generateAuthenticationOptions} needs. Unknown members are refused. */
export interface AuthenticationOptionsInput {
  /** The RP ID the credentials are scoped to. */
  readonly rpId: string;
  /**
   * The account's credentials (username-first sign-in, step-up); leave out or empty for
   * discoverable (username-less) sign-in.
   */
  readonly allowCredentials?: readonly CredentialDescriptorSource[] | undefined;
  /** Default `preferred`; sign-in with passkeys and step-up usually want `required`. */
  readonly userVerification?: UserVerificationRequirement | undefined;
  /** Milliseconds; default 300000, or 120000 when userVerification is `discouraged` (§15.1). */
  readonly timeout?: number | undefined;
  /** Which kind of authenticator to offer first (§5.8.8). */
  readonly hints?: readonly PublicKeyCredentialHint[] | undefined;
  /** Client extension inputs, passed through. */
  readonly extensions?: AuthenticationExtensionsClientInputsJSON | undefined;
  /** Challenge size in bytes, at least 16 (§13.4.3); default 32. */
  readonly challengeLength?: number | undefined;
}

/**
 * The part of `RegistrationExpectations` fixed when the options were issued. Plain JSON:
 * store it server side with the session (single use, expiring after `options.timeout`) and verify
 * with `verifyRegistrationResponse(response, { ...expected, origin })`.
 */
export interface IssuedRegistrationExpectations {
  /** The challenge of the options (base64url). */
  readonly challenge: Base64URLString;
  /** The RP ID of the options. */
  readonly rpId: string;
  /** The user verification the options asked for: the policy the response is checked against. */
  readonly userVerification: UserVerificationRequirement;
  /** Exactly the algorithms of pubKeyCredParams (§7.1 step 20). */
  readonly algorithms: readonly number[];
}

/**
 * The part of `AuthenticationExpectations` fixed when the options were issued. Plain JSON:
 * store it server side (single use, expiring) and verify with
 * `verifyAuthenticationResponse(response, record, { ...expected, origin })`.
 */
export interface IssuedAuthenticationExpectations {
  /** The challenge of the options (base64url). */
  readonly challenge: Base64URLString;
  /** The RP ID of the options. */
  readonly rpId: string;
  /** The user verification the options asked for: the policy the response is checked against. */
  readonly userVerification: UserVerificationRequirement;
  /** The ids of allowCredentials (§7.2 step 5); absent when the request listed none. */
  readonly allowCredentials?: readonly Base64URLString[];
}

/** The result of {@link generateRegistrationOptions}. */
export interface GeneratedRegistrationOptions {
  /** Send to the browser: `PublicKeyCredential.parseCreationOptionsFromJSON(options)`. */
  readonly options: PublicKeyCredentialCreationOptionsJSON;
  /** Keep on the server (never trust the browser to send it back). */
  readonly expected: IssuedRegistrationExpectations;
}

/** The result of {@link generateAuthenticationOptions}. */
export interface GeneratedAuthenticationOptions {
  /** Send to the browser: `PublicKeyCredential.parseRequestOptionsFromJSON(options)`. */
  readonly options: PublicKeyCredentialRequestOptionsJSON;
  /** Keep on the server (never trust the browser to send it back). */
  readonly expected: IssuedAuthenticationExpectations;
}

// ---------------------------------------------------------------------------------------------
// Defaults and limits

/** The default pubKeyCredParams, in preference order. */
export const DEFAULT_OFFERED_ALGORITHMS: readonly number[] = Object.freeze([
  COSE_ALG_ES256,
  COSE_ALG_EDDSA,
  COSE_ALG_ES384,
  COSE_ALG_ES512,
  COSE_ALG_RS256,
  COSE_ALG_PS256,
]);
/** §15.1: the recommended default when user verification is required or preferred. */
export const DEFAULT_TIMEOUT_MS = 300_000;
/** §15.1: the recommended default when user verification is discouraged. */
export const DEFAULT_TIMEOUT_UV_DISCOURAGED_MS = 120_000;
export const DEFAULT_CHALLENGE_LENGTH = 32;
/** §13.4.3: challenges of at least 16 random bytes. */
export const MIN_CHALLENGE_LENGTH = 16;
const MAX_CHALLENGE_LENGTH = 1024;
const USER_ID_LENGTH = 32;
const MAX_USER_ID_LENGTH = 64;
const MAX_CREDENTIAL_ID_LENGTH = 1023;
/** An upper bound on timeouts (one day): anything larger is a unit mistake. */
const MAX_TIMEOUT_MS = 86_400_000;

const HINT_ATTACHMENT: Readonly<Record<PublicKeyCredentialHint, AuthenticatorAttachment>> = Object.freeze({
  'client-device': 'platform',
  'security-key': 'cross-platform',
  hybrid: 'cross-platform',
});
const UV_VALUES: readonly string[] = ['required', 'preferred', 'discouraged'];
const RESIDENT_KEY_VALUES: readonly string[] = ['required', 'preferred', 'discouraged'];
const ATTACHMENT_VALUES: readonly string[] = ['platform', 'cross-platform'];
const CONVEYANCE_VALUES: readonly string[] = ['none', 'indirect', 'direct', 'enterprise'];
const REGISTRATION_KEYS: readonly string[] = [
  'rp',
  'user',
  'algorithms',
  'timeout',
  'excludeCredentials',
  'hints',
  'authenticatorAttachment',
  'residentKey',
  'userVerification',
  'attestation',
  'attestationFormats',
  'extensions',
  'challengeLength',
];
const AUTHENTICATION_KEYS: readonly string[] = [
  'rpId',
  'allowCredentials',
  'userVerification',
  'timeout',
  'hints',
  'extensions',
  'challengeLength',
];
// A lower-case DNS name in A-label form (e.g. `localhost`, `wallet.example`, `xn--bcher-kva.example`).
const RP_ID = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

// ---------------------------------------------------------------------------------------------
// Validation helpers

type Input = Readonly<Record<string, unknown>>;

function invalid(field: string, message: string, step: string): never {
  return fail('ERR_OPTIONS_INVALID', `${field}: ${message}`, { step, details: { field } });
}

const CONTEXTS: Readonly<Record<string, InputContext>> = {
  '5.4': Object.freeze({ code: 'ERR_OPTIONS_INVALID', label: '', step: '5.4' }),
  '5.5': Object.freeze({ code: 'ERR_OPTIONS_INVALID', label: '', step: '5.5' }),
};

function checkObject(value: unknown, field: string, step: string): Input {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(field, 'must be an object', step);
  return value as Input;
}

/**
 * The object at `field`, its `known` members read once each (a getter that throws is
 * `ERR_CALLBACK_FAILED`); any other own member is refused, unless `unknown` is `'ignore'`
 * (credential records listed as descriptors carry many members of their own).
 */
function readObject(value: unknown, field: string, known: readonly string[], step: string, unknown: 'reject' | 'ignore' = 'reject'): Input {
  const context = CONTEXTS[step] as InputContext;
  return readMembers(checkObject(value, field, step), known, context, field === 'input' ? '' : `${field}.`, unknown).members;
}

function list(value: unknown, field: string, step: string, what: string): unknown[] {
  const items = readList(value, CONTEXTS[step] as InputContext, field);
  if (items === undefined) invalid(field, `must be an array of ${what}`, step);
  return items;
}

/** Runs a generator: anything but a WebAuthnError escaping it is a bug of ours, `ERR_INTERNAL`. */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw asWebAuthnError(error);
  }
}

function checkText(value: unknown, field: string, step: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    invalid(field, allowEmpty ? 'must be a string' : 'must be a non-empty string', step);
  }
  return value;
}

function checkEnum<T extends string>(value: unknown, allowed: readonly string[], fallback: T, field: string, step: string): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    invalid(field, `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, step);
  }
  return value as T;
}

function checkRpId(value: unknown, field: string, step: string): string {
  if (typeof value !== 'string' || !RP_ID.test(value)) {
    invalid(field, 'must be a lower-case domain name in A-label form (no scheme, port or path)', step);
  }
  return value;
}

function checkTimeout(value: unknown, userVerification: UserVerificationRequirement, step: string): number {
  if (value === undefined) return userVerification === 'discouraged' ? DEFAULT_TIMEOUT_UV_DISCOURAGED_MS : DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    invalid('timeout', `must be a whole number of milliseconds in 1..${MAX_TIMEOUT_MS}`, step);
  }
  return value;
}

function randomBytes(length: number): Uint8Array {
  const source = globalThis.crypto;
  if (source === undefined || typeof source.getRandomValues !== 'function') {
    fail('ERR_INTERNAL', 'WebCrypto (globalThis.crypto.getRandomValues) is not available');
  }
  return source.getRandomValues(new Uint8Array(length));
}

function challengeBytes(value: unknown): Uint8Array {
  const length = value === undefined ? DEFAULT_CHALLENGE_LENGTH : value;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < MIN_CHALLENGE_LENGTH || length > MAX_CHALLENGE_LENGTH) {
    fail('ERR_OPTIONS_INVALID', `challengeLength: must be a whole number of bytes in ${MIN_CHALLENGE_LENGTH}..${MAX_CHALLENGE_LENGTH}`, {
      step: '13.4.3',
      details: { field: 'challengeLength', expected: MIN_CHALLENGE_LENGTH, ...(typeof length === 'number' ? { received: length } : {}) },
    });
  }
  return randomBytes(length);
}

function checkStringList(value: unknown, field: string, step: string): readonly string[] {
  const items = list(value, field, step, 'strings');
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'string' || item.length === 0) invalid(`${field}[${index}]`, 'must be a non-empty string', step);
    if (seen.has(item)) invalid(`${field}[${index}]`, `repeats ${JSON.stringify(item)}`, step);
    seen.add(item);
  }
  return [...seen];
}

function checkHints(value: unknown, step: string): readonly PublicKeyCredentialHint[] {
  if (value === undefined) return [];
  const hints = checkStringList(value, 'hints', step);
  for (const [index, hint] of hints.entries()) {
    if (!Object.hasOwn(HINT_ATTACHMENT, hint)) {
      invalid(`hints[${index}]`, 'must be "client-device", "security-key" or "hybrid"', step);
    }
  }
  return hints as readonly PublicKeyCredentialHint[];
}

function credentialId(value: unknown, field: string, step: string): Base64URLString {
  let bytes: Uint8Array | undefined;
  if (value instanceof Uint8Array) bytes = value;
  else if (isBase64Url(value)) bytes = base64UrlToBytes(value);
  if (bytes === undefined || bytes.length === 0 || bytes.length > MAX_CREDENTIAL_ID_LENGTH) {
    invalid(field, `must be 1..${MAX_CREDENTIAL_ID_LENGTH} bytes, or their unpadded base64url`, step);
  }
  return bytesToBase64Url(bytes);
}

function descriptors(value: unknown, field: string, step: string): PublicKeyCredentialDescriptorJSON[] {
  if (value === undefined) return [];
  const items = list(value, field, step, 'credential records');
  const out: PublicKeyCredentialDescriptorJSON[] = [];
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const source = readObject(item, `${field}[${index}]`, ['id', 'transports'], step, 'ignore');
    const id = credentialId(source.id, `${field}[${index}].id`, step);
    if (seen.has(id)) continue; // the same credential twice: list it once
    seen.add(id);
    const transports =
      source.transports === undefined || source.transports === null
        ? []
        : checkTransports(source.transports, `${field}[${index}].transports`, step);
    out.push(transports.length === 0 ? { type: 'public-key', id } : { type: 'public-key', id, transports });
  }
  return out;
}

function checkTransports(value: unknown, field: string, step: string): readonly string[] {
  const items = list(value, field, step, 'strings');
  const out: string[] = [];
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'string' || item.length === 0) invalid(`${field}[${index}]`, 'must be a non-empty string', step);
    // §5.8.4: clients ignore values they do not know, so stored values pass through (once each).
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

function checkExtensions(value: unknown, step: string): Record<string, unknown> {
  if (value === undefined) return {};
  const input = checkObject(value, 'extensions', step);
  try {
    // Object.fromEntries defines own properties, so a `__proto__` key cannot change the prototype.
    return Object.fromEntries(Object.entries(input));
  } catch (error) {
    if (isWebAuthnError(error)) throw error;
    return callbackFailed('extensions', error);
  }
}

function checkAlgorithms(value: unknown, step: string): readonly number[] {
  if (value === undefined) return DEFAULT_OFFERED_ALGORITHMS;
  const items = list(value, 'algorithms', step, 'COSE algorithm identifiers');
  if (items.length === 0) invalid('algorithms', 'must be a non-empty array of COSE algorithm identifiers', step);
  const out: number[] = [];
  for (const [index, alg] of items.entries()) {
    if (typeof alg !== 'number' || !Number.isInteger(alg)) invalid(`algorithms[${index}]`, 'must be an integer', step);
    if (COSE_ALGORITHMS[alg] === undefined) invalid(`algorithms[${index}]`, `${alg} is not an algorithm this library verifies`, step);
    if (out.includes(alg)) invalid(`algorithms[${index}]`, `repeats ${alg}`, step);
    out.push(alg);
  }
  return Object.freeze(out);
}

function userHandle(value: unknown, step: string): Base64URLString {
  if (value === undefined) return bytesToBase64Url(randomBytes(USER_ID_LENGTH));
  let bytes: Uint8Array | undefined;
  if (value instanceof Uint8Array) bytes = value;
  else if (isBase64Url(value)) bytes = base64UrlToBytes(value);
  if (bytes === undefined || bytes.length === 0 || bytes.length > MAX_USER_ID_LENGTH) {
    invalid('user.id', `must be 1..${MAX_USER_ID_LENGTH} bytes, or their unpadded base64url (§5.4.3)`, step);
  }
  return bytesToBase64Url(bytes);
}

// ---------------------------------------------------------------------------------------------
// The generators

/**
 * Builds the options of a registration (WebAuthn L3 §5.4) with a fresh random challenge, and the
 * expectations its response must meet.
 *
 * Returns `{ options, expected }`:
 * - `options` — {@link PublicKeyCredentialCreationOptionsJSON}, for
 *   `navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })`.
 *   Defaults: challenge of 32 random bytes; user id of 32 random bytes unless given;
 *   pubKeyCredParams ES256, EdDSA, ES384, ES512, RS256, PS256; timeout 300000 (120000 when UV is
 *   discouraged); residentKey `required` (requireResidentKey mirrored); userVerification
 *   `preferred`; attestation `none`; extensions `{ credProps: true }` plus the caller's.
 * - `expected` — {@link IssuedRegistrationExpectations}: challenge, rpId, userVerification and the
 *   offered algorithms. Store it server side, single use; add `origin` (and attestation policy)
 *   when verifying.
 *
 * Throws `ERR_OPTIONS_INVALID` (with `details.field`) for any malformed or unknown input member,
 * for a challenge shorter than 16 bytes (§13.4.3), an unsupported algorithm, or an attachment that
 * contradicts a hint; `ERR_CALLBACK_FAILED` when a getter of the input throws. Each member is
 * read once.
 */
export function generateRegistrationOptions(input: RegistrationOptionsInput): GeneratedRegistrationOptions {
  return guarded(() => registrationOptions(input));
}

function registrationOptions(input: unknown): GeneratedRegistrationOptions {
  const step = '5.4';
  const i = readObject(input, 'input', REGISTRATION_KEYS, step);

  const rpInput = readObject(i.rp, 'rp', ['id', 'name'], step);
  const rpId = checkRpId(rpInput.id, 'rp.id', step);
  const rpName = checkText(rpInput.name, 'rp.name', step);

  const userInput = readObject(i.user, 'user', ['id', 'name', 'displayName'], step);
  const name = checkText(userInput.name, 'user.name', step);
  const displayName = userInput.displayName === undefined ? name : checkText(userInput.displayName, 'user.displayName', step, true);
  const userId = userHandle(userInput.id, step);

  const algorithms = checkAlgorithms(i.algorithms, step);
  const userVerification = checkEnum<UserVerificationRequirement>(i.userVerification, UV_VALUES, 'preferred', 'userVerification', step);
  const residentKey = checkEnum<ResidentKeyRequirement>(i.residentKey, RESIDENT_KEY_VALUES, 'required', 'residentKey', step);
  const attestation = checkEnum<AttestationConveyancePreference>(i.attestation, CONVEYANCE_VALUES, 'none', 'attestation', step);
  const attestationFormats = i.attestationFormats === undefined ? [] : checkStringList(i.attestationFormats, 'attestationFormats', step);
  const timeout = checkTimeout(i.timeout, userVerification, step);
  const hints = checkHints(i.hints, step);
  const excludeCredentials = descriptors(i.excludeCredentials, 'excludeCredentials', step);
  const extensions = { ...checkExtensions(i.extensions, step), credProps: true };

  // The attachment implied by the hints: set only when every hint implies the same one, so that a
  // list such as ['client-device', 'hybrid'] does not filter out the second choice.
  const implied = new Set(hints.map((hint) => HINT_ATTACHMENT[hint]));
  let attachment: AuthenticatorAttachment | undefined = implied.size === 1 ? [...implied][0] : undefined;
  if (i.authenticatorAttachment !== undefined) {
    const explicit = checkEnum<AuthenticatorAttachment>(i.authenticatorAttachment, ATTACHMENT_VALUES, 'platform', 'authenticatorAttachment', step);
    const conflict = hints.find((hint) => HINT_ATTACHMENT[hint] !== explicit);
    if (conflict !== undefined) {
      invalid('authenticatorAttachment', `"${explicit}" contradicts the hint "${conflict}"`, step);
    }
    attachment = explicit;
  }

  const challenge = bytesToBase64Url(challengeBytes(i.challengeLength));
  const authenticatorSelection: AuthenticatorSelectionCriteria = {
    ...(attachment === undefined ? {} : { authenticatorAttachment: attachment }),
    residentKey,
    requireResidentKey: residentKey === 'required',
    userVerification,
  };
  const options: PublicKeyCredentialCreationOptionsJSON = {
    rp: { id: rpId, name: rpName },
    user: { id: userId, name, displayName },
    challenge,
    pubKeyCredParams: algorithms.map((alg) => ({ type: 'public-key', alg })),
    timeout,
    ...(excludeCredentials.length === 0 ? {} : { excludeCredentials }),
    authenticatorSelection,
    ...(hints.length === 0 ? {} : { hints: [...hints] }),
    attestation,
    ...(attestationFormats.length === 0 ? {} : { attestationFormats: [...attestationFormats] }),
    extensions,
  };
  return { options, expected: { challenge, rpId, userVerification, algorithms: [...algorithms] } };
}

/**
 * Builds the options of a sign-in or step-up confirmation (WebAuthn L3 §5.5) with a fresh random
 * challenge, and the expectations its response must meet.
 *
 * Returns `{ options, expected }`:
 * - `options` — {@link PublicKeyCredentialRequestOptionsJSON}, for
 *   `navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })`.
 *   Defaults: challenge of 32 random bytes; timeout 300000 (120000 when UV is discouraged);
 *   userVerification `preferred`; no allowCredentials (discoverable sign-in).
 * - `expected` — {@link IssuedAuthenticationExpectations}: challenge, rpId, userVerification and
 *   the allowCredentials ids (when any). Store it server side, single use; add `origin` (and
 *   `userHandle` for discoverable sign-in) when verifying.
 *
 * Throws `ERR_OPTIONS_INVALID` (with `details.field`) for any malformed or unknown input member or
 * a challenge shorter than 16 bytes (§13.4.3); `ERR_CALLBACK_FAILED` when a getter of the input
 * throws. Each member is read once.
 */
export function generateAuthenticationOptions(input: AuthenticationOptionsInput): GeneratedAuthenticationOptions {
  return guarded(() => authenticationOptions(input));
}

function authenticationOptions(input: unknown): GeneratedAuthenticationOptions {
  const step = '5.5';
  const i = readObject(input, 'input', AUTHENTICATION_KEYS, step);
  const rpId = checkRpId(i.rpId, 'rpId', step);
  const userVerification = checkEnum<UserVerificationRequirement>(i.userVerification, UV_VALUES, 'preferred', 'userVerification', step);
  const timeout = checkTimeout(i.timeout, userVerification, step);
  const hints = checkHints(i.hints, step);
  const allowCredentials = descriptors(i.allowCredentials, 'allowCredentials', step);
  const extensions = checkExtensions(i.extensions, step);

  const challenge = bytesToBase64Url(challengeBytes(i.challengeLength));
  const options: PublicKeyCredentialRequestOptionsJSON = {
    challenge,
    timeout,
    rpId,
    ...(allowCredentials.length === 0 ? {} : { allowCredentials }),
    userVerification,
    ...(hints.length === 0 ? {} : { hints: [...hints] }),
    ...(Object.keys(extensions).length === 0 ? {} : { extensions }),
  };
  const expected: IssuedAuthenticationExpectations = {
    challenge,
    rpId,
    userVerification,
    ...(allowCredentials.length === 0 ? {} : { allowCredentials: allowCredentials.map((d) => d.id) }),
  };
  return { options, expected };
}
