import type { Kysely } from 'kysely';
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
