/**
 * A bounded least-recently-used map. Map keeps insertion order, so re-inserting on read moves an entry to
 * the young end and the oldest entry is always first. `onEvict` lets secret values be zeroed on the way out.
 */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>();

  constructor(
    readonly capacity: number,
    private readonly onEvict?: (value: V, key: K) => void,
  ) {
    if (capacity < 1) throw new Error('LRU capacity must be at least 1');
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    const old = this.#map.get(key);
    if (old !== undefined) {
      this.#map.delete(key);
      if (old !== value) this.onEvict?.(old, key);
    }
    this.#map.set(key, value);
    while (this.#map.size > this.capacity) {
      const [k, v] = this.#map.entries().next().value as [K, V];
      this.#map.delete(k);
      this.onEvict?.(v, k);
    }
  }

  delete(key: K): void {
    const v = this.#map.get(key);
    if (v === undefined) return;
    this.#map.delete(key);
    this.onEvict?.(v, key);
  }

  clear(): void {
    for (const [k, v] of this.#map) this.onEvict?.(v, k);
    this.#map.clear();
  }
}
