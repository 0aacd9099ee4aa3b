import { KmsError } from '../../core/errors.js';
import { assertManageable, type KmsKey } from '../../core/kms-key.js';
import { authorize } from '../authorize.js';
import { forgetKey, resolveKey } from '../key-resolver.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';

export async function enableKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string }): Promise<KmsKey> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:EnableKey', entry.arn);
  const { key } = entry;
  if (key.state !== 'Enabled' && key.state !== 'Disabled') throw new KmsError('InvalidState', `${entry.arn} is ${stateWords(key.state)}.`);
  return setState(deps, key, 'Enabled');
}

export async function disableKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string }): Promise<KmsKey> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:DisableKey', entry.arn);
  const { key } = entry;
  if (key.state !== 'Enabled' && key.state !== 'Disabled') throw new KmsError('InvalidState', `${entry.arn} is ${stateWords(key.state)}.`);
  return setState(deps, key, 'Disabled');
}

export async function updateKeyDescription(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string; description: string }): Promise<KmsKey> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:UpdateKeyDescription', entry.arn);
  assertManageable(entry.key, entry.arn);
  const now = deps.clock();
  await deps.store.keys.update(entry.key.region, entry.key.id, { description: input.description, updatedAt: now });
  forgetKey(deps, entry.key);
  return { ...entry.key, description: input.description, updatedAt: now };
}

/** Renames a key (REST API only: AWS keys have no name). */
export async function renameKey(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string; name: string }): Promise<KmsKey> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:UpdateKeyDescription', entry.arn);
  assertManageable(entry.key, entry.arn);
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    const clash = await tx.keys.getByName(entry.key.projectId, entry.key.region, input.name);
    if (clash && clash.id !== entry.key.id) {
      throw new KmsError('AlreadyExists', `A KMS key with the name "${input.name}" already exists for the project with ID "${entry.key.projectId}"`);
    }
    await tx.keys.update(entry.key.region, entry.key.id, { name: input.name, updatedAt: now });
  });
  forgetKey(deps, entry.key);
  return { ...entry.key, name: input.name, updatedAt: now };
}

/**
 * Puts a key in PendingDeletion for `days` (7-30, AWS's window). The material is destroyed only when the
 * window ends (the lifecycle scheduler's job); until then CancelKeyDeletion brings the key back Disabled.
 */
export async function scheduleKeyDeletion(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string; pendingWindowInDays?: number | undefined }): Promise<KmsKey> {
  const days = input.pendingWindowInDays ?? 30;
  if (!Number.isInteger(days) || days < 7 || days > 30) {
    throw new KmsError('Validation', `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
  }
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:ScheduleKeyDeletion', entry.arn);
  if (entry.key.state === 'PendingDeletion') throw new KmsError('InvalidState', `${entry.arn} is pending deletion.`);
  const now = deps.clock();
  const deletionDate = now + days * 86_400_000;
  await deps.store.keys.update(entry.key.region, entry.key.id, { state: 'PendingDeletion', deletionDate, updatedAt: now });
  forgetKey(deps, entry.key);
  return { ...entry.key, state: 'PendingDeletion', deletionDate, updatedAt: now };
}

/** PendingDeletion → Disabled, as AWS does: the caller re-enables the key deliberately. */
export async function cancelKeyDeletion(deps: ServiceDeps, ctx: RequestContext, input: { keyId: string }): Promise<KmsKey> {
  const entry = await resolveKey(deps, ctx, input.keyId, { allowAlias: false });
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:CancelKeyDeletion', entry.arn);
  if (entry.key.state !== 'PendingDeletion') throw new KmsError('InvalidState', `${entry.arn} is not pending deletion.`);
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    // The name may have been taken again while the key was pending deletion (Infisical's DELETE frees it).
    const clash = await tx.keys.getByName(entry.key.projectId, entry.key.region, entry.key.name);
    if (clash && clash.id !== entry.key.id) {
      throw new KmsError('AlreadyExists', `Another key in the project is now named "${entry.key.name}"; rename it before cancelling this deletion.`);
    }
    await tx.keys.update(entry.key.region, entry.key.id, { state: 'Disabled', deletionDate: null, updatedAt: now });
  });
  forgetKey(deps, entry.key);
  return { ...entry.key, state: 'Disabled', deletionDate: null, updatedAt: now };
}

async function setState(deps: ServiceDeps, key: KmsKey, state: 'Enabled' | 'Disabled'): Promise<KmsKey> {
  const now = deps.clock();
  if (key.state !== state) {
    await deps.store.keys.update(key.region, key.id, { state, updatedAt: now });
    forgetKey(deps, key);
  }
  return { ...key, state, updatedAt: now };
}

function stateWords(state: string): string {
  return state === 'PendingDeletion' ? 'pending deletion' : state === 'PendingImport' ? 'pending import' : `in state ${state}`;
}
