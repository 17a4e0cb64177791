/**
 * §7.2 Verifying an Authentication Assertion.
 *
 * Order: the response is parsed and tied to the stored credential first (steps 3–9), then the
 * signature is verified (steps 20–21), and only then are conclusions drawn from the signed bytes
 * (steps 10–19, 22). A forged response therefore always fails as a forgery: it can never pass
 * itself off as a clone (counter), a missing user verification or a changed backup state.
 */
import type { PreparedKey } from '../crypto/backend-types.js';
import { getPreparedKey } from '../crypto/key-cache.js';
import { backend } from '../crypto/backend.js';
import { verifyPrepared } from '../crypto/verify-signature.js';
import { concatBytes } from '../encoding/bytes.js';
import { asWebAuthnError, fail, isWebAuthnError } from '../errors.js';
import { parseAuthenticatorData } from '../parse/authenticator-data.js';
import { parseClientDataJSON } from '../parse/client-data.js';
import { checkChallenge } from '../policy/challenge.js';
import { type CounterPolicy, type CounterVerdict, checkCounter } from '../policy/counter.js';
import { checkBackupEligibilityUnchanged, checkUserPresent, checkUserVerified } from '../policy/flags.js';
import { checkCrossOrigin, checkOrigin } from '../policy/origin.js';
import { checkRpIdHash } from '../policy/rp-id.js';
import type {
  AuthenticationResponseJSON,
  AuthenticatorData,
  AuthenticatorExtensionOutputs,
  ClientData,
  ClientExtensionResults,
  CredentialRecord,
} from '../types.js';
import { type CheckedRecord, readCredentialRecord, updatedRecord } from './credential-record.js';
import {
  COMMON_EXPECTATION_KEYS,
  type CeremonyExpectations,
  type CheckedExpectations,
  idText,
  optionalBoolean,
  optionalEnum,
  readCeremonyExpectations,
} from './expectations.js';
import { EXPECTATIONS, describeType, invalidInput, readList } from './input.js';
import { RESPONSE_LIMITS, checkCredentialEnvelope, decodeField, requireBase64UrlField } from './response-fields.js';

/** What the relying party expects of a sign-in (§7.2). */
export interface AuthenticationExpectations extends CeremonyExpectations {
  /**
   * §7.2 step 5: the credential ids of the request's allowCredentials (canonical base64url or
   * bytes, 1–1023 bytes each — not descriptor objects). When given and non-empty, the response's
   * credential must be one of them. A list of anything else is `ERR_OPTIONS_INVALID`.
   */
  readonly allowCredentials?: readonly (string | Uint8Array)[] | undefined;
  /**
   * §7.2 step 6: the user handle of the account the credential belongs to. When given, the
   * response must carry a userHandle equal to it. Pass it for discoverable (username-less) sign-in,
   * where the account was found by the userHandle; for username-first sign-in with credentials
   * that return no user handle (U2F keys), leave it out and look the record up in that account.
   * Canonical base64url or bytes, 1–64 bytes; anything else is `ERR_OPTIONS_INVALID`.
   */
  readonly userHandle?: string | Uint8Array | undefined;
  /** §7.2 step 22: reject a counter that did not increase (default), or only report it. */
  readonly counter?: CounterPolicy | undefined;
  /**
   * Quirk (docs/quirks.md): accept a stored EC2 key without `crv` when its algorithm fixes the
   * curve (-7, -35, -36), as some 2019-era clients produced for U2F keys. Off by default.
   */
  readonly allowLegacyKeyWithoutCurve?: boolean | undefined;
}

/** The facts established by a successful sign-in. */
export interface AuthenticationResult {
  /**
   * The record to store back (§7.2 step 24): signCount, backupState and uvInitialized updated,
   * backupEligible filled in when the stored record did not know it. Store it only after any
   * further checks of your own have passed.
   */
  readonly credential: CredentialRecord;
  /** §7.2 step 22: `increased`, `unsupported` (both counters 0) or, under `counter: 'report'`, `regressed`. */
  readonly counter: CounterVerdict;
  /** The UP flag; always true, since a sign-in without user presence is `ERR_USER_PRESENCE` (§7.2 step 16). */
  readonly userPresent: boolean;
  /** The UV flag: the authenticator verified the user (PIN, biometrics). */
  readonly userVerified: boolean;
  /** The BE flag of this assertion (equal to the stored one when the record knew it, §7.2 step 19). */
  readonly backupEligible: boolean;
  /** The BS flag of this assertion: the credential is currently backed up. */
  readonly backupState: boolean;
  /** The expected RP ID whose hash matched. */
  readonly rpId: string;
  /** The origin of clientData (one of the expected ones). */
  readonly origin: string;
  /** The userHandle of the response (base64url), when it carried one. */
  readonly userHandle: string | undefined;
  /** Authenticator extension outputs (§9), empty when there were none. */
  readonly extensions: AuthenticatorExtensionOutputs;
  /** The client extension results as the browser sent them (not signed by the authenticator). */
  readonly clientExtensionResults: ClientExtensionResults;
  /** The parsed authenticator data (its `raw` is what the signature covered). */
  readonly authenticatorData: AuthenticatorData;
  /** The parsed client data. */
  readonly clientData: ClientData;
}

const LEGACY_KEY_OPTIONS = Object.freeze({ allowLegacyKeyWithoutCurve: true });
const NO_EXTENSIONS: AuthenticatorExtensionOutputs = Object.freeze(Object.create(null));

const AUTHENTICATION_KEYS: readonly string[] = Object.freeze([
  ...COMMON_EXPECTATION_KEYS,
  'allowCredentials',
  'userHandle',
  'counter',
  'allowLegacyKeyWithoutCurve',
]);
const ASSERTION_KEYS: readonly string[] = Object.freeze(['clientDataJSON', 'authenticatorData', 'signature', 'userHandle']);
const COUNTER_POLICIES: readonly CounterPolicy[] = ['reject-regression', 'report'];

/** The expectations of a sign-in, read once and checked (ids as base64url text). */
interface CheckedAuthentication extends CheckedExpectations {
  readonly allowCredentials: readonly string[] | undefined;
  readonly userHandle: string | undefined;
  readonly counter: CounterPolicy;
  readonly allowLegacyKeyWithoutCurve: boolean;
}

// Positions of the sign-in's own members in AUTHENTICATION_KEYS (after the common ones).
const ALLOW_CREDENTIALS = AUTHENTICATION_KEYS.indexOf('allowCredentials');
const USER_HANDLE = AUTHENTICATION_KEYS.indexOf('userHandle');
const COUNTER = AUTHENTICATION_KEYS.indexOf('counter');
const LEGACY_KEY = AUTHENTICATION_KEYS.indexOf('allowLegacyKeyWithoutCurve');
// Positions of the assertion response members in ASSERTION_KEYS.
const CLIENT_DATA = 0;
const AUTHENTICATOR_DATA = 1;
const SIGNATURE = 2;
const RESPONSE_USER_HANDLE = 3;

function readAuthenticationExpectations(expected: unknown): CheckedAuthentication {
  const { checked, values } = readCeremonyExpectations(expected, AUTHENTICATION_KEYS);
  let allowCredentials: string[] | undefined;
  const allow = values[ALLOW_CREDENTIALS];
  if (allow !== undefined) {
    const list = readList(allow, EXPECTATIONS, 'allowCredentials');
    if (list === undefined) {
      invalidInput(EXPECTATIONS, 'allowCredentials', 'must be a list of credential ids (base64url or bytes)', {
        received: describeType(allow),
      });
    }
    allowCredentials = list.map((id, i) => idText(id, `allowCredentials[${i}]`, RESPONSE_LIMITS.credentialId));
  }
  const handle = values[USER_HANDLE];
  const userHandle = handle === undefined ? undefined : idText(handle, 'userHandle', RESPONSE_LIMITS.userHandle);
  // One literal, no spread: V8 spreads that add properties take a slow path (≈ 4 µs).
  return {
    challenge: checked.challenge,
    origin: checked.origin,
    rpId: checked.rpId,
    userVerification: checked.userVerification,
    algorithms: checked.algorithms,
    allowCrossOrigin: checked.allowCrossOrigin,
    topOrigin: checked.topOrigin,
    allowCredentials,
    userHandle,
    counter: optionalEnum(values[COUNTER], COUNTER_POLICIES, 'counter') ?? 'reject-regression',
    allowLegacyKeyWithoutCurve: optionalBoolean(values[LEGACY_KEY], 'allowLegacyKeyWithoutCurve') ?? false,
  };
}

/**
 * Verifies a sign-in (WebAuthn L3 §7.2) against the stored credential record.
 *
 * Resolves with the established facts and the updated record, or rejects with a
 * {@link WebAuthnError} naming the failed step; it never resolves for a failed check and never
 * changes the record it was given. The caller must still have looked the record up by
 * `response.rawId` in the right account (§7.2 step 6) and consumed the challenge.
 *
 * Every member of the three arguments is read exactly once, and every byte array of the result is
 * the library's own (never a view into a pool, a cache or the caller's buffers).
 *
 * @throws {WebAuthnError} (as a rejection) the code of the failed check; `ERR_OPTIONS_INVALID`
 * naming the member for wrongly typed or unknown expectations; `ERR_CREDENTIAL_RECORD_INVALID`
 * naming the member for a malformed record (the relying party's own extra members are kept);
 * `ERR_CALLBACK_FAILED` when a predicate or getter of the caller throws, rejects or answers a
 * non-boolean.
 */
export function verifyAuthenticationResponse(
  response: AuthenticationResponseJSON,
  credential: CredentialRecord,
  expected: AuthenticationExpectations,
): Promise<AuthenticationResult> {
  // Written without `async`: on the Node backend every step is synchronous, and a sign-in should
  // cost one native verify plus a few microseconds, not a chain of microtask turns.
  try {
    const parsed = parseAndIdentify(response, credential, expected);
    // §7.2 steps 20–21 come before any conclusion from the signed bytes (see the file comment).
    const signed = checkSignature(parsed);
    const result = signed instanceof Promise ? signed.then(() => conclude(parsed)) : conclude(parsed);
    return result instanceof Promise ? result.catch(rethrowAsWebAuthnError) : Promise.resolve(result);
  } catch (error) {
    return Promise.reject(asWebAuthnError(error));
  }
}

function rethrowAsWebAuthnError(error: unknown): never {
  throw asWebAuthnError(error);
}

interface ParsedAssertion {
  readonly expected: CheckedAuthentication;
  readonly stored: CheckedRecord;
  readonly envelope: ReturnType<typeof checkCredentialEnvelope>;
  readonly clientDataBytes: Uint8Array;
  readonly authDataBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly userHandle: string | undefined;
  readonly clientData: ClientData;
  readonly authData: AuthenticatorData;
}

/** §7.2 steps 3–9: shape, allowCredentials, the credential record and user, parsing. */
function parseAndIdentify(response: unknown, credential: unknown, expectations: unknown): ParsedAssertion {
  const expected = readAuthenticationExpectations(expectations);
  const stored = readCredentialRecord(credential);
  const record = stored.record;

  // §7.2 steps 3–4: the response is an assertion response.
  const envelope = checkCredentialEnvelope(response, '7.2.3', '7.2.3', ASSERTION_KEYS);
  const fields = envelope.response;
  const clientDataBytes = requireBase64UrlField(fields[CLIENT_DATA], 'response.clientDataJSON', RESPONSE_LIMITS.clientDataJSON, '7.2.3');
  const authDataBytes = requireBase64UrlField(fields[AUTHENTICATOR_DATA], 'response.authenticatorData', RESPONSE_LIMITS.authenticatorData, '7.2.3');
  const signature = requireBase64UrlField(fields[SIGNATURE], 'response.signature', RESPONSE_LIMITS.signature, '7.2.3');
  const userHandle = readUserHandle(fields[RESPONSE_USER_HANDLE]);

  // §7.2 step 5: allowCredentials.
  const allow = expected.allowCredentials;
  if (allow !== undefined && allow.length > 0 && !allow.includes(envelope.id)) {
    fail('ERR_CREDENTIAL_NOT_ALLOWED', 'The credential is not one of the allowCredentials of the request', {
      step: '7.2.5',
    });
  }
  // §7.2 step 6: the response is for this credential record and, when known, this user.
  if (envelope.id !== record.id) {
    fail('ERR_CREDENTIAL_ID_MISMATCH', 'The response is for another credential than the record given', {
      step: '7.2.6',
      details: { field: 'rawId' },
    });
  }
  if (expected.userHandle !== undefined && userHandle !== expected.userHandle) {
    fail('ERR_USER_HANDLE_MISMATCH', 'The response userHandle is missing or is not the expected user handle', {
      step: '7.2.6',
      details: { field: 'userHandle' },
    });
  }

  // §7.2 steps 7–9: parse clientDataJSON and authenticatorData.
  const clientData = parseClientDataJSON(clientDataBytes);
  const authData = parseAuthenticatorData(authDataBytes);
  return { expected, stored, envelope, clientDataBytes, authDataBytes, signature, userHandle, clientData, authData };
}

/** §7.2 steps 10–14: clientData, known to be signed. The challenge predicate may be async. */
function conclude(parsed: ParsedAssertion): AuthenticationResult | Promise<AuthenticationResult> {
  const clientData = parsed.clientData;
  if (clientData.type !== 'webauthn.get') {
    fail('ERR_CLIENTDATA_TYPE', `clientData.type is ${JSON.stringify(clientData.type.slice(0, 64))}, not "webauthn.get"`, {
      step: '7.2.10',
      details: { field: 'type', expected: 'webauthn.get', received: clientData.type.slice(0, 64) },
    });
  }
  const challenge = checkChallenge(clientData.challenge, parsed.expected.challenge, '7.2.11');
  return challenge instanceof Promise ? challenge.then(() => finish(parsed)) : finish(parsed);
}

/** §7.2 steps 12–24 after the challenge. */
function finish(parsed: ParsedAssertion): AuthenticationResult {
  const { clientData, authData, envelope, expected } = parsed;
  const record = parsed.stored.record;
  const origin = checkOrigin(clientData.origin, expected.origin, '7.2.12');
  checkCrossOrigin(clientData, expected, { crossOrigin: '7.2.13', topOrigin: '7.2.14' });

  // §7.2 steps 15–19: authenticator data.
  const rpId = checkRpIdHash(authData.rpIdHash, expected.rpId, '7.2.15');
  const flags = authData.flags;
  checkUserPresent(flags, '7.2.16');
  checkUserVerified(flags, expected.userVerification, '7.2.17');
  // §7.2 step 18 (BS without BE) is refused by parseAuthenticatorData, before the signature.
  checkBackupEligibilityUnchanged(flags, record.backupEligible, '7.2.19');

  // §7.2 step 22: the signature counter.
  const counter = checkCounter(record.signCount, authData.signCount, expected.counter, '7.2.22');

  // §7.2 step 24: the updated record. A reported regression never lowers the stored counter,
  // so that the next sign-in is still compared with the highest value seen.
  const updated = updatedRecord(parsed.stored, {
    signCount: Math.max(record.signCount, authData.signCount),
    backupEligible: record.backupEligible ?? flags.be,
    backupState: flags.bs,
    uvInitialized: record.uvInitialized === true || flags.uv,
  });
  return {
    credential: updated,
    counter,
    userPresent: flags.up,
    userVerified: flags.uv,
    backupEligible: flags.be,
    backupState: flags.bs,
    rpId,
    origin,
    userHandle: parsed.userHandle,
    extensions: authData.extensions ?? NO_EXTENSIONS,
    clientExtensionResults: envelope.clientExtensionResults,
    authenticatorData: authData,
    clientData,
  };
}

function readUserHandle(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    fail('ERR_RESPONSE_MALFORMED', 'response.userHandle must be a base64url string or null', {
      step: '7.2.3',
      details: { field: 'response.userHandle' },
    });
  }
  // An empty string is how some clients serialise "no user handle"; a present one is 1–64 bytes.
  if (value.length === 0) return undefined;
  decodeField(value, 'response.userHandle', RESPONSE_LIMITS.userHandle, '7.2.3');
  return value;
}

/** The stored key, prepared; text that is not canonical base64url is the record's fault. */
function preparedKeyOf(parsed: ParsedAssertion): PreparedKey | Promise<PreparedKey> {
  try {
    return getPreparedKey(parsed.stored.record.publicKey, parsed.expected.allowLegacyKeyWithoutCurve ? LEGACY_KEY_OPTIONS : undefined);
  } catch (error) {
    if (!isWebAuthnError(error, 'ERR_BASE64URL_INVALID')) throw error;
    return fail('ERR_CREDENTIAL_RECORD_INVALID', 'credential record: publicKey: is not canonical base64url', {
      details: { field: 'publicKey' },
      cause: error,
    });
  }
}

function checkSignature(parsed: ParsedAssertion): void | Promise<void> {
  const prepared = preparedKeyOf(parsed);
  return prepared instanceof Promise ? prepared.then((key) => verifyWithKey(key, parsed)) : verifyWithKey(prepared, parsed);
}

function verifyWithKey(prepared: PreparedKey, parsed: ParsedAssertion): void | Promise<void> {
  const alg = prepared.cose.alg;
  const record = parsed.stored.record;
  if (alg !== record.algorithm) {
    fail('ERR_CREDENTIAL_RECORD_INVALID', 'credential record: algorithm does not match the public key', {
      details: { field: 'algorithm', expected: alg, received: record.algorithm },
    });
  }
  if (!parsed.expected.algorithms.includes(alg)) {
    fail('ERR_ALG_NOT_ALLOWED', `COSE algorithm ${alg} is not allowed`, {
      step: '7.2.21',
      details: { field: 'algorithm', received: alg },
    });
  }
  // §7.2 step 20: hash = SHA-256(cData).
  const clientDataHash = backend.hash('SHA-256', parsed.clientDataBytes);
  const valid = verifyPrepared(prepared, concatBytes(parsed.authDataBytes, clientDataHash), parsed.signature);
  return valid instanceof Promise ? valid.then(assertSignatureValid) : assertSignatureValid(valid);
}

function assertSignatureValid(valid: boolean): void {
  if (valid !== true) {
    fail('ERR_SIGNATURE_INVALID', 'The assertion signature does not verify with the credential public key', {
      step: '7.2.21',
    });
  }
}
