import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBytes } from '../core/secret-bytes.js';
import { RootKeyConfigError } from './root-key-provider.js';

const FORMATS = 'Accepted formats: 64 hexadecimal characters, or base64 (standard or URL-safe, padding optional) of exactly 32 bytes.';
export const DEV_KEY_FILE = 'dev-root-key';

/** Parses ENCRYPTION_KEY / ROOT_ENCRYPTION_KEY. The value itself never appears in an error message. */
export function parseRootKey(value: string, variable: string): SecretBytes {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return SecretBytes.adopt(Buffer.from(v, 'hex'));
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const bytes = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return SecretBytes.adopt(bytes);
    bytes.fill(0);
    throw new RootKeyConfigError(`${variable} decodes to ${bytes.length} bytes as base64; it must be 32 bytes. ${FORMATS}`);
  }
  throw new RootKeyConfigError(`${variable} is neither hex nor base64 (${v.length} characters). ${FORMATS}`);
}

export interface SoftwareKeySource {
  key: SecretBytes;
  source: string;
  generated: boolean;
}

/**
 * Finds the software root key: from the environment, or in development from (or into) DATA_DIR.
 * Production refuses to start without a configured key rather than silently minting one.
 */
export function loadSoftwareRootKey(env: NodeJS.ProcessEnv, dataDir: string, production: boolean): SoftwareKeySource {
  const a = env.ENCRYPTION_KEY?.trim();
  const b = env.ROOT_ENCRYPTION_KEY?.trim();
  if (a && b && a !== b) throw new RootKeyConfigError('ENCRYPTION_KEY and ROOT_ENCRYPTION_KEY are both set to different values; set only one.');
  if (a) return { key: parseRootKey(a, 'ENCRYPTION_KEY'), source: 'ENCRYPTION_KEY', generated: false };
  if (b) return { key: parseRootKey(b, 'ROOT_ENCRYPTION_KEY'), source: 'ROOT_ENCRYPTION_KEY', generated: false };
  if (production) {
    throw new RootKeyConfigError(`NODE_ENV=production and no root key is configured: set ENCRYPTION_KEY (or ROOT_ENCRYPTION_KEY) to a 32-byte key, or configure an HSM. ${FORMATS}`);
  }
  const file = join(dataDir, DEV_KEY_FILE);
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    return { key: parseRootKey(readFileSync(file, 'utf8'), file), source: file, generated: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key: SecretBytes.adopt(key), source: file, generated: true };
}
