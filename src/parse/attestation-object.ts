/** §6.5.4 / §7.1 step 13: the attestationObject, decoded strictly. */
import { CBOR_MAX_DEPTH_COMPOUND, decodeCbor } from '../encoding/cbor.js';
import { copyBytes, ownsBuffer } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import type { AuthenticatorData } from '../types.js';
import { parseAuthenticatorData } from './authenticator-data.js';

const STEP = '7.1.13';

/** A decoded attestationObject: `fmt`, `attStmt` (CBOR map) and the parsed `authData`. */
export interface AttestationObject {
  readonly fmt: string;
  /**
   * The attestation statement, as decoded (text keys; values per format). An array only when
   * `fmt` is `compound` (§8.9: the sub-statements, checked by the compound verifier).
   */
  readonly attStmt: ReadonlyMap<unknown, unknown> | readonly unknown[];
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

const MAX_BYTES = 256 * 1024;

/**
 * Depth 4 for every format; only a `compound` object (§8.9) may nest one level deeper. So an input
 * too deep for 4 is decoded again with depth 5 and kept only when its fmt is `compound` — any
 * other fmt keeps the depth-4 `ERR_CBOR_TOO_DEEP`.
 */
function decodeObject(bytes: Uint8Array): unknown {
  try {
    return decodeCbor(bytes, { step: STEP, maxBytes: MAX_BYTES });
  } catch (error) {
    if (!isWebAuthnError(error, 'ERR_CBOR_TOO_DEEP')) throw error;
    let deeper: unknown;
    try {
      deeper = decodeCbor(bytes, { step: STEP, maxBytes: MAX_BYTES, maxDepth: CBOR_MAX_DEPTH_COMPOUND });
    } catch {
      throw error;
    }
    if (!(deeper instanceof Map) || deeper.get('fmt') !== 'compound') throw error;
    return deeper;
  }
}

/**
 * Decodes an attestationObject: one CBOR map (strict: no trailing bytes, tags, duplicate keys or
 * indefinite lengths) with exactly the members `fmt` (text), `attStmt` (map; an array for
 * `compound` only) and `authData` (non-empty bytes), then parses `authData`. Nesting depth is 4,
 * 5 for `compound`. `authData` is parsed from its own copy of the bytes. Throws `ERR_CBOR_*`,
 * `ERR_ATTESTATION_OBJECT_MALFORMED` or the authenticator-data codes; `ERR_OPTIONS_INVALID` when
 * `bytes` is not a Uint8Array.
 */
export function parseAttestationObject(bytes: Uint8Array): AttestationObject {
  if (!(bytes instanceof Uint8Array)) {
    fail('ERR_OPTIONS_INVALID', 'parseAttestationObject: attestationObject must be a Uint8Array', {
      details: { field: 'attestationObject' },
    });
  }
  const value = decodeObject(bytes);
  if (!(value instanceof Map)) malformed('attestationObject is not a CBOR map');
  for (const key of value.keys()) {
    if (key !== 'fmt' && key !== 'attStmt' && key !== 'authData') {
      malformed(`attestationObject has an unexpected member ${JSON.stringify(String(key).slice(0, 32))}`, String(key));
    }
  }
  const fmt = value.get('fmt');
  if (typeof fmt !== 'string' || fmt.length === 0) malformed('attestationObject.fmt is missing or not a text string', 'fmt');
  const attStmt = value.get('attStmt');
  if (!(attStmt instanceof Map || (fmt === 'compound' && Array.isArray(attStmt)))) {
    malformed(`attestationObject.attStmt is missing or not a map${fmt === 'compound' ? ' or array' : ''}`, 'attStmt');
  }
  const authData = value.get('authData');
  if (!(authData instanceof Uint8Array) || authData.length === 0) {
    malformed('attestationObject.authData is missing, not a byte string, or empty', 'authData');
  }
  // The decoder hands out a view into the attestationObject: authData gets its own buffer (one
  // copy), so that the parsed authenticator data and its `raw` own their bytes.
  return { fmt, attStmt, authData: parseAuthenticatorData(ownsBuffer(authData) ? authData : copyBytes(authData)), raw: bytes };
}
