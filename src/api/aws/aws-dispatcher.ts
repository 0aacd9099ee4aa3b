import { KmsError } from '../../core/errors.js';
import type { KmsService } from '../../service/kms-service.js';
import type { RequestContext } from '../../service/request-context.js';
import { AwsInput } from './aws-input.js';
import type { AwsOperation } from './aws-operation.js';
import { cryptoOperations } from './operations/crypto-operations.js';
import { aliasOperations, keyOperations } from './operations/key-operations.js';

export const TARGET_PREFIX = 'TrentService.';

const OPERATIONS: Record<string, AwsOperation> = { ...keyOperations, ...aliasOperations, ...cryptoOperations };

/** Returns the operation name for `X-Amz-Target`, or throws UnknownOperationException. */
export function operationName(target: string | undefined): string {
  if (!target || !target.startsWith(TARGET_PREFIX)) throw new KmsError('UnknownOperation', '');
  const name = target.slice(TARGET_PREFIX.length);
  if (!Object.hasOwn(OPERATIONS, name)) throw new KmsError('UnknownOperation', '');
  return name;
}

export async function dispatchAws(svc: KmsService, ctx: RequestContext, operation: string, body: Buffer): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    // The JS SDK sends `{}` for empty input; an empty body means the same.
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new KmsError('Serialization', 'The request body is not valid JSON.');
  }
  return OPERATIONS[operation]!(svc, ctx, new AwsInput(parsed));
}

export const AWS_OPERATION_NAMES = Object.keys(OPERATIONS);
