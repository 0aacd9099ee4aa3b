import { createHmac } from 'node:crypto';

/**
 * Derived SigV4 signing keys, so that a request costs one HMAC for its signature instead of five.
 *
 * A key is only good for one (credential, day, region, service); the credential part includes the
 * credential's version so that rotating or revoking a secret never reuses a key made from the old one.
 * Bounded LRU on a Map (insertion order = recency: a hit is moved to the end, the first entry goes first).
 */
export interface SigningKeyCacheStats {
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
}

interface Entry {
  readonly accessKeyId: string;
  readonly key: Buffer;
}

export class SigningKeyCache {
  readonly #capacity: number;
  readonly #entries = new Map<string, Entry>();
  #hits = 0;
  #misses = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError('cacheSize must be a non-negative integer');
    this.#capacity = capacity;
  }

  /**
   * The signing key for this scope, derived from `secret` on a miss. `date`, `region` and `service` are
   * already validated (no newline); the version goes last because it is the one field we do not control
   * the alphabet of, which keeps the joined id unambiguous.
   */
  get(accessKeyId: string, credentialVersion: string, date: string, region: string, service: string, secret: Buffer): Buffer {
    const id = accessKeyId + '\n' + date + '\n' + region + '\n' + service + '\n' + credentialVersion;
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      this.#hits++;
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit.key;
    }
    this.#misses++;
    const key = deriveSigningKey(secret, date, region, service);
    if (this.#capacity > 0) {
      this.#entries.set(id, { accessKeyId, key });
      if (this.#entries.size > this.#capacity) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
    }
    return key;
  }

  /** Drops every key derived for this access key id, whatever its version (revocation, rotation). */
  forget(accessKeyId: string): void {
    // Deleting the entry being visited is safe during Map iteration.
    for (const [id, entry] of this.#entries) {
      if (entry.accessKeyId === accessKeyId) this.#entries.delete(id);
    }
  }

  stats(): SigningKeyCacheStats {
    return { size: this.#entries.size, hits: this.#hits, misses: this.#misses };
  }
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: Buffer, date: string, region: string, service: string): Buffer {
  const seed = Buffer.allocUnsafe(4 + secret.length);
  seed.write('AWS4', 0, 'latin1');
  secret.copy(seed, 4);
  // Intermediate keys are as good as the secret for this day: wipe our copies once used.
  const kDate = createHmac('sha256', seed).update(date, 'latin1').digest();
  seed.fill(0);
  const kRegion = createHmac('sha256', kDate).update(region, 'latin1').digest();
  kDate.fill(0);
  const kService = createHmac('sha256', kRegion).update(service, 'latin1').digest();
  kRegion.fill(0);
  const kSigning = createHmac('sha256', kService).update('aws4_request', 'latin1').digest();
  kService.fill(0);
  return kSigning;
}
