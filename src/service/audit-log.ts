import type { AuditEvent } from '../core/audit-event.js';
import type { AuditRepository } from '../storage/ports.js';

export interface AuditLog {
  /** Resolves once the event is durably committed (group commit); rejects if it could not be written. */
  record(event: AuditEvent): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  event: AuditEvent;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: events that arrive while a batch is being written wait for the next batch, so one
 * commit (one fsync) covers many requests. At most one write is in flight; a response is released only
 * after the batch holding its event has committed, so a success is never sent for an unrecorded request.
 */
export function createAuditLog(repo: AuditRepository, options: { maxBatch?: number } = {}): AuditLog {
  const maxBatch = options.maxBatch ?? 1000;
  let queue: Pending[] = [];
  let writing: Promise<void> | null = null;
  let scheduled = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        await repo.append(batch.map((p) => p.event));
        for (const p of batch) p.resolve();
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }

  function kick(): void {
    if (writing || scheduled) return;
    scheduled = true;
    // setImmediate lets every request that is ready in this turn of the event loop join the batch.
    setImmediate(() => {
      scheduled = false;
      writing = drain().finally(() => {
        writing = null;
        if (queue.length > 0) kick();
      });
    });
  }

  return {
    record(event) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        kick();
      });
    },
    async flush() {
      while (writing || scheduled || queue.length > 0) {
        if (writing) await writing;
        else await new Promise((r) => setImmediate(r));
      }
    },
    async close() {
      await this.flush();
    },
  };
}
