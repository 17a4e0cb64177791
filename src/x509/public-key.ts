/**
 * A certificate's SubjectPublicKeyInfo as a COSE public key for a given COSE algorithm, so that an
 * attestation format can verify `sig` with the attestation certificate through src/crypto.
 */
import * as asn1js from 'asn1js';
import { fail } from '../errors.js';
import { COSE_ALGORITHMS, type CosePublicKey, type EcCurveName, type MlDsaName, type OkpCurveName } from '../parse/cose-constants.js';
import { certificateInternals, type ParsedCertificate } from './certificate.js';
import { bitStringOctets, decodeDer, EXTENSION_LIMITS, sequenceItems, unsignedIntegerBytes } from './der.js';
import {
  OID_CURVE_P256,
  OID_CURVE_P384,
  OID_CURVE_P521,
  OID_CURVE_SECP256K1,
  OID_EC_PUBLIC_KEY,
  OID_ED25519,
  OID_ED448,
  OID_ML_DSA_44,
  OID_ML_DSA_65,
  OID_ML_DSA_87,
  OID_RSA_ENCRYPTION,
} from './oids.js';

const STEP = '7.1.22';

const EC_CURVES: Readonly<Record<string, { readonly name: EcCurveName; readonly size: number }>> = Object.assign(
  Object.create(null),
  {
    [OID_CURVE_P256]: { name: 'P-256', size: 32 },
    [OID_CURVE_P384]: { name: 'P-384', size: 48 },
    [OID_CURVE_P521]: { name: 'P-521', size: 66 },
    [OID_CURVE_SECP256K1]: { name: 'secp256k1', size: 32 },
  },
);

const OKP_KEYS: Readonly<Record<string, { readonly crv: OkpCurveName; readonly size: number }>> = Object.assign(
  Object.create(null),
  {
    [OID_ED25519]: { crv: 'Ed25519', size: 32 },
    [OID_ED448]: { crv: 'Ed448', size: 57 },
  },
);

const ML_DSA_KEYS: Readonly<Record<string, { readonly variant: MlDsaName; readonly size: number }>> = Object.assign(
  Object.create(null),
  {
    [OID_ML_DSA_44]: { variant: 'ML-DSA-44', size: 1312 },
    [OID_ML_DSA_65]: { variant: 'ML-DSA-65', size: 1952 },
    [OID_ML_DSA_87]: { variant: 'ML-DSA-87', size: 2592 },
  },
);

/** RSA bounds of checklist §5: n of 2048–8192 bits, odd e with 3 ≤ e < 2^32. */
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 8192;

function mismatch(message: string, alg: number): never {
  fail('ERR_CERT_KEY_MISMATCH', `Certificate public key ${message}`, { step: STEP, details: { expected: alg } });
}

/** The subjectPublicKey BIT STRING content and the algorithm parameters of an SPKI. */
function spkiParts(cert: ParsedCertificate): { key: Uint8Array; params: asn1js.AsnType | undefined } {
  const spki = decodeDer(cert.spki, 'SubjectPublicKeyInfo', EXTENSION_LIMITS);
  const parts = sequenceItems(spki);
  const algorithm = sequenceItems(parts?.[0]);
  const key = bitStringOctets(parts?.[1]);
  if (algorithm === undefined || key === undefined) fail('ERR_CERT_MALFORMED', 'SubjectPublicKeyInfo is malformed', { step: STEP });
  return { key, params: algorithm[1] };
}

function bitLength(bytes: Uint8Array): number {
  return bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0] as number));
}

function rsaKey(alg: number, key: Uint8Array, params: asn1js.AsnType | undefined): CosePublicKey {
  if (params !== undefined && !(params instanceof asn1js.Null)) mismatch('rsaEncryption parameters are not NULL', alg);
  let items: asn1js.AsnType[] | undefined;
  try {
    items = sequenceItems(decodeDer(key, 'RSAPublicKey', EXTENSION_LIMITS));
  } catch {
    items = undefined;
  }
  const [nNode, eNode] = items ?? [];
  const n = nNode instanceof asn1js.Integer ? unsignedIntegerBytes(nNode) : undefined;
  const e = eNode instanceof asn1js.Integer ? unsignedIntegerBytes(eNode) : undefined;
  if (items?.length !== 2 || n === undefined || e === undefined) {
    fail('ERR_CERT_MALFORMED', 'RSAPublicKey is not a SEQUENCE of two non-negative INTEGERs', { step: STEP });
  }
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) mismatch(`is a ${bits}-bit RSA key (allowed ${RSA_MIN_BITS}–${RSA_MAX_BITS})`, alg);
  const eBits = bitLength(e);
  if (eBits > 32 || eBits < 2 || ((e[e.length - 1] as number) & 1) === 0) mismatch('has an RSA exponent that is even, < 3 or ≥ 2^32', alg);
  return Object.freeze({ kty: 'RSA', alg, n: n.slice(), e: e.slice() });
}

/**
 * Why an issuer's RSA key is outside the bounds credential keys are held to (parse/cose-key.ts,
 * checklist §5: n odd of 2048–8192 bits, e odd with 3 ≤ e < 2^32), or `undefined` when it is
 * inside them or not an RSA key. The cost of a verification grows with n² and with the bit
 * length of e: without the bound, one certificate of a chain can ask for a private-key-sized
 * exponentiation (an e of ~3000 bits).
 */
export function rsaIssuerKeyViolation(cert: ParsedCertificate): string | undefined {
  if (cert.publicKeyAlgorithm.oid !== OID_RSA_ENCRYPTION) return undefined;
  const { key } = spkiParts(cert);
  let items: asn1js.AsnType[] | undefined;
  try {
    items = sequenceItems(decodeDer(key, 'RSAPublicKey', EXTENSION_LIMITS));
  } catch {
    return 'the RSAPublicKey is not DER';
  }
  const [nNode, eNode] = items ?? [];
  const n = nNode instanceof asn1js.Integer ? unsignedIntegerBytes(nNode) : undefined;
  const e = eNode instanceof asn1js.Integer ? unsignedIntegerBytes(eNode) : undefined;
  if (items?.length !== 2 || n === undefined || e === undefined) return 'the RSAPublicKey is not two non-negative INTEGERs';
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS || ((n[n.length - 1] as number) & 1) === 0) {
    return `the modulus has ${bits} bits or is even (allowed: odd, ${RSA_MIN_BITS}–${RSA_MAX_BITS} bits)`;
  }
  const eBits = bitLength(e);
  if (eBits > 32 || eBits < 2 || ((e[e.length - 1] as number) & 1) === 0) return 'the exponent is even, < 3 or ≥ 2^32';
  return undefined;
}

/**
 * The certificate's public key as a {@link CosePublicKey} for COSE algorithm `alg`: EC P-256/384/521
 * and secp256k1 (uncompressed points only) for the ES*, ESP* and ES256K algorithms, Ed25519 for
 * EdDSA/Ed25519, Ed448 for Ed448, RSA (n, e) for RS*, PS* and RS1, ML-DSA for ML-DSA-44/65/87.
 * The point is not checked to be on the curve here: src/crypto does that when importing the key.
 *
 * @throws WebAuthnError `ERR_OPTIONS_INVALID` when `cert` is not a parsed certificate or `alg`
 *   not an integer; `ERR_ALG_UNSUPPORTED` for an unknown `alg`; `ERR_CERT_KEY_MISMATCH` when
 *   the key is not of the type, curve, size or point form `alg` requires; `ERR_CERT_MALFORMED`
 *   when the key bytes are not a well-formed key of the type the certificate declares.
 */
export function certificatePublicKey(cert: ParsedCertificate, alg: number): CosePublicKey {
  certificateInternals(cert, 'cert');
  if (!Number.isInteger(alg)) fail('ERR_OPTIONS_INVALID', 'alg must be a COSE algorithm identifier (an integer)', { details: { field: 'alg' } });
  const info = COSE_ALGORITHMS[alg];
  if (info === undefined) fail('ERR_ALG_UNSUPPORTED', `COSE algorithm ${alg} is not supported`, { step: STEP });
  const oid = cert.publicKeyAlgorithm.oid;
  const { key, params } = spkiParts(cert);
  switch (info.kty) {
    case 'EC2': {
      const curve = cert.publicKeyAlgorithm.curve === undefined ? undefined : EC_CURVES[cert.publicKeyAlgorithm.curve];
      if (oid !== OID_EC_PUBLIC_KEY || curve === undefined) mismatch(`is not an EC key on a supported curve (${info.name} needs ${info.crv})`, alg);
      if (curve.name !== info.crv) mismatch(`is on ${curve.name}, ${info.name} needs ${info.crv}`, alg);
      if (key[0] !== 0x04) mismatch('is not an uncompressed EC point', alg);
      if (key.length !== 1 + 2 * curve.size) mismatch(`point has ${key.length} bytes, expected ${1 + 2 * curve.size}`, alg);
      return Object.freeze({
        kty: 'EC2',
        alg,
        crv: curve.name,
        x: key.slice(1, 1 + curve.size),
        y: key.slice(1 + curve.size),
      });
    }
    case 'OKP': {
      const okp = OKP_KEYS[oid];
      if (okp === undefined || okp.crv !== info.crv) mismatch(`is not an ${info.crv} key (${info.name})`, alg);
      if (params !== undefined) fail('ERR_CERT_MALFORMED', `${okp.crv} key algorithm has parameters`, { step: STEP });
      if (key.length !== okp.size) mismatch(`has ${key.length} bytes, ${okp.crv} needs ${okp.size}`, alg);
      return Object.freeze({ kty: 'OKP', alg, crv: okp.crv, x: key.slice() });
    }
    case 'RSA':
      if (oid !== OID_RSA_ENCRYPTION) mismatch(`is not an rsaEncryption key (${info.name})`, alg);
      return rsaKey(alg, key, params);
    case 'AKP': {
      const mlDsa = ML_DSA_KEYS[oid];
      if (mlDsa === undefined || mlDsa.variant !== info.variant) mismatch(`is not an ${info.variant} key`, alg);
      if (params !== undefined) fail('ERR_CERT_MALFORMED', `${mlDsa.variant} key algorithm has parameters`, { step: STEP });
      if (key.length !== mlDsa.size) mismatch(`has ${key.length} bytes, ${mlDsa.variant} needs ${mlDsa.size}`, alg);
      return Object.freeze({ kty: 'AKP', alg, variant: mlDsa.variant, pub: key.slice() });
    }
  }
}
