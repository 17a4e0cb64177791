/** §8.4 Android Key attestation: a hardware-backed (or software) Keystore key certificate chain. */
import { verifySignature } from '../crypto/verify-signature.js';
import { concatBytes, equalBytes } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import { type AndroidAuthorizationList, getAndroidKeyDescription } from '../x509/android-key-description.js';
import { certificatePublicKey } from '../x509/index.js';
import { requireCertificateKeyIsCredentialKey } from './credential-key-match.js';
import { checkMembers, parseX5c, requireBytes, requireInteger, checkAttestationContext } from './statement-fields.js';
import type { AttestationContext, StatementVerification } from './types.js';

const STEP = '8.4';
const KM_ORIGIN_GENERATED = 0;
const KM_PURPOSE_SIGN = 2;

function descriptionInvalid(message: string, field: string): never {
  fail('ERR_ANDROID_KEY_DESCRIPTION_INVALID', message, { step: STEP, details: { field } });
}

/**
 * origin = KM_ORIGIN_GENERATED and purpose ∋ KM_PURPOSE_SIGN over `lists`: every origin present
 * must be GENERATED (and one must be present), and some purpose list must hold SIGN.
 */
function checkOriginAndPurpose(lists: readonly AndroidAuthorizationList[], where: string): void {
  const origins = lists.flatMap((list) => (list.origin === undefined ? [] : [list.origin]));
  if (origins.length === 0 || origins.some((origin) => origin !== KM_ORIGIN_GENERATED)) {
    descriptionInvalid(`The key origin in ${where} is not KM_ORIGIN_GENERATED`, 'origin');
  }
  if (!lists.some((list) => list.purpose?.includes(KM_PURPOSE_SIGN) === true)) {
    descriptionInvalid(`The key purpose in ${where} does not include KM_PURPOSE_SIGN`, 'purpose');
  }
}

/**
 * Verifies an android-key statement `{alg, sig, x5c}` (§8.4): `sig` over authData ‖ clientDataHash
 * by x5c[0]'s key using `alg`; x5c[0]'s key is the credential public key; in its key attestation
 * extension, attestationChallenge = clientDataHash, allApplications absent from both lists, and
 * origin = generated with purpose ∋ sign in teeEnforced (policy `tee`, default) or in the union of
 * softwareEnforced and teeEnforced (policy `union`). Returns Basic with x5c as the trust path;
 * whether it reaches a Google hardware attestation root is the caller's trust-anchor choice.
 */
export async function verifyAndroidKey(context: AttestationContext): Promise<StatementVerification> {
  checkAttestationContext(context);
  const { attStmt, authData, clientDataHash, credentialKey } = context;
  checkMembers(attStmt, ['alg', 'sig', 'x5c'], STEP);
  const alg = requireInteger(attStmt, 'alg', STEP);
  const sig = requireBytes(attStmt, 'sig', STEP);
  if (!attStmt.has('x5c')) {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'android-key attStmt.x5c is missing', { step: STEP, details: { field: 'x5c' } });
  }
  const chain = parseX5c(attStmt.get('x5c'), STEP);
  const leaf = chain[0]!;

  // Step 2: the signature, with the certificate key read for the statement's alg.
  try {
    await verifySignature(certificatePublicKey(leaf, alg), concatBytes(authData.raw, clientDataHash), sig, { step: STEP });
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_SIGNATURE_INVALID')) {
      fail('ERR_ATTESTATION_SIGNATURE_INVALID', 'The android-key attestation signature does not verify', { step: STEP, cause: error });
    }
    throw error;
  }
  // Step 3: the certified key is the credential key.
  requireCertificateKeyIsCredentialKey(leaf, credentialKey, STEP);

  // Step 4: the key description.
  const description = getAndroidKeyDescription(leaf);
  if (!equalBytes(description.attestationChallenge, clientDataHash)) {
    fail('ERR_ATTESTATION_CHALLENGE_MISMATCH', 'The attestationChallenge of the key description is not the clientDataHash', {
      step: STEP,
      details: { field: 'attestationChallenge' },
    });
  }
  const { softwareEnforced, teeEnforced } = description;
  if (softwareEnforced.allApplications || teeEnforced.allApplications) {
    descriptionInvalid('The key is usable by all applications (allApplications present)', 'allApplications');
  }
  if (context.options?.androidKey === 'union') {
    checkOriginAndPurpose([softwareEnforced, teeEnforced], 'softwareEnforced ∪ teeEnforced');
  } else {
    checkOriginAndPurpose([teeEnforced], 'teeEnforced');
  }
  return { type: 'basic', trustPath: chain };
}
