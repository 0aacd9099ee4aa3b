import { KmsError } from '../../core/errors.js';
import type { KeyVersion, KmsKey } from '../../core/kms-key.js';
import { type KeySpec, type KeyUsage, type Origin, resolveKeySpecAndUsage, type SymmetricAlgorithm, symmetricMaterialLength } from '../../core/key-spec.js';
import type { Tag } from '../../core/tenancy.js';
import { authorize } from '../authorize.js';
import { arnOf } from '../key-resolver.js';
import { resolveProject } from '../projects.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';
import { validateNewTags } from './tags.js';

export interface CreateKeyInput {
  description?: string | undefined;
  keySpec?: KeySpec | undefined;
  keyUsage?: KeyUsage | undefined;
  origin?: Origin | undefined;
  multiRegion?: boolean | undefined;
  tags?: Tag[] | undefined;
  /** REST API: the project and Infisical name; the AWS API uses the caller's default project and the key id. */
  projectId?: string | undefined;
  name?: string | undefined;
  symmetricAlgorithm?: SymmetricAlgorithm | undefined;
}

export interface KeyView {
  key: KmsKey;
  arn: string;
  currentMaterialId: string | null;
}

export async function createKey(deps: ServiceDeps, ctx: RequestContext, input: CreateKeyInput): Promise<KeyView> {
  const { spec, usage } = resolveKeySpecAndUsage(input.keySpec ?? 'SYMMETRIC_DEFAULT', input.keyUsage, ctx.region);
  const origin = input.origin ?? 'AWS_KMS';
  if (origin !== 'AWS_KMS') {
    throw new KmsError('UnsupportedOperation', `Origin ${origin} is not supported by this server yet; use AWS_KMS.`);
  }
  const tags = input.tags ?? [];
  validateNewTags(tags, []);
  const project = await resolveProject(deps, ctx, input.projectId);
  authorize(ctx, 'kms:CreateKey', `arn:${deps.partition}:kms:${ctx.region}:${ctx.principal.account}:key/*`);

  const id = input.multiRegion ? `mrk-${deps.random(16).toString('hex')}` : deps.newId();
  const now = deps.clock();
  const algorithm: SymmetricAlgorithm | null = spec === 'SYMMETRIC_DEFAULT' ? (input.symmetricAlgorithm ?? 'AES_256_GCM') : null;
  const key: KmsKey = {
    id, account: ctx.principal.account, region: ctx.region, projectId: project.id, name: input.name ?? id,
    description: input.description ?? '', keySpec: spec, keyUsage: usage, symmetricAlgorithm: algorithm, origin,
    keyManager: 'CUSTOMER', state: 'Enabled', multiRegion: input.multiRegion ?? false, currentVersion: 1,
    createdAt: now, updatedAt: now, deletionDate: null,
  };
  const material = deps.random(symmetricMaterialLength(algorithm ?? 'AES_256_GCM'));
  const version: KeyVersion = {
    keyId: id, version: 1, materialId: deps.random(32).toString('hex'),
    wrappedMaterial: deps.hierarchy.wrapKeyMaterial(id, 1, material), createdAt: now,
  };
  material.fill(0);
  await deps.store.transaction(async (tx) => {
    if (input.name !== undefined && (await tx.keys.getByName(project.id, ctx.region, input.name))) {
      throw new KmsError('AlreadyExists', `A KMS key with the name "${input.name}" already exists for the project with ID "${project.id}"`);
    }
    await tx.keys.insert(key);
    await tx.keys.insertVersion(ctx.region, version);
    await tx.tags.put(ctx.region, id, tags);
  });
  const arn = arnOf(deps, key);
  ctx.audit.resources.push(arn);
  ctx.audit.keyVersion = 1;
  return { key, arn, currentMaterialId: version.materialId };
}
