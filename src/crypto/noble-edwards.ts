/**
 * Ed25519 and Ed448 verification (RFC 8032) through @noble/curves, for platforms whose WebCrypto
 * lacks them. Imported lazily by the web backend (backend-web.ts) through a dynamic `import()` of
 * this module: only `verify` is kept by a bundler, in a chunk loaded on the first Edwards key that
 * WebCrypto cannot import.
 *
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';

// zip215: false is RFC 8032 / FIPS 186-5 strict: canonical R and A, S < L (SECURITY-CHECKLIST F.54).

/** RFC 8032 §5.1.7 verification, strict. */
export function verifyEd25519(signature: Uint8Array, data: Uint8Array, publicKey: Uint8Array): boolean {
  return ed25519.verify(signature, data, publicKey, { zip215: false });
}

/** RFC 8032 §5.2.7 verification (empty context), strict. */
export function verifyEd448(signature: Uint8Array, data: Uint8Array, publicKey: Uint8Array): boolean {
  return ed448.verify(signature, data, publicKey, { zip215: false });
}
