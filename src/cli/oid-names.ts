/** Human names of the object identifiers an auditor meets in attestation certificates. Display only. */
const OID_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.4.1.45724.1.1.4': 'id-fido-gen-ce-aaguid',
  '1.3.6.1.4.1.45724.2.1.1': 'id-fido-u2f-ce-transports',
  '1.3.6.1.4.1.11129.2.1.17': 'android key attestation',
  '1.2.840.113635.100.8.2': 'apple anonymous attestation nonce',
  '1.3.6.1.4.1.311.21.31': 'microsoft TPM (tcg-kp-AIKCertificate policy)',
  '2.23.133.8.3': 'tcg-kp-AIKCertificate',
  '1.3.6.1.4.1.41482.2': 'yubico device id',
  '1.3.6.1.4.1.41482.1.1': 'yubico U2F device id',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
};

/** `name (oid)` when the OID is known, else the OID alone. */
export function oidLabel(oid: string): string {
  const name = Object.hasOwn(OID_NAMES, oid) ? OID_NAMES[oid] : undefined;
  return name === undefined ? oid : `${name} (${oid})`;
}

export function oidName(oid: string): string | undefined {
  return Object.hasOwn(OID_NAMES, oid) ? OID_NAMES[oid] : undefined;
}
