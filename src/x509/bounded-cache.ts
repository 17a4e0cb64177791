/** Small bounded caches for immutable X.509 work (parsed anchors, verified issuer → subject signatures). */
import { sha256 } from '../crypto/verify-signature.js';
import { toHex } from '../encoding/bytes.js';

/**
 * A Map bounded to `capacity` entries that evicts the least recently used one. Only for values
 * that are pure functions of their key, so an eviction never changes a result, only its cost.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Lower-case hex SHA-256 of `bytes`, hashed by the selected crypto backend. */
export function sha256Hex(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}
