/**
 * The crypto backend selected at build/resolve time through the package.json `imports` map:
 * `#crypto-backend` is backend-node.ts under the `node` condition and backend-web.ts elsewhere
 * (or everywhere with the `webauthn-verify-portable` condition). Every module imports the backend
 * from here, never from `#crypto-backend` directly.
 */
import { backend } from '#crypto-backend';
import type { HashName } from '../parse/cose-constants.js';

export { backend };
export type { CryptoBackend, PreparedKey } from './backend-types.js';

/** Synchronous digest with the selected backend. */
export function hash(name: HashName, data: Uint8Array): Uint8Array {
  return backend.hash(name, data);
}

/** SHA-256 with the selected backend (the client data hash, rpIdHash). */
export function sha256(data: Uint8Array): Uint8Array {
  return backend.hash('SHA-256', data);
}
