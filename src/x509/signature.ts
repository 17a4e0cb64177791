/**
 * Signatures on certificates and CRLs, verified through pkijs with a private CryptoEngine (never
 * the global `setEngine`). Verified issuer → subject pairs are cached so the same intermediate
 * and root are not re-verified on every registration of one authenticator model.
 */
import type * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { fail } from '../errors.js';
import { BoundedCache } from './bounded-cache.js';
import { certificateInternals, type ParsedCertificate } from './certificate.js';
import { isDerEcdsaSignature } from './der-strict.js';
import {
  OID_CURVE_P256,
  OID_CURVE_P384,
  OID_CURVE_P521,
  OID_EC_PUBLIC_KEY,
  OID_ECDSA_WITH_SHA1,
  OID_ECDSA_WITH_SHA256,
  OID_ECDSA_WITH_SHA384,
  OID_ECDSA_WITH_SHA512,
  OID_RSA_ENCRYPTION,
  OID_RSASSA_PSS,
  OID_SHA1_WITH_RSA,
  OID_SHA256_WITH_RSA,
  OID_SHA384_WITH_RSA,
  OID_SHA512_WITH_RSA,
} from './oids.js';
import { rsaIssuerKeyViolation } from './public-key.js';
import { parsePssParameters } from './rsa-pss-params.js';

interface SignatureAlgorithm {
  readonly key: 'EC' | 'RSA';
  readonly sha1: boolean;
}

/** Signature algorithms WebCrypto (through pkijs) verifies, by OID. */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = Object.assign(Object.create(null), {
  [OID_ECDSA_WITH_SHA256]: { key: 'EC', sha1: false },
  [OID_ECDSA_WITH_SHA384]: { key: 'EC', sha1: false },
  [OID_ECDSA_WITH_SHA512]: { key: 'EC', sha1: false },
  [OID_ECDSA_WITH_SHA1]: { key: 'EC', sha1: true },
  [OID_SHA256_WITH_RSA]: { key: 'RSA', sha1: false },
  [OID_SHA384_WITH_RSA]: { key: 'RSA', sha1: false },
  [OID_SHA512_WITH_RSA]: { key: 'RSA', sha1: false },
  [OID_SHA1_WITH_RSA]: { key: 'RSA', sha1: true },
  [OID_RSASSA_PSS]: { key: 'RSA', sha1: false },
});

const WEBCRYPTO_CURVES = new Set([OID_CURVE_P256, OID_CURVE_P384, OID_CURVE_P521]);

/** The pkijs module, as the first certificate signature check loads it. */
export type Pkijs = typeof pkijs;

let pkijsModule: Promise<Pkijs> | undefined;

/**
 * pkijs is imported on the first certificate or CRL signature check, not when the package is
 * imported: it is most of the package's import time (125–230 ms on Node 20), and a process that
 * only verifies sign-ins never needs it. A failed import is retried on the next check.
 */
function loadPkijs(): Promise<Pkijs> {
  pkijsModule ??= import('pkijs').catch((cause: unknown) => {
    pkijsModule = undefined;
    throw cause;
  });
  return pkijsModule;
}

let engine: pkijs.CryptoEngine | undefined;

function cryptoEngine(lib: Pkijs): pkijs.CryptoEngine {
  if (engine === undefined) {
    const webcrypto = (globalThis as { crypto?: Crypto }).crypto;
    if (webcrypto?.subtle === undefined) fail('ERR_INTERNAL', 'WebCrypto (globalThis.crypto.subtle) is not available');
    engine = new lib.CryptoEngine({ name: 'webauthn-verify', crypto: webcrypto });
  }
  return engine;
}

/** A signed object (certificate or CRL) reduced to what a signature check needs. */
export interface SignedObject {
  readonly what: string;
  readonly tbs: Uint8Array;
  readonly algorithmOid: string;
  /** The decoded signatureAlgorithm AlgorithmIdentifier (its parameters are read for RSASSA-PSS). */
  readonly algorithmNode: asn1js.AsnType;
  /** The signature algorithm in pkijs form (built lazily, inside the verification's error handling). */
  readonly algorithm: (lib: Pkijs) => pkijs.AlgorithmIdentifier;
  readonly signature: asn1js.BitString;
}

/** Options shared by the signature checks. */
export interface SignatureOptions {
  readonly allowSha1Signatures?: boolean | undefined;
  readonly step?: string | undefined;
}

/**
 * The algorithm entry of `signed`, after the allow-list and SHA-1 policy (RSASSA-PSS: after
 * its parameters, rsa-pss-params.ts).
 *
 * @throws WebAuthnError `ERR_CERT_SIGNATURE_ALG_UNSUPPORTED` for an algorithm not verified here;
 *   `ERR_CERT_MALFORMED` for RSASSA-PSS parameters that are not DER.
 */
function allowedAlgorithm(
  signed: { readonly what: string; readonly algorithmOid: string; readonly algorithmNode: asn1js.AsnType },
  options: SignatureOptions,
): SignatureAlgorithm {
  let algorithm = SIGNATURE_ALGORITHMS[signed.algorithmOid];
  // RFC 4055 §3.1: a PSS signature's hash is in its parameters (absent → SHA-1, refused by default).
  if (signed.algorithmOid === OID_RSASSA_PSS) {
    algorithm = { key: 'RSA', sha1: parsePssParameters(signed.algorithmNode, signed.what, options.step).hash === 'SHA-1' };
  }
  if (algorithm === undefined || (algorithm.sha1 && options.allowSha1Signatures !== true)) {
    fail('ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', `${signed.what} is signed with unsupported algorithm ${signed.algorithmOid}`, {
      ...(options.step === undefined ? {} : { step: options.step }),
      details: { field: 'signatureAlgorithm', received: signed.algorithmOid },
    });
  }
  return algorithm;
}

/**
 * Verifies `signed` with the public key of `issuer`. Resolves false when the signature does not
 * verify or cannot belong to that key (wrong key type, malformed value).
 *
 * @throws WebAuthnError `ERR_CERT_SIGNATURE_ALG_UNSUPPORTED` for an algorithm not verified here;
 *   `ERR_CERT_MALFORMED` for RSASSA-PSS parameters that are not DER;
 *   `ERR_CERT_CHAIN_INVALID` (reason `issuer-key`) when the issuer's RSA key is outside the
 *   bounds credential keys are held to (odd n of 2048–8192 bits, odd e with 3 ≤ e < 2^32).
 */
export async function verifySignedObject(
  signed: SignedObject,
  issuer: ParsedCertificate,
  options: SignatureOptions = {},
): Promise<boolean> {
  const algorithm = allowedAlgorithm(signed, options);
  const key = issuer.publicKeyAlgorithm;
  if (algorithm.key === 'EC') {
    if (key.oid !== OID_EC_PUBLIC_KEY || key.curve === undefined || !WEBCRYPTO_CURVES.has(key.curve)) return false;
    if (!isDerEcdsaSignature(signed.signature.valueBlock.valueHexView)) return false;
  } else if (key.oid !== OID_RSA_ENCRYPTION) {
    return false;
  } else {
    // Checklist §5: bound the issuer's key before any public-key operation with it.
    const violation = rsaIssuerKeyViolation(issuer);
    if (violation !== undefined) {
      fail('ERR_CERT_CHAIN_INVALID', `${signed.what} is signed by an RSA key outside the accepted bounds: ${violation}`, {
        ...(options.step === undefined ? {} : { step: options.step }),
        details: { reason: 'issuer-key', field: 'subjectPublicKeyInfo' },
      });
    }
  }
  const internals = certificateInternals(issuer);
  const lib = await loadPkijs();
  try {
    internals.publicKeyInfo ??= new lib.PublicKeyInfo({ schema: internals.spkiNode });
    // asn1js decodes from its own copy, an ArrayBuffer-backed view: a valid BufferSource.
    const tbs = signed.tbs as Uint8Array<ArrayBuffer>;
    return await cryptoEngine(lib).verifyWithPublicKey(tbs, signed.signature, internals.publicKeyInfo, signed.algorithm(lib));
  } catch {
    // pkijs or WebCrypto refuses a key it cannot import (e.g. an off-curve point): no valid signature.
    return false;
  }
}

const PAIR_CACHE_SIZE = 1024;
const verifiedPairs = new BoundedCache<string, true>(PAIR_CACHE_SIZE);

/** The certificate as a {@link SignedObject}. */
export function certificateSignedObject(cert: ParsedCertificate): SignedObject {
  const internals = certificateInternals(cert);
  return {
    what: `Certificate "${cert.sha256Fingerprint.slice(0, 16)}…"`,
    tbs: internals.tbs,
    algorithmOid: cert.signatureAlgorithm,
    algorithmNode: internals.signatureAlgorithmNode,
    algorithm: (lib) => (internals.signatureAlgorithm ??= new lib.AlgorithmIdentifier({ schema: internals.signatureAlgorithmNode })),
    signature: internals.signatureValue,
  };
}

/**
 * Whether `issuer`'s key verifies `subject`'s signature. Positive results are cached by the two
 * fingerprints (bounded), so a repeated chain costs no public-key operation.
 */
export async function isSignedBy(
  subject: ParsedCertificate,
  issuer: ParsedCertificate,
  options: SignatureOptions = {},
): Promise<boolean> {
  const signed = certificateSignedObject(subject);
  // The algorithm policy of this call applies to cached pairs too.
  allowedAlgorithm(signed, options);
  const key = `${certificateInternals(issuer).fingerprint}>${certificateInternals(subject).fingerprint}`;
  if (verifiedPairs.get(key) === true) return true;
  const valid = await verifySignedObject(signed, issuer, options);
  if (valid) verifiedPairs.set(key, true);
  return valid;
}

/** Empties the verified-signature cache. */
export function clearSignatureCache(): void {
  verifiedPairs.clear();
}
