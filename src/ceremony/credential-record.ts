/** Validation of a stored {@link CredentialRecord} handed back to a ceremony. */
import { assertBase64Url } from '../encoding/base64url.js';
import { fail, isWebAuthnError } from '../errors.js';
import type { CredentialRecord } from '../types.js';

function invalid(field: string, message: string, cause?: unknown): never {
  return fail('ERR_CREDENTIAL_RECORD_INVALID', `credential record: ${message}`, {
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}

function optionalBoolean(record: Readonly<Record<string, unknown>>, field: string): void {
  const value = record[field];
  if (value !== undefined && typeof value !== 'boolean') invalid(field, `${field} must be a boolean`);
}

/**
 * Checks the record's own shape (it comes from the relying party's storage): canonical base64url
 * id, COSE key bytes or their base64url, integer algorithm, signCount a u32, booleans where
 * booleans belong. Throws `ERR_CREDENTIAL_RECORD_INVALID`.
 */
export function checkCredentialRecord(record: unknown): asserts record is CredentialRecord {
  if (typeof record !== 'object' || record === null) invalid('record', 'must be an object');
  const r = record as Readonly<Record<string, unknown>>;
  if (typeof r.id !== 'string' || r.id.length === 0) invalid('id', 'id must be a non-empty base64url string');
  try {
    assertBase64Url(r.id as string);
  } catch (error) {
    if (!isWebAuthnError(error)) throw error;
    invalid('id', 'id is not canonical base64url', error);
  }
  const publicKey = r.publicKey;
  if (!(publicKey instanceof Uint8Array) && !(typeof publicKey === 'string' && publicKey.length > 0)) {
    invalid('publicKey', 'publicKey must be COSE_Key bytes or their base64url');
  }
  if (typeof r.algorithm !== 'number' || !Number.isInteger(r.algorithm)) {
    invalid('algorithm', 'algorithm must be an integer COSE algorithm identifier');
  }
  const signCount = r.signCount;
  if (typeof signCount !== 'number' || !Number.isInteger(signCount) || signCount < 0 || signCount > 0xffffffff) {
    invalid('signCount', 'signCount must be an integer from 0 to 2^32-1');
  }
  optionalBoolean(r, 'uvInitialized');
  optionalBoolean(r, 'backupEligible');
  optionalBoolean(r, 'backupState');
}
