/** §7.1 step 14 / §7.2 step 15: rpIdHash is SHA-256 of an RP ID the relying party expects. */
import { backend } from '../crypto/backend.js';
import { equalBytes, encodeUtf8 } from '../encoding/bytes.js';
import { fail } from '../errors.js';

/** The RP ID(s) the relying party accepts; the result of a ceremony names the one that matched. */
export type ExpectedRpId = string | readonly string[];

const RP_ID_HASH_CACHE_LIMIT = 256;
const rpIdHashCache = new Map<string, Uint8Array>();

/** SHA-256 of an RP ID, memoised in a small bounded cache (RP IDs are few and fixed). */
export function rpIdHash(rpId: string): Uint8Array {
  let hash = rpIdHashCache.get(rpId);
  if (hash === undefined) {
    hash = backend.hash('SHA-256', encodeUtf8(rpId));
    if (rpIdHashCache.size >= RP_ID_HASH_CACHE_LIMIT) rpIdHashCache.clear();
    rpIdHashCache.set(rpId, hash);
  }
  return hash;
}

/** Throws `ERR_RPID_MISMATCH` unless `received` hashes one of the expected RP IDs; returns that RP ID. */
export function checkRpIdHash(received: Uint8Array, expected: ExpectedRpId, step: string): string {
  const candidates = typeof expected === 'string' ? [expected] : expected;
  for (const rpId of candidates) {
    if (equalBytes(received, rpIdHash(rpId))) return rpId;
  }
  return fail('ERR_RPID_MISMATCH', 'authenticatorData.rpIdHash is not the SHA-256 of an expected RP ID', {
    step,
    details: { field: 'rpIdHash', expected: candidates.slice(0, 16) },
  });
}
