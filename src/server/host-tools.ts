import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { KmsError } from '../core/errors.js';
import type { AuditLog } from '../service/audit-log.js';
import type { AuditNotes, Interface, Principal } from '../service/request-context.js';
import { auditEvent } from './request-audit.js';

export interface HostTools {
  audit(facts: {
    requestId: string; principal: Principal | null; accessKeyId: string | null; req: FastifyRequest;
    operation: string; notes: AuditNotes; errorCode: string | null; iface: Interface;
  }): Promise<void>;
  /** Logs an unexpected error with the request id and returns the generic error the client sees. */
  internal(e: unknown, requestId: string): KmsError;
}

export function createHostTools(auditLog: AuditLog, logger: Logger, clock: () => number): HostTools {
  return {
    audit({ requestId, principal, accessKeyId, req, operation, notes, errorCode, iface }) {
      const ua = req.headers['user-agent'];
      return auditLog.record(auditEvent({
        requestId, time: clock(), principal, accessKeyId, sourceIp: req.ip, userAgent: (Array.isArray(ua) ? ua[0] : ua) ?? null,
        interface: iface, operation, notes, errorCode,
      }, randomUUID()));
    },
    internal(e, requestId) {
      if (e instanceof KmsError) {
        if (e.code === 'Internal') logger.error({ err: e.cause ?? e, requestId }, 'internal error');
        return e;
      }
      // Only the stack and message of our own code path are logged; request bodies never are.
      logger.error({ err: e, requestId }, 'unexpected error');
      return new KmsError('Internal', 'An internal error occurred. Quote the request id when reporting it.');
    },
  };
}
