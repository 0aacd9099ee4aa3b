import type { AuditEvent } from '../core/audit-event.js';
import type { AuditNotes, Interface, Principal } from '../service/request-context.js';

export interface AuditFacts {
  requestId: string;
  time: number;
  principal: Principal | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  interface: Interface;
  operation: string;
  notes: AuditNotes;
  errorCode: string | null;
}

/** The audit event for one request, built by the host so that denied and unauthenticated requests count too. */
export function auditEvent(facts: AuditFacts, eventId: string): AuditEvent {
  return {
    eventId,
    time: facts.time,
    requestId: facts.requestId,
    account: facts.principal?.account ?? null,
    principal: facts.principal?.arn ?? null,
    accessKeyId: facts.accessKeyId,
    sourceIp: facts.sourceIp,
    userAgent: facts.userAgent,
    interface: facts.interface,
    operation: facts.operation,
    resources: facts.notes.resources,
    encryptionContext: facts.notes.encryptionContext,
    outcome: facts.errorCode === null ? 'success' : 'failure',
    errorCode: facts.errorCode,
    keyVersion: facts.notes.keyVersion,
  };
}
