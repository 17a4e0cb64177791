/**
 * Bounded LRU cache of imported public keys, keyed by the COSE_Key bytes: importing a key costs
 * about as much as verifying with it (DESIGN.md, Performance), and a credential signs in again
 * and again. This is the hottest code of the library, so a hit does no decoding and allocates
 * nothing beyond the cache id of a byte-array key.
 *
 * Cache ids name exactly one byte string, so a hit can never return the key of other bytes:
 * - base64url text (a JSON credential record) is its own id: no decoding on a hit. Only text that
 *   decoded as strict, canonical base64url is ever inserted, and canonical base64url is one-to-one.
 * - bytes get "\u0001" + one char per byte (the cheapest injective string: ≈ 0.4 µs for a P-256
 *   key against ≈ 0.9 µs to base64url-encode it). The prefix is outside the base64url alphabet, so
 *   the two kinds of ids never meet; the same key given both ways takes two entries.
 *
 * Only validated keys are cached (parseCoseKey + validateCosePublicKey); a failed decode or
 * import is thrown and not remembered. Entries hold no secrets: only public keys.
 */
import { BASE64URL_MAX_LENGTH } from '../encoding/base64url.js';
import { fail } from '../errors.js';
import { type CoseKeyOptions, parseCoseKey } from '../parse/cose-key.js';
import { backend } from './backend.js';
import type { CryptoBackend, PreparedKey } from './backend-types.js';
import { validateCosePublicKey } from './validate-key.js';

/** Entries kept by the shared cache: 1024 keys, each one imported public key and its COSE fields. */
export const DEFAULT_KEY_CACHE_CAPACITY = 1024;

type Entry = PreparedKey | Promise<PreparedKey>;

/**
 * A bounded least-recently-used map from COSE_Key (bytes or their base64url) to the backend's
 * prepared key. The ceremonies and `verifySignature` share one default instance (emptied by
 * `clearKeyCache`); construct one only to keep a separate bounded set.
 */
export class KeyCache {
  readonly capacity: number;
  readonly #entries = new Map<string, Entry>();
  readonly #backend: Pick<CryptoBackend, 'prepareKey'>;
  readonly #keyOptions: CoseKeyOptions;

  /**
   * @param capacity - most keys held (default {@link DEFAULT_KEY_CACHE_CAPACITY}); the least
   *   recently used one is dropped first.
   * @param keyBackend - what imports keys; the selected backend unless a test substitutes one.
   * @param keyOptions - named leniencies of the COSE decoding (docs/quirks.md).
   * @throws {WebAuthnError} `ERR_OPTIONS_INVALID` naming the argument that is malformed (e.g.
   *   `new KeyCache(0)`).
   */
  constructor(
    capacity: number = DEFAULT_KEY_CACHE_CAPACITY,
    keyBackend: Pick<CryptoBackend, 'prepareKey'> = backend,
    keyOptions: CoseKeyOptions = {},
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) misuse('capacity', 'KeyCache capacity must be a positive integer');
    if (typeof keyBackend !== 'object' || keyBackend === null || typeof keyBackend.prepareKey !== 'function') {
      misuse('keyBackend', 'KeyCache keyBackend must have a prepareKey function');
    }
    if (typeof keyOptions !== 'object' || keyOptions === null) misuse('keyOptions', 'KeyCache keyOptions must be an object');
    if (keyOptions.allowLegacyKeyWithoutCurve !== undefined && typeof keyOptions.allowLegacyKeyWithoutCurve !== 'boolean') {
      misuse('keyOptions.allowLegacyKeyWithoutCurve', 'must be a boolean');
    }
    this.capacity = capacity;
    this.#backend = keyBackend;
    this.#keyOptions = keyOptions;
  }

  /** Number of keys currently held. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The prepared key of `cose` (COSE_Key bytes, or their unpadded base64url). A hit returns the
   * cached value (or the pending import). A miss decodes and validates the key (throwing
   * `ERR_BASE64URL_INVALID`, `ERR_CBOR_*`, `ERR_ALG_UNSUPPORTED` or `ERR_COSE_KEY_INVALID`
   * synchronously), imports it, and caches the result; an import that fails is not cached.
   * `ERR_OPTIONS_INVALID` (field `cose`) when `cose` is neither bytes nor text.
   */
  get(cose: Uint8Array | string): PreparedKey | Promise<PreparedKey> {
    const id = typeof cose === 'string' ? cose : cacheId(cose);
    const entries = this.#entries;
    const hit = entries.get(id);
    // A text id starting with the bytes prefix is not base64url: the miss path refuses it.
    if (hit !== undefined && (typeof cose !== 'string' || cose.charCodeAt(0) !== 1)) {
      entries.delete(id);
      entries.set(id, hit);
      return hit;
    }
    return this.#miss(id, cose);
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
  }

  #miss(id: string, cose: Uint8Array | string): PreparedKey | Promise<PreparedKey> {
    const bytes = typeof cose === 'string' ? backend.decodeBase64Url(cose, BASE64URL_MAX_LENGTH) : cose;
    // Keys here only ever verify, so the Edwards square root is left to the verifier (validate-key.ts).
    const checkCurveEquation = (this.#backend as Partial<CryptoBackend>).validatesCurvePointsOnImport !== true;
    const prepared = this.#backend.prepareKey(
      validateCosePublicKey(parseCoseKey(bytes, this.#keyOptions), { decodeEdwardsPoint: false, checkCurveEquation }),
    );
    const entries = this.#entries;
    entries.set(id, prepared);
    if (entries.size > this.capacity) entries.delete(entries.keys().next().value as string);
    if (prepared instanceof Promise) {
      // Swap the settled value in (a hit then needs no await on a promise), or forget the failure.
      prepared.then(
        (value) => {
          if (entries.get(id) === prepared) entries.set(id, value);
        },
        () => {
          if (entries.get(id) === prepared) entries.delete(id);
        },
      );
    }
    return prepared;
  }
}

/** A wrongly typed argument: `ERR_OPTIONS_INVALID` naming it (DESIGN: never a TypeError/RangeError). */
function misuse(field: string, message: string): never {
  return fail('ERR_OPTIONS_INVALID', message, { details: { field } });
}

const CHUNK = 4096;

function cacheId(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) misuse('cose', 'Expected COSE_Key bytes or their base64url text');
  if (bytes.length <= CHUNK) return `\u0001${String.fromCharCode.apply(null, bytes as unknown as number[])}`;
  let id = '\u0001';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    id += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return id;
}

const defaultCache = new KeyCache();
// Keys decoded leniently live apart, so that a strict caller never gets one from a lenient call.
const legacyCache = new KeyCache(256, backend, { allowLegacyKeyWithoutCurve: true });

/**
 * The prepared (imported) key for COSE_Key bytes or their base64url, from the shared LRU cache of
 * {@link DEFAULT_KEY_CACHE_CAPACITY} entries; see {@link KeyCache.get}. Await the result: it is a
 * promise while a WebCrypto import is pending.
 */
export function getPreparedKey(cose: Uint8Array | string, options?: CoseKeyOptions): PreparedKey | Promise<PreparedKey> {
  return options?.allowLegacyKeyWithoutCurve === true ? legacyCache.get(cose) : defaultCache.get(cose);
}

/** Empties the shared key cache. */
export function clearKeyCache(): void {
  defaultCache.clear();
  legacyCache.clear();
}
