import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { canonicalEncryptionContext, type EncryptionContext } from './encryption-context.js';
import { invalidCiphertext, KmsError } from './errors.js';
import { keyIdFromBytes, keyIdToBytes } from './key-identifier.js';
import type { RandomSource } from './random-source.js';

/**
 * Strongroom symmetric ciphertext, format 1 (documented in docs/ciphertext-format.md):
 *
 *   0      u8    format (0x01)
 *   1      u8    key id form (0 = UUID, 1 = mrk-)
 *   2..17  16 B  key id
 *   18..21 u32   key version (big-endian)
 *   22..37 16 B  derivation salt (random)
 *   38..49 12 B  AES-GCM IV (random)
 *   50..   n B   ciphertext
 *   last   16 B  GCM tag
 *
 * Each message is sealed under its own key, HMAC-SHA256(version material, label ‖ bytes 0..37) truncated to
 * the material's length (AES-256-GCM for 32-byte material, AES-128-GCM for 16-byte material), so the
 * 2^32 random-IV limit of AES-GCM applies per message, not per key version. The associated data is
 * bytes 0..49 followed by the canonical encryption context.
 */
export const FORMAT_V1 = 0x01;
export const HEADER_LENGTH = 50;
const DERIVE_END = 38;
const TAG_LENGTH = 16;
const LABEL = Buffer.from('strongroom ciphertext v1\0', 'latin1');

export interface CiphertextHeader {
  keyId: string;
  version: number;
}

export function sealSymmetric(
  material: Buffer,
  header: CiphertextHeader,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
  random: RandomSource,
): Buffer {
  const id = keyIdToBytes(header.keyId);
  const out = Buffer.allocUnsafe(HEADER_LENGTH + plaintext.length + TAG_LENGTH);
  out[0] = FORMAT_V1;
  out[1] = id.type;
  id.bytes.copy(out, 2);
  out.writeUInt32BE(header.version, 18);
  random(16).copy(out, 22);
  random(12).copy(out, DERIVE_END);
  const key = deriveMessageKey(material, out.subarray(0, DERIVE_END));
  try {
    const cipher = createCipheriv(cipherName(key), key, out.subarray(DERIVE_END, HEADER_LENGTH));
    cipher.setAAD(associatedData(out, context));
    const n = cipher.update(plaintext).copy(out, HEADER_LENGTH);
    const last = cipher.final();
    if (last.length !== 0) last.copy(out, HEADER_LENGTH + n);
    cipher.getAuthTag().copy(out, out.length - TAG_LENGTH);
    return out;
  } finally {
    key.fill(0);
  }
}

/** Reads the authenticated-but-cleartext header. Anything malformed is the one generic error. */
export function readCiphertextHeader(blob: Buffer): CiphertextHeader {
  if (blob.length < HEADER_LENGTH + TAG_LENGTH || blob[0] !== FORMAT_V1) throw invalidCiphertext();
  const keyId = keyIdFromBytes(blob[1]!, blob.subarray(2, 18));
  if (!keyId) throw invalidCiphertext();
  return { keyId, version: blob.readUInt32BE(18) };
}

export function openSymmetric(material: Buffer, blob: Buffer, context: EncryptionContext | undefined): Buffer {
  readCiphertextHeader(blob);
  const key = deriveMessageKey(material, blob.subarray(0, DERIVE_END));
  try {
    const decipher = createDecipheriv(cipherName(key), key, blob.subarray(DERIVE_END, HEADER_LENGTH));
    decipher.setAAD(associatedData(blob, context));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_LENGTH));
    const body = decipher.update(blob.subarray(HEADER_LENGTH, blob.length - TAG_LENGTH));
    try {
      decipher.final();
    } catch {
      body.fill(0);
      throw invalidCiphertext();
    }
    return body;
  } catch (e) {
    if (e instanceof KmsError) throw e;
    throw invalidCiphertext();
  } finally {
    key.fill(0);
  }
}

function deriveMessageKey(material: Buffer, headerPrefix: Buffer): Buffer {
  const full = createHmac('sha256', material).update(LABEL).update(headerPrefix).digest();
  if (material.length === 32) return full;
  if (material.length !== 16) throw new KmsError('Internal', 'symmetric key material has an unsupported length');
  const short = Buffer.from(full.subarray(0, 16));
  full.fill(0);
  return short;
}

function cipherName(key: Buffer): 'aes-128-gcm' | 'aes-256-gcm' {
  return key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
}

function associatedData(blob: Buffer, context: EncryptionContext | undefined): Buffer {
  return Buffer.concat([blob.subarray(0, HEADER_LENGTH), canonicalEncryptionContext(context)]);
}
