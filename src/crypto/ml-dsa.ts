/**
 * ML-DSA (FIPS 204) verification through @noble/post-quantum, for both backends: neither
 * node:crypto on Node 20 nor WebCrypto has it. COSE ML-DSA (draft-ietf-cose-dilithium) signs in
 * the "pure" mode with an empty context, which is what noble's `verify` without options does
 * (it prepends the 0x00 ‖ len(ctx)=0 domain bytes of FIPS 204 Algorithm 3).
 *
 * The @noble/post-quantum module is imported lazily, the first time an ML-DSA key is prepared
 * ({@link loadMlDsa}): a relying party without ML-DSA credentials never loads it, and a
 * code-splitting bundler keeps it out of the entry bundle.
 */
import type { MlDsaName } from '../parse/cose-constants.js';
import { fail } from '../errors.js';
import { LazyModule } from './lazy-module.js';

type MlDsaModule = typeof import('@noble/post-quantum/ml-dsa.js');

/** FIPS 204 Table 2: signature sizes. */
const SIGNATURE_LENGTHS: Readonly<Record<MlDsaName, number>> = {
  'ML-DSA-44': 2420,
  'ML-DSA-65': 3309,
  'ML-DSA-87': 4627,
};

/** The lazily imported @noble/post-quantum ML-DSA module (exported for tests). */
export const mlDsaModule = new LazyModule<MlDsaModule>('the @noble/post-quantum ML-DSA module', () => import('@noble/post-quantum/ml-dsa.js'));

/**
 * Makes {@link verifyMlDsa} usable: undefined when the module is already loaded, else a promise
 * that settles once it is (rejecting with `ERR_ALG_UNSUPPORTED_RUNTIME` for COSE algorithm `alg`
 * when it cannot be imported). Backends call it from `prepareKey`.
 */
export function loadMlDsa(alg: number): Promise<void> | undefined {
  if (mlDsaModule.loaded !== undefined) return undefined;
  return Promise.resolve(mlDsaModule.get(alg)).then(() => undefined);
}

/**
 * ML-DSA.Verify(pk, M, σ, ctx = empty). False for a signature of the wrong length or one that
 * does not verify. `publicKey` has the variant's size (checked by parseCoseKey). Synchronous:
 * only for keys prepared after {@link loadMlDsa} settled.
 */
export function verifyMlDsa(variant: MlDsaName, publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const module = mlDsaModule.loaded;
  if (module === undefined) return fail('ERR_INTERNAL', 'ML-DSA verify before its module was loaded by prepareKey');
  if (signature.length !== SIGNATURE_LENGTHS[variant]) return false;
  const v = variant === 'ML-DSA-44' ? module.ml_dsa44 : variant === 'ML-DSA-65' ? module.ml_dsa65 : module.ml_dsa87;
  return v.verify(signature, data, publicKey);
}
