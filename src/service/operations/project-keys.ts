import { KmsError } from '../../core/errors.js';
import { isKeyId } from '../../core/key-identifier.js';
import type { KmsKey } from '../../core/kms-key.js';
import { authorize } from '../authorize.js';
import type { CachedKey } from '../key-cache.js';
import { arnOf, resolveKey } from '../key-resolver.js';
import { resolveProject } from '../projects.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';
import { type DecryptOutput, decrypt, type EncryptOutput, encrypt } from './encrypt-decrypt.js';
import { scheduleKeyDeletion } from './key-state.js';

/**
 * Key use-cases of the Infisical-style REST API, where a key is addressed by its id (or by its name inside a
 * project) and nothing else: no aliases, no ARNs. A key pending deletion has been "deleted" as far as this API
 * is concerned, so it is reported as not found here (the AWS API still sees it until the window ends).
 */

/** REST's deletion window: AWS's minimum, so a mistaken DELETE stays recoverable (CancelKeyDeletion) for 7 days. */
export const REST_DELETION_WINDOW_DAYS = 7;

export function keyNotFound(keyId: string): KmsError {
  return new KmsError('NotFound', `Key with ID "${keyId}" not found`);
}

/** The caller's key with this id, unless it is pending deletion. Neither authorizes nor records anything. */
export async function findProjectKey(deps: ServiceDeps, ctx: RequestContext, keyId: string): Promise<CachedKey> {
  if (!isKeyId(keyId)) throw keyNotFound(keyId);
  let entry: CachedKey;
  try {
    entry = await resolveKey(deps, ctx, keyId);
  } catch (e) {
    if (e instanceof KmsError && e.code === 'NotFound') throw keyNotFound(keyId);
    throw e;
  }
  if (entry.key.state === 'PendingDeletion') throw keyNotFound(keyId);
  return entry;
}

export async function getProjectKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string }): Promise<KmsKey> {
  const entry = await findProjectKey(deps, ctx, input.keyId);
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:DescribeKey', entry.arn);
  return entry.key;
}

export async function getProjectKeyByName(deps: ServiceDeps, ctx: RequestContext, input: { projectId: string; name: string }): Promise<KmsKey> {
  const project = await resolveProject(deps, ctx, input.projectId);
  const key = await deps.store.keys.getByName(project.id, ctx.region, input.name);
  if (!key || key.account !== ctx.principal.account || key.state === 'PendingDeletion') {
    throw new KmsError('NotFound', `Key with name "${input.name}" not found for project with ID "${project.id}"`);
  }
  const arn = arnOf(deps, key);
  ctx.audit.resources.push(arn);
  authorize(ctx, 'kms:DescribeKey', arn);
  return key;
}

export interface ListProjectKeysInput {
  projectId: string;
  offset: number;
  limit: number;
  search?: string | undefined;
  orderDirection: 'asc' | 'desc';
}

/** One page of a project's keys ordered by name, with the total count of keys matching the search. */
export async function listProjectKeys(deps: ServiceDeps, ctx: RequestContext, input: ListProjectKeysInput): Promise<{ keys: KmsKey[]; totalCount: number }> {
  if (!Number.isInteger(input.offset) || input.offset < 0) throw new KmsError('Validation', 'offset must be an integer of at least 0');
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 100) throw new KmsError('Validation', 'limit must be an integer from 1 to 100');
  const project = await resolveProject(deps, ctx, input.projectId);
  ctx.audit.resources.push(`project/${project.id}`);
  authorize(ctx, 'kms:ListKeys', `arn:${deps.partition}:kms:${ctx.region}:${ctx.principal.account}:key/*`);
  // Key names are lowercase slugs, so lowercasing makes the search case-insensitive on SQLite and PostgreSQL alike.
  const search = input.search?.trim().toLowerCase() || undefined;
  const { keys, total } = await deps.store.keys.listByProject({
    projectId: project.id, region: ctx.region, offset: input.offset, limit: input.limit, search, direction: input.orderDirection,
  });
  return { keys, totalCount: total };
}

/**
 * REST DELETE: schedules deletion with the shortest window instead of destroying the key at once. The name is
 * freed and the key disappears from this API immediately; AWS CancelKeyDeletion can still bring it back.
 */
export async function deleteProjectKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string }): Promise<KmsKey> {
  const entry = await findProjectKey(deps, ctx, input.keyId);
  return scheduleKeyDeletion(deps, ctx, { keyId: entry.key.id, pendingWindowInDays: REST_DELETION_WINDOW_DAYS });
}

export async function encryptWithProjectKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string; plaintext: Buffer }): Promise<EncryptOutput> {
  const entry = await findProjectKey(deps, ctx, input.keyId);
  return encrypt(deps, ctx, { keyId: entry.key.id, plaintext: input.plaintext });
}

/** Decrypts with the named key; a ciphertext of any other key is refused like a corrupted one. */
export async function decryptWithProjectKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string; ciphertextBlob: Buffer }): Promise<DecryptOutput> {
  const entry = await findProjectKey(deps, ctx, input.keyId);
  return decrypt(deps, ctx, { keyId: entry.key.id, ciphertextBlob: input.ciphertextBlob });
}
