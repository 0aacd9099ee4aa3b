import type { KmsKey } from '../core/kms-key.js';
import { LruCache } from '../core/lru-cache.js';
import type { SecretBytes } from '../core/secret-bytes.js';

/** A key as the hot path needs it: metadata, its ARN, and whichever versions' material were unwrapped. */
export interface CachedKey {
  key: KmsKey;
  arn: string;
  materials: Map<number, CachedMaterial>;
}

export interface CachedMaterial {
  material: SecretBytes;
  materialId: string;
}

/**
 * Bounded in-memory cache of keys and alias targets, so Encrypt/Decrypt make no database round trip.
 * Unwrapped material is zeroed when its entry is evicted or invalidated; it is never written anywhere.
 */
export class KeyCache {
  readonly #keys: LruCache<string, CachedKey>;
  readonly #aliases: LruCache<string, string>;

  constructor(capacity: number) {
    this.#keys = new LruCache(capacity, (entry) => {
      for (const m of entry.materials.values()) m.material.zero();
      entry.materials.clear();
    });
    this.#aliases = new LruCache(capacity);
  }

  getKey(region: string, keyId: string): CachedKey | undefined {
    return this.#keys.get(`${region}/${keyId}`);
  }

  putKey(entry: CachedKey): void {
    this.#keys.set(`${entry.key.region}/${entry.key.id}`, entry);
  }

  invalidateKey(region: string, keyId: string): void {
    this.#keys.delete(`${region}/${keyId}`);
  }

  getAlias(account: string, region: string, aliasName: string): string | undefined {
    return this.#aliases.get(`${account}/${region}/${aliasName}`);
  }

  putAlias(account: string, region: string, aliasName: string, keyId: string): void {
    this.#aliases.set(`${account}/${region}/${aliasName}`, keyId);
  }

  invalidateAlias(account: string, region: string, aliasName: string): void {
    this.#aliases.delete(`${account}/${region}/${aliasName}`);
  }

  clear(): void {
    this.#keys.clear();
    this.#aliases.clear();
  }

  get size(): number {
    return this.#keys.size;
  }
}
