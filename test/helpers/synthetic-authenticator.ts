/**
 * A test-only synthetic authenticator: builds assertions exactly as a browser would return them,
 * signed with freshly generated keys of any algorithm, with every byte under the test's control.
 */
import { createHash } from 'node:crypto';
import { Encoder } from 'cbor-x';
import type { AuthenticationExpectations } from '../../src/ceremony/verify-authentication.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { FLAG_BE, FLAG_BS, FLAG_ED, FLAG_UP, FLAG_UV, encodeAuthenticatorData } from '../../src/parse/authenticator-data.js';
import type { AuthenticationResponseJSON, CredentialRecord } from '../../src/types.js';

/** A credential key pair as the synthetic authenticator needs it. */
export interface TestSigner {
  readonly alg: number;
  /** COSE_Key bytes of the public key. */
  readonly cose: Uint8Array;
  /** Signs `data` in the WebAuthn signature format of `alg` (DER for ECDSA). */
  sign(data: Uint8Array): Uint8Array;
}

export interface AssertionOptions {
  readonly rpId?: string;
  readonly origin?: string;
  readonly challenge?: string;
  readonly type?: string;
  readonly crossOrigin?: boolean;
  readonly topOrigin?: string;
  /** Members appended to clientData after the standard ones. */
  readonly extraClientData?: Readonly<Record<string, unknown>>;
  /** Replaces the whole clientDataJSON text. */
  readonly clientDataJSON?: string;
  readonly up?: boolean;
  readonly uv?: boolean;
  readonly be?: boolean;
  readonly bs?: boolean;
  /** The flags byte, overriding up/uv/be/bs. */
  readonly flags?: number;
  readonly signCount?: number;
  /** Authenticator extension outputs, CBOR-encoded into authData with ED set. */
  readonly extensions?: ReadonlyMap<string, unknown>;
  readonly credentialId?: Uint8Array;
  readonly userHandle?: string;
  /** Stored record's signCount (default 0). */
  readonly storedSignCount?: number;
  readonly storedBackupEligible?: boolean;
}

export interface SyntheticAssertion {
  readonly response: AuthenticationResponseJSON;
  readonly record: CredentialRecord;
  readonly expected: AuthenticationExpectations;
  readonly clientDataJSON: Uint8Array;
  readonly authenticatorData: Uint8Array;
  readonly signature: Uint8Array;
}

export const TEST_RP_ID = 'login.example.com';
export const TEST_ORIGIN = 'https://login.example.com';
export const TEST_CHALLENGE = bytesToBase64Url(new Uint8Array(32).fill(0x5a));

const cbor = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false });
const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());

/** Builds clientDataJSON in the §5.8.1.1 serialization order. */
export function buildClientDataJSON(options: AssertionOptions, defaultType: string): string {
  if (options.clientDataJSON !== undefined) return options.clientDataJSON;
  const data: Record<string, unknown> = {
    type: options.type ?? defaultType,
    challenge: options.challenge ?? TEST_CHALLENGE,
    origin: options.origin ?? TEST_ORIGIN,
    crossOrigin: options.crossOrigin ?? false,
  };
  if (options.topOrigin !== undefined) data.topOrigin = options.topOrigin;
  return JSON.stringify({ ...data, ...options.extraClientData });
}

function flagsByte(options: AssertionOptions, extensions: boolean): number {
  if (options.flags !== undefined) return options.flags;
  let flags = 0;
  if (options.up ?? true) flags |= FLAG_UP;
  if (options.uv ?? false) flags |= FLAG_UV;
  if (options.be ?? false) flags |= FLAG_BE;
  if (options.bs ?? false) flags |= FLAG_BS;
  if (extensions) flags |= FLAG_ED;
  return flags;
}

/** A valid (unless options say otherwise) assertion by `signer`, with its record and expectations. */
export function createAssertion(signer: TestSigner, options: AssertionOptions = {}): SyntheticAssertion {
  const rpId = options.rpId ?? TEST_RP_ID;
  const credentialId = options.credentialId ?? sha256(signer.cose).subarray(0, 16);
  const clientDataJSON = new TextEncoder().encode(buildClientDataJSON(options, 'webauthn.get'));
  const extensionsRaw = options.extensions === undefined ? undefined : new Uint8Array(cbor.encode(options.extensions));
  const authenticatorData = encodeAuthenticatorData({
    rpIdHash: sha256(rpId),
    flags: flagsByte(options, extensionsRaw !== undefined),
    signCount: options.signCount ?? 1,
    extensionsRaw,
  });
  const signed = new Uint8Array(authenticatorData.length + 32);
  signed.set(authenticatorData, 0);
  signed.set(sha256(clientDataJSON), authenticatorData.length);
  const signature = signer.sign(signed);
  const id = bytesToBase64Url(credentialId);
  const response: AuthenticationResponseJSON = {
    id,
    rawId: id,
    type: 'public-key',
    response: {
      clientDataJSON: bytesToBase64Url(clientDataJSON),
      authenticatorData: bytesToBase64Url(authenticatorData),
      signature: bytesToBase64Url(signature),
      ...(options.userHandle === undefined ? {} : { userHandle: options.userHandle }),
    },
    clientExtensionResults: {},
  };
  const record: CredentialRecord = {
    id,
    publicKey: bytesToBase64Url(signer.cose),
    algorithm: signer.alg,
    signCount: options.storedSignCount ?? 0,
    ...(options.storedBackupEligible === undefined ? {} : { backupEligible: options.storedBackupEligible }),
  };
  const expected: AuthenticationExpectations = { challenge: TEST_CHALLENGE, origin: TEST_ORIGIN, rpId };
  return { response, record, expected, clientDataJSON, authenticatorData, signature };
}

/** Re-signs a response whose authenticatorData or clientDataJSON a test changed. */
export function resign(
  signer: TestSigner,
  assertion: SyntheticAssertion,
  authenticatorData: Uint8Array,
  clientDataJSON: Uint8Array,
): AuthenticationResponseJSON {
  const signed = new Uint8Array(authenticatorData.length + 32);
  signed.set(authenticatorData, 0);
  signed.set(sha256(clientDataJSON), authenticatorData.length);
  return {
    ...assertion.response,
    response: {
      ...assertion.response.response,
      clientDataJSON: bytesToBase64Url(clientDataJSON),
      authenticatorData: bytesToBase64Url(authenticatorData),
      signature: bytesToBase64Url(signer.sign(signed)),
    },
  };
}

