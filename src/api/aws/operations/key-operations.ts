import { KEY_SPECS, KEY_USAGES, ORIGINS } from '../../../core/key-spec.js';
import type { AwsOperation } from '../aws-operation.js';
import { keyMetadata } from '../key-metadata.js';

const KEY_ID = { required: true, min: 1, max: 2048 };

export const keyOperations: Record<string, AwsOperation> = {
  async CreateKey(svc, ctx, input) {
    const req = {
      description: input.string('Description', { max: 8192 }),
      keySpec: input.enumValue('KeySpec', KEY_SPECS) ?? input.enumValue('CustomerMasterKeySpec', KEY_SPECS),
      keyUsage: input.enumValue('KeyUsage', KEY_USAGES),
      origin: input.enumValue('Origin', ORIGINS),
      multiRegion: input.boolean('MultiRegion'),
      tags: input.tags('Tags'),
    };
    input.string('Policy', { min: 1, max: 131072 });
    input.boolean('BypassPolicyLockoutSafetyCheck');
    input.string('CustomKeyStoreId', { min: 1, max: 64 });
    input.done();
    return { KeyMetadata: keyMetadata(await svc.createKey(ctx, req)) };
  },

  async DescribeKey(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    input.stringList('GrantTokens', { max: 10 });
    input.done();
    return { KeyMetadata: keyMetadata(await svc.describeKey(ctx, { keyId })) };
  },

  async ListKeys(svc, ctx, input) {
    const limit = input.integer('Limit', { min: 1, max: 1000 });
    const marker = input.string('Marker', { min: 1, max: 1024 });
    input.done();
    const page = await svc.listKeys(ctx, { limit, marker });
    return {
      Keys: page.keys.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
      Truncated: page.nextMarker !== null,
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    };
  },

  async EnableKey(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    input.done();
    await svc.enableKey(ctx, { keyId });
    return {};
  },

  async DisableKey(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    input.done();
    await svc.disableKey(ctx, { keyId });
    return {};
  },

  async ScheduleKeyDeletion(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    const pendingWindowInDays = input.integer('PendingWindowInDays', { min: 1, max: 365 });
    input.done();
    const key = await svc.scheduleKeyDeletion(ctx, { keyId, pendingWindowInDays });
    return {
      KeyId: `arn:${svc.deps.partition}:kms:${key.region}:${key.account}:key/${key.id}`,
      DeletionDate: (key.deletionDate ?? 0) / 1000,
      KeyState: key.state,
      PendingWindowInDays: pendingWindowInDays ?? 30,
    };
  },

  async CancelKeyDeletion(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    input.done();
    const key = await svc.cancelKeyDeletion(ctx, { keyId });
    return { KeyId: `arn:${svc.deps.partition}:kms:${key.region}:${key.account}:key/${key.id}` };
  },

  async UpdateKeyDescription(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    const description = input.requiredString('Description', { max: 8192 });
    input.done();
    await svc.updateKeyDescription(ctx, { keyId, description });
    return {};
  },

  async TagResource(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    const tags = input.tags('Tags', { required: true }) ?? [];
    input.done();
    await svc.tagResource(ctx, { keyId, tags });
    return {};
  },

  async UntagResource(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    const tagKeys = input.stringList('TagKeys', { required: true }) ?? [];
    input.done();
    await svc.untagResource(ctx, { keyId, tagKeys });
    return {};
  },

  async ListResourceTags(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    const limit = input.integer('Limit', { min: 1, max: 50 });
    const marker = input.string('Marker', { min: 1, max: 1024 });
    input.done();
    const page = await svc.listResourceTags(ctx, { keyId, limit, marker });
    return {
      Tags: page.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })),
      Truncated: page.nextMarker !== null,
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    };
  },
};

export const aliasOperations: Record<string, AwsOperation> = {
  async CreateAlias(svc, ctx, input) {
    const aliasName = input.requiredString('AliasName', { min: 1, max: 256 });
    const targetKeyId = input.requiredString('TargetKeyId', KEY_ID);
    input.done();
    await svc.createAlias(ctx, { aliasName, targetKeyId });
    return {};
  },

  async UpdateAlias(svc, ctx, input) {
    const aliasName = input.requiredString('AliasName', { min: 1, max: 256 });
    const targetKeyId = input.requiredString('TargetKeyId', KEY_ID);
    input.done();
    await svc.updateAlias(ctx, { aliasName, targetKeyId });
    return {};
  },

  async DeleteAlias(svc, ctx, input) {
    const aliasName = input.requiredString('AliasName', { min: 1, max: 256 });
    input.done();
    await svc.deleteAlias(ctx, { aliasName });
    return {};
  },

  async ListAliases(svc, ctx, input) {
    const keyId = input.string('KeyId', { min: 1, max: 2048 });
    const limit = input.integer('Limit', { min: 1, max: 100 });
    const marker = input.string('Marker', { min: 1, max: 1024 });
    input.done();
    const page = await svc.listAliases(ctx, { keyId, limit, marker });
    return {
      Aliases: page.aliases.map((a) => ({
        AliasName: a.aliasName, AliasArn: a.arn, TargetKeyId: a.keyId, CreationDate: a.createdAt / 1000, LastUpdatedDate: a.updatedAt / 1000,
      })),
      Truncated: page.nextMarker !== null,
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    };
  },
};
