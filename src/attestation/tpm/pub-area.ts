/**
 * TPMT_PUBLIC (TPM 2.0 Part 2 §12.2.4), the `pubArea` of a tpm attestation statement (§8.3), for
 * the two key types WebAuthn uses: RSA and ECC. Parsing is strict: every TPM2B size is checked
 * against the remaining bytes and trailing bytes are rejected (`ERR_TPM_PUBAREA_MALFORMED`).
 */
import { TpmReader } from './reader.js';

export const TPM_ALG_RSA = 0x0001;
export const TPM_ALG_SHA1 = 0x0004;
export const TPM_ALG_AES = 0x0006;
export const TPM_ALG_XOR = 0x000a;
export const TPM_ALG_SHA256 = 0x000b;
export const TPM_ALG_SHA384 = 0x000c;
export const TPM_ALG_SHA512 = 0x000d;
export const TPM_ALG_NULL = 0x0010;
export const TPM_ALG_SM4 = 0x0013;
export const TPM_ALG_RSASSA = 0x0014;
export const TPM_ALG_RSAPSS = 0x0016;
export const TPM_ALG_ECDSA = 0x0018;
export const TPM_ALG_ECC = 0x0023;
export const TPM_ALG_CAMELLIA = 0x0026;
export const TPM_ALG_RSAES = 0x0015;
export const TPM_ALG_OAEP = 0x0017;
export const TPM_ALG_ECDH = 0x0019;
export const TPM_ALG_ECDAA = 0x001a;
export const TPM_ALG_SM2 = 0x001b;
export const TPM_ALG_ECSCHNORR = 0x001c;
export const TPM_ALG_ECMQV = 0x001d;
export const TPM_ALG_MGF1 = 0x0007;
export const TPM_ALG_KDF1_SP800_56A = 0x0020;
export const TPM_ALG_KDF2 = 0x0021;
export const TPM_ALG_KDF1_SP800_108 = 0x0022;
export const TPM_ECC_NIST_P256 = 0x0003;
export const TPM_ECC_NIST_P384 = 0x0004;
export const TPM_ECC_NIST_P521 = 0x0005;

/** TPMA_OBJECT bit 18: the key may sign. */
export const TPMA_OBJECT_SIGN_ENCRYPT = 0x0004_0000;

/** TPM_ECC_CURVE ids of the NIST curves WebAuthn credential keys use. */
export const TPM_ECC_CURVES: Readonly<Record<number, 'P-256' | 'P-384' | 'P-521'>> = Object.assign(Object.create(null), {
  [TPM_ECC_NIST_P256]: 'P-256',
  [TPM_ECC_NIST_P384]: 'P-384',
  [TPM_ECC_NIST_P521]: 'P-521',
});

/** The nameAlg values accepted (TPMI_ALG_HASH), with their hash. */
export const TPM_NAME_ALGS: Readonly<Record<number, 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'>> = Object.assign(
  Object.create(null),
  {
    [TPM_ALG_SHA1]: 'SHA-1',
    [TPM_ALG_SHA256]: 'SHA-256',
    [TPM_ALG_SHA384]: 'SHA-384',
    [TPM_ALG_SHA512]: 'SHA-512',
  },
);

// Bytes of the details that follow each scheme id (TPMU_ASYM_SCHEME / TPMU_KDF_SCHEME): a hashAlg
// for signing, OAEP, key-exchange and KDF schemes, hashAlg + count for ECDAA, nothing for NULL/RSAES.
const ASYM_SCHEME_DETAILS: Readonly<Record<number, number>> = Object.assign(Object.create(null), {
  [TPM_ALG_NULL]: 0,
  [TPM_ALG_RSASSA]: 2,
  [TPM_ALG_RSAES]: 0,
  [TPM_ALG_RSAPSS]: 2,
  [TPM_ALG_OAEP]: 2,
  [TPM_ALG_ECDSA]: 2,
  [TPM_ALG_ECDH]: 2,
  [TPM_ALG_ECDAA]: 4,
  [TPM_ALG_SM2]: 2,
  [TPM_ALG_ECSCHNORR]: 2,
  [TPM_ALG_ECMQV]: 2,
});
const KDF_SCHEME_DETAILS: Readonly<Record<number, number>> = Object.assign(Object.create(null), {
  [TPM_ALG_NULL]: 0,
  [TPM_ALG_MGF1]: 2,
  [TPM_ALG_KDF1_SP800_56A]: 2,
  [TPM_ALG_KDF2]: 2,
  [TPM_ALG_KDF1_SP800_108]: 2,
});

/** TPMT_SYM_DEF_OBJECT: NULL, or an algorithm with its key size and mode. */
export interface TpmSymmetric {
  readonly algorithm: number;
  readonly keyBits?: number;
  readonly mode?: number;
}

/** A scheme id and its details (the scheme's hashAlg, when it has one). */
export interface TpmScheme {
  readonly scheme: number;
  readonly hashAlg?: number;
}

interface PubAreaCommon {
  readonly nameAlg: number;
  readonly objectAttributes: number;
  readonly authPolicy: Uint8Array;
  readonly symmetric: TpmSymmetric;
  readonly scheme: TpmScheme;
}

/** An RSA TPMT_PUBLIC. `exponent` is as carried: 0 means the default 65537. */
export interface RsaPubArea extends PubAreaCommon {
  readonly type: 'RSA';
  readonly keyBits: number;
  readonly exponent: number;
  readonly modulus: Uint8Array;
}

/** An ECC TPMT_PUBLIC. */
export interface EccPubArea extends PubAreaCommon {
  readonly type: 'ECC';
  readonly curveId: number;
  readonly kdf: TpmScheme;
  readonly x: Uint8Array;
  readonly y: Uint8Array;
}

/** A parsed pubArea. */
export type TpmPubArea = RsaPubArea | EccPubArea;

function readSymmetric(reader: TpmReader): TpmSymmetric {
  const algorithm = reader.u16('symmetric.algorithm');
  if (algorithm === TPM_ALG_NULL) return { algorithm };
  // XOR carries a hash algorithm and no mode; the block ciphers a key size and a mode.
  if (algorithm === TPM_ALG_XOR) return { algorithm, keyBits: reader.u16('symmetric.hashAlg') };
  if (algorithm === TPM_ALG_AES || algorithm === TPM_ALG_SM4 || algorithm === TPM_ALG_CAMELLIA) {
    return { algorithm, keyBits: reader.u16('symmetric.keyBits'), mode: reader.u16('symmetric.mode') };
  }
  return reader.invalid('symmetric.algorithm', `unknown symmetric algorithm 0x${algorithm.toString(16).padStart(4, '0')}`);
}

function readScheme(reader: TpmReader, field: string, table: Readonly<Record<number, number>>): TpmScheme {
  const scheme = reader.u16(field);
  const details = table[scheme];
  if (details === undefined) reader.invalid(field, `unknown ${field} 0x${scheme.toString(16).padStart(4, '0')}`);
  if (details === 0) return { scheme };
  const hashAlg = reader.u16(`${field}.hashAlg`);
  if (details === 4) reader.u16(`${field}.count`);
  return { scheme, hashAlg };
}

/**
 * Parses a TPMT_PUBLIC of type RSA (0x0001) or ECC (0x0023): type, nameAlg (SHA-1/256/384/512),
 * objectAttributes, authPolicy, the type's parameters and its unique field. The parameters are
 * returned as carried; whether they describe an acceptable signing key is the verifier's check.
 *
 * @throws WebAuthnError `ERR_TPM_PUBAREA_MALFORMED` when the bytes are truncated, a TPM2B size
 *   runs past the end, bytes trail, the type, nameAlg, a scheme or the symmetric algorithm is
 *   unknown, or the unique field does not have the size the parameters give it.
 */
export function parsePubArea(bytes: Uint8Array): TpmPubArea {
  const reader = new TpmReader(bytes, 'ERR_TPM_PUBAREA_MALFORMED', 'pubArea');
  const type = reader.u16('type');
  if (type !== TPM_ALG_RSA && type !== TPM_ALG_ECC) {
    reader.invalid('type', `type 0x${type.toString(16).padStart(4, '0')} is neither TPM_ALG_RSA nor TPM_ALG_ECC`);
  }
  const nameAlg = reader.u16('nameAlg');
  if (TPM_NAME_ALGS[nameAlg] === undefined) {
    reader.invalid('nameAlg', `nameAlg 0x${nameAlg.toString(16).padStart(4, '0')} is not SHA-1, SHA-256, SHA-384 or SHA-512`);
  }
  const objectAttributes = reader.u32('objectAttributes');
  const authPolicy = reader.tpm2b('authPolicy');
  const symmetric = readSymmetric(reader);
  const common = { nameAlg, objectAttributes, authPolicy, symmetric };

  if (type === TPM_ALG_RSA) {
    const scheme = readScheme(reader, 'scheme', ASYM_SCHEME_DETAILS);
    const keyBits = reader.u16('keyBits');
    const exponent = reader.u32('exponent');
    const modulus = reader.tpm2b('unique');
    reader.end();
    if (keyBits === 0 || keyBits % 8 !== 0 || modulus.length * 8 !== keyBits) {
      reader.invalid('unique', `the ${modulus.length}-byte modulus does not have the ${keyBits} bits of keyBits`);
    }
    return Object.freeze({ type: 'RSA', ...common, scheme, keyBits, exponent, modulus });
  }
  const scheme = readScheme(reader, 'scheme', ASYM_SCHEME_DETAILS);
  const curveId = reader.u16('curveID');
  const kdf = readScheme(reader, 'kdf', KDF_SCHEME_DETAILS);
  const x = reader.tpm2b('unique.x');
  const y = reader.tpm2b('unique.y');
  reader.end();
  return Object.freeze({ type: 'ECC', ...common, scheme, curveId, kdf, x, y });
}
