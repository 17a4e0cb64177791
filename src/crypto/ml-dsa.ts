/**
 * ML-DSA (FIPS 204) verification through @noble/post-quantum, for both backends: neither
 * node:crypto on Node 20 nor WebCrypto has it. COSE ML-DSA (draft-ietf-cose-dilithium) signs in
 * the "pure" mode with an empty context, which is what noble's `verify` without options does
 * (it prepends the 0x00 ‖ len(ctx)=0 domain bytes of FIPS 204 Algorithm 3).
 */
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import type { MlDsaName } from '../parse/cose-constants.js';

interface MlDsaVariant {
  readonly verify: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;
  readonly signatureLength: number;
}

/** FIPS 204 Table 2: signature sizes. */
const VARIANTS: Readonly<Record<MlDsaName, MlDsaVariant>> = {
  'ML-DSA-44': { verify: ml_dsa44.verify, signatureLength: 2420 },
  'ML-DSA-65': { verify: ml_dsa65.verify, signatureLength: 3309 },
  'ML-DSA-87': { verify: ml_dsa87.verify, signatureLength: 4627 },
};

/**
 * ML-DSA.Verify(pk, M, σ, ctx = empty). False for a signature of the wrong length or one that
 * does not verify. `publicKey` has the variant's size (checked by parseCoseKey).
 */
export function verifyMlDsa(variant: MlDsaName, publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const v = VARIANTS[variant];
  if (signature.length !== v.signatureLength) return false;
  return v.verify(signature, data, publicKey);
}
