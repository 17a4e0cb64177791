/**
 * The portable backend: WebCrypto (`globalThis.crypto.subtle`) for ECDSA P-256/384/521, RSA
 * PKCS#1 v1.5 and PSS, Ed25519 and Ed448 where the platform has them; @noble for what WebCrypto
 * lacks (secp256k1, ML-DSA, and Ed25519/Ed448 on platforms without them); @noble/hashes for
 * synchronous digests. Runs wherever WebCrypto exists; never imports node:crypto.
 *
 * The @noble curve and ML-DSA modules are imported lazily (dynamic `import()`, see
 * lazy-module.ts) by `prepareKey`, the first time a key needs one: the common algorithms start
 * and bundle without them. A platform that can verify neither way gets `ERR_ALG_UNSUPPORTED_RUNTIME`.
 *
 * WebCrypto takes ECDSA signatures as P1363 `r ‖ s`, so the DER → P1363 conversion
 * (ecdsa-der.ts) is what enforces WebAuthn's DER-only rule (§6.5.5) here.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { assertBase64Url, base64UrlToBytes, bytesToBase64Url } from '../encoding/base64url.js';
import { asWebAuthnError, fail } from '../errors.js';
import { COSE_ALGORITHMS, type CosePublicKey, type HashName, type MlDsaName, type OkpCurveName } from '../parse/cose-constants.js';
import type { CryptoBackend, PreparedKey } from './backend-types.js';
import { type EcdsaCurveParams, ECDSA_CURVES, ecdsaDerToP1363 } from './ecdsa-der.js';
import { LazyModule } from './lazy-module.js';
import { loadMlDsa, verifyMlDsa } from './ml-dsa.js';
import { unsupportedOnRuntime } from './runtime.js';

const KIND_ECDSA = 0; // WebCrypto, DER → P1363
const KIND_WEBCRYPTO = 1; // WebCrypto, signature passed as is (RSA, Ed25519, Ed448) after a length check
const KIND_SECP256K1 = 2; // @noble/curves
const KIND_EDDSA_NOBLE = 3; // @noble/curves, RFC 8032 strict
const KIND_ML_DSA = 4; // @noble/post-quantum

// WebCrypto's BufferSource is typed over ArrayBuffer only; our bytes may sit on any ArrayBufferLike.
type Bytes = Uint8Array<ArrayBuffer>;

// One shape for every key type, so that `verify` stays monomorphic.
interface WebHandle {
  readonly kind: number;
  readonly cryptoKey: CryptoKey | null;
  /** The algorithm parameter of `subtle.verify`, prebuilt once per key. */
  readonly params: AlgorithmIdentifier | EcdsaParams | RsaPssParams | null;
  readonly curve: EcdsaCurveParams | null;
  /** Exact signature length where the algorithm fixes it (RSA, EdDSA), else 0. */
  readonly signatureLength: number;
  /** Raw public key for @noble (uncompressed SEC1 point, Edwards point, ML-DSA key). */
  readonly publicKey: Uint8Array | null;
  readonly variant: OkpCurveName | MlDsaName | null;
  /** The loaded @noble verify (secp256k1, Edwards fallback): (signature, data, publicKey). */
  readonly noble: NobleVerify | null;
}

type NobleVerify = (signature: Uint8Array, data: Uint8Array, publicKey: Uint8Array) => boolean;

/** The @noble/curves wrappers imported on first use; a test may pass failing ones. */
export interface NobleCurveModules {
  readonly secp256k1: LazyModule<typeof import('./noble-secp256k1.js')>;
  readonly edwards: LazyModule<typeof import('./noble-edwards.js')>;
}

/** Shared by every web backend of the process: each module is imported at most once. */
const NOBLE_CURVES: NobleCurveModules = {
  secp256k1: new LazyModule('the @noble/curves secp256k1 module', () => import('./noble-secp256k1.js')),
  edwards: new LazyModule('WebCrypto EdDSA and the @noble/curves Edwards module', () => import('./noble-edwards.js')),
};

/** Waits for a lazily loaded module only when it is not loaded yet. */
function then<T, R>(value: T | Promise<T>, next: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

const HASHES: Readonly<Record<HashName, (data: Uint8Array) => Uint8Array>> = {
  'SHA-1': sha1,
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
};

const HASH_LENGTHS: Readonly<Record<HashName, number>> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

// RFC 8032 §7.1 TEST 1 and §7.4 "blank" public keys: valid points, used only to ask the platform
// once whether it implements the algorithm.
const PROBE_KEYS: Readonly<Record<OkpCurveName, string>> = {
  Ed25519: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  Ed448:
    '5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180',
};

const EDDSA_SIGNATURE_LENGTHS: Readonly<Record<OkpCurveName, number>> = { Ed25519: 64, Ed448: 114 };

function hexBytes(hex: string): Bytes {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function handle(kind: number, fields: Partial<WebHandle>): WebHandle {
  return {
    kind,
    cryptoKey: fields.cryptoKey ?? null,
    params: fields.params ?? null,
    curve: fields.curve ?? null,
    signatureLength: fields.signatureLength ?? 0,
    publicKey: fields.publicKey ?? null,
    variant: fields.variant ?? null,
    noble: fields.noble ?? null,
  };
}

function refused(error: unknown): never {
  fail('ERR_COSE_KEY_INVALID', 'COSE_Key: the platform refused the public key', {
    step: '5.8.5',
    details: { field: 'COSE_Key' },
    cause: error,
  });
}

function uncompressedPoint(x: Uint8Array, y: Uint8Array): Bytes {
  const out = new Uint8Array(1 + x.length + y.length);
  out[0] = 0x04;
  out.set(x, 1);
  out.set(y, 1 + x.length);
  return out;
}

function rethrow(error: unknown): never {
  throw asWebAuthnError(error);
}

type FromBase64 = (text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'loose' }) => Uint8Array;
// ES2026 `Uint8Array.fromBase64` (native in recent engines), found by feature detection.
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;

function decodeBase64Url(text: string, maxLength: number): Uint8Array {
  if (nativeFromBase64 === undefined) return base64UrlToBytes(text, maxLength);
  // fromBase64 skips whitespace and accepts padding: the strict check comes first.
  assertBase64Url(text, maxLength);
  return nativeFromBase64(text, { alphabet: 'base64url', lastChunkHandling: 'loose' });
}

/**
 * Builds a web backend over the given SubtleCrypto (or none: then only the @noble algorithms
 * work, and the others fail with `ERR_ALG_UNSUPPORTED_RUNTIME`). Exported for tests that simulate
 * platforms without Ed25519/Ed448 or without a loadable @noble module; use {@link backend}.
 */
export function createWebBackend(subtle: SubtleCrypto | undefined, noble: NobleCurveModules = NOBLE_CURVES): CryptoBackend {
  // Whether the platform implements Ed25519 / Ed448, learnt once by importing a known-good key.
  const support: Partial<Record<OkpCurveName, Promise<boolean>>> = {};

  function supports(curve: OkpCurveName): Promise<boolean> {
    let known = support[curve];
    if (known === undefined) {
      known =
        subtle === undefined
          ? Promise.resolve(false)
          : subtle.importKey('raw', hexBytes(PROBE_KEYS[curve]), { name: curve }, false, ['verify']).then(
              () => true,
              () => false,
            );
      support[curve] = known;
    }
    return known;
  }

  function requireSubtle(alg: number): SubtleCrypto {
    if (subtle === undefined) return unsupportedOnRuntime(alg, 'WebCrypto (crypto.subtle)');
    return subtle;
  }

  async function importKey(
    alg: number,
    format: 'raw' | 'jwk',
    keyData: Bytes | JsonWebKey,
    algorithm: AlgorithmIdentifier | EcKeyImportParams | RsaHashedImportParams,
  ): Promise<CryptoKey> {
    const s = requireSubtle(alg);
    try {
      return format === 'jwk'
        ? await s.importKey('jwk', keyData as JsonWebKey, algorithm, false, ['verify'])
        : await s.importKey('raw', keyData as Bytes, algorithm, false, ['verify']);
    } catch (error) {
      refused(error);
    }
  }

  async function prepareEdwards(key: Extract<CosePublicKey, { kty: 'OKP' }>): Promise<PreparedKey> {
    const signatureLength = EDDSA_SIGNATURE_LENGTHS[key.crv];
    if (await supports(key.crv)) {
      const params = { name: key.crv };
      const cryptoKey = await importKey(key.alg, 'raw', key.x as Bytes, params);
      return { cose: key, handle: handle(KIND_WEBCRYPTO, { cryptoKey, params, signatureLength }) };
    }
    const edwards = await noble.edwards.get(key.alg);
    const nobleVerify = key.crv === 'Ed25519' ? edwards.verifyEd25519 : edwards.verifyEd448;
    return {
      cose: key,
      handle: handle(KIND_EDDSA_NOBLE, { publicKey: key.x, signatureLength, variant: key.crv, noble: nobleVerify }),
    };
  }

  async function prepareWebCrypto(key: CosePublicKey): Promise<PreparedKey> {
    const info = COSE_ALGORITHMS[key.alg];
    if (key.kty === 'EC2' && info?.kty === 'EC2') {
      const cryptoKey = await importKey(key.alg, 'raw', uncompressedPoint(key.x, key.y), { name: 'ECDSA', namedCurve: key.crv });
      return {
        cose: key,
        handle: handle(KIND_ECDSA, {
          cryptoKey,
          params: { name: 'ECDSA', hash: info.hash },
          curve: ECDSA_CURVES[key.crv],
        }),
      };
    }
    if (key.kty === 'RSA' && info?.kty === 'RSA') {
      const name = info.padding === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
      const cryptoKey = await importKey(
        key.alg,
        'jwk',
        { kty: 'RSA', n: bytesToBase64Url(key.n), e: bytesToBase64Url(key.e) },
        { name, hash: info.hash },
      );
      // PSS: the salt length is the hash length (RFC 8230 §2), always explicit.
      const params: AlgorithmIdentifier | RsaPssParams =
        info.padding === 'pss' ? { name, saltLength: HASH_LENGTHS[info.hash] } : { name };
      return { cose: key, handle: handle(KIND_WEBCRYPTO, { cryptoKey, params, signatureLength: key.n.length }) };
    }
    fail('ERR_ALG_UNSUPPORTED', `COSE algorithm ${key.alg} is not supported`, { step: '5.8.5' });
  }

  function prepareKey(key: CosePublicKey): PreparedKey | Promise<PreparedKey> {
    const info = COSE_ALGORITHMS[key.alg];
    if (info === undefined || info.kty !== key.kty) {
      fail('ERR_ALG_UNSUPPORTED', `COSE algorithm ${key.alg} is not supported`, { step: '5.8.5' });
    }
    switch (key.kty) {
      case 'EC2':
        if (key.crv === 'secp256k1') {
          const publicKey = uncompressedPoint(key.x, key.y);
          // The strict DER check is ours (verify), so noble gets the P1363 form.
          return then(noble.secp256k1.get(key.alg), ({ verifySecp256k1 }) => ({
            cose: key,
            handle: handle(KIND_SECP256K1, { publicKey, curve: ECDSA_CURVES.secp256k1, noble: verifySecp256k1 }),
          }));
        }
        return prepareWebCrypto(key);
      case 'RSA':
        return prepareWebCrypto(key);
      case 'OKP':
        return prepareEdwards(key);
      case 'AKP': {
        const prepared = { cose: key, handle: handle(KIND_ML_DSA, { publicKey: key.pub, variant: key.variant }) };
        const loading = loadMlDsa(key.alg);
        return loading === undefined ? prepared : loading.then(() => prepared);
      }
    }
  }

  function verify(key: PreparedKey, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
    const h = key.handle as WebHandle;
    try {
      switch (h.kind) {
        case KIND_ECDSA: {
          const rs = ecdsaDerToP1363(signature, h.curve as EcdsaCurveParams);
          if (rs === null) return false;
          return requireSubtle(key.cose.alg)
            .verify(h.params as EcdsaParams, h.cryptoKey as CryptoKey, rs as Bytes, data as Bytes)
            .catch(rethrow);
        }
        case KIND_WEBCRYPTO:
          if (signature.length !== h.signatureLength) return false;
          return requireSubtle(key.cose.alg)
            .verify(h.params as AlgorithmIdentifier, h.cryptoKey as CryptoKey, signature as Bytes, data as Bytes)
            .catch(rethrow);
        case KIND_SECP256K1: {
          const rs = ecdsaDerToP1363(signature, h.curve as EcdsaCurveParams);
          if (rs === null) return false;
          return (h.noble as NobleVerify)(rs, data, h.publicKey as Uint8Array);
        }
        case KIND_EDDSA_NOBLE:
          if (signature.length !== h.signatureLength) return false;
          return (h.noble as NobleVerify)(signature, data, h.publicKey as Uint8Array);
        case KIND_ML_DSA:
          return verifyMlDsa(h.variant as MlDsaName, h.publicKey as Uint8Array, data, signature);
        default:
          return false;
      }
    } catch (error) {
      rethrow(error);
    }
  }

  function hash(name: HashName, data: Uint8Array): Uint8Array {
    return HASHES[name](data);
  }

  return Object.freeze({ name: 'web', hash, decodeBase64Url, prepareKey, verify });
}

/** The portable backend over `globalThis.crypto.subtle`. */
export const backend: CryptoBackend = createWebBackend(globalThis.crypto?.subtle);

export const backendName = 'web' as const;
