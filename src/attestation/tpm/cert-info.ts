/**
 * TPMS_ATTEST (TPM 2.0 Part 2 §10.12.12), the `certInfo` of a tpm attestation statement (§8.3),
 * with the TPMS_CERTIFY_INFO it must attest. Parsing is strict: every TPM2B size is checked
 * against the remaining bytes and trailing bytes are rejected (`ERR_TPM_CERTINFO_MALFORMED`).
 */
import { fail } from '../../errors.js';
import { TpmReader } from './reader.js';

/** TPM_GENERATED_VALUE: the structure was made by a TPM. */
export const TPM_GENERATED_VALUE = 0xff544347;
/** TPM_ST_ATTEST_CERTIFY: the attested member is a TPMS_CERTIFY_INFO. */
export const TPM_ST_ATTEST_CERTIFY = 0x8017;

/**
 * A parsed certInfo. qualifiedSigner, clockInfo and firmwareVersion are informational (§8.3) and
 * taken as carried: `safe` is not held to TPMI_YES_NO (the W3C §16 tpm vector has random bytes).
 */
export interface TpmCertInfo {
  readonly magic: number;
  readonly type: number;
  readonly qualifiedSigner: Uint8Array;
  readonly extraData: Uint8Array;
  readonly clockInfo: {
    readonly clock: bigint;
    readonly resetCount: number;
    readonly restartCount: number;
    readonly safe: number;
  };
  readonly firmwareVersion: bigint;
  readonly attested: {
    readonly name: Uint8Array;
    readonly qualifiedName: Uint8Array;
  };
}

/**
 * Parses a TPMS_ATTEST whose attested member is a TPMS_CERTIFY_INFO: magic, type,
 * qualifiedSigner, extraData, clockInfo (clock, resetCount, restartCount, safe),
 * firmwareVersion, then name and qualifiedName.
 *
 * @throws WebAuthnError `ERR_TPM_CERTINFO_MALFORMED` when the bytes are truncated, a TPM2B size
 *   runs past the end or bytes trail; `ERR_TPM_CERTINFO_INVALID`
 *   when `type` is not TPM_ST_ATTEST_CERTIFY (the attested member could not be read as one).
 */
export function parseCertInfo(bytes: Uint8Array): TpmCertInfo {
  const reader = new TpmReader(bytes, 'ERR_TPM_CERTINFO_MALFORMED', 'certInfo');
  const magic = reader.u32('magic');
  const type = reader.u16('type');
  if (type !== TPM_ST_ATTEST_CERTIFY) {
    // §8.3: "Verify that type is set to TPM_ST_ATTEST_CERTIFY"; another type's attested member
    // has another layout, so this is checked before reading it.
    fail('ERR_TPM_CERTINFO_INVALID', `certInfo type 0x${type.toString(16)} is not TPM_ST_ATTEST_CERTIFY`, {
      step: '8.3',
      details: { field: 'type', expected: TPM_ST_ATTEST_CERTIFY, received: type },
    });
  }
  const qualifiedSigner = reader.tpm2b('qualifiedSigner');
  const extraData = reader.tpm2b('extraData');
  const clock = reader.u64('clockInfo.clock');
  const resetCount = reader.u32('clockInfo.resetCount');
  const restartCount = reader.u32('clockInfo.restartCount');
  const safe = reader.u8('clockInfo.safe');
  const firmwareVersion = reader.u64('firmwareVersion');
  const name = reader.tpm2b('attested.name');
  const qualifiedName = reader.tpm2b('attested.qualifiedName');
  reader.end();
  return Object.freeze({
    magic,
    type,
    qualifiedSigner,
    extraData,
    clockInfo: Object.freeze({ clock, resetCount, restartCount, safe }),
    firmwareVersion,
    attested: Object.freeze({ name, qualifiedName }),
  });
}
