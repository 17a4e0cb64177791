/**
 * A test-only synthetic authenticator for registrations (§7.1): builds a RegistrationResponseJSON
 * exactly as a browser returns it, with attestation formats none, packed (self or x5c) and
 * fido-u2f, and the RegistrationExpectations that accept it. Every byte is under the test's
 * control (flags, counter, AAGUID, credential id, extensions, clientData members, attStmt members,
 * the attestation certificate, trailing bytes …).
 *
 * Deterministic: credential keys from {@link seededCredentialKey} derive from a seed (EC, EdDSA,
 * ML-DSA and RSA alike), ECDSA signatures use RFC 6979 nonces, certificates are signed
 * deterministically and dated around TEST_NOW, so the same options give byte-identical output —
 * what scripts/generate-fixtures.ts relies on. Keys of test/helpers/keys.ts work as credential
 * keys too (randomized, faster for spec and property tests).
 *
 * Nothing here calls the code under test: CBOR comes from cbor-x, hashes and RSA from node:crypto,
 * curves from @noble.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign as nodeSign, webcrypto } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { Decoder, Encoder } from 'cbor-x';
import type { RegistrationExpectations } from '../../src/ceremony/verify-registration.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { ALG, type AlgName } from './keys.js';
import { createTestCa, type TestCa, type TestCaOptions, type TestKeyPair, TEST_NOW } from './test-ca.js';
import { concatBytes } from '../../src/encoding/bytes.js';

export const REG_RP_ID = 'login.example.com';
export const REG_ORIGIN = 'https://login.example.com';
/** base64url of 32 bytes 0xc3. */
export const REG_CHALLENGE = Buffer.from(new Uint8Array(32).fill(0xc3)).toString('base64url');
/** The AAGUID of packed and none registrations unless told otherwise. */
export const DEFAULT_AAGUID = uuidBytes('c0ffee00-5eed-4d1e-9a7b-0123456789ab');
export const ZERO_AAGUID = new Uint8Array(16);

export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

/** Marks an attStmt or clientData member to leave out. */
export const OMIT: unique symbol = Symbol('omit');
type Omittable<T> = T | typeof OMIT;

const cbor = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false, variableMapSize: true });
const cborDecoder = new Decoder({ mapsAsObjects: false, useRecords: false });

/** CBOR with the settings the library accepts (Maps with shortest headers, no tags). */
export function encodeCbor(value: unknown): Uint8Array {
  return new Uint8Array(cbor.encode(value));
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

export function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function fromB64u(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

export function uuidBytes(uuid: string): Uint8Array {
  return new Uint8Array(Buffer.from(uuid.replace(/-/g, ''), 'hex'));
}

const concat = concatBytes;

// ---------------------------------------------------------------------------------------------
// Credential keys

/** A credential key pair as the synthetic authenticator needs it (TestKey of keys.ts fits). */
export interface CredentialKey {
  readonly alg: number;
  /** COSE_Key bytes of the public key. */
  readonly cose: Uint8Array;
  /** Signs `data` in the WebAuthn signature format of `alg` (DER for ECDSA). */
  sign(data: Uint8Array): Uint8Array;
}

/** Algorithms {@link seededCredentialKey} derives (PS* is left out: PSS salts are random). */
export type SeededAlgName = Exclude<AlgName, 'PS256' | 'PS384' | 'PS512'>;

/** `length` bytes of SHA-512 in counter mode over `label`: the seed expander of this file. */
function expand(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 0, at = 0; at < length; block++) {
    const chunk = createHash('sha512').update(`${label}#${block}`).digest();
    out.set(chunk.subarray(0, Math.min(chunk.length, length - at)), at);
    at += chunk.length;
  }
  return out;
}

const EC_CURVES = {
  ES256: { curve: p256, crv: 1, size: 32 },
  ESP256: { curve: p256, crv: 1, size: 32 },
  ES384: { curve: p384, crv: 2, size: 48 },
  ESP384: { curve: p384, crv: 2, size: 48 },
  ES512: { curve: p521, crv: 3, size: 66 },
  ESP512: { curve: p521, crv: 3, size: 66 },
  ES256K: { curve: secp256k1, crv: 8, size: 32 },
} as const;

function ecSecret(curve: (typeof EC_CURVES)[keyof typeof EC_CURVES]['curve'], size: number, label: string): Uint8Array {
  for (let attempt = 0; ; attempt++) {
    const d = expand(`${label}:${attempt}`, size);
    if (size === 66) d[0] = (d[0] as number) & 0x01;
    if (curve.utils.isValidSecretKey(d)) return d;
  }
}

const seededKeys = new Map<string, CredentialKey>();

/**
 * A credential key of `name` derived from `seed`: the same seed gives the same key and the same
 * signatures (RFC 6979 ECDSA, EdDSA, ML-DSA without hedging, RSA PKCS#1 v1.5).
 */
export function seededCredentialKey(name: SeededAlgName, seed = 'default'): CredentialKey {
  const id = `${name}\u0000${seed}`;
  let key = seededKeys.get(id);
  if (key === undefined) {
    key = deriveCredentialKey(name, seed);
    seededKeys.set(id, key);
  }
  return key;
}

function deriveCredentialKey(name: SeededAlgName, seed: string): CredentialKey {
  const alg = ALG[name];
  const label = `credential:${name}:${seed}`;
  switch (name) {
    case 'ES256':
    case 'ESP256':
    case 'ES384':
    case 'ESP384':
    case 'ES512':
    case 'ESP512':
    case 'ES256K': {
      const { curve, crv, size } = EC_CURVES[name];
      const d = ecSecret(curve, size, label);
      const point = curve.getPublicKey(d, false);
      const cose = encodeCbor(
        new Map<number, unknown>([
          [1, 2],
          [3, alg],
          [-1, crv],
          [-2, point.slice(1, 1 + size)],
          [-3, point.slice(1 + size)],
        ]),
      );
      // prehash with the curve's own hash: SHA-256 / SHA-384 / SHA-512, as the COSE algorithms say.
      return { alg, cose, sign: (data) => curve.sign(data, d, { prehash: true, format: 'der' }) };
    }
    case 'EdDSA':
    case 'Ed25519': {
      const secret = expand(label, 32);
      const cose = encodeCbor(
        new Map<number, unknown>([
          [1, 1],
          [3, alg],
          [-1, 6],
          [-2, ed25519.getPublicKey(secret)],
        ]),
      );
      return { alg, cose, sign: (data) => ed25519.sign(data, secret) };
    }
    case 'Ed448': {
      const secret = expand(label, 57);
      const cose = encodeCbor(
        new Map<number, unknown>([
          [1, 1],
          [3, alg],
          [-1, 7],
          [-2, ed448.getPublicKey(secret)],
        ]),
      );
      return { alg, cose, sign: (data) => ed448.sign(data, secret) };
    }
    case 'ML-DSA-44':
    case 'ML-DSA-65':
    case 'ML-DSA-87': {
      const impl = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 }[name];
      const { publicKey, secretKey } = impl.keygen(expand(label, 32));
      const cose = encodeCbor(
        new Map<number, unknown>([
          [1, 7],
          [3, alg],
          [-1, publicKey],
        ]),
      );
      return { alg, cose, sign: (data) => impl.sign(data, secretKey, { extraEntropy: false }) };
    }
    case 'RS256':
    case 'RS384':
    case 'RS512':
    case 'RS1': {
      const rsa = seededRsaKey(`rsa:${seed}`);
      const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', RS1: 'sha1' }[name];
      const cose = encodeCbor(
        new Map<number, unknown>([
          [1, 3],
          [3, alg],
          [-1, fromB64u(rsa.jwk.n as string)],
          [-2, fromB64u(rsa.jwk.e as string)],
        ]),
      );
      return { alg, cose, sign: (data) => new Uint8Array(nodeSign(hash, data, rsa.privateKey)) };
    }
  }
}

// Deterministic RSA-2048: primes found from a seeded stream by trial division and Miller–Rabin.

const SMALL_PRIMES: readonly bigint[] = (() => {
  const out: bigint[] = [];
  for (let n = 3; out.length < 600; n += 2) if (out.every((p) => n % Number(p) !== 0)) out.push(BigInt(n));
  return out;
})();

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function toBytes(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function isProbablePrime(n: bigint): boolean {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  // Fixed bases are fine for test keys: the candidates are not adversarial.
  witness: for (const a of SMALL_PRIMES.slice(0, 24)) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue witness;
    }
    return false;
  }
  return true;
}

function seededPrime(label: string, e: bigint): bigint {
  for (let attempt = 0; ; attempt++) {
    const bytes = expand(`${label}:${attempt}`, 128);
    bytes[0] = (bytes[0] as number) | 0xc0;
    bytes[127] = (bytes[127] as number) | 0x01;
    const candidate = toBigInt(bytes);
    if ((candidate - 1n) % e !== 0n && isProbablePrime(candidate)) return candidate;
  }
}

interface SeededRsa {
  readonly jwk: JsonWebKey;
  readonly privateKey: KeyObject;
}

const rsaKeys = new Map<string, SeededRsa>();

function seededRsaKey(label: string): SeededRsa {
  let key = rsaKeys.get(label);
  if (key !== undefined) return key;
  const e = 65537n;
  const p = seededPrime(`${label}:p`, e);
  const q = seededPrime(`${label}:q`, e);
  const [big, small] = p > q ? [p, q] : [q, p];
  const d = modInverse(e, (big - 1n) * (small - 1n));
  const part = (v: bigint) => b64u(toBytes(v));
  const jwk: JsonWebKey = {
    kty: 'RSA',
    n: part(big * small),
    e: part(e),
    d: part(d),
    p: part(big),
    q: part(small),
    dp: part(d % (big - 1n)),
    dq: part(d % (small - 1n)),
    qi: part(modInverse(small, big)),
  };
  key = { jwk, privateKey: createPrivateKey({ key: jwk as never, format: 'jwk' }) };
  rsaKeys.set(label, key);
  return key;
}

const rsaPairs = new Map<string, Promise<TestKeyPair>>();

/** A deterministic RSA-2048 key pair for test-ca certificates (its `RSA-2048` keys are random). */
export function seededRsaKeyPair(seed: string): Promise<TestKeyPair> {
  let pair = rsaPairs.get(seed);
  if (pair === undefined) {
    pair = (async () => {
      const { jwk } = seededRsaKey(`rsa:${seed}`);
      const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
      const privateKey = await webcrypto.subtle.importKey('jwk', jwk, algorithm, true, ['sign']);
      const publicJwk = { kty: 'RSA', n: jwk.n as string, e: jwk.e as string };
      const publicKey = await webcrypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']);
      const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', publicKey));
      return { type: 'RSA-2048', privateKey, publicKey, spki } as TestKeyPair;
    })();
    rsaPairs.set(seed, pair);
  }
  return pair;
}

/** The COSE_Key map of `cose` (for tests that alter one member). */
export function decodeCoseMap(cose: Uint8Array): Map<number, unknown> {
  return cborDecoder.decode(cose) as Map<number, unknown>;
}

/** SubjectPublicKeyInfo of a COSE key, for response.publicKey (undefined where Node has no JWK form). */
export function coseToSpki(cose: Uint8Array): Uint8Array | undefined {
  try {
    const map = decodeCoseMap(cose);
    const b = (label: number) => b64u(map.get(label) as Uint8Array);
    let jwk: JsonWebKey;
    switch (map.get(1)) {
      case 2: {
        const crv = { 1: 'P-256', 2: 'P-384', 3: 'P-521', 8: 'secp256k1' }[map.get(-1) as 1 | 2 | 3 | 8];
        jwk = { kty: 'EC', crv, x: b(-2), y: b(-3) };
        break;
      }
      case 1:
        jwk = { kty: 'OKP', crv: map.get(-1) === 7 ? 'Ed448' : 'Ed25519', x: b(-2) };
        break;
      case 3:
        jwk = { kty: 'RSA', n: b(-1), e: b(-2) };
        break;
      default:
        return undefined;
    }
    return new Uint8Array(createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Attestation keys and CAs

const HASH_OF_ALG: Readonly<Record<number, string>> = {
  [-7]: 'sha256',
  [-9]: 'sha256',
  [-47]: 'sha256',
  [-35]: 'sha384',
  [-51]: 'sha384',
  [-36]: 'sha512',
  [-52]: 'sha512',
  [-257]: 'sha256',
  [-258]: 'sha384',
  [-259]: 'sha512',
  [-65535]: 'sha1',
};

const privateJwks = new WeakMap<CryptoKey, Promise<JsonWebKey>>();

/**
 * Signs `data` with a test-ca key pair as an authenticator's attestation key would, using the
 * hash of COSE `alg` (SHA-256 when unknown): DER ECDSA with RFC 6979 nonces, EdDSA, RSA PKCS#1.
 */
export async function signWithKeyPair(key: TestKeyPair, alg: number, data: Uint8Array): Promise<Uint8Array> {
  let pending = privateJwks.get(key.privateKey);
  if (pending === undefined) {
    pending = webcrypto.subtle.exportKey('jwk', key.privateKey as webcrypto.CryptoKey);
    privateJwks.set(key.privateKey, pending);
  }
  const jwk = await pending;
  const hash = HASH_OF_ALG[alg] ?? 'sha256';
  const secret = fromB64u(jwk.d as string);
  switch (key.type) {
    case 'P-256':
    case 'P-384':
    case 'P-521': {
      const curve = { 'P-256': p256, 'P-384': p384, 'P-521': p521 }[key.type];
      const digest = new Uint8Array(createHash(hash).update(data).digest());
      return curve.sign(digest, secret, { prehash: false, format: 'der' });
    }
    case 'Ed25519':
      return ed25519.sign(data, secret);
    case 'Ed448':
      return ed448.sign(data, secret);
    case 'RSA-2048':
      return new Uint8Array(nodeSign(hash, data, createPrivateKey({ key: jwk as never, format: 'jwk' })));
  }
}

/** The COSE alg an attestation key of this type signs with by default. */
export function defaultAttestationAlg(key: TestKeyPair): number {
  return { 'P-256': -7, 'P-384': -35, 'P-521': -36, Ed25519: -8, Ed448: -53, 'RSA-2048': -257 }[key.type];
}

/** Options of {@link attestationCa}: test-ca options, always deterministic. */
export type AttestationCaOptions = Omit<TestCaOptions, 'deterministic'>;

const caCache = new Map<string, Promise<TestCa>>();

function cacheKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
    if (v instanceof Date) return `date:${v.toISOString()}`;
    if (v !== null && typeof v === 'object' && 'spki' in v && (v as TestKeyPair).spki instanceof Uint8Array) {
      return `key:${Buffer.from((v as TestKeyPair).spki).toString('hex')}`;
    }
    return v;
  });
}

/**
 * A deterministic root → intermediate(s) → leaf attestation CA (cached per options). The leaf
 * follows the packed §8.2.1 profile unless `leaf` overrides it.
 */
export function attestationCa(options: AttestationCaOptions = {}): Promise<TestCa> {
  const key = cacheKey(options);
  let ca = caCache.get(key);
  if (ca === undefined) {
    ca = createTestCa({ name: 'Synthetic', ...options, deterministic: true });
    caCache.set(key, ca);
  }
  return ca;
}

/** The default CA of fido-u2f registrations: one leaf issued directly by the root (x5c = [leaf]). */
export function u2fCa(options: AttestationCaOptions = {}): Promise<TestCa> {
  return attestationCa({
    name: 'Synthetic U2F',
    intermediates: 0,
    ...options,
    leaf: {
      subject: { C: 'US', O: 'Synthetic U2F Vendor', CN: 'Synthetic U2F EE Serial 1' },
      basicConstraints: null,
      ...options.leaf,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Registrations

export type SyntheticFormat = 'none' | 'packed' | 'fido-u2f';

/** attStmt members: a value replaces the computed one, {@link OMIT} leaves it out. */
export interface AttStmtOverrides {
  readonly alg?: Omittable<unknown>;
  readonly sig?: Omittable<unknown>;
  readonly x5c?: Omittable<unknown>;
  /** Members appended after the standard ones (e.g. `['ecdaaKeyId', bytes]`). */
  readonly extra?: Iterable<readonly [unknown, unknown]>;
}

/** What the attestation signature is computed over, for tests that sign something else. */
export interface SignedParts {
  readonly authenticatorData: Uint8Array;
  readonly clientDataHash: Uint8Array;
  /** The bytes the format signs (authData ‖ hash, or the U2F verification data). */
  readonly data: Uint8Array;
}

export interface RegistrationOptions {
  /** Default `none`. */
  readonly format?: SyntheticFormat;
  /** packed: self attestation (no x5c). */
  readonly self?: boolean;
  /** The `fmt` text written (e.g. `Packed`), default the format. */
  readonly fmt?: string;
  /** Default: `seededCredentialKey('ES256')`. */
  readonly credentialKey?: CredentialKey;
  /** packed x5c / fido-u2f attestation CA: a CA, or options of {@link attestationCa} / {@link u2fCa}. */
  readonly ca?: TestCa | AttestationCaOptions;
  /** attStmt.alg of packed x5c (default: the leaf key's usual alg) — also the hash signed with. */
  readonly attestationAlg?: number;
  /** Who signs the statement: the attestation key (default), the credential key, another key, or a function. */
  readonly signer?: 'attestation' | 'credential' | CredentialKey | ((parts: SignedParts) => Uint8Array | Promise<Uint8Array>);
  /** Sign over the right data with one bit flipped (a well-formed signature that does not verify). */
  readonly badSignature?: boolean;
  readonly attStmt?: AttStmtOverrides;

  readonly rpId?: string;
  readonly origin?: string;
  readonly challenge?: string;
  readonly type?: Omittable<string>;
  readonly crossOrigin?: Omittable<boolean>;
  readonly topOrigin?: string;
  /** Members appended to clientData after the standard ones. */
  readonly extraClientData?: Readonly<Record<string, unknown>>;
  /** Replaces the whole clientDataJSON (text or bytes). */
  readonly clientDataJSON?: string | Uint8Array;

  readonly up?: boolean;
  readonly uv?: boolean;
  readonly be?: boolean;
  readonly bs?: boolean;
  /** AT flag; `false` also leaves the attested credential data out (unless `attestedCredentialData`). */
  readonly at?: boolean;
  /** ED flag (default: set when `extensions` are given). */
  readonly ed?: boolean;
  /** The flags byte as given, overriding up/uv/be/bs/at and ED. */
  readonly flags?: number;
  /** Whether attested credential data is written (default: the AT flag). */
  readonly attestedCredentialData?: boolean;
  readonly signCount?: number;
  /** Default: zero for fido-u2f, {@link DEFAULT_AAGUID} otherwise. */
  readonly aaguid?: Uint8Array;
  /** Default: SHA-256 of the COSE key, 32 bytes. */
  readonly credentialId?: Uint8Array;
  /** Replaces the COSE_Key bytes written into authData (e.g. an off-curve key). */
  readonly credentialPublicKey?: Uint8Array;
  /** Authenticator extension outputs, CBOR-encoded after the credential with ED set. */
  readonly extensions?: ReadonlyMap<string, unknown>;
  /** Bytes appended to authData (after everything, before signing). */
  readonly authDataTrailer?: Uint8Array;

  /** Changes the attestationObject map (fmt, attStmt, authData) before encoding. */
  readonly attestationObject?: (map: Map<unknown, unknown>) => unknown;
  /** Bytes appended after the attestationObject's CBOR item. */
  readonly trailingBytes?: Uint8Array;

  readonly id?: string;
  readonly rawId?: string;
  /** response.transports; `null` leaves it out. Default `['usb']`. */
  readonly transports?: readonly string[] | null;
  /** Write response.authenticatorData, publicKey and publicKeyAlgorithm as browsers do (default true). */
  readonly browserMembers?: boolean;
  readonly authenticatorAttachment?: string;
  readonly clientExtensionResults?: Readonly<Record<string, unknown>>;
}

/** Offsets inside authenticatorData ([start, end)). */
export interface AuthDataLayout {
  readonly rpIdHash: readonly [number, number];
  readonly flags: number;
  readonly signCount: readonly [number, number];
  readonly aaguid?: readonly [number, number];
  readonly credentialId?: readonly [number, number];
  readonly credentialPublicKey?: readonly [number, number];
  readonly extensions?: readonly [number, number];
}

/** A registration with the expectations that accept it. */
export interface SyntheticRegistration {
  readonly response: RegistrationResponseJSON;
  /** challenge, origin, rpId, the CA's trust anchors and `now` = TEST_NOW. */
  readonly expected: RegistrationExpectations;
  readonly fmt: string;
  readonly attStmt: Map<unknown, unknown>;
  readonly clientDataJSON: Uint8Array;
  readonly authenticatorData: Uint8Array;
  readonly attestationObject: Uint8Array;
  readonly layout: AuthDataLayout;
  readonly credentialId: Uint8Array;
  readonly credentialKey: CredentialKey;
  readonly aaguid: Uint8Array;
  readonly ca: TestCa | undefined;
}

function buildClientData(options: RegistrationOptions): Uint8Array {
  if (options.clientDataJSON !== undefined) {
    return typeof options.clientDataJSON === 'string' ? new TextEncoder().encode(options.clientDataJSON) : options.clientDataJSON;
  }
  // §5.8.1.1 serialization order: type, challenge, origin, crossOrigin, topOrigin, then the rest.
  const data: Record<string, unknown> = {};
  const type = options.type ?? 'webauthn.create';
  if (type !== OMIT) data.type = type;
  data.challenge = options.challenge ?? REG_CHALLENGE;
  data.origin = options.origin ?? REG_ORIGIN;
  const crossOrigin = options.crossOrigin ?? false;
  if (crossOrigin !== OMIT) data.crossOrigin = crossOrigin;
  if (options.topOrigin !== undefined) data.topOrigin = options.topOrigin;
  return new TextEncoder().encode(JSON.stringify({ ...data, ...options.extraClientData }));
}

function flagsByte(options: RegistrationOptions, attested: boolean, extensions: boolean): number {
  if (options.flags !== undefined) return options.flags;
  let flags = 0;
  if (options.up ?? true) flags |= FLAGS.UP;
  if (options.uv ?? false) flags |= FLAGS.UV;
  if (options.be ?? false) flags |= FLAGS.BE;
  if (options.bs ?? false) flags |= FLAGS.BS;
  if (options.at ?? attested) flags |= FLAGS.AT;
  if (options.ed ?? extensions) flags |= FLAGS.ED;
  return flags;
}

function u32(value: number): Uint8Array {
  return new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

/** §6.1 authenticator data from its parts, with the offsets of each part. */
export function buildAuthenticatorData(parts: {
  readonly rpIdHash: Uint8Array;
  readonly flags: number;
  readonly signCount: number;
  readonly attested?: { readonly aaguid: Uint8Array; readonly credentialId: Uint8Array; readonly credentialPublicKey: Uint8Array };
  readonly extensions?: Uint8Array;
  readonly trailer?: Uint8Array;
}): { bytes: Uint8Array; layout: AuthDataLayout } {
  const chunks: Uint8Array[] = [parts.rpIdHash, new Uint8Array([parts.flags]), u32(parts.signCount)];
  const layout: { -readonly [K in keyof AuthDataLayout]: AuthDataLayout[K] } = { rpIdHash: [0, 32], flags: 32, signCount: [33, 37] };
  let at = 37;
  if (parts.attested !== undefined) {
    const { aaguid, credentialId, credentialPublicKey } = parts.attested;
    const length = new Uint8Array([credentialId.length >>> 8, credentialId.length & 0xff]);
    chunks.push(aaguid, length, credentialId, credentialPublicKey);
    layout.aaguid = [at, at + aaguid.length];
    at += aaguid.length + 2;
    layout.credentialId = [at, at + credentialId.length];
    at += credentialId.length;
    layout.credentialPublicKey = [at, at + credentialPublicKey.length];
    at += credentialPublicKey.length;
  }
  if (parts.extensions !== undefined) {
    chunks.push(parts.extensions);
    layout.extensions = [at, at + parts.extensions.length];
  }
  if (parts.trailer !== undefined) chunks.push(parts.trailer);
  return { bytes: concat(...chunks), layout };
}

/** CBOR of an attestationObject map `{fmt, attStmt, authData}` in the order browsers write it. */
export function encodeAttestationObject(fmt: unknown, attStmt: unknown, authData: unknown): Uint8Array {
  return encodeCbor(
    new Map<unknown, unknown>([
      ['fmt', fmt],
      ['attStmt', attStmt],
      ['authData', authData],
    ]),
  );
}

function u2fVerificationData(rpIdHash: Uint8Array, clientDataHash: Uint8Array, credentialId: Uint8Array, cose: Uint8Array): Uint8Array {
  const key = decodeCoseMap(cose);
  const x = key.get(-2) instanceof Uint8Array ? (key.get(-2) as Uint8Array) : new Uint8Array(0);
  const y = key.get(-3) instanceof Uint8Array ? (key.get(-3) as Uint8Array) : new Uint8Array(0);
  return concat(new Uint8Array([0x00]), rpIdHash, clientDataHash, credentialId, new Uint8Array([0x04]), x, y);
}

function isTestCa(value: TestCa | AttestationCaOptions): value is TestCa {
  return 'x5c' in value && 'root' in value;
}

async function resolveCa(options: RegistrationOptions, format: SyntheticFormat, aaguid: Uint8Array): Promise<TestCa | undefined> {
  const given = options.ca;
  if (given === undefined && (format === 'none' || (format === 'packed' && options.self === true))) return undefined;
  if (given !== undefined && isTestCa(given)) return given;
  const caOptions = given ?? {};
  if (format === 'fido-u2f') return u2fCa(caOptions);
  // The packed leaf carries the AAGUID of the registration unless the test says otherwise.
  return attestationCa({ ...caOptions, leaf: { aaguid, ...caOptions.leaf } });
}

/** Builds a registration (see {@link RegistrationOptions}); valid unless the options break it. */
export async function createRegistration(options: RegistrationOptions = {}): Promise<SyntheticRegistration> {
  const format = options.format ?? 'none';
  const credentialKey = options.credentialKey ?? seededCredentialKey('ES256');
  const rpId = options.rpId ?? REG_RP_ID;
  const aaguid = options.aaguid ?? (format === 'fido-u2f' ? ZERO_AAGUID : DEFAULT_AAGUID);
  const credentialId = options.credentialId ?? sha256(credentialKey.cose);
  const credentialPublicKey = options.credentialPublicKey ?? credentialKey.cose;
  const ca = await resolveCa(options, format, aaguid);

  const clientDataJSON = buildClientData(options);
  const clientDataHash = sha256(clientDataJSON);
  const extensions = options.extensions === undefined ? undefined : encodeCbor(new Map(options.extensions));
  const attested = options.attestedCredentialData ?? options.at ?? true;
  const rpIdHash = sha256(rpId);
  const { bytes: authenticatorData, layout } = buildAuthenticatorData({
    rpIdHash,
    flags: flagsByte(options, attested, extensions !== undefined),
    signCount: options.signCount ?? 0,
    ...(attested ? { attested: { aaguid, credentialId, credentialPublicKey } } : {}),
    ...(extensions === undefined ? {} : { extensions }),
    ...(options.authDataTrailer === undefined ? {} : { trailer: options.authDataTrailer }),
  });

  const attStmt = new Map<unknown, unknown>();
  if (format !== 'none') {
    const data =
      format === 'fido-u2f'
        ? u2fVerificationData(rpIdHash, clientDataHash, credentialId, credentialPublicKey)
        : concat(authenticatorData, clientDataHash);
    const toSign = options.badSignature === true ? flip(data, data.length - 1) : data;
    const x5c = format === 'packed' && options.self === true ? undefined : ca?.x5c;
    const leafKey = ca?.leaf.key;
    const alg =
      format === 'fido-u2f'
        ? undefined
        : options.self === true
          ? credentialKey.alg
          : (options.attestationAlg ?? (leafKey === undefined ? -7 : defaultAttestationAlg(leafKey)));
    const signer = options.signer ?? 'attestation';
    let sig: Uint8Array;
    if (typeof signer === 'function') sig = await signer({ authenticatorData, clientDataHash, data: toSign });
    else if (signer === 'credential' || (signer === 'attestation' && x5c === undefined)) sig = credentialKey.sign(toSign);
    else if (signer === 'attestation') sig = await signWithKeyPair(leafKey as TestKeyPair, alg ?? -7, toSign);
    else sig = signer.sign(toSign);

    const overrides = options.attStmt ?? {};
    const put = (name: 'alg' | 'sig' | 'x5c', computed: unknown) => {
      const value = name in overrides ? overrides[name] : computed;
      if (value !== OMIT && value !== undefined) attStmt.set(name, value);
    };
    put('alg', alg);
    put('sig', sig);
    put('x5c', x5c === undefined ? undefined : [...x5c]);
  } else {
    const overrides = options.attStmt ?? {};
    for (const name of ['alg', 'sig', 'x5c'] as const) {
      const value = overrides[name];
      if (value !== undefined && value !== OMIT) attStmt.set(name, value);
    }
  }
  for (const [key, value] of options.attStmt?.extra ?? []) attStmt.set(key, value);

  const fmt = options.fmt ?? format;
  const objectMap = new Map<unknown, unknown>([
    ['fmt', fmt],
    ['attStmt', attStmt],
    ['authData', authenticatorData],
  ]);
  const transformed = options.attestationObject === undefined ? objectMap : options.attestationObject(objectMap);
  let attestationObject = encodeCbor(transformed);
  if (options.trailingBytes !== undefined) attestationObject = concat(attestationObject, options.trailingBytes);

  const id = options.id ?? b64u(credentialId);
  const spki = options.browserMembers === false ? undefined : coseToSpki(credentialKey.cose);
  const response: RegistrationResponseJSON = {
    id,
    rawId: options.rawId ?? id,
    type: 'public-key',
    response: {
      clientDataJSON: b64u(clientDataJSON),
      attestationObject: b64u(attestationObject),
      ...(options.browserMembers === false
        ? {}
        : {
            authenticatorData: b64u(authenticatorData),
            ...(spki === undefined ? {} : { publicKey: b64u(spki) }),
            publicKeyAlgorithm: credentialKey.alg,
          }),
      ...(options.transports === null ? {} : { transports: options.transports ?? ['usb'] }),
    },
    ...(options.authenticatorAttachment === undefined ? {} : { authenticatorAttachment: options.authenticatorAttachment }),
    clientExtensionResults: options.clientExtensionResults ?? {},
  };
  const expected: RegistrationExpectations = {
    challenge: options.challenge ?? REG_CHALLENGE,
    origin: options.origin ?? REG_ORIGIN,
    rpId,
    attestation: { trustAnchors: ca === undefined ? [] : [...ca.trustAnchors] },
    now: TEST_NOW,
  };
  return {
    response,
    expected,
    fmt,
    attStmt,
    clientDataJSON,
    authenticatorData,
    attestationObject,
    layout,
    credentialId,
    credentialKey,
    aaguid,
    ca,
  };
}

/** Copy of `bytes` with bit `bit` of byte `index` flipped. */
export function flip(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const out = new Uint8Array(bytes);
  out[index] = (out[index] as number) ^ (1 << bit);
  return out;
}

/**
 * The response with new authenticatorData inside the same attestationObject (fmt and attStmt kept,
 * nothing re-signed) and the response.authenticatorData copy kept in step.
 */
export function withAuthenticatorData(registration: SyntheticRegistration, authenticatorData: Uint8Array): RegistrationResponseJSON {
  const attestationObject = encodeAttestationObject(registration.fmt, registration.attStmt, authenticatorData);
  const { response } = registration;
  return {
    ...response,
    response: {
      ...response.response,
      attestationObject: b64u(attestationObject),
      ...(response.response.authenticatorData === undefined ? {} : { authenticatorData: b64u(authenticatorData) }),
    },
  };
}

/** The response with a new attStmt (fmt and authData kept). */
export function withAttStmt(registration: SyntheticRegistration, attStmt: Map<unknown, unknown>): RegistrationResponseJSON {
  const attestationObject = encodeAttestationObject(registration.fmt, attStmt, registration.authenticatorData);
  return { ...registration.response, response: { ...registration.response.response, attestationObject: b64u(attestationObject) } };
}

/** The response with members of `response.response` replaced (`undefined` deletes one). */
export function withResponseFields(
  registration: SyntheticRegistration,
  fields: Readonly<Record<string, unknown>>,
): RegistrationResponseJSON {
  const inner: Record<string, unknown> = { ...registration.response.response, ...fields };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete inner[key];
  return { ...registration.response, response: inner as unknown as RegistrationResponseJSON['response'] };
}
