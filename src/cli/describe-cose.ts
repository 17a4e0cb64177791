/** A COSE_Key (RFC 9052 §7, WebAuthn §5.8.5) described by name: key type, algorithm, curve, size. */
import { COSE_ALGORITHMS, type CosePublicKey, decodeCbor, decodeCoseKey } from '../low-level.js';
import { errorNode, plainValue } from './describe-values.js';
import { type JsonValue, toHex } from './format.js';

const KTY_NAMES: Readonly<Record<number, string>> = { 1: 'OKP', 2: 'EC2', 3: 'RSA', 7: 'AKP' };
const CURVE_IDS: Readonly<Record<string, number>> = {
  'P-256': 1,
  'P-384': 2,
  'P-521': 3,
  Ed25519: 6,
  Ed448: 7,
  secp256k1: 8,
};
const CURVE_BITS: Readonly<Record<string, number>> = {
  'P-256': 256,
  'P-384': 384,
  'P-521': 521,
  secp256k1: 256,
  Ed25519: 256,
  Ed448: 456,
};
const KTY_IDS: Readonly<Record<CosePublicKey['kty'], number>> = { OKP: 1, EC2: 2, RSA: 3, AKP: 7 };

export function algorithmLabel(alg: unknown): string {
  if (typeof alg !== 'number') return String(alg);
  const info = COSE_ALGORITHMS[alg];
  return info === undefined ? `unknown (${alg})` : `${info.name} (${alg})`;
}

function bitLength(bytes: Uint8Array): number {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  if (start === bytes.length) return 0;
  return (bytes.length - start - 1) * 8 + (32 - Math.clz32(bytes[start] as number));
}

function describeKey(key: CosePublicKey): Record<string, JsonValue> {
  const common = { kty: `${key.kty} (${KTY_IDS[key.kty]})`, alg: algorithmLabel(key.alg) };
  switch (key.kty) {
    case 'EC2':
      return { ...common, crv: `${key.crv} (${CURVE_IDS[key.crv]})`, size: `${CURVE_BITS[key.crv]} bits`, x: toHex(key.x), y: toHex(key.y) };
    case 'OKP':
      return { ...common, crv: `${key.crv} (${CURVE_IDS[key.crv]})`, size: `${CURVE_BITS[key.crv]} bits`, x: toHex(key.x) };
    case 'RSA':
      return { ...common, size: `${bitLength(key.n)} bits`, e: toHex(key.e), n: toHex(key.n) };
    case 'AKP':
      return { ...common, variant: key.variant, size: `${key.pub.length}-byte public key` };
  }
}

/** The raw map with labels named where the key type fixes their meaning. */
function describeRawKey(map: Map<unknown, unknown>): Record<string, JsonValue> {
  const kty = map.get(1);
  const parameterNames: Record<number, string> =
    kty === 3 ? { [-1]: 'n', [-2]: 'e' } : kty === 7 ? { [-1]: 'pub' } : { [-1]: 'crv', [-2]: 'x', [-3]: 'y' };
  const out: Record<string, JsonValue> = {};
  for (const [label, value] of map) {
    const name = label === 1 ? 'kty' : label === 3 ? 'alg' : typeof label === 'number' ? parameterNames[label] : undefined;
    let shown = plainValue(value);
    if (label === 1 && typeof value === 'number') shown = `${KTY_NAMES[value] ?? 'unknown'} (${value})`;
    if (label === 3) shown = algorithmLabel(value);
    out[name === undefined ? String(label) : `${name} (${String(label)})`] = shown;
  }
  return out;
}

/** Decodes strictly; when that fails the error is shown with the raw map, so an auditor sees why. */
export function describeCoseKey(bytes: Uint8Array): JsonValue {
  try {
    return describeKey(decodeCoseKey(bytes));
  } catch (error) {
    let raw: JsonValue = null;
    try {
      const value = decodeCbor(bytes);
      raw = value instanceof Map ? describeRawKey(value) : plainValue(value);
    } catch {
      raw = { length: bytes.length, hex: toHex(bytes) };
    }
    return { ...errorNode(error), raw };
  }
}
