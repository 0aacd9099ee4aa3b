import { createCipheriv, createDecipheriv } from 'node:crypto';
import { KmsError } from './errors.js';
import type { RandomSource } from './random-source.js';

/**
 * AES-256-GCM wrapping of secret material under the instance root key, with the material's identity
 * (e.g. key id and version) bound as associated data, so a wrapped blob moved to another row fails to open.
 * Layout: 0x01 ‖ IV (12) ‖ ciphertext ‖ tag (16).
 */
const VERSION = 0x01;

export function wrapMaterial(wrappingKey: Buffer, material: Buffer, aad: Buffer, random: RandomSource): Buffer {
  const iv = random(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(material), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]);
}

export function unwrapMaterial(wrappingKey: Buffer, wrapped: Buffer, aad: Buffer): Buffer {
  if (wrapped.length < 29 || wrapped[0] !== VERSION) throw new KmsError('Internal', 'wrapped material is malformed');
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey, wrapped.subarray(1, 13));
  decipher.setAAD(aad);
  decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
  const out = decipher.update(wrapped.subarray(13, wrapped.length - 16));
  try {
    decipher.final();
  } catch {
    out.fill(0);
    throw new KmsError('Internal', 'wrapped material failed authentication (wrong root key or corrupted row)');
  }
  return out;
}

export function keyMaterialAad(keyId: string, version: number): Buffer {
  return Buffer.from(`strongroom key material v1\0${keyId}\0${version}`, 'utf8');
}
