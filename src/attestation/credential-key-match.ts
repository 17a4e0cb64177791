/** §8.4 step 3, §8.8 step 4: the attestation certificate certifies the credential key itself. */
import { equalBytes } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import type { CosePublicKey } from '../parse/cose-constants.js';
import { certificatePublicKey, type ParsedCertificate } from '../x509/index.js';

function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function sameKey(a: CosePublicKey, b: CosePublicKey): boolean {
  switch (a.kty) {
    case 'EC2':
      return b.kty === 'EC2' && a.crv === b.crv && equalBytes(a.x, b.x) && equalBytes(a.y, b.y);
    case 'OKP':
      return b.kty === 'OKP' && a.crv === b.crv && equalBytes(a.x, b.x);
    case 'RSA':
      return (
        b.kty === 'RSA' &&
        equalBytes(stripLeadingZeros(a.n), stripLeadingZeros(b.n)) &&
        equalBytes(stripLeadingZeros(a.e), stripLeadingZeros(b.e))
      );
    case 'AKP':
      return b.kty === 'AKP' && a.variant === b.variant && equalBytes(a.pub, b.pub);
  }
}

/**
 * Requires the subject public key of `cert` to be `credentialKey`: same key type, curve and
 * coordinates (EC2, OKP), modulus and exponent (RSA) or encoded key (ML-DSA).
 *
 * @throws WebAuthnError `ERR_ATTESTATION_KEY_MISMATCH` otherwise (a certificate key of another
 *   type or curve included); `ERR_CERT_MALFORMED` when the certificate key is not well formed.
 */
export function requireCertificateKeyIsCredentialKey(cert: ParsedCertificate, credentialKey: CosePublicKey, step: string): void {
  let certificateKey: CosePublicKey;
  try {
    certificateKey = certificatePublicKey(cert, credentialKey.alg);
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_CERT_KEY_MISMATCH')) {
      fail('ERR_ATTESTATION_KEY_MISMATCH', 'The attestation certificate key is not of the credential key type', { step, cause: error });
    }
    throw error;
  }
  if (!sameKey(credentialKey, certificateKey)) {
    fail('ERR_ATTESTATION_KEY_MISMATCH', 'The attestation certificate key is not the credential public key', { step });
  }
}
