/**
 * The seed corpus of the fuzz campaign: every generated fixture (fixtures/registration), every
 * Chromium capture (fixtures/browser) and every interop vector ($WEBAUTHN_INTEROP_DIR/vectors, by
 * path, never copied), decoded once into the parts the mutators work on, and run once unmutated so
 * that each seed's baseline verdict is known.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Vector } from '../../src/cli/vector.js';
import { type CborNode, decodeItem, mapGet, textOf } from './cbor-tree.js';
import { runOurs, type Verdict } from './verdict.js';

/** The repository root (two folders above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The two ceremonies the campaign fuzzes. */
export type Ceremony = 'registration' | 'authentication';

/** A seed: the vector as read, and its decoded byte parts. */
export interface Seed {
  readonly id: string;
  readonly source: 'fixture' | 'browser' | 'interop';
  readonly vector: Vector;
  readonly ceremony: Ceremony;
  readonly clientDataJSON: Uint8Array;
  /** Registration: the attestation object tree (undefined when the bytes are not one CBOR item). */
  readonly attestationObject?: CborNode;
  /** Registration: bytes after the attestation object's first item (a trailing-byte vector). */
  readonly attestationTrailing?: Uint8Array;
  /** Registration: `fmt` as written. */
  readonly fmt?: string;
  /** authData (registration: from the attestation object) or authenticatorData (authentication). */
  readonly authData?: Uint8Array;
  /** Authentication: the signature. */
  readonly signature?: Uint8Array;
  /** The verdict on the unmutated seed. */
  baseline?: Verdict;
}

/** Lenient base64url decoding (Buffer) for comparisons; a non-string gives no bytes. */
export const fromB64u = (s: unknown): Uint8Array =>
  typeof s === 'string' ? Uint8Array.from(Buffer.from(s, 'base64url')) : new Uint8Array(0);
/** Canonical unpadded base64url. */
export const toB64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** The interop folder ($WEBAUTHN_INTEROP_DIR, default ../shared/interop); throws when missing. */
export function interopDir(): string {
  const dir = process.env.WEBAUTHN_INTEROP_DIR ?? resolve(REPO_ROOT, '../shared/interop');
  if (!existsSync(join(dir, 'vectors'))) throw new Error(`Interop vectors not found at ${dir} (set WEBAUTHN_INTEROP_DIR)`);
  return dir;
}

function readVectors(dir: string): Vector[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Vector);
}

/** Decodes a vector into a seed (no verification yet). */
export function toSeed(vector: Vector, source: Seed['source']): Seed {
  const r = vector.response.response as Record<string, unknown>;
  const clientDataJSON = fromB64u(r.clientDataJSON);
  if (vector.ceremony === 'authentication') {
    return { id: vector.id, source, vector, ceremony: 'authentication', clientDataJSON, authData: fromB64u(r.authenticatorData), signature: fromB64u(r.signature) };
  }
  const raw = fromB64u(r.attestationObject);
  try {
    const [tree, end] = decodeItem(raw);
    const authData = mapGet(tree, 'authData');
    const fmt = textOf(mapGet(tree, 'fmt'));
    return {
      id: vector.id,
      source,
      vector,
      ceremony: 'registration',
      clientDataJSON,
      attestationObject: tree,
      ...(end < raw.length ? { attestationTrailing: raw.slice(end) } : {}),
      ...(fmt === undefined ? {} : { fmt }),
      ...(authData?.kind === 'bytes' ? { authData: authData.value } : {}),
    };
  } catch {
    return { id: vector.id, source, vector, ceremony: 'registration', clientDataJSON };
  }
}

/** Every seed, each with its baseline verdict. */
export async function loadSeeds(): Promise<Seed[]> {
  const seeds: Seed[] = [
    ...readVectors(join(REPO_ROOT, 'fixtures/registration')).map((v) => toSeed(v, 'fixture')),
    ...readVectors(join(REPO_ROOT, 'fixtures/browser')).map((v) => toSeed(v, 'browser')),
    ...readVectors(join(interopDir(), 'vectors')).map((v) => toSeed(v, 'interop')),
  ];
  for (const seed of seeds) seed.baseline = await runOurs(seed.vector);
  return seeds;
}
