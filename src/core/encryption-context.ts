import { KmsError } from './errors.js';

export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * Canonical, unambiguous encoding of an encryption context, bound as AES-GCM associated data:
 * entries sorted by the UTF-8 bytes of their keys (not JS string order, which differs for astral characters),
 * each key and value length-prefixed (u16 big-endian) after a u16 entry count.
 */
export function canonicalEncryptionContext(context: EncryptionContext | undefined): Buffer {
  const entries = Object.entries(context ?? {}).map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const);
  if (entries.length === 0) return EMPTY;
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 2;
  for (const [k, v] of entries) size += 4 + k.length + v.length;
  const out = Buffer.allocUnsafe(size);
  let o = out.writeUInt16BE(entries.length, 0);
  for (const [k, v] of entries) {
    o = out.writeUInt16BE(k.length, o);
    o += k.copy(out, o);
    o = out.writeUInt16BE(v.length, o);
    o += v.copy(out, o);
  }
  return out;
}

const EMPTY = Buffer.from([0, 0]);

/** Validates the wire shape of an encryption context: a flat string → string map. */
export function parseEncryptionContext(value: unknown, member = 'encryptionContext'): EncryptionContext | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KmsError('Validation', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must be a map of strings to strings`);
  }
  // A null-prototype object: a key named "__proto__" must be bound like any other, not swallowed.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let size = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw new KmsError('Validation', `1 validation error detected: Value at '${member}.${k}' failed to satisfy constraint: Member must be a string`);
    }
    if (k.length === 0) {
      throw new KmsError('Validation', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Map keys must have length greater than or equal to 1`);
    }
    // UTF-8 length bound without encoding: at most 3 bytes per UTF-16 code unit.
    size += 3 * (k.length + v.length);
    out[k] = v;
  }
  if (size > 65535 && Object.entries(out).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0) > 65535) {
    throw new KmsError('Validation', 'Encryption context is too large: keep the keys and values under 64 KiB in total.');
  }
  return out;
}
