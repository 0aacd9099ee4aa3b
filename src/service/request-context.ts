import type { Role } from '../core/tenancy.js';

/** Who is calling, as established by the interface's authentication (SigV4, bearer token, session). */
export interface Principal {
  identityId: string;
  orgId: string;
  account: string;
  name: string;
  role: Role;
  /** IAM-style ARN, used in error messages and audit events. */
  arn: string;
  accessKeyId: string | null;
}

export type Interface = 'aws' | 'rest' | 'console' | 'cli';

/** What the service learned while serving a request, for the audit event the host writes before responding. */
export interface AuditNotes {
  resources: string[];
  keyVersion: number | null;
  encryptionContext: Record<string, string> | null;
}

export interface RequestContext {
  requestId: string;
  principal: Principal;
  /** The region the request addresses (SigV4 credential scope, or the server default). */
  region: string;
  sourceIp: string | null;
  userAgent: string | null;
  interface: Interface;
  audit: AuditNotes;
}

export function newAuditNotes(): AuditNotes {
  return { resources: [], keyVersion: null, encryptionContext: null };
}
