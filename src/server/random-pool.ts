import { randomBytes } from 'node:crypto';
import type { RandomSource } from '../core/random-source.js';

/**
 * CSPRNG output drawn in 4 KiB blocks and handed out in slices. Each small `randomBytes` call costs a trip
 * into OpenSSL; an Encrypt needs three (salt, IV, data key). Consumed bytes are copied out and wiped from the
 * pool, so no two callers ever see the same bytes and nothing lingers after use.
 */
export function pooledRandom(blockSize = 4096): RandomSource {
  let pool = randomBytes(blockSize);
  let offset = 0;
  return (size) => {
    if (size > blockSize / 4) return randomBytes(size);
    if (offset + size > blockSize) {
      pool = randomBytes(blockSize);
      offset = 0;
    }
    const out = Buffer.allocUnsafe(size);
    pool.copy(out, 0, offset, offset + size);
    pool.fill(0, offset, offset + size);
    offset += size;
    return out;
  };
}
