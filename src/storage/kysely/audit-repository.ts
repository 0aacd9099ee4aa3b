import type { Kysely } from 'kysely';
import type { AuditEvent } from '../../core/audit-event.js';
import type { AuditRepository } from '../ports.js';
import type { Database } from '../schema.js';
import { guard } from './driver-errors.js';

// Bounded so one batch never exceeds SQLite's or PostgreSQL's bind-parameter limits.
const ROWS_PER_INSERT = 200;

export function auditRepository(db: Kysely<Database>): AuditRepository {
  return {
    async append(events) {
      for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
        const rows = events.slice(i, i + ROWS_PER_INSERT).map((e) => ({
          event_id: e.eventId, time: e.time, request_id: e.requestId, account_id: e.account, principal: e.principal,
          access_key_id: e.accessKeyId, source_ip: e.sourceIp, user_agent: e.userAgent, interface: e.interface,
          operation: e.operation, resources: JSON.stringify(e.resources),
          encryption_context: e.encryptionContext ? JSON.stringify(e.encryptionContext) : null,
          outcome: e.outcome, error_code: e.errorCode, key_version: e.keyVersion,
        }));
        await guard(db.insertInto('audit_events').values(rows).execute());
      }
    },
    async list(options) {
      let q = db.selectFrom('audit_events').selectAll();
      if (options.beforeSeq !== undefined) q = q.where('seq', '<', options.beforeSeq);
      if (options.account) q = q.where('account_id', '=', options.account);
      const rows = await guard(q.orderBy('seq', 'desc').limit(options.limit).execute());
      return rows.map((r) => ({
        seq: Number(r.seq), eventId: r.event_id, time: Number(r.time), requestId: r.request_id, account: r.account_id,
        principal: r.principal, accessKeyId: r.access_key_id, sourceIp: r.source_ip, userAgent: r.user_agent,
        interface: r.interface as AuditEvent['interface'], operation: r.operation, resources: JSON.parse(r.resources) as string[],
        encryptionContext: r.encryption_context ? (JSON.parse(r.encryption_context) as Record<string, string>) : null,
        outcome: r.outcome as AuditEvent['outcome'], errorCode: r.error_code, keyVersion: r.key_version === null ? null : Number(r.key_version),
      }));
    },
  };
}
