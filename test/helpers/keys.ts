/**
 * Test keys for every COSE algorithm the library verifies: COSE_Key bytes plus a signer that
 * produces the WebAuthn signature format (DER for ECDSA, raw for EdDSA, modulus-length for RSA,
 * FIPS 204 pure mode with an empty context for ML-DSA). Keys are generated with node:crypto and
 * @noble/post-quantum, never with the code under test; RSA keys are generated once per module.
 */
import { constants, generateKeyPairSync, type KeyObject, sign as nodeSign } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { Encoder } from 'cbor-x';

export const ALG = {
  ES256: -7,
  ESP256: -9,
  ES384: -35,
  ESP384: -51,
  ES512: -36,
  ESP512: -52,
  ES256K: -47,
  EdDSA: -8,
  Ed25519: -19,
  Ed448: -53,
  RS256: -257,
  RS384: -258,
  RS512: -259,
  PS256: -37,
  PS384: -38,
  PS512: -39,
  RS1: -65535,
  'ML-DSA-44': -48,
  'ML-DSA-65': -49,
  'ML-DSA-87': -50,
} as const;

export type AlgName = keyof typeof ALG;
export const ALG_NAMES = Object.keys(ALG) as AlgName[];

const encoder = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false });

/** CBOR-encodes a COSE_Key map given as entries (labels and values as they should appear). */
export function encodeCose(entries: Iterable<readonly [unknown, unknown]> | Map<unknown, unknown>): Uint8Array {
  const map = entries instanceof Map ? entries : new Map(entries);
  return new Uint8Array(encoder.encode(map));
}

/** CBOR-encodes any value with the same settings (for "not a map" tests). */
export function encodeCbor(value: unknown): Uint8Array {
  return new Uint8Array(encoder.encode(value));
}

export interface TestKey {
  readonly name: AlgName;
  readonly alg: number;
  /** The COSE_Key map (fresh copy on each call of `entries()`), for tests that alter one field. */
  entries(): Map<number, unknown>;
  /** The encoded COSE_Key. */
  readonly cose: Uint8Array;
  /** Signs like an authenticator would (DER ECDSA, raw EdDSA, PKCS#1/PSS RSA, ML-DSA). */
  sign(data: Uint8Array): Uint8Array;
}

type Kind =
  | { kty: 'EC2'; curve: string; crv: number; hash: string }
  | { kty: 'OKP'; type: 'ed25519' | 'ed448'; crv: number }
  | { kty: 'RSA'; hash: string; pss: boolean }
  | { kty: 'AKP'; variant: 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87' };

const KINDS: Record<AlgName, Kind> = {
  ES256: { kty: 'EC2', curve: 'prime256v1', crv: 1, hash: 'sha256' },
  ESP256: { kty: 'EC2', curve: 'prime256v1', crv: 1, hash: 'sha256' },
  ES384: { kty: 'EC2', curve: 'secp384r1', crv: 2, hash: 'sha384' },
  ESP384: { kty: 'EC2', curve: 'secp384r1', crv: 2, hash: 'sha384' },
  ES512: { kty: 'EC2', curve: 'secp521r1', crv: 3, hash: 'sha512' },
  ESP512: { kty: 'EC2', curve: 'secp521r1', crv: 3, hash: 'sha512' },
  ES256K: { kty: 'EC2', curve: 'secp256k1', crv: 8, hash: 'sha256' },
  EdDSA: { kty: 'OKP', type: 'ed25519', crv: 6 },
  Ed25519: { kty: 'OKP', type: 'ed25519', crv: 6 },
  Ed448: { kty: 'OKP', type: 'ed448', crv: 7 },
  RS256: { kty: 'RSA', hash: 'sha256', pss: false },
  RS384: { kty: 'RSA', hash: 'sha384', pss: false },
  RS512: { kty: 'RSA', hash: 'sha512', pss: false },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  PS384: { kty: 'RSA', hash: 'sha384', pss: true },
  PS512: { kty: 'RSA', hash: 'sha512', pss: true },
  RS1: { kty: 'RSA', hash: 'sha1', pss: false },
  'ML-DSA-44': { kty: 'AKP', variant: 'ML-DSA-44' },
  'ML-DSA-65': { kty: 'AKP', variant: 'ML-DSA-65' },
  'ML-DSA-87': { kty: 'AKP', variant: 'ML-DSA-87' },
};

const HASH_LENGTH: Record<string, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

const ML_DSA = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;

function fromB64u(text: string | undefined): Uint8Array {
  if (text === undefined) throw new Error('missing JWK member');
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

const rsaKeys = new Map<number, { publicKey: KeyObject; privateKey: KeyObject }>();

/** An RSA key pair of `bits`, generated once per module (RSA keygen is slow). */
export function rsaKeyPair(bits = 2048, publicExponent = 65537): { publicKey: KeyObject; privateKey: KeyObject } {
  const id = bits * 1e7 + publicExponent;
  let pair = rsaKeys.get(id);
  if (pair === undefined) {
    pair = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent });
    rsaKeys.set(id, pair);
  }
  return pair;
}

/** COSE RSA entries (n, e) of a public KeyObject. */
export function rsaCoseEntries(publicKey: KeyObject, alg: number): Map<number, unknown> {
  const jwk = publicKey.export({ format: 'jwk' });
  return new Map<number, unknown>([
    [1, 3],
    [3, alg],
    [-1, fromB64u(jwk.n)],
    [-2, fromB64u(jwk.e)],
  ]);
}

const keyCache = new Map<AlgName, TestKey>();

/** A key of the named algorithm (cached per module: the same key for repeated calls). */
export function testKey(name: AlgName): TestKey {
  let key = keyCache.get(name);
  if (key === undefined) {
    key = generateTestKey(name);
    keyCache.set(name, key);
  }
  return key;
}

/** A fresh key of the named algorithm (RSA pairs are still shared per module). */
export function generateTestKey(name: AlgName): TestKey {
  const alg = ALG[name];
  const kind = KINDS[name];
  let entries: Map<number, unknown>;
  let sign: (data: Uint8Array) => Uint8Array;
  switch (kind.kty) {
    case 'EC2': {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: kind.curve });
      const jwk = publicKey.export({ format: 'jwk' });
      entries = new Map<number, unknown>([
        [1, 2],
        [3, alg],
        [-1, kind.crv],
        [-2, fromB64u(jwk.x)],
        [-3, fromB64u(jwk.y)],
      ]);
      sign = (data) => new Uint8Array(nodeSign(kind.hash, data, { key: privateKey, dsaEncoding: 'der' }));
      break;
    }
    case 'OKP': {
      const { publicKey, privateKey } =
        kind.type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ed448');
      const jwk = publicKey.export({ format: 'jwk' });
      entries = new Map<number, unknown>([
        [1, 1],
        [3, alg],
        [-1, kind.crv],
        [-2, fromB64u(jwk.x)],
      ]);
      sign = (data) => new Uint8Array(nodeSign(null, data, privateKey));
      break;
    }
    case 'RSA': {
      const { publicKey, privateKey } = rsaKeyPair();
      entries = rsaCoseEntries(publicKey, alg);
      sign = (data) =>
        new Uint8Array(
          nodeSign(
            kind.hash,
            data,
            kind.pss
              ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[kind.hash] as number }
              : { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
          ),
        );
      break;
    }
    case 'AKP': {
      const impl = ML_DSA[kind.variant];
      const { publicKey, secretKey } = impl.keygen();
      entries = new Map<number, unknown>([
        [1, 7],
        [3, alg],
        [-1, publicKey],
      ]);
      sign = (data) => impl.sign(data, secretKey);
      break;
    }
  }
  const frozen = entries;
  return {
    name,
    alg,
    entries: () => new Map(frozen),
    cose: encodeCose(frozen),
    sign,
  };
}

/** Minimal DER INTEGER content of a non-negative bigint. */
function derInteger(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  return new Uint8Array([0x02, body.length, ...body]);
}

/** DER Ecdsa-Sig-Value of (r, s), minimal encoding (independent of the code under test). */
export function derSignature(r: bigint, s: bigint): Uint8Array {
  const body = [...derInteger(r), ...derInteger(s)];
  const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
  return new Uint8Array([0x30, ...length, ...body]);
}

/** (r, s) of a well-formed DER signature (test helper; trusts its input). */
export function derToRs(der: Uint8Array): { r: bigint; s: bigint } {
  let at = der[1] === 0x81 ? 3 : 2;
  const read = (): bigint => {
    const length = der[at + 1] as number;
    const value = BigInt(`0x${Buffer.from(der.subarray(at + 2, at + 2 + length)).toString('hex') || '0'}`);
    at += 2 + length;
    return value;
  };
  const r = read();
  const s = read();
  return { r, s };
}

/** Copy of `bytes` with bit `bit` of byte `index` flipped. */
export function flipBit(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const out = new Uint8Array(bytes);
  out[index] = (out[index] as number) ^ (1 << bit);
  return out;
}
