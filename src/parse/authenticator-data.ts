/**
 * §6.1 authenticator data and §6.5.1 attested credential data: parsing (strict, exact boundaries,
 * each field its own copy) and its inverse for tests and synthetic authenticators.
 */
import { decodeCborItem, scanCborItem } from '../encoding/cbor.js';
import { copyBytes, readUint16BE, readUint32BE } from '../encoding/bytes.js';
import { fail, WebAuthnError } from '../errors.js';
import type { AttestedCredentialData, AuthenticatorData, AuthenticatorFlags } from '../types.js';

/** §6.1 flags bit 0: User Present (UP). Bits 1 and 5 are reserved for future use: tolerated, kept in `flags.raw`. */
export const FLAG_UP = 0x01;
/** §6.1 flags bit 2: User Verified (UV). */
export const FLAG_UV = 0x04;
/** §6.1 flags bit 3: Backup Eligibility (BE). */
export const FLAG_BE = 0x08;
/** §6.1 flags bit 4: Backup State (BS). */
export const FLAG_BS = 0x10;
/** §6.1 flags bit 6: Attested credential data included (AT). */
export const FLAG_AT = 0x40;
/** §6.1 flags bit 7: Extension data included (ED). */
export const FLAG_ED = 0x80;

/** rpIdHash (32) + flags (1) + signCount (4). */
export const AUTHDATA_MIN_LENGTH = 37;

/** §6.5.1: credentialIdLength "MUST be ≤ 1023". */
export const CREDENTIAL_ID_MAX_LENGTH = 1023;

/**
 * Largest authenticator data accepted. The spec sets no bound; the largest legitimate content is a
 * 1023-byte credential id with an ML-DSA-87 key (≈ 2.6 KB COSE) plus extensions, well under 64 KiB,
 * which is also the bound of the CBOR layer.
 */
export const AUTHDATA_MAX_LENGTH = 65536;

const STEP = '6.1';
const ATTESTED_HEADER = 16 + 2;

function malformed(message: string, offset: number, field: string, cause?: unknown): never {
  return fail('ERR_AUTHDATA_MALFORMED', message, {
    step: STEP,
    details: { offset, field },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Scans (and, for extensions, decodes) the CBOR map at `offset`. Truncation of the item is
 * truncation of the authenticator data, so it is reported as such; other CBOR codes pass through.
 */
function cborMap(bytes: Uint8Array, offset: number, field: string, decode: boolean): { value: unknown; end: number } {
  if (offset === bytes.length || (bytes[offset] as number) >> 5 !== 5) {
    malformed(offset === bytes.length ? `${field} is missing` : `${field} is not a CBOR map`, offset, field);
  }
  const options = { step: STEP, maxBytes: AUTHDATA_MAX_LENGTH };
  try {
    return decode ? decodeCborItem(bytes, offset, options) : { value: undefined, end: scanCborItem(bytes, offset, options) };
  } catch (error) {
    if (error instanceof WebAuthnError && error.code === 'ERR_CBOR_TRUNCATED') {
      return malformed(`${field} is truncated`, offset, field, error);
    }
    throw error;
  }
}

function partInvalid(field: string, message: string): never {
  return fail('ERR_OPTIONS_INVALID', `encodeAuthenticatorData: ${field} ${message}`, { details: { field } });
}

/** The decoded CBOR value with every byte string copied (the decoder hands out views). */
function ownedValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return copyBytes(value);
  if (Array.isArray(value)) return value.map(ownedValue);
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [key, item] of value) out.set(ownedValue(key), ownedValue(item));
    return out;
  }
  return value;
}

/**
 * Parses §6.1 authenticator data.
 *
 * Byte fields (`rpIdHash`, `aaguid`, `credentialId`, `credentialPublicKey`, `extensionsRaw`) are
 * copies, each spanning its own buffer (results own their bytes: mutating one never reaches the
 * input or another result); `raw` is `bytes` itself — the ceremonies pass their own freshly
 * decoded array. `credentialPublicKey` is the exact bytes of one strict CBOR
 * map (its COSE meaning is checked elsewhere); `extensions` maps each text key of the ED map to its
 * decoded value, in a null-prototype object.
 *
 * @throws {WebAuthnError} `ERR_AUTHDATA_MALFORMED` (too short or long, truncated attested data,
 * trailing bytes, ED/AT flags that disagree with the content, an extensions map with non-text keys),
 * `ERR_CREDENTIAL_ID_TOO_LONG`, `ERR_BACKUP_FLAGS_INVALID` (BS without BE), or an `ERR_CBOR_*` code
 * for a malformed CBOR item inside; `ERR_OPTIONS_INVALID` when `bytes` is not a Uint8Array.
 */
export function parseAuthenticatorData(bytes: Uint8Array): AuthenticatorData {
  if (!(bytes instanceof Uint8Array)) {
    fail('ERR_OPTIONS_INVALID', 'parseAuthenticatorData: authenticatorData must be a Uint8Array', {
      details: { field: 'authenticatorData' },
    });
  }
  const length = bytes.length;
  if (length < AUTHDATA_MIN_LENGTH) {
    malformed(`authenticatorData is ${length} bytes, shorter than ${AUTHDATA_MIN_LENGTH}`, length, 'authenticatorData');
  }
  if (length > AUTHDATA_MAX_LENGTH) {
    malformed(`authenticatorData exceeds ${AUTHDATA_MAX_LENGTH} bytes`, AUTHDATA_MAX_LENGTH, 'authenticatorData');
  }
  const raw = bytes[32] as number;
  const flags: AuthenticatorFlags = {
    up: (raw & FLAG_UP) !== 0,
    uv: (raw & FLAG_UV) !== 0,
    be: (raw & FLAG_BE) !== 0,
    bs: (raw & FLAG_BS) !== 0,
    at: (raw & FLAG_AT) !== 0,
    ed: (raw & FLAG_ED) !== 0,
    raw,
  };
  let offset = AUTHDATA_MIN_LENGTH;

  let attestedCredentialData: AttestedCredentialData | undefined;
  if (flags.at) {
    // §6.5.1: aaguid (16) ‖ credentialIdLength (2, BE) ‖ credentialId ‖ credentialPublicKey (COSE_Key).
    if (length - offset < ATTESTED_HEADER) {
      malformed('AT is set but attested credential data is missing or truncated', offset, 'attestedCredentialData');
    }
    const aaguid = copyBytes(bytes, offset, offset + 16);
    const idLength = readUint16BE(bytes, offset + 16);
    offset += ATTESTED_HEADER;
    if (idLength > CREDENTIAL_ID_MAX_LENGTH) {
      fail('ERR_CREDENTIAL_ID_TOO_LONG', `credentialIdLength ${idLength} exceeds ${CREDENTIAL_ID_MAX_LENGTH}`, {
        step: '6.5.1',
        details: { offset: offset - 2, field: 'credentialIdLength', expected: CREDENTIAL_ID_MAX_LENGTH, received: idLength },
      });
    }
    if (idLength > length - offset) {
      malformed(`credentialIdLength ${idLength} exceeds the ${length - offset} bytes left`, offset - 2, 'credentialIdLength');
    }
    const credentialId = copyBytes(bytes, offset, offset + idLength);
    offset += idLength;
    const keyEnd = cborMap(bytes, offset, 'credentialPublicKey', false).end;
    attestedCredentialData = { aaguid, credentialId, credentialPublicKey: copyBytes(bytes, offset, keyEnd) };
    offset = keyEnd;
  }

  let extensions: Record<string, unknown> | undefined;
  let extensionsRaw: Uint8Array | undefined;
  if (flags.ed) {
    const { value, end } = cborMap(bytes, offset, 'extensions', true);
    extensions = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of value as Map<unknown, unknown>) {
      // §9: extension identifiers are text strings.
      if (typeof key !== 'string') malformed('An extension identifier is not a text string', offset, 'extensions');
      extensions[key] = ownedValue(item);
    }
    extensionsRaw = copyBytes(bytes, offset, end);
    offset = end;
  }

  if (offset !== length) {
    const why = flags.ed
      ? 'after the extensions'
      : flags.at
        ? 'after the credential public key (ED is clear)'
        : 'after signCount (AT and ED are clear)';
    malformed(`${length - offset} trailing byte(s) ${why}`, offset, 'authenticatorData');
  }
  // §6.1: BS may be set only when BE is (a credential that cannot be backed up is not backed up).
  if (flags.bs && !flags.be) {
    fail('ERR_BACKUP_FLAGS_INVALID', 'BS is set while BE is clear', { step: STEP, details: { field: 'flags', received: raw } });
  }

  return {
    raw: bytes,
    rpIdHash: copyBytes(bytes, 0, 32),
    flags,
    signCount: readUint32BE(bytes, 33),
    attestedCredentialData,
    extensions,
    extensionsRaw,
  };
}

/** The pieces {@link encodeAuthenticatorData} assembles. */
export interface AuthenticatorDataParts {
  /** 32 bytes. */
  readonly rpIdHash: Uint8Array;
  /** The flags byte, written as given (AT and ED are not derived from the other parts), or parsed flags. */
  readonly flags: number | Pick<AuthenticatorFlags, 'raw'>;
  /** Unsigned 32-bit. */
  readonly signCount: number;
  readonly attestedCredentialData?: AttestedCredentialData | undefined;
  /** The CBOR bytes of the extensions map, written verbatim. */
  readonly extensionsRaw?: Uint8Array | undefined;
}

/**
 * Serialises authenticator data from its parts: the inverse of {@link parseAuthenticatorData}
 * (for any parsed value `d`, `parseAuthenticatorData(encodeAuthenticatorData(d))` equals `d`).
 * No consistency check between flags and content, so tests can build malformed data.
 *
 * @throws {WebAuthnError} `ERR_OPTIONS_INVALID` naming the part that has the wrong type, size or
 * range (`rpIdHash`, `flags`, `signCount`, `attestedCredentialData.aaguid`…).
 */
export function encodeAuthenticatorData(parts: AuthenticatorDataParts): Uint8Array {
  if (typeof parts !== 'object' || parts === null) partInvalid('parts', 'must be an object');
  const { rpIdHash, signCount, attestedCredentialData: attested, extensionsRaw } = parts;
  const flagsPart: unknown = parts.flags;
  const flags = typeof flagsPart === 'object' && flagsPart !== null ? (flagsPart as { raw?: unknown }).raw : flagsPart;
  if (!(rpIdHash instanceof Uint8Array) || rpIdHash.length !== 32) partInvalid('rpIdHash', 'must be 32 bytes');
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0xff) partInvalid('flags', 'must be one byte');
  if (typeof signCount !== 'number' || !Number.isInteger(signCount) || signCount < 0 || signCount > 0xffffffff) {
    partInvalid('signCount', 'must be an unsigned 32-bit integer');
  }
  if (extensionsRaw !== undefined && !(extensionsRaw instanceof Uint8Array)) partInvalid('extensionsRaw', 'must be bytes');
  let length = AUTHDATA_MIN_LENGTH;
  if (attested !== undefined) {
    if (typeof attested !== 'object' || attested === null) partInvalid('attestedCredentialData', 'must be an object');
    if (!(attested.aaguid instanceof Uint8Array) || attested.aaguid.length !== 16) partInvalid('attestedCredentialData.aaguid', 'must be 16 bytes');
    if (!(attested.credentialId instanceof Uint8Array) || attested.credentialId.length > 0xffff) {
      partInvalid('attestedCredentialData.credentialId', 'must be bytes with a 16-bit length');
    }
    if (!(attested.credentialPublicKey instanceof Uint8Array)) partInvalid('attestedCredentialData.credentialPublicKey', 'must be bytes');
    length += ATTESTED_HEADER + attested.credentialId.length + attested.credentialPublicKey.length;
  }
  if (extensionsRaw !== undefined) length += extensionsRaw.length;

  const out = new Uint8Array(length);
  out.set(rpIdHash, 0);
  out[32] = flags;
  out[33] = signCount >>> 24;
  out[34] = (signCount >>> 16) & 0xff;
  out[35] = (signCount >>> 8) & 0xff;
  out[36] = signCount & 0xff;
  let offset = AUTHDATA_MIN_LENGTH;
  if (attested !== undefined) {
    out.set(attested.aaguid, offset);
    out[offset + 16] = attested.credentialId.length >>> 8;
    out[offset + 17] = attested.credentialId.length & 0xff;
    offset += ATTESTED_HEADER;
    out.set(attested.credentialId, offset);
    offset += attested.credentialId.length;
    out.set(attested.credentialPublicKey, offset);
    offset += attested.credentialPublicKey.length;
  }
  if (extensionsRaw !== undefined) out.set(extensionsRaw, offset);
  return out;
}
