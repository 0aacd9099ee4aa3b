import { KmsError } from '../../core/errors.js';
import type { KmsKey } from '../../core/kms-key.js';
import { authorize } from '../authorize.js';
import { arnOf, resolveKey } from '../key-resolver.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';
import type { KeyView } from './create-key.js';

export async function describeKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string }): Promise<KeyView> {
  const entry = await resolveKey(deps, ctx, input.keyId);
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:DescribeKey', entry.arn);
  return viewOf(deps, entry.key);
}

export async function viewOf(deps: ServiceDeps, key: KmsKey): Promise<KeyView> {
  const version = await deps.store.keys.getVersion(key.region, key.id, key.currentVersion);
  return { key, arn: arnOf(deps, key), currentMaterialId: version?.materialId ?? null };
}

export async function listKeys(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: { limit?: number | undefined; marker?: string | undefined },
): Promise<{ keys: Array<{ keyId: string; arn: string }>; nextMarker: string | null }> {
  authorize(ctx, 'kms:ListKeys', `arn:${deps.partition}:kms:${ctx.region}:${ctx.principal.account}:key/*`);
  const limit = input.limit ?? 100;
  const after = input.marker === undefined ? undefined : decodeKeyMarker(input.marker);
  const rows = await deps.store.keys.listByAccount(ctx.principal.account, ctx.region, { limit: limit + 1, after });
  const page = rows.slice(0, limit);
  return {
    keys: page.map((k) => ({ keyId: k.id, arn: arnOf(deps, k) })),
    nextMarker: rows.length > limit ? Buffer.from(`k:${page[page.length - 1]!.id}`).toString('base64url') : null,
  };
}

function decodeKeyMarker(marker: string): string {
  const text = Buffer.from(marker, 'base64url').toString();
  if (!text.startsWith('k:')) throw new KmsError('InvalidMarker', 'The marker is not valid. Use the NextMarker value from the previous response.');
  return text.slice(2);
}
