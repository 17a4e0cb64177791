/**
 * Shape checks of the JSON a browser returns (§5.1 PublicKeyCredential JSON, §7.1 step 3,
 * §7.2 step 3): every member present, of the right type, in canonical base64url, within bounds.
 */
import { backend } from '../crypto/backend.js';
import { assertBase64Url } from '../encoding/base64url.js';
import { fail, isWebAuthnError } from '../errors.js';
import { RESPONSE, readValues } from './input.js';

/** Bounds on the decoded size of each binary member (bytes). */
export const RESPONSE_LIMITS = {
  clientDataJSON: 16 * 1024,
  authenticatorData: 64 * 1024,
  attestationObject: 256 * 1024,
  signature: 8 * 1024,
  credentialId: 1023,
  userHandle: 64,
} as const;

function base64UrlMaxChars(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/** Ids longer than this are malformed; between 1024 and this they are `ERR_CREDENTIAL_ID_TOO_LONG`. */
const ID_DECODE_LIMIT = 4096;

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the value of a required non-empty base64url member (already read once) and decodes it. */
export function requireBase64UrlField(value: unknown, path: string, maxBytes: number, step: string): Uint8Array {
  if (typeof value !== 'string' || value.length === 0) {
    fail('ERR_RESPONSE_MALFORMED', `${path} must be a non-empty base64url string`, {
      step,
      details: { field: path },
    });
  }
  return decodeField(value, path, maxBytes, step);
}

/** Decodes a base64url member, mapping encoding errors to `ERR_RESPONSE_MALFORMED`. */
export function decodeField(value: string, path: string, maxBytes: number, step: string): Uint8Array {
  try {
    return backend.decodeBase64Url(value, base64UrlMaxChars(maxBytes));
  } catch (error) {
    if (!isWebAuthnError(error)) throw error;
    return fail('ERR_RESPONSE_MALFORMED', `${path} is not canonical base64url of at most ${maxBytes} bytes`, {
      step,
      details: { field: path },
      cause: error,
    });
  }
}

/** Checks a base64url member without decoding it, mapping encoding errors to `ERR_RESPONSE_MALFORMED`. */
function checkField(value: string, path: string, maxBytes: number, step: string): void {
  try {
    assertBase64Url(value, base64UrlMaxChars(maxBytes));
  } catch (error) {
    if (!isWebAuthnError(error)) throw error;
    fail('ERR_RESPONSE_MALFORMED', `${path} is not canonical base64url of at most ${maxBytes} bytes`, {
      step,
      details: { field: path },
      cause: error,
    });
  }
}

/** The common envelope of both response kinds: `id`, `rawId`, `type`, `response`, extension results. */
export interface CredentialEnvelope {
  readonly id: string;
  /** The members of `response` named by the caller's `responseKeys`, read once, in that order. */
  readonly response: readonly unknown[];
  readonly clientExtensionResults: Readonly<Record<string, unknown>>;
}

const ENVELOPE_KEYS: readonly string[] = ['id', 'rawId', 'type', 'response', 'clientExtensionResults', 'authenticatorAttachment'];

/**
 * §7.x step 3: checks the PublicKeyCredential JSON envelope. `id` must equal `rawId` (both canonical
 * base64url, so equal text means equal bytes) and be at most 1023 bytes (`ERR_CREDENTIAL_ID_TOO_LONG`
 * at `idTooLongStep`); `type` must be `public-key`. Every member, and the `responseKeys` of
 * `response`, is read exactly once: `response` in the result is the library's own copy of them.
 */
export function checkCredentialEnvelope(
  value: unknown,
  step: string,
  idTooLongStep: string,
  responseKeys: readonly string[],
): CredentialEnvelope {
  if (!isRecord(value)) fail('ERR_RESPONSE_MALFORMED', 'The response must be a JSON object', { step });
  const envelope = readValues(value, ENVELOPE_KEYS, RESPONSE, '', 'ignore').values;
  const id = envelope[0];
  const rawId = envelope[1];
  const type = envelope[2];
  const response = envelope[3];
  const extensions = envelope[4];
  const attachment = envelope[5];
  if (typeof id !== 'string' || id.length === 0) {
    fail('ERR_RESPONSE_MALFORMED', 'id must be a non-empty base64url string', { step, details: { field: 'id' } });
  }
  if (typeof rawId !== 'string' || rawId.length === 0) {
    fail('ERR_RESPONSE_MALFORMED', 'rawId must be a non-empty base64url string', { step, details: { field: 'rawId' } });
  }
  // Checked, not decoded (the ceremony compares text); a generous bound lets an over-long id get
  // its own code (§7.1 step 25). Canonical unpadded base64url of n characters holds ⌊3n/4⌋ bytes.
  checkField(id, 'id', ID_DECODE_LIMIT, step);
  const idLength = (id.length * 3) >> 2;
  if (rawId !== id) {
    checkField(rawId, 'rawId', ID_DECODE_LIMIT, step);
    fail('ERR_CREDENTIAL_ID_MISMATCH', 'id is not the base64url of rawId', { step, details: { field: 'rawId' } });
  }
  if (idLength > RESPONSE_LIMITS.credentialId) {
    fail('ERR_CREDENTIAL_ID_TOO_LONG', `The credential id is ${idLength} bytes, more than ${RESPONSE_LIMITS.credentialId}`, {
      step: idTooLongStep,
      details: { field: 'id', expected: RESPONSE_LIMITS.credentialId, received: idLength },
    });
  }
  if (type !== 'public-key') {
    fail('ERR_RESPONSE_MALFORMED', 'type must be "public-key"', { step, details: { field: 'type' } });
  }
  if (!isRecord(response)) {
    fail('ERR_RESPONSE_MALFORMED', 'response must be an object', { step, details: { field: 'response' } });
  }
  if (extensions !== undefined && !isRecord(extensions)) {
    fail('ERR_RESPONSE_MALFORMED', 'clientExtensionResults must be an object', {
      step,
      details: { field: 'clientExtensionResults' },
    });
  }
  if (attachment !== undefined && attachment !== null && typeof attachment !== 'string') {
    fail('ERR_RESPONSE_MALFORMED', 'authenticatorAttachment must be a string or null', {
      step,
      details: { field: 'authenticatorAttachment' },
    });
  }
  const fields = readValues(response, responseKeys, RESPONSE, 'response.', 'ignore').values;
  return { id, response: fields, clientExtensionResults: (extensions as Readonly<Record<string, unknown>> | undefined) ?? EMPTY };
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
