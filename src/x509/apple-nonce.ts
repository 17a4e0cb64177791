/**
 * The Apple anonymous attestation nonce extension (OID 1.2.840.113635.100.8.2, §8.8):
 * `SEQUENCE { [1] EXPLICIT OCTET STRING nonce }`.
 */
import * as asn1js from 'asn1js';
import { fail } from '../errors.js';
import type { ParsedCertificate } from './certificate.js';
import { contextItems, decodeDer, EXTENSION_LIMITS, primitiveBytes, sequenceItems } from './der.js';

/** OID of the Apple nonce extension. */
export const OID_APPLE_NONCE = '1.2.840.113635.100.8.2';

const STEP = '8.8';
const NONCE_LENGTH = 32;

function invalid(reason: string): never {
  fail('ERR_APPLE_NONCE_MISMATCH', `Apple nonce extension: ${reason}`, { step: STEP, details: { reason } });
}

/**
 * The 32-byte nonce of `cert`'s Apple nonce extension.
 *
 * @throws WebAuthnError `ERR_APPLE_NONCE_MISMATCH` when the extension is absent, repeated, or not
 *   bounded DER `SEQUENCE { [1] EXPLICIT OCTET STRING }` of 32 bytes.
 */
export function parseAppleNonce(cert: ParsedCertificate): Uint8Array {
  const found = cert.extensions.filter((extension) => extension.oid === OID_APPLE_NONCE);
  if (found.length === 0) invalid('the certificate does not carry it');
  if (found.length > 1) invalid('the certificate carries it more than once');
  const root = decodeDer((found[0] as { value: Uint8Array }).value, 'Apple nonce extension', EXTENSION_LIMITS, 'ERR_APPLE_NONCE_MISMATCH', STEP);
  const items = sequenceItems(root);
  if (!(root instanceof asn1js.Sequence) || items?.length !== 1) invalid('it is not a SEQUENCE of one member');
  const tagged = contextItems(items[0], 1);
  if (tagged?.length !== 1 || !(tagged[0] instanceof asn1js.OctetString)) invalid('its member is not [1] EXPLICIT OCTET STRING');
  const nonce = primitiveBytes(tagged[0]);
  if (nonce.length !== NONCE_LENGTH) invalid(`the nonce has ${nonce.length} bytes, expected ${NONCE_LENGTH}`);
  return nonce;
}
