/**
 * The metadata BLOB as a JWS (RFC 7515 compact serialization, MDS3 §3.1.7): three strict base64url
 * segments; the algorithm from the protected header only, and only from an allow-list; the
 * signing chain from `x5c`. The payload is decoded here but parsed only after the signature
 * verified (DESIGN principle 7).
 */
import { backend } from '../crypto/backend.js';
import { ecdsaP1363ToDer } from '../crypto/ecdsa-der.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { decodeUtf8Strict, encodeUtf8 } from '../encoding/bytes.js';
import { fail, isWebAuthnError } from '../errors.js';
import { COSE_ALG_ES256, COSE_ALG_RS256 } from '../parse/cose-constants.js';
import { type ParsedCertificate, certificatePublicKey, parseCertificate } from '../x509/index.js';
import { OID_CURVE_P256, OID_EC_PUBLIC_KEY, OID_RSA_ENCRYPTION } from '../x509/oids.js';
import { type JsonObject, invalid, member, parseBoundedJsonObject } from './json.js';

/** MDS3 §3.2 step 6: verify the BLOB signature with its signing chain. */
export const STEP_SIGNATURE = 'mds.3.2.6';

/** Longest BLOB text accepted (the production BLOB is a few MiB). */
export const METADATA_MAX_BLOB_LENGTH = 16 * 1024 * 1024;
/** Most x5c certificates in the BLOB header (leaf, intermediate, a cross-signed root or two). */
export const METADATA_MAX_X5C = 8;
const MAX_HEADER_LENGTH = 64 * 1024;

/**
 * The JWS algorithms a BLOB may be signed with, and the key each needs. The production MDS3 BLOB
 * is signed RS256; ES256 is allowed for BLOBs of other operators. `none`, HMAC (`HS*`) and
 * everything else is refused whatever the certificate says.
 */
const ALGORITHMS: Readonly<Record<string, { readonly cose: number; readonly key: 'RSA' | 'P-256' }>> = Object.assign(
  Object.create(null),
  {
    RS256: { cose: COSE_ALG_RS256, key: 'RSA' },
    ES256: { cose: COSE_ALG_ES256, key: 'P-256' },
  },
);

/** The allow-listed JWS `alg` values. */
export const METADATA_JWS_ALGORITHMS: readonly string[] = Object.freeze(Object.keys(ALGORITHMS));

/** A structurally valid BLOB JWS whose signature is not yet verified. */
export interface ParsedMetadataJws {
  readonly alg: string;
  readonly header: JsonObject;
  /** The x5c certificates, as carried (leaf first). */
  readonly x5c: readonly ParsedCertificate[];
  /** The payload segment, decoded, not yet parsed. */
  readonly payloadText: string;
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
}

function decodeSegment(segment: string, field: string): Uint8Array {
  try {
    return backend.decodeBase64Url(segment, METADATA_MAX_BLOB_LENGTH);
  } catch (error) {
    if (!isWebAuthnError(error)) throw error;
    return fail('ERR_METADATA_INVALID', `Metadata: the JWS ${field} is not canonical base64url`, {
      step: STEP_SIGNATURE,
      details: { field, reason: 'base64url' },
      cause: error,
    });
  }
}

function decodeText(bytes: Uint8Array, field: string): string {
  try {
    return decodeUtf8Strict(bytes);
  } catch (error) {
    return fail('ERR_METADATA_INVALID', `Metadata: the JWS ${field} is not UTF-8`, {
      step: STEP_SIGNATURE,
      details: { field, reason: 'utf-8' },
      cause: error,
    });
  }
}

/** RFC 7515 §4.1.6: x5c entries are standard (padded) base64 of DER, not base64url. */
function standardBase64ToBytes(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    invalid(STEP_SIGNATURE, field, `${field} is not base64 DER`, 'x5c');
  }
  const url = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return decodeSegment(url, field);
}

function keyKind(cert: ParsedCertificate): 'RSA' | 'P-256' | 'other' {
  const { oid, curve } = cert.publicKeyAlgorithm;
  if (oid === OID_RSA_ENCRYPTION) return 'RSA';
  if (oid === OID_EC_PUBLIC_KEY && curve === OID_CURVE_P256) return 'P-256';
  return 'other';
}

/**
 * Splits and decodes a BLOB: strict base64url segments, a JSON header with an allow-listed `alg`
 * consistent with the x5c leaf key, no `crit`, and 1–8 x5c certificates.
 */
export function parseMetadataJws(blob: string): ParsedMetadataJws {
  if (blob.length > METADATA_MAX_BLOB_LENGTH) {
    invalid(STEP_SIGNATURE, 'blob', `the BLOB is longer than ${METADATA_MAX_BLOB_LENGTH} characters`, 'too-large');
  }
  const parts = blob.split('.');
  // An empty signature segment (the shape of alg none) is left to the alg check below.
  if (parts.length !== 3 || parts[0]!.length === 0 || parts[1]!.length === 0) {
    invalid(STEP_SIGNATURE, 'blob', 'the BLOB is not a compact JWS (three segments, header and payload non-empty)', 'compact');
  }
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  if (headerSegment.length > MAX_HEADER_LENGTH) invalid(STEP_SIGNATURE, 'header', 'the JWS header is too large', 'too-large');
  const header = parseBoundedJsonObject(decodeText(decodeSegment(headerSegment, 'header'), 'header'), STEP_SIGNATURE, 'header');
  const payloadText = decodeText(decodeSegment(payloadSegment, 'payload'), 'payload');
  const signature = decodeSegment(signatureSegment, 'signature');

  // RFC 7515 §4.1.1: the algorithm comes from the protected header, never from the key.
  const alg = member(header, 'alg');
  const algorithm = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
  if (algorithm === undefined) {
    fail('ERR_METADATA_ALG_NOT_ALLOWED', `Metadata: JWS alg ${JSON.stringify(alg)} is not one of ${METADATA_JWS_ALGORITHMS.join(', ')}`, {
      step: STEP_SIGNATURE,
      details: { field: 'header.alg', expected: METADATA_JWS_ALGORITHMS, received: typeof alg === 'string' ? alg : null },
    });
  }
  // RFC 7515 §4.1.11: no extension is understood here, so any crit header is refused.
  if (member(header, 'crit') !== undefined) invalid(STEP_SIGNATURE, 'header.crit', 'the JWS header has crit, which is not supported', 'crit');
  const x5c = member(header, 'x5c');
  // MDS3 §3.2 steps 4–5: x5u would need a download; this library takes the chain from x5c only.
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > METADATA_MAX_X5C) {
    invalid(STEP_SIGNATURE, 'header.x5c', `the JWS header x5c is not a list of 1 to ${METADATA_MAX_X5C} certificates`, 'x5c');
  }
  const chain = x5c.map((entry, index) => parseCertificate(standardBase64ToBytes(entry, `header.x5c[${index}]`)));
  const leafKind = keyKind(chain[0]!);
  if (leafKind !== algorithm.key) {
    fail('ERR_METADATA_ALG_NOT_ALLOWED', `Metadata: JWS alg ${alg as string} needs a ${algorithm.key} key, the signing certificate has ${leafKind}`, {
      step: STEP_SIGNATURE,
      details: { field: 'header.alg', reason: 'key-mismatch', expected: algorithm.key, received: leafKind },
    });
  }
  return Object.freeze({
    alg: alg as string,
    header,
    x5c: Object.freeze(chain),
    payloadText,
    signingInput: encodeUtf8(`${headerSegment}.${payloadSegment}`),
    signature,
  });
}

/** Verifies the JWS signature with the x5c leaf key (RFC 7515 §5.2 step 8). */
export async function verifyMetadataJwsSignature(jws: ParsedMetadataJws): Promise<void> {
  const algorithm = ALGORITHMS[jws.alg]!;
  const leaf = jws.x5c[0]!;
  // RFC 7518 §3.4: an ES256 JWS signature is r‖s of 64 bytes; the verifier takes DER.
  const signature = algorithm.key === 'P-256' ? ecdsaP1363ToDer(jws.signature, 'P-256') : jws.signature;
  if (signature === null) {
    fail('ERR_METADATA_SIGNATURE_INVALID', 'Metadata: an ES256 JWS signature must be 64 bytes (r‖s)', {
      step: STEP_SIGNATURE,
      details: { field: 'signature', received: jws.signature.length },
    });
  }
  try {
    await verifySignature(certificatePublicKey(leaf, algorithm.cose), jws.signingInput, signature, {
      step: STEP_SIGNATURE,
      allowedAlgorithms: [algorithm.cose],
    });
  } catch (error) {
    if (isWebAuthnError(error, 'ERR_SIGNATURE_INVALID')) {
      fail('ERR_METADATA_SIGNATURE_INVALID', 'Metadata: the BLOB signature does not verify with its signing certificate', {
        step: STEP_SIGNATURE,
        details: { field: 'signature' },
        cause: error,
      });
    }
    throw error;
  }
}
