/** The interface both crypto backends implement (src/crypto/backend-node.ts, backend-web.ts). */
import type { CosePublicKey, HashName } from '../parse/cose-constants.js';

/** A public key imported into a backend, ready to verify with. Opaque outside src/crypto. */
export interface PreparedKey {
  readonly cose: CosePublicKey;
  /** Backend-specific handle (a KeyObject, a CryptoKey, or raw bytes for @noble). */
  readonly handle: unknown;
}

/**
 * One signature-verification backend. `node` uses node:crypto KeyObjects and synchronous verify;
 * `web` uses WebCrypto with @noble for what WebCrypto lacks. Selected by the package.json
 * `imports` map (`#crypto-backend`, condition `node`), never by runtime sniffing.
 */
export interface CryptoBackend {
  readonly name: 'node' | 'web';
  /**
   * True when `prepareKey` itself refuses EC points that are not on their curve (OpenSSL does),
   * so that the key cache can skip the duplicate JavaScript check. Coordinates are range-checked
   * either way.
   */
  readonly validatesCurvePointsOnImport?: boolean;
  /** Synchronous digest. */
  hash(name: HashName, data: Uint8Array): Uint8Array;
  /**
   * Strict base64url decoding (the rules of `base64UrlToBytes`, same errors) with the platform's
   * fastest decoder: a sign-in decodes three members, and a JS loop costs microseconds each.
   */
  decodeBase64Url(text: string, maxLength: number): Uint8Array;
  /** Imports a validated key; throws `ERR_COSE_KEY_INVALID` when the platform refuses it. */
  prepareKey(key: CosePublicKey): PreparedKey | Promise<PreparedKey>;
  /**
   * Verifies `signature` over `data` with the key's COSE algorithm. Resolves false for a
   * signature that does not verify or is not in its algorithm's strict encoding; never throws
   * for bad signatures.
   */
  verify(key: PreparedKey, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}
