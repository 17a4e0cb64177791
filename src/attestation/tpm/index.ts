/** §8.3 TPM attestation: an AIK certificate (x5c) certifies, through certInfo, the credential key in pubArea. */
import { hash, verifySignature } from '../../crypto/verify-signature.js';
import { bytesToBigInt, concatBytes, equalBytes } from '../../encoding/bytes.js';
import { fail, isWebAuthnError } from '../../errors.js';
import { COSE_ALGORITHMS, type CosePublicKey, type HashName } from '../../parse/cose-constants.js';
import { certificatePublicKey } from '../../x509/index.js';
import { checkMembers, parseX5c, requireBytes, requireInteger, checkAttestationContext } from '../statement-fields.js';
import type { AttestationContext, StatementVerification } from '../types.js';
import { checkAikCertificate } from './aik-certificate.js';
import { parseCertInfo, TPM_GENERATED_VALUE } from './cert-info.js';
import {
  parsePubArea,
  TPM_ALG_NULL,
  TPM_ALG_RSASSA,
  TPM_ECC_CURVES,
  TPM_NAME_ALGS,
  TPMA_OBJECT_SIGN_ENCRYPT,
  type TpmPubArea,
} from './pub-area.js';

export { type AikCertificateFacts, checkAikCertificate, TCG_TPM_VENDOR_IDS } from './aik-certificate.js';
export { parseCertInfo, type TpmCertInfo } from './cert-info.js';
export { parsePubArea, type TpmPubArea } from './pub-area.js';

const STEP = '8.3';

/**
 * The algorithms the statement signature (`alg`, made by the AIK) may use: every RSA and ECDSA
 * algorithm, RS1 included. Windows Hello TPMs sign certInfo with RS1; accepting it here is a
 * documented exception (docs/quirks.md) that does not touch the credential-key algorithm list
 * of the caller. EdDSA and ML-DSA are excluded: TPM 2.0 AIKs are RSA or ECC, and extraData is
 * computed with the hash of `alg`, which only these algorithms name.
 */
export const TPM_STATEMENT_ALGORITHMS: readonly number[] = Object.freeze(
  Object.entries(COSE_ALGORITHMS)
    .filter(([, info]) => info.kty === 'RSA' || info.kty === 'EC2')
    .map(([alg]) => Number(alg)),
);

/** The hash that COSE algorithm `alg` signs with (RSA and ECDSA algorithms only). */
function hashOfAlg(alg: number): HashName {
  const info = COSE_ALGORITHMS[alg];
  if (info === undefined) fail('ERR_ALG_UNSUPPORTED', `COSE algorithm ${alg} is not supported`, { step: STEP, details: { field: 'alg', received: alg } });
  if (info.kty !== 'RSA' && info.kty !== 'EC2') {
    fail('ERR_ALG_NOT_ALLOWED', `COSE algorithm ${info.name} is not a TPM attestation algorithm (RSA or ECDSA)`, {
      step: STEP,
      details: { field: 'alg', received: alg },
    });
  }
  return info.hash;
}

function keyMismatch(message: string, field: string): never {
  fail('ERR_TPM_KEY_MISMATCH', `pubArea ${message}`, { step: STEP, details: { field } });
}

const TPM_HASH_IDS: Readonly<Record<HashName, number>> = { 'SHA-1': 0x0004, 'SHA-256': 0x000b, 'SHA-384': 0x000c, 'SHA-512': 0x000d };

/**
 * §8.3 "Verify that the public key specified by the parameters and unique fields of pubArea is
 * identical to the credentialPublicKey", and checklist H.72: pubArea must describe a signing key
 * the credential algorithm can be used with. A signing key has TPMA_OBJECT sign set and, per TPM
 * 2.0 Part 2 §12.2.3 (TPMS_RSA_PARMS / TPMS_ECC_PARMS), symmetric TPM_ALG_NULL (only storage keys
 * carry a symmetric algorithm). The RSA scheme is NULL (any) or RSASSA with the hash of the
 * credential's PKCS#1 algorithm; any other scheme (RSAPSS, OAEP, RSAES) would stop the TPM from
 * making the credential's signatures. ECC keys must have scheme and kdf NULL: WebAuthn gives the
 * ECDSA hash by the COSE algorithm, never by the key, and a credential key derives nothing.
 */
function checkPubAreaKey(pubArea: TpmPubArea, credentialKey: CosePublicKey): void {
  if ((pubArea.objectAttributes & TPMA_OBJECT_SIGN_ENCRYPT) === 0) keyMismatch('objectAttributes lack sign (not a signing key)', 'objectAttributes');
  if (pubArea.symmetric.algorithm !== TPM_ALG_NULL) keyMismatch('symmetric is not TPM_ALG_NULL', 'symmetric');
  if (pubArea.type === 'RSA') {
    if (credentialKey.kty !== 'RSA') keyMismatch(`is an RSA key, the credential key is ${credentialKey.kty}`, 'type');
    const { scheme } = pubArea.scheme;
    if (scheme === TPM_ALG_RSASSA) {
      const info = COSE_ALGORITHMS[credentialKey.alg];
      const pkcs1Hash = info?.kty === 'RSA' && info.padding === 'pkcs1' ? info.hash : undefined;
      if (pkcs1Hash === undefined || TPM_HASH_IDS[pkcs1Hash] !== pubArea.scheme.hashAlg) {
        keyMismatch('scheme RSASSA names another hash than the credential algorithm', 'scheme');
      }
    } else if (scheme !== TPM_ALG_NULL) {
      keyMismatch(`scheme 0x${scheme.toString(16).padStart(4, '0')} is neither TPM_ALG_RSASSA nor TPM_ALG_NULL`, 'scheme');
    }
    if (bytesToBigInt(pubArea.modulus) !== bytesToBigInt(credentialKey.n)) keyMismatch('RSA modulus differs from the credential key', 'unique');
    // TPM 2.0 Part 2 §12.2.3.5: an exponent of zero means the default 2^16 + 1.
    const exponent = pubArea.exponent === 0 ? 65537n : BigInt(pubArea.exponent);
    if (exponent !== bytesToBigInt(credentialKey.e)) keyMismatch('RSA exponent differs from the credential key', 'exponent');
    return;
  }
  if (credentialKey.kty !== 'EC2') keyMismatch(`is an ECC key, the credential key is ${credentialKey.kty}`, 'type');
  if (pubArea.scheme.scheme !== TPM_ALG_NULL) keyMismatch('ECC scheme is not TPM_ALG_NULL', 'scheme');
  if (pubArea.kdf.scheme !== TPM_ALG_NULL) keyMismatch('ECC kdf is not TPM_ALG_NULL', 'kdf');
  const curve = TPM_ECC_CURVES[pubArea.curveId];
  if (curve !== credentialKey.crv) keyMismatch(`curve 0x${pubArea.curveId.toString(16)} is not the credential key's ${credentialKey.crv}`, 'curveID');
  // Compared as numbers: a TPM may strip or keep leading zero bytes of a coordinate.
  if (bytesToBigInt(pubArea.x) !== bytesToBigInt(credentialKey.x) || bytesToBigInt(pubArea.y) !== bytesToBigInt(credentialKey.y)) {
    keyMismatch('ECC point differs from the credential key', 'unique');
  }
}

function certInfoInvalid(message: string, field: string): never {
  fail('ERR_TPM_CERTINFO_INVALID', `certInfo ${message}`, { step: STEP, details: { field } });
}

/**
 * Verifies a tpm statement `{ver: "2.0", alg, x5c, sig, certInfo, pubArea}` (WebAuthn L3 §8.3):
 * pubArea's key is the credential key and a signing key (checklist H.72); x5c[0], the AIK
 * certificate, meets §8.3.1; `sig` verifies over certInfo with the AIK key using `alg` (RS1
 * accepted, see {@link TPM_STATEMENT_ALGORITHMS}); certInfo is TPM-generated
 * (TPM_GENERATED_VALUE), a TPM_ST_ATTEST_CERTIFY whose extraData is the `alg` hash of
 * authData ‖ clientDataHash and whose attested name is pubArea's Name (nameAlg ‖ H(pubArea)).
 * qualifiedSigner, clockInfo and firmwareVersion are not checked. Returns AttCA with x5c as the
 * trust path, and the TPM manufacturer, model and version (and whether the manufacturer is in
 * the TCG vendor registry) as facts. `ecdaaKeyId` is rejected.
 */
export async function verifyTpm(context: AttestationContext): Promise<StatementVerification> {
  checkAttestationContext(context);
  const { attStmt, authData, clientDataHash, credentialKey } = context;
  if (attStmt.has('ecdaaKeyId')) {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'ECDAA attestation (ecdaaKeyId) is not supported: it was removed from WebAuthn', {
      step: STEP,
      details: { field: 'ecdaaKeyId' },
    });
  }
  checkMembers(attStmt, ['ver', 'alg', 'x5c', 'sig', 'certInfo', 'pubArea'], STEP);
  if (attStmt.get('ver') !== '2.0') {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'attStmt.ver is missing or not "2.0"', { step: STEP, details: { field: 'ver' } });
  }
  const alg = requireInteger(attStmt, 'alg', STEP);
  const sig = requireBytes(attStmt, 'sig', STEP);
  const certInfoBytes = requireBytes(attStmt, 'certInfo', STEP);
  const pubAreaBytes = requireBytes(attStmt, 'pubArea', STEP);
  if (!attStmt.has('x5c')) {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'attStmt.x5c is missing (tpm has no self attestation)', { step: STEP, details: { field: 'x5c' } });
  }
  const hashName = hashOfAlg(alg);

  const pubArea = parsePubArea(pubAreaBytes);
  checkPubAreaKey(pubArea, credentialKey);
  const certInfo = parseCertInfo(certInfoBytes);

  // §8.3 "Verify the sig is a valid signature over certInfo using the attestation public key in aikCert".
  const chain = parseX5c(attStmt.get('x5c'), STEP);
  const aik = chain[0]!;
  const facts = checkAikCertificate(aik, authData.attestedCredentialData!.aaguid);
  try {
    await verifySignature(certificatePublicKey(aik, alg), certInfoBytes, sig, { step: STEP, allowedAlgorithms: TPM_STATEMENT_ALGORITHMS });
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_SIGNATURE_INVALID')) {
      fail('ERR_ATTESTATION_SIGNATURE_INVALID', 'The tpm attestation signature over certInfo does not verify', { step: STEP, cause: error });
    }
    throw error;
  }

  // §8.3 "Validate that certInfo is valid".
  if (certInfo.magic !== TPM_GENERATED_VALUE) certInfoInvalid(`magic 0x${certInfo.magic.toString(16)} is not TPM_GENERATED_VALUE`, 'magic');
  if (!equalBytes(certInfo.extraData, hash(hashName, concatBytes(authData.raw, clientDataHash)))) {
    certInfoInvalid(`extraData is not the ${hashName} of authenticatorData ‖ clientDataHash`, 'extraData');
  }
  const nameHash = TPM_NAME_ALGS[pubArea.nameAlg] as HashName;
  const name = concatBytes(Uint8Array.of(pubArea.nameAlg >> 8, pubArea.nameAlg & 0xff), hash(nameHash, pubAreaBytes));
  if (!equalBytes(certInfo.attested.name, name)) certInfoInvalid('attested.name is not the Name of pubArea (nameAlg ‖ H(pubArea))', 'attested.name');

  if (context.options?.tpmRequireKnownManufacturer === true && !facts.tpmManufacturerKnown) {
    fail('ERR_ATTESTATION_CERT_INVALID', `TPM manufacturer ${facts.tpmManufacturer} is not on the TCG vendor list`, {
      step: '8.3.1',
      details: { field: 'tpmManufacturer', received: facts.tpmManufacturer },
    });
  }

  return {
    type: 'attca',
    trustPath: chain,
    facts: Object.freeze({
      tpmManufacturer: facts.tpmManufacturer,
      tpmModel: facts.tpmModel,
      tpmVersion: facts.tpmVersion,
      tpmManufacturerKnown: facts.tpmManufacturerKnown,
      ...(facts.tpmVendor === undefined ? {} : { tpmVendor: facts.tpmVendor }),
      ...(facts.basicConstraintsAbsent ? { basicConstraintsAbsent: true } : {}),
    }),
  };
}
