/**
 * The record conversion docs/migrating-from-simplewebauthn.md shows, written once here so that the
 * tests exercise exactly the guide's code (the guide quotes this function).
 */
import { decodeCoseKey } from '../../src/crypto/validate-key.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import type { CredentialRecord } from '../../src/types.js';

/** A stored @simplewebauthn/server v14 credential (`registrationInfo.credential`). */
export interface SimpleWebAuthnCredential {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports?: readonly string[] | undefined;
}

// guide:begin fromSimpleWebAuthnCredential
/** A SimpleWebAuthn `WebAuthnCredential` (plus the flags you stored beside it) as a `CredentialRecord`. */
export function fromSimpleWebAuthnCredential(
  credential: SimpleWebAuthnCredential,
  stored: { backedUp?: boolean; deviceType?: 'singleDevice' | 'multiDevice' } = {},
): CredentialRecord {
  return {
    id: credential.id, // already base64url
    publicKey: bytesToBase64Url(credential.publicKey), // the same COSE_Key bytes
    algorithm: decodeCoseKey(credential.publicKey).alg, // not stored by SimpleWebAuthn: read from the key
    signCount: credential.counter,
    ...(credential.transports === undefined ? {} : { transports: credential.transports }),
    ...(stored.deviceType === undefined ? {} : { backupEligible: stored.deviceType === 'multiDevice' }),
    ...(stored.backedUp === undefined ? {} : { backupState: stored.backedUp }),
  };
}
// guide:end
