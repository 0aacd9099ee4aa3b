import { openSymmetric, readCiphertextHeader, sealSymmetric } from '../../core/ciphertext-format.js';
import type { EncryptionContext } from '../../core/encryption-context.js';
import { dryRunSucceeded, invalidCiphertext, KmsError } from '../../core/errors.js';
import { assertUsable, assertUsage, type KmsOperation } from '../../core/kms-key.js';
import type { EncryptionAlgorithm } from '../../core/key-spec.js';
import { authorize } from '../authorize.js';
import type { CachedKey } from '../key-cache.js';
import { findOwnKey, keyMaterial, resolveKey } from '../key-resolver.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';

export interface EncryptInput {
  keyId: string;
  plaintext: Buffer;
  encryptionContext?: EncryptionContext | undefined;
  encryptionAlgorithm?: EncryptionAlgorithm | undefined;
  dryRun?: boolean | undefined;
}

export interface EncryptOutput {
  ciphertextBlob: Buffer;
  keyArn: string;
  keyId: string;
  encryptionAlgorithm: EncryptionAlgorithm;
  version: number;
  materialId: string;
}

export async function encrypt(deps: ServiceDeps, ctx: RequestContext, input: EncryptInput): Promise<EncryptOutput> {
  const entry = await resolveKey(deps, ctx, input.keyId);
  ctx.audit.resources.push(entry.arn);
  authorize(ctx, 'kms:Encrypt', entry.arn);
  return sealWith(deps, ctx, entry, input.plaintext, input.encryptionContext, input.encryptionAlgorithm, 'Encrypt', input.dryRun);
}

/** The shared back half of Encrypt, GenerateDataKey and ReEncrypt: state, usage, algorithm, then seal. */
export async function sealWith(
  deps: ServiceDeps,
  ctx: RequestContext,
  entry: CachedKey,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
  algorithm: EncryptionAlgorithm | undefined,
  operation: KmsOperation,
  dryRun = false,
): Promise<EncryptOutput> {
  const { key, arn } = entry;
  assertUsable(key, arn);
  assertUsage(key, arn, 'ENCRYPT_DECRYPT', operation);
  checkSymmetricAlgorithm(algorithm, key.keySpec);
  if (dryRun) throw dryRunSucceeded();
  const material = await keyMaterial(deps, entry, key.currentVersion);
  if (!material) throw new KmsError('KeyUnavailable', `${arn} has no usable key material.`);
  ctx.audit.keyVersion = key.currentVersion;
  if (context) ctx.audit.encryptionContext = { ...context };
  const ciphertextBlob = sealSymmetric(material.material.reveal(), { keyId: key.id, version: key.currentVersion }, plaintext, context, deps.random);
  return { ciphertextBlob, keyArn: arn, keyId: key.id, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', version: key.currentVersion, materialId: material.materialId };
}

export interface DecryptInput {
  ciphertextBlob: Buffer;
  keyId?: string | undefined;
  encryptionContext?: EncryptionContext | undefined;
  encryptionAlgorithm?: EncryptionAlgorithm | undefined;
  dryRun?: boolean | undefined;
  /** DryRunModifiers IGNORE_CIPHERTEXT: check permissions and key state only (KeyId is then required). */
  ignoreCiphertext?: boolean | undefined;
}

export interface DecryptOutput {
  plaintext: Buffer;
  keyArn: string;
  keyId: string;
  encryptionAlgorithm: EncryptionAlgorithm;
  materialId: string | null;
  version: number;
}

export async function decrypt(deps: ServiceDeps, ctx: RequestContext, input: DecryptInput, action = 'kms:Decrypt'): Promise<DecryptOutput> {
  if (input.dryRun && input.ignoreCiphertext) {
    if (input.keyId === undefined) throw new KmsError('Validation', 'KeyId is required when DryRunModifiers includes IGNORE_CIPHERTEXT.');
    const entry = await resolveKey(deps, ctx, input.keyId);
    ctx.audit.resources.push(entry.arn);
    authorize(ctx, action, entry.arn);
    assertUsable(entry.key, entry.arn);
    assertUsage(entry.key, entry.arn, 'ENCRYPT_DECRYPT', 'Decrypt');
    throw dryRunSucceeded();
  }
  const header = readCiphertextHeader(input.ciphertextBlob);
  let entry: CachedKey | undefined;
  if (input.keyId !== undefined) {
    entry = await resolveKey(deps, ctx, input.keyId);
    if (entry.key.id !== header.keyId) {
      ctx.audit.resources.push(entry.arn);
      throw new KmsError('IncorrectKey', 'The key ID in the request does not identify a CMK that can perform this operation.');
    }
  } else {
    // Another tenant's ciphertext looks exactly like a corrupted one.
    entry = await findOwnKey(deps, ctx, header.keyId);
    if (!entry) throw invalidCiphertext();
  }
  const { key, arn } = entry;
  ctx.audit.resources.push(arn);
  authorize(ctx, action, arn);
  assertUsable(key, arn);
  assertUsage(key, arn, 'ENCRYPT_DECRYPT', 'Decrypt');
  checkSymmetricAlgorithm(input.encryptionAlgorithm, key.keySpec);
  const material = header.version <= key.currentVersion ? await keyMaterial(deps, entry, header.version) : undefined;
  if (!material) throw invalidCiphertext();
  ctx.audit.keyVersion = header.version;
  if (input.encryptionContext) ctx.audit.encryptionContext = { ...input.encryptionContext };
  const plaintext = openSymmetric(material.material.reveal(), input.ciphertextBlob, input.encryptionContext);
  if (input.dryRun) {
    plaintext.fill(0);
    throw dryRunSucceeded();
  }
  return { plaintext, keyArn: arn, keyId: key.id, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', materialId: material.materialId, version: header.version };
}

export interface ReEncryptInput {
  ciphertextBlob: Buffer;
  sourceKeyId?: string | undefined;
  sourceEncryptionContext?: EncryptionContext | undefined;
  sourceEncryptionAlgorithm?: EncryptionAlgorithm | undefined;
  destinationKeyId: string;
  destinationEncryptionContext?: EncryptionContext | undefined;
  destinationEncryptionAlgorithm?: EncryptionAlgorithm | undefined;
  dryRun?: boolean | undefined;
  ignoreCiphertext?: boolean | undefined;
}

export async function reEncrypt(deps: ServiceDeps, ctx: RequestContext, input: ReEncryptInput): Promise<{ source: DecryptOutput; destination: EncryptOutput }> {
  const destination = await resolveKey(deps, ctx, input.destinationKeyId);
  if (input.dryRun && input.ignoreCiphertext) {
    // Check the destination too before answering; the source check throws the DryRun answer.
    ctx.audit.resources.push(destination.arn);
    authorize(ctx, 'kms:ReEncryptTo', destination.arn);
    assertUsable(destination.key, destination.arn);
  }
  const source = await decrypt(
    deps,
    ctx,
    {
      ciphertextBlob: input.ciphertextBlob, keyId: input.sourceKeyId, encryptionContext: input.sourceEncryptionContext,
      encryptionAlgorithm: input.sourceEncryptionAlgorithm, ignoreCiphertext: input.ignoreCiphertext, dryRun: input.dryRun && input.ignoreCiphertext,
    },
    'kms:ReEncryptFrom',
  );
  try {
    ctx.audit.resources.push(destination.arn);
    authorize(ctx, 'kms:ReEncryptTo', destination.arn);
    const out = await sealWith(deps, ctx, destination, source.plaintext, input.destinationEncryptionContext, input.destinationEncryptionAlgorithm, 'ReEncrypt', input.dryRun);
    return { source, destination: out };
  } finally {
    source.plaintext.fill(0);
  }
}

function checkSymmetricAlgorithm(algorithm: EncryptionAlgorithm | undefined, keySpec: string): void {
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsage', `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`);
  }
}
