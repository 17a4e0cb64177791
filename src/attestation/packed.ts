/** §8.2 Packed attestation: self attestation, or a batch certificate chain (x5c). */
import { verifySignature } from '../crypto/verify-signature.js';
import { concatBytes } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import { checkPackedAttestationCertificate, certificatePublicKey } from '../x509/index.js';
import { checkMembers, parseX5c, requireBytes, requireInteger, checkAttestationContext } from './statement-fields.js';
import type { AttestationContext, StatementVerification } from './types.js';

const STEP = '8.2';

async function verifyStatementSignature(
  key: Parameters<typeof verifySignature>[0],
  data: Uint8Array,
  sig: Uint8Array,
  allowedAlgorithms?: readonly number[],
): Promise<void> {
  try {
    await verifySignature(key, data, sig, { step: STEP, allowedAlgorithms });
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_SIGNATURE_INVALID')) {
      fail('ERR_ATTESTATION_SIGNATURE_INVALID', 'The packed attestation signature does not verify', { step: STEP, cause: error });
    }
    throw error;
  }
}

/**
 * Verifies a packed statement `{alg, sig, x5c?}`. With x5c: `sig` by the attestation certificate's
 * key using `alg` (which may differ from the credential's), and the §8.2.1 certificate rules;
 * returns Basic with x5c as the trust path (Basic and AttCA cannot be told apart from the
 * statement alone). Without x5c: self attestation, `alg` equal to the credential key's and `sig`
 * by the credential key. `ecdaaKeyId` (ECDAA was removed from the spec) is rejected.
 */
export async function verifyPacked(context: AttestationContext): Promise<StatementVerification> {
  checkAttestationContext(context);
  const { attStmt, authData, clientDataHash, credentialKey } = context;
  if (attStmt.has('ecdaaKeyId')) {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'ECDAA attestation (ecdaaKeyId) is not supported: it was removed from WebAuthn', {
      step: STEP,
      details: { field: 'ecdaaKeyId' },
    });
  }
  checkMembers(attStmt, ['alg', 'sig', 'x5c'], STEP);
  const alg = requireInteger(attStmt, 'alg', STEP);
  const sig = requireBytes(attStmt, 'sig', STEP);
  const signed = concatBytes(authData.raw, clientDataHash);

  if (attStmt.has('x5c')) {
    const chain = parseX5c(attStmt.get('x5c'), STEP);
    const leaf = chain[0]!;
    const aaguid = authData.attestedCredentialData!.aaguid;
    const facts = checkPackedAttestationCertificate(leaf, aaguid);
    await verifyStatementSignature(certificatePublicKey(leaf, alg), signed, sig);
    // A leaf without basicConstraints is accepted (RFC 5280 §4.2.1.9) and reported.
    return { type: 'basic', trustPath: chain, ...(facts.basicConstraintsAbsent ? { facts: { basicConstraintsAbsent: true } } : {}) };
  }

  // §8.2 self attestation: the statement's alg must be the credential key's.
  if (alg !== credentialKey.alg) {
    fail('ERR_ATTESTATION_ALG_MISMATCH', `Self attestation alg ${alg} differs from the credential key's ${credentialKey.alg}`, {
      step: STEP,
      details: { field: 'alg', expected: credentialKey.alg, received: alg },
    });
  }
  // The credential's algorithm was already allowed by the caller (§7.1 step 20), RS1 included.
  await verifyStatementSignature(credentialKey, signed, sig, [credentialKey.alg]);
  return { type: 'self', trustPath: [] };
}
