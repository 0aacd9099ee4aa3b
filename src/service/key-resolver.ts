import { KmsError } from '../core/errors.js';
import { aliasArn, keyArn, parseKeyReference } from '../core/key-identifier.js';
import type { KmsKey } from '../core/kms-key.js';
import type { CachedKey, CachedMaterial } from './key-cache.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * Resolves whatever the caller passed as KeyId (id, key ARN, alias, alias ARN) to a key of the caller's own
 * account and region. A key of another tenant is indistinguishable from a missing one.
 */
export interface ResolveOptions {
  /** Management operations such as TagResource or EnableKey take only a key id or key ARN, as in AWS. */
  allowAlias?: boolean;
}

export async function resolveKey(deps: ServiceDeps, ctx: RequestContext, input: string, options: ResolveOptions = {}): Promise<CachedKey> {
  const ref = parseKeyReference(input);
  const account = ctx.principal.account;
  if (ref.partition !== undefined && ref.partition !== deps.partition) throw new KmsError('NotFound', `Invalid arn ${input}`);
  if (ref.region !== undefined && ref.region !== ctx.region) throw new KmsError('NotFound', `Invalid arn ${ref.region}`);
  let keyId: string;
  if (ref.kind === 'alias') {
    if (options.allowAlias === false) throw new KmsError('NotFound', `Invalid keyId '${input}'`);
    const arn = aliasArn(deps.partition, ctx.region, ref.account ?? account, ref.aliasName);
    if (ref.account !== undefined && ref.account !== account) throw new KmsError('NotFound', `Alias ${arn} is not found.`);
    const target = deps.cache.getAlias(account, ctx.region, ref.aliasName) ?? (await loadAlias(deps, account, ctx.region, ref.aliasName));
    if (!target) throw new KmsError('NotFound', `Alias ${arn} is not found.`);
    keyId = target;
  } else {
    keyId = ref.keyId;
    if (ref.account !== undefined && ref.account !== account) {
      throw new KmsError('NotFound', `Key '${keyArn(deps.partition, ctx.region, ref.account, keyId)}' does not exist`);
    }
  }
  const found = await findKey(deps, ctx.region, keyId);
  if (!found || found.key.account !== account) {
    throw new KmsError('NotFound', `Key '${keyArn(deps.partition, ctx.region, account, keyId)}' does not exist`);
  }
  return found;
}

/** Looks a key up by id within the caller's tenant, for ciphertexts: returns undefined instead of throwing. */
export async function findOwnKey(deps: ServiceDeps, ctx: RequestContext, keyId: string): Promise<CachedKey | undefined> {
  const found = await findKey(deps, ctx.region, keyId);
  return found && found.key.account === ctx.principal.account ? found : undefined;
}

async function findKey(deps: ServiceDeps, region: string, keyId: string): Promise<CachedKey | undefined> {
  const cached = deps.cache.getKey(region, keyId);
  if (cached) return cached;
  const key = await deps.store.keys.get(region, keyId);
  if (!key) return undefined;
  const entry: CachedKey = { key, arn: keyArn(deps.partition, key.region, key.account, key.id), materials: new Map() };
  deps.cache.putKey(entry);
  return entry;
}

async function loadAlias(deps: ServiceDeps, account: string, region: string, aliasName: string): Promise<string | undefined> {
  const alias = await deps.store.aliases.get(account, region, aliasName);
  if (alias) deps.cache.putAlias(account, region, aliasName, alias.keyId);
  return alias?.keyId;
}

/** Unwrapped material of one version, from the cache or unwrapped once from the store. */
export async function keyMaterial(deps: ServiceDeps, entry: CachedKey, version: number): Promise<CachedMaterial | undefined> {
  const cached = entry.materials.get(version);
  if (cached && !cached.material.zeroed) return cached;
  const stored = await deps.store.keys.getVersion(entry.key.region, entry.key.id, version);
  if (!stored) return undefined;
  const loaded = { material: deps.hierarchy.unwrapKeyMaterial(entry.key.id, version, stored.wrappedMaterial), materialId: stored.materialId };
  entry.materials.set(version, loaded);
  return loaded;
}

export function arnOf(deps: ServiceDeps, key: KmsKey): string {
  return keyArn(deps.partition, key.region, key.account, key.id);
}

/** After a write: drop the cached entry so the next read sees the new state. */
export function forgetKey(deps: ServiceDeps, key: KmsKey): void {
  deps.cache.invalidateKey(key.region, key.id);
}
