/**
 * What the current runtime is called, for `ERR_ALG_UNSUPPORTED_RUNTIME`: an algorithm this
 * library supports but the platform cannot verify (no WebCrypto for it, or its lazily imported
 * fallback failed to load). Read from globals only (`Deno.version`, `Bun.version`,
 * `process.versions`, `navigator.userAgent`), none of which needs a permission: no environment
 * variable, no file system.
 *
 * @module
 */
import { fail } from '../errors.js';

interface RuntimeGlobals {
  readonly Deno?: { readonly version?: { readonly deno?: unknown } };
  readonly Bun?: { readonly version?: unknown };
  readonly process?: { readonly versions?: { readonly node?: unknown } };
  readonly navigator?: { readonly userAgent?: unknown };
}

/** A short human name of the runtime: `Deno 2.1.4`, `Bun 1.2.0`, `Node.js 20.20.2`, a user agent. */
export function runtimeName(): string {
  const g = globalThis as RuntimeGlobals;
  const deno = g.Deno?.version?.deno;
  if (typeof deno === 'string') return `Deno ${deno}`;
  const bun = g.Bun?.version;
  if (typeof bun === 'string') return `Bun ${bun}`;
  const node = g.process?.versions?.node;
  if (typeof node === 'string') return `Node.js ${node}`;
  const agent = g.navigator?.userAgent;
  if (typeof agent === 'string' && agent !== '') return agent;
  return 'an unknown runtime';
}

/**
 * Throws `ERR_ALG_UNSUPPORTED_RUNTIME` for COSE algorithm `alg` (`what` names the missing piece,
 * e.g. "WebCrypto (crypto.subtle)" or "the @noble/post-quantum ML-DSA module"); `cause` is the
 * platform's own error, if any.
 */
export function unsupportedOnRuntime(alg: number, what: string, cause?: unknown): never {
  const runtime = runtimeName();
  return fail('ERR_ALG_UNSUPPORTED_RUNTIME', `COSE algorithm ${alg} cannot be verified on ${runtime}: ${what} is not available`, {
    step: '6.5.5',
    details: { alg, runtime, missing: what },
    ...(cause === undefined ? {} : { cause }),
  });
}
