import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';
import type { Store } from '../ports.js';
import type { Database } from '../schema.js';
import { aliasRepository, tagRepository } from './alias-tag-repository.js';
import { auditRepository } from './audit-repository.js';
import { translate } from './driver-errors.js';
import { keyRepository } from './key-repository.js';
import { identityRepository, organizationRepository, projectRepository, rootKeyRepository } from './tenancy-repository.js';

export function createKyselyStore(db: Kysely<Database>, engine: Engine, inTransaction = false): Store {
  return {
    engine,
    async transaction(fn) {
      // Nested calls join the open transaction instead of starting a second one.
      if (inTransaction) return fn(this);
      if (engine === 'sqlite') return sqliteImmediateTransaction(db, (conn) => fn(createKyselyStore(conn, engine, true)));
      try {
        return await db.transaction().execute((tx) => fn(createKyselyStore(tx, engine, true)));
      } catch (e) {
        throw translate(e);
      }
    },
    rootKey: rootKeyRepository(db),
    organizations: organizationRepository(db),
    projects: projectRepository(db),
    identities: identityRepository(db),
    keys: keyRepository(db, engine),
    aliases: aliasRepository(db),
    tags: tagRepository(db),
    audit: auditRepository(db),
  };
}

/**
 * SQLite write transactions start with BEGIN IMMEDIATE: a deferred transaction that reads and then writes
 * while another connection (the audit worker) commits fails at once with SQLITE_BUSY instead of waiting
 * out busy_timeout. Taking the write lock up front makes it wait its turn.
 */
async function sqliteImmediateTransaction<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    try {
      await sql`begin immediate`.execute(conn);
    } catch (e) {
      throw translate(e);
    }
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw translate(e);
    }
  });
}
