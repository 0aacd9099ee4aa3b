import { KmsError } from '../../core/errors.js';
import { ALIAS_NAME, aliasArn } from '../../core/key-identifier.js';
import { assertManageable } from '../../core/kms-key.js';
import type { AliasRecord } from '../../core/tenancy.js';
import { authorize } from '../authorize.js';
import { resolveKey } from '../key-resolver.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';

const MAX_ALIASES_PER_KEY = 50;

function checkNewAliasName(aliasName: string): void {
  if (!aliasName.startsWith('alias/')) {
    throw new KmsError('Validation', 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (aliasName.startsWith('alias/aws/')) {
    throw new KmsError('InvalidAliasName', 'Alias names cannot begin with alias/aws/. That prefix is reserved for AWS managed keys.');
  }
  if (!ALIAS_NAME.test(aliasName)) {
    throw new KmsError('Validation', `1 validation error detected: Value '${aliasName}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`);
  }
}

export async function createAlias(deps: ServiceDeps, ctx: RequestContext, input: { aliasName: string; targetKeyId: string }): Promise<void> {
  checkNewAliasName(input.aliasName);
  if (input.targetKeyId.startsWith('alias/') || /:alias\//.test(input.targetKeyId)) {
    throw new KmsError('Validation', 'Aliases must refer to keys. Not aliases');
  }
  const entry = await resolveKey(deps, ctx, input.targetKeyId);
  const arn = aliasArn(deps.partition, ctx.region, ctx.principal.account, input.aliasName);
  ctx.audit.resources.push(arn, entry.arn);
  authorize(ctx, 'kms:CreateAlias', entry.arn);
  assertManageable(entry.key, entry.arn);
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    await tx.keys.lockForUpdate(entry.key.region, entry.key.id);
    if (await tx.aliases.get(ctx.principal.account, ctx.region, input.aliasName)) {
      throw new KmsError('AlreadyExists', `An alias with the name ${arn} already exists`);
    }
    if ((await tx.aliases.countForKey(ctx.region, entry.key.id)) >= MAX_ALIASES_PER_KEY) {
      throw new KmsError('LimitExceeded', `A key may have at most ${MAX_ALIASES_PER_KEY} aliases: ${entry.arn}`);
    }
    await tx.aliases.insert({ account: ctx.principal.account, region: ctx.region, aliasName: input.aliasName, keyId: entry.key.id, createdAt: now, updatedAt: now });
  }).catch((e: unknown) => {
    // Two concurrent creates of one name: the loser hits the primary key, and gets the same answer as above.
    if (e instanceof KmsError && e.code === 'AlreadyExists') throw new KmsError('AlreadyExists', `An alias with the name ${arn} already exists`);
    throw e;
  });
  deps.cache.invalidateAlias(ctx.principal.account, ctx.region, input.aliasName);
}

export async function updateAlias(deps: ServiceDeps, ctx: RequestContext, input: { aliasName: string; targetKeyId: string }): Promise<void> {
  checkNewAliasName(input.aliasName);
  const arn = aliasArn(deps.partition, ctx.region, ctx.principal.account, input.aliasName);
  const existing = await deps.store.aliases.get(ctx.principal.account, ctx.region, input.aliasName);
  if (!existing) throw new KmsError('NotFound', `Alias ${arn} is not found.`);
  const entry = await resolveKey(deps, ctx, input.targetKeyId);
  ctx.audit.resources.push(arn, entry.arn);
  authorize(ctx, 'kms:UpdateAlias', entry.arn);
  assertManageable(entry.key, entry.arn);
  const current = await resolveKey(deps, ctx, existing.keyId);
  if (current.key.keySpec !== entry.key.keySpec || current.key.keyUsage !== entry.key.keyUsage) {
    throw new KmsError('Validation', `${current.arn} and ${entry.arn} are not of the same type: an alias can only move to a key with the same key spec and key usage.`);
  }
  await deps.store.aliases.updateTarget(ctx.principal.account, ctx.region, input.aliasName, entry.key.id, deps.clock());
  deps.cache.invalidateAlias(ctx.principal.account, ctx.region, input.aliasName);
}

export async function deleteAlias(deps: ServiceDeps, ctx: RequestContext, input: { aliasName: string }): Promise<void> {
  checkNewAliasName(input.aliasName);
  const arn = aliasArn(deps.partition, ctx.region, ctx.principal.account, input.aliasName);
  ctx.audit.resources.push(arn);
  const existing = await deps.store.aliases.get(ctx.principal.account, ctx.region, input.aliasName);
  if (!existing) throw new KmsError('NotFound', `Alias ${arn} is not found.`);
  authorize(ctx, 'kms:DeleteAlias', arn);
  await deps.store.aliases.delete(ctx.principal.account, ctx.region, input.aliasName);
  deps.cache.invalidateAlias(ctx.principal.account, ctx.region, input.aliasName);
}

export interface AliasView extends AliasRecord {
  arn: string;
}

export async function listAliases(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: { keyId?: string | undefined; limit?: number | undefined; marker?: string | undefined },
): Promise<{ aliases: AliasView[]; nextMarker: string | null }> {
  let keyId: string | undefined;
  if (input.keyId !== undefined) {
    const entry = await resolveKey(deps, ctx, input.keyId);
    keyId = entry.key.id;
    ctx.audit.resources.push(entry.arn);
  }
  authorize(ctx, 'kms:ListAliases', `arn:${deps.partition}:kms:${ctx.region}:${ctx.principal.account}:alias/*`);
  const limit = input.limit ?? 50;
  const after = input.marker === undefined ? undefined : decodeNameMarker(input.marker);
  const rows = await deps.store.aliases.list(ctx.principal.account, ctx.region, { keyId, limit: limit + 1, after });
  const page = rows.slice(0, limit);
  const nextMarker = rows.length > limit ? Buffer.from(`a:${page[page.length - 1]!.aliasName}`).toString('base64url') : null;
  return {
    aliases: page.map((a) => ({ ...a, arn: aliasArn(deps.partition, a.region, a.account, a.aliasName) })),
    nextMarker,
  };
}

function decodeNameMarker(marker: string): string {
  const text = Buffer.from(marker, 'base64url').toString();
  if (!text.startsWith('a:')) throw new KmsError('InvalidMarker', 'The marker is not valid. Use the NextMarker value from the previous response.');
  return text.slice(2);
}
