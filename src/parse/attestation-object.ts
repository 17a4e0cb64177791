/** §6.5.4 / §7.1 step 13: the attestationObject, decoded strictly. */
import { decodeCbor } from '../encoding/cbor.js';
import { fail } from '../errors.js';
import type { AuthenticatorData } from '../types.js';
import { parseAuthenticatorData } from './authenticator-data.js';

const STEP = '7.1.13';

/** A decoded attestationObject: `fmt`, `attStmt` (CBOR map) and the parsed `authData`. */
export interface AttestationObject {
  readonly fmt: string;
  /** The attestation statement, as decoded (text keys; values per format). */
  readonly attStmt: ReadonlyMap<unknown, unknown>;
  readonly authData: AuthenticatorData;
  /** The exact attestationObject bytes. */
  readonly raw: Uint8Array;
}

function malformed(message: string, field?: string): never {
  return fail('ERR_ATTESTATION_OBJECT_MALFORMED', message, {
    step: STEP,
    ...(field === undefined ? {} : { details: { field } }),
  });
}

/**
 * Decodes an attestationObject: one CBOR map (strict: no trailing bytes, tags, duplicate keys or
 * indefinite lengths) with exactly the members `fmt` (text), `attStmt` (map) and `authData`
 * (non-empty bytes), then parses `authData`. Throws `ERR_CBOR_*`, `ERR_ATTESTATION_OBJECT_MALFORMED`
 * or the authenticator-data codes.
 */
export function parseAttestationObject(bytes: Uint8Array): AttestationObject {
  const value = decodeCbor(bytes, { step: STEP, maxBytes: 256 * 1024 });
  if (!(value instanceof Map)) malformed('attestationObject is not a CBOR map');
  for (const key of value.keys()) {
    if (key !== 'fmt' && key !== 'attStmt' && key !== 'authData') {
      malformed(`attestationObject has an unexpected member ${JSON.stringify(String(key).slice(0, 32))}`, String(key));
    }
  }
  const fmt = value.get('fmt');
  if (typeof fmt !== 'string' || fmt.length === 0) malformed('attestationObject.fmt is missing or not a text string', 'fmt');
  const attStmt = value.get('attStmt');
  if (!(attStmt instanceof Map)) malformed('attestationObject.attStmt is missing or not a map', 'attStmt');
  const authData = value.get('authData');
  if (!(authData instanceof Uint8Array) || authData.length === 0) {
    malformed('attestationObject.authData is missing, not a byte string, or empty', 'authData');
  }
  return { fmt, attStmt, authData: parseAuthenticatorData(authData), raw: bytes };
}
