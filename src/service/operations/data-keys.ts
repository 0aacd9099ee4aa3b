import type { EncryptionContext } from '../../core/encryption-context.js';
import { KmsError } from '../../core/errors.js';
import type { DataKeySpec } from '../../core/key-spec.js';
import { authorize } from '../authorize.js';
import { resolveKey } from '../key-resolver.js';
import type { RequestContext } from '../request-context.js';
import type { ServiceDeps } from '../service-deps.js';
import { type EncryptOutput, sealWith } from './encrypt-decrypt.js';

export interface GenerateDataKeyInput {
  keyId: string;
  keySpec?: DataKeySpec | undefined;
  numberOfBytes?: number | undefined;
  encryptionContext?: EncryptionContext | undefined;
  dryRun?: boolean | undefined;
}

/** Returns the plaintext data key too; the caller (adapter) zeroes it after serialising. */
export async function generateDataKey(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: GenerateDataKeyInput,
  withPlaintext: boolean,
): Promise<EncryptOutput & { plaintext: Buffer | null }> {
  const size = dataKeySize(input);
  const entry = await resolveKey(deps, ctx, input.keyId);
  ctx.audit.resources.push(entry.arn);
  const operation = withPlaintext ? 'GenerateDataKey' : 'GenerateDataKeyWithoutPlaintext';
  authorize(ctx, `kms:${operation}`, entry.arn);
  const dataKey = deps.random(size);
  let handedOut = false;
  try {
    const out = await sealWith(deps, ctx, entry, dataKey, input.encryptionContext, undefined, operation, input.dryRun);
    handedOut = withPlaintext;
    return { ...out, plaintext: withPlaintext ? dataKey : null };
  } finally {
    if (!handedOut) dataKey.fill(0);
  }
}

function dataKeySize(input: GenerateDataKeyInput): number {
  if ((input.keySpec === undefined) === (input.numberOfBytes === undefined)) {
    throw new KmsError('Validation', 'Please specify either number of bytes or key spec.');
  }
  if (input.keySpec !== undefined) return input.keySpec === 'AES_128' ? 16 : 32;
  return input.numberOfBytes!;
}

export async function generateRandom(deps: ServiceDeps, ctx: RequestContext, input: { numberOfBytes?: number | undefined }): Promise<Buffer> {
  if (input.numberOfBytes === undefined) throw new KmsError('Validation', 'NumberOfBytes is required.');
  authorize(ctx, 'kms:GenerateRandom', '*');
  return deps.random(input.numberOfBytes);
}
