import { createHmac, timingSafeEqual } from 'node:crypto';
import { unwrapMaterial, wrapMaterial } from '../core/material-wrap.js';
import type { RandomSource } from '../core/random-source.js';
import { SecretBytes } from '../core/secret-bytes.js';
import { RootKeyMismatchError, type RootKeyProvider } from './root-key-provider.js';

/** Software root protection: a 256-bit KEK from ENCRYPTION_KEY / ROOT_ENCRYPTION_KEY (or the dev key file). */
export function createSoftwareProvider(kek: SecretBytes, random: RandomSource, source: string): RootKeyProvider {
  const kcv = createHmac('sha256', kek.reveal()).update('strongroom key check value v1').digest('hex').slice(0, 16);
  return {
    strategy: 'software',
    async checkValue() {
      return kcv;
    },
    async wrap(rootKey, aad) {
      return wrapMaterial(kek.reveal(), rootKey, aad, random);
    },
    async unwrap(wrapped, aad) {
      try {
        return unwrapMaterial(kek.reveal(), wrapped, aad);
      } catch {
        throw new RootKeyMismatchError('the software root key cannot unwrap the stored instance root key');
      }
    },
    describe() {
      return { strategy: 'software', detail: `software key from ${source} (check value ${kcv})` };
    },
    async close() {
      kek.zero();
    },
  };
}

export function sameCheckValue(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
