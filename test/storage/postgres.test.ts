import { openDatabase } from '../../src/storage/database.js';
import { createKyselyStore } from '../../src/storage/kysely/kysely-store.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { storeContract } from './store-contract.js';

storeContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const opened = await openDatabase({ dataDir: '/nonexistent', databaseUrl: db.url });
  return {
    store: createKyselyStore(opened.db, opened.engine),
    async close() {
      await opened.close();
      await db.drop();
    },
  };
});
