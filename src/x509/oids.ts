/** Object identifiers used by the X.509 layer (RFC 5280, RFC 5480, RFC 8410, FIDO, TCG). */

// Extensions (RFC 5280 §4.2).
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_CRL_NUMBER = '2.5.29.20';
export const OID_CRL_REASON = '2.5.29.21';
export const OID_INVALIDITY_DATE = '2.5.29.24';
export const OID_DELTA_CRL_INDICATOR = '2.5.29.27';
export const OID_ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
export const OID_CERTIFICATE_ISSUER = '2.5.29.29';
export const OID_NAME_CONSTRAINTS = '2.5.29.30';
export const OID_CRL_DISTRIBUTION_POINTS = '2.5.29.31';
export const OID_CERTIFICATE_POLICIES = '2.5.29.32';
export const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const OID_EXT_KEY_USAGE = '2.5.29.37';

/** id-fido-gen-ce-aaguid: the AAGUID of the authenticator model (WebAuthn §8.2.1). */
export const OID_FIDO_GEN_CE_AAGUID = '1.3.6.1.4.1.45724.1.1.4';

// Public key algorithms (RFC 5480, RFC 8410, RFC 3279, FIPS 204 / draft-ietf-lamps-dilithium-certificates).
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
export const OID_ML_DSA_44 = '2.16.840.1.101.3.4.3.17';
export const OID_ML_DSA_65 = '2.16.840.1.101.3.4.3.18';
export const OID_ML_DSA_87 = '2.16.840.1.101.3.4.3.19';

// Named curves.
export const OID_CURVE_P256 = '1.2.840.10045.3.1.7';
export const OID_CURVE_P384 = '1.3.132.0.34';
export const OID_CURVE_P521 = '1.3.132.0.35';
export const OID_CURVE_SECP256K1 = '1.3.132.0.10';

// Signature algorithms.
export const OID_ECDSA_WITH_SHA1 = '1.2.840.10045.4.1';
export const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
export const OID_ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';
export const OID_ECDSA_WITH_SHA512 = '1.2.840.10045.4.3.4';
export const OID_SHA1_WITH_RSA = '1.2.840.113549.1.1.5';
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
export const OID_SHA384_WITH_RSA = '1.2.840.113549.1.1.12';
export const OID_SHA512_WITH_RSA = '1.2.840.113549.1.1.13';

/** Short names (RFC 4514 where it defines one) of the attribute types a certificate name may hold. */
export const ATTRIBUTE_SHORT_NAMES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.46': 'dnQualifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  // TCG EK Credential Profile §3.1.2: the TPM identity in the subjectAltName of AIK certificates.
  '2.23.133.2.1': 'tpmManufacturer',
  '2.23.133.2.2': 'tpmModel',
  '2.23.133.2.3': 'tpmVersion',
});

/** The reverse of {@link ATTRIBUTE_SHORT_NAMES}: short name → OID. */
export const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = Object.assign(
  Object.create(null),
  Object.fromEntries(Object.entries(ATTRIBUTE_SHORT_NAMES).map(([oid, name]) => [name, oid])),
);
