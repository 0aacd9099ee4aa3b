import { KmsError } from '../core/errors.js';
import type { Role } from '../core/tenancy.js';
import type { RequestContext } from './request-context.js';

/** Actions that only read metadata. */
const READ = new Set(['kms:DescribeKey', 'kms:ListKeys', 'kms:ListAliases', 'kms:ListResourceTags', 'kms:GetPublicKey', 'kms:ListProjects', 'kms:DescribeProject']);
/** Actions that use a key without changing it (the cryptographic operator's set). */
const USE = new Set([
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateRandom', 'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac',
]);

function allowed(role: Role, action: string): boolean {
  switch (role) {
    case 'admin':
      return true;
    case 'member':
      return action.startsWith('kms:');
    case 'crypto-operator':
      return READ.has(action) || USE.has(action);
    case 'viewer':
      return READ.has(action);
    case 'no-access':
      return false;
  }
}

/**
 * The single authorization decision point. Tenant isolation is enforced before this by scoping every
 * lookup to the caller's account; this decides what the caller's role may do.
 */
export function authorize(ctx: RequestContext, action: string, resource: string): void {
  if (allowed(ctx.principal.role, action)) return;
  throw new KmsError(
    'AccessDenied',
    `User: ${ctx.principal.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}
