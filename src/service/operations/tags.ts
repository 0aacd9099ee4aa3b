import { KmsError } from '../../core/errors.js';
import { assertManageable } from '../../core/kms-key.js';
import type { Tag } from '../../core/tenancy.js';
import { authorize } from '../authorize.js';
import { resolveKey } from '../key-resolver.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';

const MAX_TAGS = 50;

/** AWS's tag rules: unique keys in a request, no `aws:` prefix, at most 50 per key after the change. */
export function validateNewTags(tags: Tag[], existing: Tag[]): void {
  const keys = new Set<string>();
  for (const t of tags) {
    if (keys.has(t.key)) throw new KmsError('Tag', 'Duplicate tag keys');
    keys.add(t.key);
    if (t.key.toLowerCase().startsWith('aws:')) throw new KmsError('Tag', 'Tags beginning with aws: are reserved');
  }
  const total = new Set([...existing.map((t) => t.key), ...keys]).size;
  if (total > MAX_TAGS) throw new KmsError('Tag', 'Too many tags');
}

export async function tagResource(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string; tags: Tag[] }): Promise<void> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:TagResource', entry.arn);
  assertManageable(entry.key, entry.arn);
  await deps.store.transaction(async (tx) => {
    await tx.keys.lockForUpdate(entry.key.region, entry.key.id);
    validateNewTags(input.tags, await tx.tags.list(entry.key.region, entry.key.id));
    await tx.tags.put(entry.key.region, entry.key.id, input.tags);
  });
}

export async function untagResource(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string; tagKeys: string[] }): Promise<void> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:UntagResource', entry.arn);
  assertManageable(entry.key, entry.arn);
  await deps.store.tags.remove(entry.key.region, entry.key.id, input.tagKeys);
}

export async function listResourceTags(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: { keyId: string; limit?: number | undefined; marker?: string | undefined },
): Promise<{ tags: Tag[]; nextMarker: string | null }> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:ListResourceTags', entry.arn);
  const all = await deps.store.tags.list(entry.key.region, entry.key.id);
  const start = input.marker ? decodeOffsetMarker(input.marker) : 0;
  const limit = input.limit ?? 50;
  const page = all.slice(start, start + limit);
  return { tags: page, nextMarker: start + limit < all.length ? encodeOffsetMarker(start + limit) : null };
}

export function encodeOffsetMarker(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeOffsetMarker(marker: string): number {
  const text = Buffer.from(marker, 'base64url').toString();
  const n = text.startsWith('o:') ? Number(text.slice(2)) : Number.NaN;
  if (!Number.isInteger(n) || n < 0) throw new KmsError('InvalidMarker', 'The marker is not valid. Use the NextMarker value from the previous response.');
  return n;
}
