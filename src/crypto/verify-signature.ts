/**
 * Signature verification with a credential public key: the algorithm policy (allow-list, RS1
 * only on request) and the one failure channel (`ERR_SIGNATURE_INVALID`) on top of the backend.
 */
import { fail } from '../errors.js';
import type { CosePublicKey } from '../parse/cose-constants.js';
import { isAlgorithmAllowed } from '../parse/cose-key.js';
import { backend } from './backend.js';
import type { PreparedKey } from './backend-types.js';
import { getPreparedKey } from './key-cache.js';
import { assertValidCosePublicKey } from './validate-key.js';

export { hash, sha256 } from './backend.js';

/** Options of {@link verifySignature}. */
export interface VerifySignatureOptions {
  /** COSE algorithms accepted; default every supported one except RS1 (-65535). */
  readonly allowedAlgorithms?: readonly number[] | undefined;
  /** The spec step reported by errors; default `6.5.5`. */
  readonly step?: string | undefined;
}

/** A wrongly typed argument: `ERR_OPTIONS_INVALID` naming it (DESIGN: never a TypeError). */
function misuse(field: string, message: string): never {
  return fail('ERR_OPTIONS_INVALID', message, { details: { field } });
}

function isPreparedKey(key: object): key is PreparedKey {
  return 'handle' in key && 'cose' in key;
}

function resolveKey(key: CosePublicKey | PreparedKey | Uint8Array | string): PreparedKey | Promise<PreparedKey> {
  if (typeof key === 'string' || key instanceof Uint8Array) return getPreparedKey(key);
  if (typeof key !== 'object' || key === null) misuse('key', 'verifySignature: expected COSE_Key bytes, their base64url, a CosePublicKey or a prepared key');
  if (isPreparedKey(key)) return key;
  return backend.prepareKey(assertValidCosePublicKey(key));
}

/**
 * Verifies `signature` over `data` with a credential public key given as COSE_Key bytes (or their
 * base64url; decoded, validated and imported through the shared key cache), a
 * {@link CosePublicKey} (validated, then imported) or an already prepared key.
 *
 * The signature must be in its algorithm's WebAuthn encoding (§6.5.5): DER for ECDSA (high-S
 * accepted), modulus-length for RSA, 64/114 bytes for Ed25519/Ed448.
 *
 * Resolves when it verifies. Rejects with `ERR_ALG_NOT_ALLOWED` when the key's algorithm is not
 * in `allowedAlgorithms`, `ERR_SIGNATURE_INVALID` when the signature does not verify, the key
 * errors of `decodeCoseKey` for a bad key, `ERR_ALG_UNSUPPORTED_RUNTIME` when this runtime cannot
 * verify the key's algorithm, and `ERR_OPTIONS_INVALID` (naming the argument) for an argument of
 * the wrong type.
 */
export async function verifySignature(
  key: CosePublicKey | PreparedKey | Uint8Array | string,
  data: Uint8Array,
  signature: Uint8Array,
  options: VerifySignatureOptions = {},
): Promise<void> {
  if (typeof options !== 'object' || options === null) misuse('options', 'verifySignature: options must be an object');
  const step = options.step ?? '6.5.5';
  const prepared = await resolveKey(key);
  const alg = prepared.cose.alg;
  if (!isAlgorithmAllowed(alg, options.allowedAlgorithms)) {
    fail('ERR_ALG_NOT_ALLOWED', `COSE algorithm ${alg} is not allowed`, {
      step,
      details: { field: 'alg', received: alg },
    });
  }
  if (!(data instanceof Uint8Array)) misuse('data', 'verifySignature: data must be a Uint8Array');
  if (!(signature instanceof Uint8Array)) misuse('signature', 'verifySignature: signature must be a Uint8Array');
  if ((await backend.verify(prepared, data, signature)) !== true) {
    fail('ERR_SIGNATURE_INVALID', 'The signature does not verify with the public key', {
      step,
      details: { field: 'signature' },
    });
  }
}

/**
 * The hot-path primitive: true when `signature` verifies over `data` with a prepared key,
 * synchronously on the Node backend (a promise on the web one). No algorithm policy: check
 * {@link isAlgorithmAllowed} first. Never throws for a bad signature; an unexpected failure of
 * the platform is thrown as `ERR_INTERNAL`.
 */
export function verifyPrepared(prepared: PreparedKey, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
  return backend.verify(prepared, data, signature);
}

export { isAlgorithmAllowed };
