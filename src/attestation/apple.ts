/** §8.8 Apple Anonymous attestation: a per-credential certificate from Apple's anonymization CA. */
import { sha256 } from '../crypto/backend.js';
import { concatBytes, equalBytes } from '../encoding/bytes.js';
import { fail } from '../errors.js';
import { parseAppleNonce } from '../x509/apple-nonce.js';
import { requireCertificateKeyIsCredentialKey } from './credential-key-match.js';
import { checkMembers, parseX5c, requireInteger, checkAttestationContext } from './statement-fields.js';
import type { AttestationContext, StatementVerification } from './types.js';

const STEP = '8.8';

/**
 * Verifies an apple statement `{x5c}` (§8.8): nonce = SHA-256(authData ‖ clientDataHash) equals
 * the nonce extension (1.2.840.113635.100.8.2) of credCert = x5c[0], and credCert's key is the
 * credential public key. Returns AnonCA with x5c as the trust path.
 *
 * An `alg` member is tolerated (docs/quirks.md: early Apple authenticators sent one) when it is
 * the credential key's algorithm; it is signed by nothing, so it is otherwise ignored.
 */
export async function verifyApple(context: AttestationContext): Promise<StatementVerification> {
  checkAttestationContext(context);
  const { attStmt, authData, clientDataHash, credentialKey } = context;
  checkMembers(attStmt, ['alg', 'x5c'], STEP);
  if (attStmt.has('alg')) {
    const alg = requireInteger(attStmt, 'alg', STEP);
    if (alg !== credentialKey.alg) {
      fail('ERR_ATTESTATION_ALG_MISMATCH', `apple attStmt.alg ${alg} differs from the credential key's ${credentialKey.alg}`, {
        step: STEP,
        details: { field: 'alg', expected: credentialKey.alg, received: alg },
      });
    }
  }
  if (!attStmt.has('x5c')) {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'apple attStmt.x5c is missing', { step: STEP, details: { field: 'x5c' } });
  }
  const chain = parseX5c(attStmt.get('x5c'), STEP);
  const credCert = chain[0]!;

  // Steps 2–3: nonceToHash = authData ‖ clientDataHash; its SHA-256 is the certificate's nonce.
  const nonce = sha256(concatBytes(authData.raw, clientDataHash));
  if (!equalBytes(parseAppleNonce(credCert), nonce)) {
    fail('ERR_APPLE_NONCE_MISMATCH', 'The nonce of the Apple attestation certificate is not SHA-256(authData ‖ clientDataHash)', {
      step: STEP,
      details: { field: 'nonce' },
    });
  }
  // Step 4: credCert certifies the credential key.
  requireCertificateKeyIsCredentialKey(credCert, credentialKey, STEP);
  return { type: 'anonca', trustPath: chain };
}
