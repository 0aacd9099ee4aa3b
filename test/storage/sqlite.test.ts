import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/storage/database.js';
import { createKyselyStore } from '../../src/storage/kysely/kysely-store.js';
import { storeContract } from './store-contract.js';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-store-'));
  const opened = await openDatabase({ dataDir: dir });
  statSync(join(dir, 'strongroom.db'));
  return {
    store: createKyselyStore(opened.db, opened.engine),
    async close() {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
