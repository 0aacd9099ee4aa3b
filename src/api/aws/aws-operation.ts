import type { KmsService } from '../../service/kms-service.js';
import type { RequestContext } from '../../service/request-context.js';
import type { AwsInput } from './aws-input.js';

/** One AWS KMS operation: validate the body → call the service → shape the AWS response. */
export type AwsOperation = (svc: KmsService, ctx: RequestContext, input: AwsInput) => Promise<Record<string, unknown>>;
