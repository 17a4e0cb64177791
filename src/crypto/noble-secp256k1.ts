/**
 * secp256k1 ECDSA verification (COSE ES256K, RFC 8812) through @noble/curves: WebCrypto has no
 * secp256k1. Imported lazily by the web backend (backend-web.ts) through a dynamic `import()` of
 * this module, so that a bundler keeps only `verify` of @noble's secp256k1 (no Schnorr, no
 * signing) and only in a chunk loaded on the first ES256K key.
 *
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';

/**
 * True when the P1363 `r ‖ s` signature verifies over SHA-256(`data`) with the uncompressed SEC1
 * `publicKey`. noble v2 defaults are lowS: true and its own prehash: both spelled out, since
 * WebAuthn accepts high-S signatures (§6.5.5 asks only for DER, checked by the caller).
 */
export function verifySecp256k1(rs: Uint8Array, data: Uint8Array, publicKey: Uint8Array): boolean {
  return secp256k1.verify(rs, data, publicKey, { format: 'compact', lowS: false, prehash: true });
}
