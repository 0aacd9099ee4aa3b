import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { registerRestApi } from '../../src/api/rest/rest-routes.js';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import type { Role } from '../../src/core/tenancy.js';
import { createSoftwareProvider } from '../../src/root-key/software-provider.js';
import { buildApp } from '../../src/server/app.js';
import { createAuditLog } from '../../src/service/audit-log.js';
import { createAuthenticator } from '../../src/service/authentication.js';
import { createIdentity, ensureOrganization } from '../../src/service/identities.js';
import { KeyCache } from '../../src/service/key-cache.js';
import { openKeyHierarchy } from '../../src/service/key-hierarchy.js';
import { createKmsService, type KmsService } from '../../src/service/kms-service.js';
import type { ServiceDeps } from '../../src/service/service-deps.js';
import { openDatabase } from '../../src/storage/database.js';
import { createKyselyStore } from '../../src/storage/kysely/kysely-store.js';
import type { Store } from '../../src/storage/ports.js';
import type { Database } from '../../src/storage/schema.js';

/**
 * The server assembled in this process (SQLite in a temp dir), for what a spawned server cannot show: a
 * controllable clock, a failing audit store, the audit events themselves and everything that was logged.
 */
export interface InProcessServer {
  app: FastifyInstance;
  svc: KmsService;
  store: Store;
  /** Raw access to the database, for changes no service call makes yet (revoking a client secret). */
  db: Kysely<Database>;
  clientId: string;
  clientSecret: string;
  /** A further machine identity, in the default organization or in another one (another tenant). */
  addIdentity(role: Role, accountId?: string): Promise<{ clientId: string; clientSecret: string }>;
  /** Milliseconds added to the real clock. */
  advance(ms: number): void;
  /** While true, writing audit events fails. */
  failAudit: boolean;
  logs(): string;
  close(): Promise<void>;
}

export async function startInProcess(): Promise<InProcessServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strongroom-rest-'));
  const opened = await openDatabase({ dataDir });
  const realStore = createKyselyStore(opened.db, opened.engine);
  const state = { offset: 0, failAudit: false };
  const clock = () => Date.now() + state.offset;
  const random = (n: number) => randomBytes(n);
  const auditRepo: Store['audit'] = {
    append: (events) => (state.failAudit ? Promise.reject(new Error('audit store unavailable')) : realStore.audit.append(events)),
    list: (options) => realStore.audit.list(options),
  };
  const provider = createSoftwareProvider(SecretBytes.adopt(randomBytes(32)), random, 'test');
  const { hierarchy } = await openKeyHierarchy(realStore, provider, clock, random);
  const deps: ServiceDeps = {
    store: realStore, hierarchy, cache: new KeyCache(1000), clock, random, newId: randomUUID, partition: 'aws', defaultRegion: 'us-east-1',
  };
  const audit = createAuditLog(auditRepo);
  const svc = createKmsService(deps, createAuthenticator(deps), audit);
  const { org } = await ensureOrganization(deps, '111122223333', 'Default organization');
  const admin = await createIdentity(deps, org, { name: 'admin', role: 'admin' });
  let logged = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const app = await buildApp({ svc, logger, ready: async () => true, extraRoutes: [registerRestApi(svc)] });
  await app.ready();
  return {
    app,
    svc,
    store: realStore,
    db: opened.db,
    clientId: admin.clientId,
    clientSecret: admin.clientSecret,
    async addIdentity(role, accountId) {
      const target = accountId ? (await ensureOrganization(deps, accountId, `Organization ${accountId}`)).org : org;
      const created = await createIdentity(deps, target, { name: `${role}-${randomUUID().slice(0, 8)}`, role });
      return { clientId: created.clientId, clientSecret: created.clientSecret };
    },
    advance(ms) {
      state.offset += ms;
    },
    get failAudit() {
      return state.failAudit;
    },
    set failAudit(v: boolean) {
      state.failAudit = v;
    },
    logs: () => logged,
    async close() {
      await app.close();
      await audit.close();
      hierarchy.close();
      await provider.close();
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
