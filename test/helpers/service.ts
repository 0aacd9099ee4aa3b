import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/core/tenancy.js';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import { createSoftwareProvider } from '../../src/root-key/software-provider.js';
import { createAuditLog } from '../../src/service/audit-log.js';
import { createAuthenticator } from '../../src/service/authentication.js';
import { createIdentity, ensureOrganization, principalOf } from '../../src/service/identities.js';
import { KeyCache } from '../../src/service/key-cache.js';
import { openKeyHierarchy } from '../../src/service/key-hierarchy.js';
import { createKmsService, type KmsService } from '../../src/service/kms-service.js';
import { newAuditNotes, type RequestContext } from '../../src/service/request-context.js';
import type { ServiceDeps } from '../../src/service/service-deps.js';
import { openDatabase } from '../../src/storage/database.js';
import { createKyselyStore } from '../../src/storage/kysely/kysely-store.js';

export interface FakeClock {
  (): number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  const clock = (() => now) as FakeClock;
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** An in-process service over a temporary SQLite store, with a fake clock, for service-layer tests. */
export async function serviceHarness(options: { cacheSize?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-svc-'));
  const opened = await openDatabase({ dataDir: dir });
  const store = createKyselyStore(opened.db, opened.engine);
  const clock = fakeClock();
  const provider = createSoftwareProvider(SecretBytes.adopt(randomBytes(32)), randomBytes, 'test');
  const { hierarchy } = await openKeyHierarchy(store, provider, clock, randomBytes);
  const deps: ServiceDeps = {
    store, hierarchy, cache: new KeyCache(options.cacheSize ?? 1000), clock, random: randomBytes, newId: randomUUID, partition: 'aws', defaultRegion: 'us-east-1',
  };
  const audit = createAuditLog(store.audit);
  const svc: KmsService = createKmsService(deps, createAuthenticator(deps), audit);

  async function tenant(accountId: string, role: Role = 'admin', region = 'us-east-1'): Promise<RequestContext> {
    const { org } = await ensureOrganization(deps, accountId, `org ${accountId}`);
    const creds = await createIdentity(deps, org, { name: `${role}-${randomUUID().slice(0, 8)}`, role });
    return context(principalOf(creds.identity, org, creds.accessKeyId), region);
  }

  function context(principal: RequestContext['principal'], region = 'us-east-1'): RequestContext {
    return { requestId: randomUUID(), principal, region, sourceIp: '127.0.0.1', userAgent: 'test', interface: 'aws', audit: newAuditNotes() };
  }

  return {
    svc, deps, store, clock, db: opened.db, tenant, context,
    async close() {
      await audit.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
