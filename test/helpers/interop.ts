/** Loads the shared interop vectors (../shared/interop, or $WEBAUTHN_INTEROP_DIR). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InteropVector {
  readonly id: string;
  readonly description: string;
  readonly ceremony: 'registration' | 'authentication';
  readonly attestationFormat: string | null;
  readonly alg: number | null;
  readonly response: Record<string, unknown> & { id: string; rawId: string; response: Record<string, unknown> };
  readonly expected: {
    readonly challenge: string;
    readonly origin: string | string[];
    readonly rpId: string;
    readonly userVerificationRequired: boolean;
    readonly allowCrossOrigin?: boolean;
    readonly topOrigin?: string;
  };
  readonly credential?: { readonly id: string; readonly publicKey: string; readonly signCount: number };
  readonly verificationTime: string | null;
  readonly trustAnchors: readonly string[];
  readonly outcome: 'valid' | 'invalid';
  readonly invalidReason?: string;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The interop folder; throws (the suite must fail, not skip) when it is missing. */
export function interopDir(): string {
  const dir = process.env.WEBAUTHN_INTEROP_DIR ?? resolve(repoRoot, '../shared/interop');
  if (!existsSync(join(dir, 'vectors'))) {
    throw new Error(`Interop vectors not found at ${dir} (set WEBAUTHN_INTEROP_DIR)`);
  }
  return dir;
}

/** Every vector, sorted by id. */
export function loadInteropVectors(): InteropVector[] {
  const dir = join(interopDir(), 'vectors');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as InteropVector);
}
