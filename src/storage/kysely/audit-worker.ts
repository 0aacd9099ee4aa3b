/**
 * Worker-thread entry: appends audit batches to the SQLite file through its own connection, so the
 * commit (and its fsync) never blocks the event loop that serves requests. Runs the same Kysely
 * repository code as the main thread; only the thread differs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Database } from '../schema.js';
import { auditRepository } from './audit-repository.js';

const { file } = workerData as { file: string };
const sqlite = new SQLite(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.pragma('busy_timeout = 5000');
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
const repo = auditRepository(db);

parentPort!.on('message', async (msg: { id: number; events: AuditEvent[] } | { close: true }) => {
  if ('close' in msg) {
    await db.destroy();
    parentPort!.close();
    return;
  }
  try {
    await repo.append(msg.events);
    parentPort!.postMessage({ id: msg.id, ok: true });
  } catch (e) {
    // The main thread logs the cause; the message never contains event contents.
    parentPort!.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
