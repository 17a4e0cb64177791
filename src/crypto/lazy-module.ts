/**
 * A module loaded with dynamic `import()` the first time a key needs it: the @noble code for what
 * a platform lacks (ML-DSA, secp256k1, Ed25519/Ed448 without WebCrypto support) stays out of the
 * startup path and, with a code-splitting bundler, out of the entry bundle.
 *
 * The import is awaited once per module (by `prepareKey`, which may return a promise); after that
 * {@link LazyModule.get} answers synchronously, so verification never awaits for it. A failed import
 * is reported as `ERR_ALG_UNSUPPORTED_RUNTIME` (never the loader's own error type) and is retried
 * on the next key: a transient failure (a chunk fetched over the network) does not stick.
 *
 * @module
 */
import { unsupportedOnRuntime } from './runtime.js';

/** A lazily imported module of type `T`. */
export class LazyModule<T> {
  readonly #what: string;
  readonly #load: () => Promise<T>;
  #value: T | undefined;
  #pending: Promise<T> | undefined;

  /**
   * @param what - the module, as error messages name it (e.g. `@noble/curves secp256k1`).
   * @param load - the dynamic import, e.g. `() => import('@noble/curves/secp256k1.js')`.
   */
  constructor(what: string, load: () => Promise<T>) {
    this.#what = what;
    this.#load = load;
  }

  /** The module once loaded, else undefined (no import is started). */
  get loaded(): T | undefined {
    return this.#value;
  }

  /**
   * The module, synchronously once loaded; else a promise of it (starting the import if none is
   * running). Rejects with `ERR_ALG_UNSUPPORTED_RUNTIME` for COSE algorithm `alg` when the import
   * fails or yields nothing.
   */
  get(alg: number): T | Promise<T> {
    if (this.#value !== undefined) return this.#value;
    if (this.#pending === undefined) {
      let started: Promise<T>;
      try {
        started = Promise.resolve(this.#load());
      } catch (cause) {
        started = Promise.reject(cause);
      }
      this.#pending = started.then((value) => {
        if (value === undefined || value === null) throw new Error(`${this.#what} loaded as ${String(value)}`);
        this.#value = value;
        return value;
      });
      // Forget a failed attempt so that the next key tries again.
      this.#pending.catch(() => {
        this.#pending = undefined;
      });
    }
    return this.#pending.catch((cause: unknown) => unsupportedOnRuntime(alg, this.#what, cause));
  }
}
