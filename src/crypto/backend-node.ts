/**
 * The Node backend: node:crypto KeyObjects and its synchronous `crypto.verify` (OpenSSL), the
 * fastest verifier on Node. ML-DSA, which Node 20 lacks, goes through @noble/post-quantum.
 * Selected by the `node` condition of the package.json `imports` map (`#crypto-backend`).
 *
 * Keys are imported from JWK: on Node 20 that is nearly twice as fast as SPKI DER for P-256
 * (measured ≈ 75 µs vs 135 µs per import).
 *
 * Verification is synchronous for a lone request and moves to libuv's thread pool (the callback
 * form of `crypto.verify`) when requests overlap: a synchronous verify blocks the event loop, so
 * 100 concurrent sign-ins would use one core of a server that has more (docs/benchmarks.md,
 * Concurrency). One code path, decided by an in-flight counter (see `nativeVerify`).
 */
import { Buffer } from 'node:buffer';
import { constants, createPublicKey, type KeyObject, hash as nodeHash, verify as nodeVerify } from 'node:crypto';
import { assertBase64Url } from '../encoding/base64url.js';
import { asWebAuthnError, fail } from '../errors.js';
import { COSE_ALGORITHMS, type CosePublicKey, type HashName, type MlDsaName } from '../parse/cose-constants.js';
import type { CryptoBackend, PreparedKey } from './backend-types.js';
import { ECDSA_CURVES, type EcdsaCurveParams, isStrictEcdsaDer } from './ecdsa-der.js';
import { loadMlDsa, verifyMlDsa } from './ml-dsa.js';

const KIND_ECDSA = 0;
const KIND_RSA = 1;
const KIND_EDDSA = 2;
const KIND_ML_DSA = 3;

interface VerifyOptions {
  readonly key: KeyObject;
  readonly dsaEncoding?: 'der';
  readonly padding?: number;
  readonly saltLength?: number;
}

// One shape for every key type, so that `verify` stays monomorphic.
interface NodeHandle {
  readonly kind: number;
  /** OpenSSL digest name, null for EdDSA and ML-DSA. */
  readonly digest: string | null;
  /** The KeyObject with its padding / encoding options, prebuilt once per key. */
  readonly options: VerifyOptions | null;
  readonly curve: EcdsaCurveParams | null;
  /** Exact signature length (RSA: modulus bytes; EdDSA; ML-DSA), 0 when variable (ECDSA). */
  readonly signatureLength: number;
  readonly publicKey: Uint8Array | null;
  readonly variant: MlDsaName | null;
}

const DIGESTS: Readonly<Record<HashName, string>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const HASH_LENGTHS: Readonly<Record<HashName, number>> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

// Native base64url: ~0.15 µs for an RSA-2048 modulus, against ~1.8 µs in JS (cold path).
function bytesToBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
}

function importJwk(jwk: Record<string, string>): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    fail('ERR_COSE_KEY_INVALID', 'COSE_Key: the platform refused the public key', {
      step: '5.8.5',
      details: { field: 'COSE_Key' },
      cause: error,
    });
  }
}

function handle(kind: number, fields: Partial<NodeHandle>): NodeHandle {
  return {
    kind,
    digest: fields.digest ?? null,
    options: fields.options ?? null,
    curve: fields.curve ?? null,
    signatureLength: fields.signatureLength ?? 0,
    publicKey: fields.publicKey ?? null,
    variant: fields.variant ?? null,
  };
}

function prepareKey(key: CosePublicKey): PreparedKey | Promise<PreparedKey> {
  const info = COSE_ALGORITHMS[key.alg];
  if (info === undefined || info.kty !== key.kty) {
    fail('ERR_ALG_UNSUPPORTED', `COSE algorithm ${key.alg} is not supported`, { step: '5.8.5' });
  }
  switch (key.kty) {
    case 'EC2': {
      const keyObject = importJwk({ kty: 'EC', crv: key.crv, x: bytesToBase64Url(key.x), y: bytesToBase64Url(key.y) });
      const hash = (info as { hash: HashName }).hash;
      return {
        cose: key,
        handle: handle(KIND_ECDSA, {
          digest: DIGESTS[hash],
          options: { key: keyObject, dsaEncoding: 'der' },
          curve: ECDSA_CURVES[key.crv],
        }),
      };
    }
    case 'RSA': {
      const keyObject = importJwk({ kty: 'RSA', n: bytesToBase64Url(key.n), e: bytesToBase64Url(key.e) });
      const { hash, padding } = info as { hash: HashName; padding: 'pkcs1' | 'pss' };
      // PSS: the salt length is always explicit (= hash length). Left out, OpenSSL recovers it
      // from the signature and accepts any salt length (see the Wycheproof README pitfall).
      const options: VerifyOptions =
        padding === 'pss'
          ? { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTHS[hash] }
          : { key: keyObject, padding: constants.RSA_PKCS1_PADDING };
      return {
        cose: key,
        handle: handle(KIND_RSA, { digest: DIGESTS[hash], options, signatureLength: key.n.length }),
      };
    }
    case 'OKP': {
      const keyObject = importJwk({ kty: 'OKP', crv: key.crv, x: bytesToBase64Url(key.x) });
      return {
        cose: key,
        handle: handle(KIND_EDDSA, { options: { key: keyObject }, signatureLength: key.crv === 'Ed25519' ? 64 : 114 }),
      };
    }
    case 'AKP': {
      const prepared = { cose: key, handle: handle(KIND_ML_DSA, { publicKey: key.pub, variant: key.variant }) };
      // @noble/post-quantum is imported on the first ML-DSA key (one await per process).
      const loading = loadMlDsa(key.alg);
      return loading === undefined ? prepared : loading.then(() => prepared);
    }
  }
}

// Verifications started and not yet released: a synchronous one until the end of the current
// synchronous run (released by a microtask, i.e. before an `await` of its caller resumes), a
// pooled one until its callback. Zero means this request is alone.
let inFlight = 0;

function release(): void {
  inFlight--;
}

/**
 * `crypto.verify` of one signature. Alone (nothing in flight): synchronous, the fastest for one
 * request (no thread hop). Overlapping another verification (a batch started in one turn, or
 * requests arriving while pooled verifies are pending): the callback form, which runs OpenSSL on
 * the thread pool and leaves the event loop free, so that concurrent sign-ins use every core.
 * Both give the same answer for the same input (test/crypto/node-backend-concurrency.test.ts).
 */
function nativeVerify(digest: string | null, data: Uint8Array, key: VerifyOptions | KeyObject, signature: Uint8Array): boolean | Promise<boolean> {
  if (inFlight === 0) {
    inFlight = 1;
    queueMicrotask(release);
    return nodeVerify(digest, data, key, signature);
  }
  inFlight++;
  return new Promise<boolean>((resolve, reject) => {
    try {
      nodeVerify(digest, data, key, signature, (error, valid) => {
        inFlight--;
        if (error === null) resolve(valid);
        else reject(asWebAuthnError(error));
      });
    } catch (error) {
      inFlight--;
      reject(asWebAuthnError(error));
    }
  });
}

function verify(key: PreparedKey, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
  const h = key.handle as NodeHandle;
  try {
    switch (h.kind) {
      case KIND_ECDSA:
        // §6.5.5: DER only. OpenSSL is strict too, but the check is ours so that both backends
        // refuse exactly the same encodings.
        return isStrictEcdsaDer(signature, h.curve as EcdsaCurveParams) && nativeVerify(h.digest, data, h.options as VerifyOptions, signature);
      case KIND_RSA:
        return signature.length === h.signatureLength && nativeVerify(h.digest, data, h.options as VerifyOptions, signature);
      case KIND_EDDSA:
        return signature.length === h.signatureLength && nativeVerify(null, data, (h.options as VerifyOptions).key, signature);
      case KIND_ML_DSA:
        return verifyMlDsa(h.variant as MlDsaName, h.publicKey as Uint8Array, data, signature);
      default:
        return false;
    }
  } catch (error) {
    throw asWebAuthnError(error);
  }
}

function hash(name: HashName, data: Uint8Array): Uint8Array {
  const digest = nodeHash(DIGESTS[name], data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

/**
 * Strict base64url with Node's native decoder, into an unpooled buffer of exactly the decoded
 * length: `Buffer.from(text, 'base64url')` would hand out a slice of the shared 8 KiB pool, and
 * results (authenticatorData.raw, clientData.raw…) must own their bytes. One allocation, no copy.
 */
function decodeBase64Url(text: string, maxLength: number): Uint8Array {
  assertBase64Url(text, maxLength);
  // Canonical unpadded base64url of n characters holds exactly ⌊3n/4⌋ bytes.
  const out = Buffer.allocUnsafeSlow((text.length * 3) >>> 2);
  // Buffer's decoder is lenient, which is why the strict check above comes first.
  const written = out.write(text, 'base64url');
  if (written !== out.length) fail('ERR_INTERNAL', 'base64url decoding wrote an unexpected length');
  return new Uint8Array(out.buffer, 0, written);
}

export const backend: CryptoBackend = Object.freeze({
  name: 'node',
  // createPublicKey (EC_POINT_set_affine_coordinates) refuses points off the curve.
  validatesCurvePointsOnImport: true,
  hash,
  decodeBase64Url,
  prepareKey,
  verify,
});

export const backendName = 'node' as const;
