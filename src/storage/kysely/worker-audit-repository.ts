import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AuditEvent } from '../../core/audit-event.js';
import { KmsError } from '../../core/errors.js';
import type { AuditRepository } from '../ports.js';

/**
 * SQLite audit appends, done by a worker thread over its own connection (WAL allows it). Reads stay on the
 * caller's repository. Measured on the Encrypt hot path: the synchronous insert + fsync on the event loop was
 * about a quarter of the server's CPU time per request; in the worker it overlaps with request handling.
 */
export function createWorkerAuditAppender(file: string, reads: AuditRepository): AuditRepository & { close(): Promise<void> } {
  // Run the worker from the same kind of file as this module: .js when built; .ts when the sources run under
  // tsx (tests), where the worker must register tsx's loader itself before importing its entry.
  const ext = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./audit-worker${ext}`, import.meta.url);
  const worker = ext === '.ts'
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, workerData: { file } })
    : new Worker(entry, { workerData: { file } });
  worker.unref();
  const pending = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
  let next = 1;
  let failure: Error | null = null;

  worker.on('message', (msg: { id: number; ok: boolean; error?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve();
    else p.reject(new KmsError('Internal', 'The audit store could not be written.', { cause: new Error(msg.error) }));
  });
  const failAll = (e: Error) => {
    failure = e;
    for (const p of pending.values()) p.reject(new KmsError('Internal', 'The audit writer stopped.', { cause: e }));
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`audit writer exited with code ${code}`)));

  return {
    append(events: AuditEvent[]) {
      if (failure) return Promise.reject(new KmsError('Internal', 'The audit writer stopped.', { cause: failure }));
      const id = next++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, events });
      });
    },
    list: (options) => reads.list(options),
    async close() {
      if (failure) return;
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage({ close: true });
      await exited;
    },
  };
}
