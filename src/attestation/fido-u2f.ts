/** §8.6 FIDO U2F attestation: a U2F registration signature by a single attestation certificate. */
import { verifySignature } from '../crypto/verify-signature.js';
import { concatBytes } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import { COSE_ALG_ES256 } from '../parse/cose-constants.js';
import { certificatePublicKey } from '../x509/index.js';
import { checkMembers, parseX5c, requireBytes, checkAttestationContext } from './statement-fields.js';
import type { AttestationContext, StatementVerification } from './types.js';

const STEP = '8.6';

/**
 * Verifies a fido-u2f statement `{sig, x5c}`: x5c holds exactly one certificate with a P-256 key;
 * the credential key is P-256 with 32-byte coordinates; `sig` (ECDSA with SHA-256) covers
 * 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ 0x04 ‖ x ‖ y. The AAGUID is reported as found
 * (§8.6 does not require it to be zero). Returns Basic with x5c as the trust path.
 */
export async function verifyFidoU2f(context: AttestationContext): Promise<StatementVerification> {
  checkAttestationContext(context);
  const { attStmt, authData, clientDataHash, credentialKey } = context;
  checkMembers(attStmt, ['sig', 'x5c'], STEP);
  const sig = requireBytes(attStmt, 'sig', STEP);
  const chain = parseX5c(attStmt.get('x5c'), STEP);
  if (chain.length !== 1) {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', `fido-u2f x5c must hold exactly one certificate, has ${chain.length}`, {
      step: STEP,
      details: { field: 'x5c', received: chain.length },
    });
  }
  if (credentialKey.kty !== 'EC2' || credentialKey.crv !== 'P-256') {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'fido-u2f requires a P-256 credential public key', {
      step: STEP,
      details: { field: 'credentialPublicKey' },
    });
  }
  // Throws ERR_CERT_KEY_MISMATCH unless the certificate holds an uncompressed P-256 key.
  const attestationKey = certificatePublicKey(chain[0]!, COSE_ALG_ES256);
  const attested = authData.attestedCredentialData!;
  const verificationData = concatBytes(
    new Uint8Array([0x00]),
    authData.rpIdHash,
    clientDataHash,
    attested.credentialId,
    new Uint8Array([0x04]),
    credentialKey.x,
    credentialKey.y,
  );
  try {
    await verifySignature(attestationKey, verificationData, sig, { step: STEP });
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_SIGNATURE_INVALID')) {
      fail('ERR_ATTESTATION_SIGNATURE_INVALID', 'The fido-u2f attestation signature does not verify', { step: STEP, cause: error });
    }
    throw error;
  }
  return { type: 'basic', trustPath: chain };
}
