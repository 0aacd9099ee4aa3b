import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { RootKeyProvider } from '../root-key/root-key-provider.js';
import { loadSoftwareRootKey } from '../root-key/software-key-config.js';
import { createSoftwareProvider } from '../root-key/software-provider.js';
import { createAuditLog } from '../service/audit-log.js';
import { createAuthenticator } from '../service/authentication.js';
import { createIdentity, ensureOrganization } from '../service/identities.js';
import { KeyCache } from '../service/key-cache.js';
import { openKeyHierarchy } from '../service/key-hierarchy.js';
import { createKmsService, type KmsService } from '../service/kms-service.js';
import type { ServiceDeps } from '../service/service-deps.js';
import { openDatabase } from '../storage/database.js';
import { createKyselyStore } from '../storage/kysely/kysely-store.js';
import { createWorkerAuditAppender } from '../storage/kysely/worker-audit-repository.js';
import { pooledRandom } from './random-pool.js';
import type { ServerConfig } from './config.js';

export interface Runtime {
  svc: KmsService;
  ready(): Promise<boolean>;
  close(): Promise<void>;
  /** Credentials generated on this start (first start without configured admin credentials), shown once. */
  generatedAdmin: { accessKeyId: string; secretAccessKey: string; clientId: string; clientSecret: string } | null;
  storageLocation: string;
}

/** Opens storage, unlocks the key hierarchy and assembles the service. Refuses to start on any doubt. */
export async function startRuntime(config: ServerConfig, env: NodeJS.ProcessEnv, logger: Logger): Promise<Runtime> {
  const opened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let provider: RootKeyProvider | undefined;
  try {
    const store = createKyselyStore(opened.db, opened.engine);
    const random = pooledRandom();
    const clock = () => Date.now();
    const softwareKey = loadSoftwareRootKey(env, config.dataDir, config.production);
    if (softwareKey.generated) {
      logger.warn(`DEVELOPMENT MODE: no ENCRYPTION_KEY was set, so a root key was generated into ${softwareKey.source} (mode 0600). Anyone with that file can decrypt this instance's keys. Set ENCRYPTION_KEY (or use an HSM) for any real use; NODE_ENV=production refuses to start without one.`);
    } else if (softwareKey.source.includes('/')) {
      logger.warn(`DEVELOPMENT MODE: using the generated root key in ${softwareKey.source}. Set ENCRYPTION_KEY for any real use.`);
    }
    provider = createSoftwareProvider(softwareKey.key, random, softwareKey.source);
    const { hierarchy } = await openKeyHierarchy(store, provider, clock, random);
    const deps: ServiceDeps = {
      store, hierarchy, cache: new KeyCache(config.keyCacheSize), clock, random, newId: randomUUID, partition: 'aws', defaultRegion: config.region,
    };
    // On SQLite the audit appends run in a worker thread so their commits never stall request handling.
    const auditAppender = opened.file ? createWorkerAuditAppender(opened.file, store.audit) : null;
    const audit = createAuditLog(auditAppender ?? store.audit);
    const auth = createAuthenticator(deps);
    const svc = createKmsService(deps, auth, audit);
    const { org } = await ensureOrganization(deps, config.accountId, 'Default organization');

    let generatedAdmin: Runtime['generatedAdmin'] = null;
    if (config.adminAccessKeyId) {
      if (!(await store.identities.getAccessKey(config.adminAccessKeyId))) {
        await createIdentity(deps, org, { name: 'admin', role: 'admin', accessKeyId: config.adminAccessKeyId, secretAccessKey: config.adminSecretAccessKey });
      }
    } else if (!(await store.identities.hasAny())) {
      const created = await createIdentity(deps, org, { name: 'admin', role: 'admin' });
      generatedAdmin = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey, clientId: created.clientId, clientSecret: created.clientSecret };
    }

    const held = provider;
    return {
      svc,
      generatedAdmin,
      storageLocation: opened.location,
      async ready() {
        await sql`select 1`.execute(opened.db);
        return true;
      },
      async close() {
        await audit.close();
        await auditAppender?.close();
        hierarchy.close();
        deps.cache.clear();
        await held.close();
        await opened.close();
      },
    };
  } catch (e) {
    await provider?.close().catch(() => undefined);
    await opened.close();
    throw e;
  }
}
