import { createHmac } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { keyMaterialAad, unwrapMaterial, wrapMaterial } from '../core/material-wrap.js';
import type { RandomSource } from '../core/random-source.js';
import { SecretBytes } from '../core/secret-bytes.js';
import { RootKeyMismatchError, type RootKeyProvider } from '../root-key/root-key-provider.js';
import { sameCheckValue } from '../root-key/software-provider.js';
import type { Store } from '../storage/ports.js';

const ROOT_AAD = Buffer.from('strongroom instance root key v1', 'utf8');

/**
 * The middle of the hierarchy: the instance root key, unwrapped once at startup by the root-key provider,
 * wraps every key version's material (AES-256-GCM, key id and version bound as AAD).
 */
export interface KeyHierarchy {
  wrapKeyMaterial(keyId: string, version: number, material: Buffer): Buffer;
  unwrapKeyMaterial(keyId: string, version: number, wrapped: Buffer): SecretBytes;
  wrapSecret(purpose: string, secret: Buffer): Buffer;
  unwrapSecret(purpose: string, wrapped: Buffer): Buffer;
  /** A key derived from the root key for one named purpose (token MACs, audit MACs, …). */
  deriveKey(purpose: string): Buffer;
  readonly strategy: string;
  close(): void;
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export async function openKeyHierarchy(store: Store, provider: RootKeyProvider, clock: Clock, random: RandomSource): Promise<{ hierarchy: KeyHierarchy; created: boolean }> {
  const protectionKcv = await provider.checkValue();
  const stored = await store.rootKey.get();
  let rootKey: Buffer;
  let created = false;
  if (!stored) {
    rootKey = random(32);
    const now = clock();
    await store.rootKey.insert({
      strategy: provider.strategy,
      wrappedRootKey: await provider.wrap(rootKey, ROOT_AAD),
      rootKeyCheckValue: rootCheckValue(rootKey),
      protectionCheckValue: protectionKcv,
      createdAt: now,
      updatedAt: now,
    });
    created = true;
  } else {
    if (stored.strategy !== provider.strategy) {
      throw new StartupError(`The instance root key is protected by the '${stored.strategy}' strategy but this server is configured for '${provider.strategy}'. Configure the '${stored.strategy}' root protection (or switch strategy with 'strongroom admin strategy'). Nothing was changed.`);
    }
    if (!sameCheckValue(stored.protectionCheckValue, protectionKcv)) {
      throw new StartupError(`The configured root key does not match the one this data was created with (check value ${protectionKcv}, expected ${stored.protectionCheckValue}). Set ENCRYPTION_KEY to the original key. The server refused to start and nothing was changed.`);
    }
    try {
      rootKey = await provider.unwrap(stored.wrappedRootKey, ROOT_AAD);
    } catch (e) {
      if (e instanceof RootKeyMismatchError) throw new StartupError(`The configured root key cannot unwrap the stored instance root key: ${e.message}. The server refused to start and nothing was changed.`);
      throw e;
    }
    if (!sameCheckValue(rootCheckValue(rootKey), stored.rootKeyCheckValue)) {
      rootKey.fill(0);
      throw new StartupError('The instance root key failed its key check value: the stored root key row is corrupted. The server refused to start and nothing was changed.');
    }
  }
  const root = SecretBytes.adopt(rootKey);
  const hierarchy: KeyHierarchy = {
    strategy: provider.strategy,
    wrapKeyMaterial: (keyId, version, material) => wrapMaterial(root.reveal(), material, keyMaterialAad(keyId, version), random),
    unwrapKeyMaterial: (keyId, version, wrapped) => SecretBytes.adopt(unwrapMaterial(root.reveal(), wrapped, keyMaterialAad(keyId, version))),
    wrapSecret: (purpose, secret) => wrapMaterial(root.reveal(), secret, Buffer.from(`strongroom secret v1\0${purpose}`), random),
    unwrapSecret: (purpose, wrapped) => unwrapMaterial(root.reveal(), wrapped, Buffer.from(`strongroom secret v1\0${purpose}`)),
    deriveKey: (purpose) => createHmac('sha256', root.reveal()).update(`strongroom derived key v1\0${purpose}`).digest(),
    close: () => root.zero(),
  };
  return { hierarchy, created };
}

function rootCheckValue(rootKey: Buffer): string {
  return createHmac('sha256', rootKey).update('strongroom root key check value v1').digest('hex').slice(0, 16);
}
