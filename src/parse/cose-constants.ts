/**
 * COSE constants (IANA "COSE Algorithms", "COSE Key Types", "COSE Elliptic Curves") and the
 * table of every algorithm this library verifies, with the key shape each one requires
 * (WebAuthn L3 §5.8.5, RFC 9053, RFC 8812, RFC 9864 fully-specified ids, draft-ietf-cose-dilithium).
 */

export const COSE_KTY_OKP = 1;
export const COSE_KTY_EC2 = 2;
export const COSE_KTY_RSA = 3;
/** Algorithm Key Pair (ML-DSA), draft-ietf-cose-dilithium. */
export const COSE_KTY_AKP = 7;

export const COSE_CRV_P256 = 1;
export const COSE_CRV_P384 = 2;
export const COSE_CRV_P521 = 3;
export const COSE_CRV_ED25519 = 6;
export const COSE_CRV_ED448 = 7;
export const COSE_CRV_SECP256K1 = 8;

export const COSE_ALG_ES256 = -7;
export const COSE_ALG_ESP256 = -9;
export const COSE_ALG_ES384 = -35;
export const COSE_ALG_ESP384 = -51;
export const COSE_ALG_ES512 = -36;
export const COSE_ALG_ESP512 = -52;
export const COSE_ALG_ES256K = -47;
export const COSE_ALG_EDDSA = -8;
export const COSE_ALG_ED25519 = -19;
export const COSE_ALG_ED448 = -53;
export const COSE_ALG_RS256 = -257;
export const COSE_ALG_RS384 = -258;
export const COSE_ALG_RS512 = -259;
export const COSE_ALG_PS256 = -37;
export const COSE_ALG_PS384 = -38;
export const COSE_ALG_PS512 = -39;
export const COSE_ALG_ML_DSA_44 = -48;
export const COSE_ALG_ML_DSA_65 = -49;
export const COSE_ALG_ML_DSA_87 = -50;
/** RSASSA-PKCS1-v1_5 with SHA-1: never allowed unless a caller lists it explicitly. */
export const COSE_ALG_RS1 = -65535;

/** The hash a COSE algorithm signs with, spelled as WebCrypto names it. */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
export type EcCurveName = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';
export type OkpCurveName = 'Ed25519' | 'Ed448';
export type MlDsaName = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';

/** What a COSE algorithm id requires of its key and how its signature is checked. */
export type CoseAlgorithmInfo =
  | { readonly name: string; readonly kty: 'EC2'; readonly crv: EcCurveName; readonly hash: HashName }
  | { readonly name: string; readonly kty: 'OKP'; readonly crv: OkpCurveName }
  | { readonly name: string; readonly kty: 'RSA'; readonly padding: 'pkcs1' | 'pss'; readonly hash: HashName }
  | { readonly name: string; readonly kty: 'AKP'; readonly variant: MlDsaName };

/** Every algorithm this library can verify, keyed by COSE id. Null-prototype: safe to index. */
export const COSE_ALGORITHMS: Readonly<Record<number, CoseAlgorithmInfo>> = Object.assign(Object.create(null), {
  [COSE_ALG_ES256]: { name: 'ES256', kty: 'EC2', crv: 'P-256', hash: 'SHA-256' },
  [COSE_ALG_ESP256]: { name: 'ESP256', kty: 'EC2', crv: 'P-256', hash: 'SHA-256' },
  [COSE_ALG_ES384]: { name: 'ES384', kty: 'EC2', crv: 'P-384', hash: 'SHA-384' },
  [COSE_ALG_ESP384]: { name: 'ESP384', kty: 'EC2', crv: 'P-384', hash: 'SHA-384' },
  [COSE_ALG_ES512]: { name: 'ES512', kty: 'EC2', crv: 'P-521', hash: 'SHA-512' },
  [COSE_ALG_ESP512]: { name: 'ESP512', kty: 'EC2', crv: 'P-521', hash: 'SHA-512' },
  [COSE_ALG_ES256K]: { name: 'ES256K', kty: 'EC2', crv: 'secp256k1', hash: 'SHA-256' },
  [COSE_ALG_EDDSA]: { name: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
  [COSE_ALG_ED25519]: { name: 'Ed25519', kty: 'OKP', crv: 'Ed25519' },
  [COSE_ALG_ED448]: { name: 'Ed448', kty: 'OKP', crv: 'Ed448' },
  [COSE_ALG_RS256]: { name: 'RS256', kty: 'RSA', padding: 'pkcs1', hash: 'SHA-256' },
  [COSE_ALG_RS384]: { name: 'RS384', kty: 'RSA', padding: 'pkcs1', hash: 'SHA-384' },
  [COSE_ALG_RS512]: { name: 'RS512', kty: 'RSA', padding: 'pkcs1', hash: 'SHA-512' },
  [COSE_ALG_PS256]: { name: 'PS256', kty: 'RSA', padding: 'pss', hash: 'SHA-256' },
  [COSE_ALG_PS384]: { name: 'PS384', kty: 'RSA', padding: 'pss', hash: 'SHA-384' },
  [COSE_ALG_PS512]: { name: 'PS512', kty: 'RSA', padding: 'pss', hash: 'SHA-512' },
  [COSE_ALG_ML_DSA_44]: { name: 'ML-DSA-44', kty: 'AKP', variant: 'ML-DSA-44' },
  [COSE_ALG_ML_DSA_65]: { name: 'ML-DSA-65', kty: 'AKP', variant: 'ML-DSA-65' },
  [COSE_ALG_ML_DSA_87]: { name: 'ML-DSA-87', kty: 'AKP', variant: 'ML-DSA-87' },
  [COSE_ALG_RS1]: { name: 'RS1', kty: 'RSA', padding: 'pkcs1', hash: 'SHA-1' },
});

/** Every supported algorithm except RS1: the default allow-list. */
export const DEFAULT_ALLOWED_ALGORITHMS: readonly number[] = Object.freeze(
  Object.keys(COSE_ALGORITHMS)
    .map(Number)
    .filter((alg) => alg !== COSE_ALG_RS1),
);

/** A public key decoded from a COSE_Key, checked for consistency with its algorithm. */
export type CosePublicKey =
  | { readonly kty: 'EC2'; readonly alg: number; readonly crv: EcCurveName; readonly x: Uint8Array; readonly y: Uint8Array }
  | { readonly kty: 'OKP'; readonly alg: number; readonly crv: OkpCurveName; readonly x: Uint8Array }
  | { readonly kty: 'RSA'; readonly alg: number; readonly n: Uint8Array; readonly e: Uint8Array }
  | { readonly kty: 'AKP'; readonly alg: number; readonly variant: MlDsaName; readonly pub: Uint8Array };
