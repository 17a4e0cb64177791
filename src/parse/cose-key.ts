/**
 * COSE_Key (RFC 9052 §7, RFC 9053, RFC 8230, draft-ietf-cose-dilithium) → {@link CosePublicKey}:
 * the structural half of WebAuthn L3 §5.8.5. Every field is checked against the algorithm's row
 * of {@link COSE_ALGORITHMS}; whether a point lies on its curve is checked by
 * `crypto/validate-key.ts` (`decodeCoseKey`), which needs curve arithmetic.
 *
 * Label policy: integer labels only. Non-negative labels (kid 2, key_ops 4, Base IV 5, future
 * common parameters) carry no key material and are ignored. Negative labels are key-type
 * parameters: only the public ones of the key type are accepted, so any private-key parameter
 * (EC2/OKP d -4, RSA d/p/q/dP/dQ/qInv/other -3…-12, AKP priv -2) or unknown one is refused.
 */
import { decodeCbor } from '../encoding/cbor.js';
import { fail } from '../errors.js';
import {
  COSE_ALGORITHMS,
  COSE_CRV_ED25519,
  COSE_CRV_ED448,
  COSE_CRV_P256,
  COSE_CRV_P384,
  COSE_CRV_P521,
  COSE_CRV_SECP256K1,
  COSE_KTY_AKP,
  COSE_KTY_EC2,
  COSE_KTY_OKP,
  COSE_KTY_RSA,
  type CoseAlgorithmInfo,
  type CosePublicKey,
  DEFAULT_ALLOWED_ALGORITHMS,
  type EcCurveName,
  type MlDsaName,
  type OkpCurveName,
} from './cose-constants.js';

const STEP = '5.8.5';

const KTY_IDS = { OKP: COSE_KTY_OKP, EC2: COSE_KTY_EC2, RSA: COSE_KTY_RSA, AKP: COSE_KTY_AKP } as const;

const EC_CURVES: Readonly<Record<EcCurveName, { readonly id: number; readonly size: number }>> = {
  'P-256': { id: COSE_CRV_P256, size: 32 },
  'P-384': { id: COSE_CRV_P384, size: 48 },
  'P-521': { id: COSE_CRV_P521, size: 66 },
  secp256k1: { id: COSE_CRV_SECP256K1, size: 32 },
};

const OKP_CURVES: Readonly<Record<OkpCurveName, { readonly id: number; readonly size: number }>> = {
  Ed25519: { id: COSE_CRV_ED25519, size: 32 },
  Ed448: { id: COSE_CRV_ED448, size: 57 },
};

/** FIPS 204 Table 2: public key sizes. */
const ML_DSA_PUBLIC_KEY_SIZE: Readonly<Record<MlDsaName, number>> = {
  'ML-DSA-44': 1312,
  'ML-DSA-65': 1952,
  'ML-DSA-87': 2592,
};

/** Smallest and largest RSA modulus accepted, in bits (SECURITY-CHECKLIST E.48 and §5). */
export const RSA_MIN_MODULUS_BITS = 2048;
export const RSA_MAX_MODULUS_BITS = 8192;

// The public key-type parameters (negative labels) of each key type, with their names.
const PUBLIC_LABELS: Readonly<Record<CoseAlgorithmInfo['kty'], ReadonlyMap<number, string>>> = {
  EC2: new Map([
    [-1, 'crv'],
    [-2, 'x'],
    [-3, 'y'],
  ]),
  OKP: new Map([
    [-1, 'crv'],
    [-2, 'x'],
  ]),
  RSA: new Map([
    [-1, 'n'],
    [-2, 'e'],
  ]),
  AKP: new Map([[-1, 'pub']]),
};

// Names of private-key parameters, for error details only.
const PRIVATE_LABELS: Readonly<Record<CoseAlgorithmInfo['kty'], ReadonlyMap<number, string>>> = {
  EC2: new Map([[-4, 'd']]),
  OKP: new Map([[-4, 'd']]),
  RSA: new Map([
    [-3, 'd'],
    [-4, 'p'],
    [-5, 'q'],
    [-6, 'dP'],
    [-7, 'dQ'],
    [-8, 'qInv'],
    [-9, 'other'],
    [-10, 'r_i'],
    [-11, 'd_i'],
    [-12, 't_i'],
  ]),
  AKP: new Map([[-2, 'priv']]),
};

function invalid(message: string, field: string, extra?: { expected?: string | number; received?: string | number | null }): never {
  fail('ERR_COSE_KEY_INVALID', `COSE_Key: ${message}`, { step: STEP, details: { field, ...extra } });
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length}-byte string`;
  if (value instanceof Map) return 'map';
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/**
 * The algorithm table row of `alg`. Throws `ERR_ALG_UNSUPPORTED` (step 5.8.5) for an algorithm
 * this library does not verify, and `ERR_COSE_KEY_INVALID` when `alg` is not an integer.
 */
export function getCoseAlgorithm(alg: unknown): CoseAlgorithmInfo {
  if (typeof alg !== 'number' || !Number.isSafeInteger(alg)) {
    invalid(alg === undefined ? 'alg (3) is missing' : 'alg (3) is not an integer', 'alg', { received: describe(alg) });
  }
  const info = COSE_ALGORITHMS[alg];
  if (info === undefined) {
    fail('ERR_ALG_UNSUPPORTED', `COSE algorithm ${alg} is not supported`, {
      step: STEP,
      details: { field: 'alg', received: alg },
    });
  }
  return info;
}

/**
 * True when `alg` is in the allow-list (by default every supported algorithm except RS1, which a
 * caller must list explicitly to accept SHA-1 signatures).
 */
export function isAlgorithmAllowed(alg: number, allowed: readonly number[] = DEFAULT_ALLOWED_ALGORITHMS): boolean {
  if (!Array.isArray(allowed)) misuse('allowed', 'isAlgorithmAllowed: allowed must be a list of COSE algorithm identifiers');
  return allowed.includes(alg);
}

/** A wrongly typed argument of an exported function: `ERR_OPTIONS_INVALID` naming it, never a TypeError. */
function misuse(field: string, message: string): never {
  return fail('ERR_OPTIONS_INVALID', message, { details: { field } });
}

function checkKeyOptions(options: unknown): CoseKeyOptions {
  if (typeof options !== 'object' || options === null) misuse('options', 'COSE key options must be an object');
  const allow = (options as CoseKeyOptions).allowLegacyKeyWithoutCurve;
  if (allow !== undefined && typeof allow !== 'boolean') {
    misuse('allowLegacyKeyWithoutCurve', 'options.allowLegacyKeyWithoutCurve must be a boolean');
  }
  return options as CoseKeyOptions;
}

/** Options of {@link parseCoseKey}: named leniencies, all off by default (docs/quirks.md). */
export interface CoseKeyOptions {
  /**
   * Accept an EC2 key without `crv` when its algorithm fixes the curve: ES256 (-7) → P-256,
   * ES384 (-35) → P-384, ES512 (-36) → P-521. §5.8.5 requires `crv`; some 2019-era clients omitted
   * it when converting U2F keys. A present but wrong `crv` is still refused.
   */
  readonly allowLegacyKeyWithoutCurve?: boolean | undefined;
}

const CURVE_INFERABLE_ALGS: ReadonlySet<number> = new Set([-7, -35, -36]);

function checkBytes(value: unknown, size: number, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    invalid(
      value === undefined ? `${field} is missing` : `${field} is not a byte string`,
      field,
      { expected: `${size}-byte string`, received: describe(value) },
    );
  }
  if (value.length !== size) {
    invalid(`${field} is ${value.length} bytes, not ${size}`, field, { expected: size, received: value.length });
  }
  return value;
}

function checkCurve(value: unknown, expected: number, field = 'crv'): void {
  if (value !== expected) {
    invalid(value === undefined ? 'crv (-1) is missing' : 'crv does not match the algorithm', field, {
      expected,
      received: typeof value === 'number' ? value : describe(value),
    });
  }
}

function checkRsaModulus(n: unknown): Uint8Array {
  if (!(n instanceof Uint8Array) || n.length === 0) {
    invalid(n === undefined ? 'RSA n (-1) is missing' : 'RSA n is not a non-empty byte string', 'n', {
      received: describe(n),
    });
  }
  const top = n[0] as number;
  if (top === 0) invalid('RSA n has a leading zero byte', 'n');
  const bits = (n.length - 1) * 8 + (32 - Math.clz32(top));
  if (bits < RSA_MIN_MODULUS_BITS || bits > RSA_MAX_MODULUS_BITS) {
    invalid(`RSA modulus of ${bits} bits is outside ${RSA_MIN_MODULUS_BITS}–${RSA_MAX_MODULUS_BITS}`, 'n', {
      expected: `${RSA_MIN_MODULUS_BITS}–${RSA_MAX_MODULUS_BITS} bits`,
      received: bits,
    });
  }
  if (((n[n.length - 1] as number) & 1) === 0) invalid('RSA n is even', 'n');
  return n;
}

function checkRsaExponent(e: unknown): Uint8Array {
  if (!(e instanceof Uint8Array) || e.length === 0) {
    invalid(e === undefined ? 'RSA e (-2) is missing' : 'RSA e is not a non-empty byte string', 'e', {
      received: describe(e),
    });
  }
  if (e[0] === 0) invalid('RSA e has a leading zero byte', 'e');
  // At most 4 bytes without a leading zero: e < 2^32.
  if (e.length > 4) invalid('RSA e is 2^32 or more', 'e', { expected: '3 ≤ e < 2^32', received: `${e.length} bytes` });
  let value = 0;
  for (let i = 0; i < e.length; i++) value = value * 256 + (e[i] as number);
  if (value < 3 || value % 2 === 0) invalid('RSA e must be odd and at least 3', 'e', { expected: '3 ≤ e < 2^32, odd', received: value });
  return e;
}

/**
 * Checks that a {@link CosePublicKey} built elsewhere (not by {@link parseCoseKey}) has the exact
 * shape its algorithm requires: the same rules as `parseCoseKey`, applied to the object. Throws
 * `ERR_ALG_UNSUPPORTED` or `ERR_COSE_KEY_INVALID` (step 5.8.5).
 */
export function assertCosePublicKey(key: CosePublicKey): void {
  if (typeof key !== 'object' || key === null) misuse('key', 'Expected a CosePublicKey object');
  const info = getCoseAlgorithm(key.alg);
  if (key.kty !== info.kty) invalid(`kty ${String(key.kty)} does not match the algorithm`, 'kty', { expected: info.kty });
  switch (info.kty) {
    case 'EC2': {
      const k = key as Extract<CosePublicKey, { kty: 'EC2' }>;
      if (k.crv !== info.crv) invalid('crv does not match the algorithm', 'crv', { expected: info.crv });
      const size = EC_CURVES[info.crv].size;
      checkBytes(k.x, size, 'x');
      checkBytes(k.y, size, 'y');
      return;
    }
    case 'OKP': {
      const k = key as Extract<CosePublicKey, { kty: 'OKP' }>;
      if (k.crv !== info.crv) invalid('crv does not match the algorithm', 'crv', { expected: info.crv });
      checkBytes(k.x, OKP_CURVES[info.crv].size, 'x');
      return;
    }
    case 'RSA': {
      const k = key as Extract<CosePublicKey, { kty: 'RSA' }>;
      checkRsaModulus(k.n);
      checkRsaExponent(k.e);
      return;
    }
    case 'AKP': {
      const k = key as Extract<CosePublicKey, { kty: 'AKP' }>;
      if (k.variant !== info.variant) invalid('ML-DSA variant does not match the algorithm', 'variant', { expected: info.variant });
      checkBytes(k.pub, ML_DSA_PUBLIC_KEY_SIZE[info.variant], 'pub');
      return;
    }
  }
}

/**
 * Parses COSE_Key bytes into a {@link CosePublicKey} (WebAuthn L3 §5.8.5), structurally:
 * a CBOR map with integer labels whose kty (1) and alg (3) agree with an algorithm of
 * {@link COSE_ALGORITHMS}, with exactly the public parameters that algorithm requires:
 *
 * - EC2: crv (-1) exactly the algorithm's curve, x (-2) and y (-3) byte strings of the field size
 *   (a boolean y, i.e. point compression, is refused);
 * - OKP: crv 6 (Ed25519) for EdDSA -8 and Ed25519 -19, 7 (Ed448) for -53; x of 32 or 57 bytes;
 * - RSA: n (-1) without a leading zero byte, 2048–8192 bits, odd; e (-2) without a leading zero,
 *   odd, 3 ≤ e < 2^32;
 * - AKP (ML-DSA): pub (-1) of 1312, 1952 or 2592 bytes.
 *
 * Private-key parameters and unknown negative labels are refused; non-negative labels other than
 * kty and alg (kid, key_ops, …) are ignored. Byte strings are copied: the result does not alias
 * `bytes`. Points are not checked against their curve here: use `decodeCoseKey` for that.
 *
 * Throws `ERR_CBOR_*` for bytes that are not a single strict CBOR item, `ERR_ALG_UNSUPPORTED` for
 * an unknown algorithm and `ERR_COSE_KEY_INVALID` (with `details.field`) for everything else;
 * `ERR_OPTIONS_INVALID` naming the argument when `bytes` is not a Uint8Array or `options` is
 * malformed.
 */
export function parseCoseKey(bytes: Uint8Array, options: CoseKeyOptions = {}): CosePublicKey {
  if (!(bytes instanceof Uint8Array)) misuse('bytes', 'parseCoseKey expects the COSE_Key bytes as a Uint8Array');
  checkKeyOptions(options);
  const map = decodeCbor(bytes, { step: STEP });
  if (!(map instanceof Map)) invalid(`top level is a ${describe(map)}, not a map`, 'COSE_Key', { received: describe(map) });

  const ktyValue = map.get(1);
  if (ktyValue === undefined) invalid('kty (1) is missing', 'kty');
  if (typeof ktyValue !== 'number') invalid('kty is not an integer', 'kty', { received: describe(ktyValue) });
  const info = getCoseAlgorithm(map.get(3));
  if (ktyValue !== KTY_IDS[info.kty]) {
    invalid(`kty ${ktyValue} does not match algorithm ${info.name}`, 'kty', { expected: KTY_IDS[info.kty], received: ktyValue });
  }

  const publicLabels = PUBLIC_LABELS[info.kty];
  for (const label of map.keys()) {
    if (typeof label !== 'number' || !Number.isSafeInteger(label)) {
      invalid('labels must be integers', 'label', { received: describe(label) });
    }
    if (label < 0 && !publicLabels.has(label)) {
      const privateName = PRIVATE_LABELS[info.kty].get(label);
      if (privateName !== undefined) invalid(`private-key parameter ${privateName} (${label}) is present`, privateName, { received: label });
      invalid(`unknown ${info.kty} parameter ${label}`, `label ${label}`, { received: label });
    }
  }

  const alg = map.get(3) as number;
  switch (info.kty) {
    case 'EC2': {
      const curve = EC_CURVES[info.crv];
      const inferCurve = options.allowLegacyKeyWithoutCurve === true && map.get(-1) === undefined && CURVE_INFERABLE_ALGS.has(alg);
      if (!inferCurve) checkCurve(map.get(-1), curve.id);
      const y = map.get(-3);
      if (typeof y === 'boolean') invalid('compressed points (boolean y) are not allowed', 'y', { received: 'boolean' });
      const x = checkBytes(map.get(-2), curve.size, 'x');
      checkBytes(y, curve.size, 'y');
      return { kty: 'EC2', alg, crv: info.crv, x: new Uint8Array(x), y: new Uint8Array(y as Uint8Array) };
    }
    case 'OKP': {
      const curve = OKP_CURVES[info.crv];
      checkCurve(map.get(-1), curve.id);
      const x = checkBytes(map.get(-2), curve.size, 'x');
      return { kty: 'OKP', alg, crv: info.crv, x: new Uint8Array(x) };
    }
    case 'RSA': {
      const n = checkRsaModulus(map.get(-1));
      const e = checkRsaExponent(map.get(-2));
      return { kty: 'RSA', alg, n: new Uint8Array(n), e: new Uint8Array(e) };
    }
    case 'AKP': {
      const pub = checkBytes(map.get(-1), ML_DSA_PUBLIC_KEY_SIZE[info.variant], 'pub');
      return { kty: 'AKP', alg, variant: info.variant, pub: new Uint8Array(pub) };
    }
  }
}
