import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { KmsError } from '../../src/core/errors.js';
import type { KmsKey } from '../../src/core/kms-key.js';
import type { Store } from '../../src/storage/ports.js';

export interface OpenedStore {
  store: Store;
  close(): Promise<void>;
}

function key(over: Partial<KmsKey> & { projectId: string }): KmsKey {
  const id = over.id ?? randomUUID();
  return {
    id, account: '111122223333', region: 'us-east-1', name: id, description: '', keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT', symmetricAlgorithm: 'AES_256_GCM', origin: 'AWS_KMS', keyManager: 'CUSTOMER',
    state: 'Enabled', multiRegion: false, currentVersion: 1, createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000,
    deletionDate: null, ...over,
  };
}

/** The storage contract: every engine must pass exactly this suite. */
export function storeContract(engine: string, open: () => Promise<OpenedStore>): void {
  describe(`storage contract: ${engine}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let orgId: string;
    let projectId: string;

    before(async () => {
      opened = await open();
      store = opened.store;
      orgId = randomUUID();
      projectId = randomUUID();
      await store.organizations.insert({ id: orgId, accountId: '111122223333', name: 'org', createdAt: 1 });
      await store.projects.insert({ id: projectId, orgId, name: 'P', slug: 'p', description: '', createdAt: 1 });
    });
    after(async () => opened.close());

    test('root key row round-trips and is unique', async () => {
      assert.equal(await store.rootKey.get(), undefined);
      const row = { strategy: 'software', wrappedRootKey: Buffer.from([1, 2, 3, 0, 255]), rootKeyCheckValue: 'a', protectionCheckValue: 'b', createdAt: 5, updatedAt: 6 };
      await store.rootKey.insert(row);
      assert.deepEqual(await store.rootKey.get(), row);
      await assert.rejects(store.rootKey.insert(row), (e: KmsError) => e.code === 'AlreadyExists');
    });

    test('organizations and projects', async () => {
      assert.equal((await store.organizations.getByAccount('111122223333'))?.id, orgId);
      assert.equal((await store.organizations.get(orgId))?.accountId, '111122223333');
      assert.equal((await store.projects.getBySlug(orgId, 'p'))?.id, projectId);
      await assert.rejects(
        store.projects.insert({ id: randomUUID(), orgId, name: 'dup', slug: 'p', description: '', createdAt: 2 }),
        (e: KmsError) => e.code === 'AlreadyExists',
      );
      assert.deepEqual((await store.projects.list(orgId)).map((p) => p.id), [projectId]);
    });

    test('keys: insert, get, update, versions with binary material', async () => {
      const k = key({ projectId, description: 'd' });
      await store.keys.insert(k);
      assert.deepEqual(await store.keys.get('us-east-1', k.id), k);
      assert.equal(await store.keys.get('eu-west-1', k.id), undefined, 'keys are scoped by region');
      const material = Buffer.from(Array.from({ length: 61 }, (_, i) => (i * 37) & 255));
      await store.keys.insertVersion('us-east-1', { keyId: k.id, version: 1, materialId: 'ab'.repeat(32), wrappedMaterial: material, createdAt: 7 });
      await store.keys.insertVersion('us-east-1', { keyId: k.id, version: 2, materialId: 'cd'.repeat(32), wrappedMaterial: Buffer.from([0]), createdAt: 8 });
      const v1 = await store.keys.getVersion('us-east-1', k.id, 1);
      assert.ok(v1 && v1.wrappedMaterial.equals(material));
      assert.deepEqual((await store.keys.listVersions('us-east-1', k.id)).map((v) => v.version), [1, 2]);
      await assert.rejects(
        store.keys.insertVersion('us-east-1', { keyId: k.id, version: 2, materialId: 'x', wrappedMaterial: Buffer.from([1]), createdAt: 9 }),
        (e: KmsError) => e.code === 'AlreadyExists',
      );
      await store.keys.update('us-east-1', k.id, { state: 'Disabled', description: 'new', currentVersion: 2, updatedAt: 10 });
      const got = await store.keys.get('us-east-1', k.id);
      assert.equal(got?.state, 'Disabled');
      assert.equal(got?.description, 'new');
      assert.equal(got?.currentVersion, 2);
      assert.equal(got?.updatedAt, 10);
    });

    test('keys: listing by account is keyset-paginated and tenant-scoped', async () => {
      const account = '222233334444';
      const ids = Array.from({ length: 7 }, () => randomUUID()).sort();
      for (const id of ids) await store.keys.insert(key({ id, projectId, account }));
      await store.keys.insert(key({ projectId, account: '999988887777' }));
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.keys.listByAccount(account, 'us-east-1', { limit: 3, after });
        seen.push(...page.map((k) => k.id));
        if (page.length < 3) break;
        after = page[page.length - 1]!.id;
      }
      assert.deepEqual(seen, ids);
    });

    test('keys: names are unique per project and region, freed by PendingDeletion', async () => {
      const a = key({ projectId, name: 'payments' });
      await store.keys.insert(a);
      await assert.rejects(store.keys.insert(key({ projectId, name: 'payments' })), (e: KmsError) => e.code === 'AlreadyExists');
      await store.keys.insert(key({ projectId, name: 'payments', region: 'eu-west-1' }));
      assert.equal((await store.keys.getByName(projectId, 'us-east-1', 'payments'))?.id, a.id);
      await store.keys.update('us-east-1', a.id, { state: 'PendingDeletion', deletionDate: 99, updatedAt: 11 });
      assert.equal(await store.keys.getByName(projectId, 'us-east-1', 'payments'), undefined);
      await store.keys.insert(key({ projectId, name: 'payments' }));
    });

    test('keys: project listing with search, order, offset and total', async () => {
      const p2 = randomUUID();
      await store.projects.insert({ id: p2, orgId, name: 'P2', slug: 'p2', description: '', createdAt: 1 });
      for (const name of ['beta', 'alpha', 'gamma', 'alphabet', 'a_b', 'a%b']) await store.keys.insert(key({ projectId: p2, name }));
      const all = await store.keys.listByProject({ projectId: p2, region: 'us-east-1', offset: 0, limit: 100, direction: 'asc' });
      assert.deepEqual(all.keys.map((k) => k.name), ['a%b', 'a_b', 'alpha', 'alphabet', 'beta', 'gamma']);
      assert.equal(all.total, 6);
      const desc = await store.keys.listByProject({ projectId: p2, region: 'us-east-1', offset: 1, limit: 2, direction: 'desc' });
      assert.deepEqual(desc.keys.map((k) => k.name), ['beta', 'alphabet']);
      assert.equal(desc.total, 6);
      const search = await store.keys.listByProject({ projectId: p2, region: 'us-east-1', offset: 0, limit: 10, direction: 'asc', search: 'alph' });
      assert.deepEqual(search.keys.map((k) => k.name), ['alpha', 'alphabet']);
      const literal = await store.keys.listByProject({ projectId: p2, region: 'us-east-1', offset: 0, limit: 10, direction: 'asc', search: '_' });
      assert.deepEqual(literal.keys.map((k) => k.name), ['a_b'], 'LIKE wildcards in a search are literal');
    });

    test('aliases: unique per account and region, listing, retarget, delete, count', async () => {
      const k1 = key({ projectId });
      const k2 = key({ projectId });
      await store.keys.insert(k1);
      await store.keys.insert(k2);
      const base = { account: '111122223333', region: 'us-east-1', createdAt: 1, updatedAt: 1 };
      await store.aliases.insert({ ...base, aliasName: 'alias/b', keyId: k1.id });
      await store.aliases.insert({ ...base, aliasName: 'alias/a', keyId: k1.id });
      await store.aliases.insert({ ...base, aliasName: 'alias/c', keyId: k2.id });
      await assert.rejects(store.aliases.insert({ ...base, aliasName: 'alias/a', keyId: k2.id }), (e: KmsError) => e.code === 'AlreadyExists');
      await store.aliases.insert({ ...base, region: 'eu-west-1', aliasName: 'alias/a', keyId: k2.id });
      assert.equal(await store.aliases.countForKey('us-east-1', k1.id), 2);
      const page1 = await store.aliases.list('111122223333', 'us-east-1', { limit: 2 });
      assert.deepEqual(page1.map((a) => a.aliasName), ['alias/a', 'alias/b']);
      const page2 = await store.aliases.list('111122223333', 'us-east-1', { limit: 2, after: 'alias/b' });
      assert.deepEqual(page2.map((a) => a.aliasName), ['alias/c']);
      assert.deepEqual((await store.aliases.list('111122223333', 'us-east-1', { limit: 10, keyId: k2.id })).map((a) => a.aliasName), ['alias/c']);
      await store.aliases.updateTarget('111122223333', 'us-east-1', 'alias/a', k2.id, 5);
      const moved = await store.aliases.get('111122223333', 'us-east-1', 'alias/a');
      assert.equal(moved?.keyId, k2.id);
      assert.equal(moved?.updatedAt, 5);
      await store.aliases.delete('111122223333', 'us-east-1', 'alias/a');
      assert.equal(await store.aliases.get('111122223333', 'us-east-1', 'alias/a'), undefined);
    });

    test('tags: upsert, list sorted, remove', async () => {
      const k = key({ projectId });
      await store.keys.insert(k);
      await store.tags.put('us-east-1', k.id, [{ key: 'b', value: '1' }, { key: 'a', value: '2' }]);
      await store.tags.put('us-east-1', k.id, [{ key: 'b', value: 'changed' }]);
      assert.deepEqual(await store.tags.list('us-east-1', k.id), [{ key: 'a', value: '2' }, { key: 'b', value: 'changed' }]);
      await store.tags.remove('us-east-1', k.id, ['a', 'missing']);
      assert.deepEqual(await store.tags.list('us-east-1', k.id), [{ key: 'b', value: 'changed' }]);
    });

    test('identities, access keys and client secrets', async () => {
      assert.equal(await store.identities.hasAny(), false);
      const id = randomUUID();
      await store.identities.insert({ id, orgId, name: 'ci', role: 'crypto-operator', createdAt: 3 });
      assert.equal(await store.identities.hasAny(), true);
      assert.equal((await store.identities.get(id))?.role, 'crypto-operator');
      await store.identities.insertAccessKey({ accessKeyId: 'AKIATEST0000000001', identityId: id, wrappedSecret: Buffer.from([9, 8]), status: 'active', createdAt: 4 });
      const ak = await store.identities.getAccessKey('AKIATEST0000000001');
      assert.ok(ak?.wrappedSecret.equals(Buffer.from([9, 8])));
      assert.equal(ak?.status, 'active');
      await store.identities.insertClientSecret({ id: randomUUID(), clientId: id, identityId: id, secretHash: Buffer.alloc(32, 1), status: 'active', accessTokenTtl: 60, createdAt: 5 });
      assert.equal((await store.identities.listClientSecrets(id)).length, 1);
    });

    test('transactions commit together or not at all', async () => {
      const k = key({ projectId });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.keys.insert(k);
          throw new KmsError('Validation', 'boom');
        }),
        (e: KmsError) => e.code === 'Validation',
      );
      assert.equal(await store.keys.get('us-east-1', k.id), undefined, 'rolled back');
      await store.transaction(async (tx) => {
        await tx.keys.insert(k);
        await tx.tags.put('us-east-1', k.id, [{ key: 't', value: 'v' }]);
      });
      assert.ok(await store.keys.get('us-east-1', k.id));
      assert.equal((await store.tags.list('us-east-1', k.id)).length, 1);
    });

    test('audit events append in order and list newest first', async () => {
      const ev = (i: number) => ({
        eventId: randomUUID(), time: 1000 + i, requestId: `r${i}`, account: '111122223333', principal: 'p', accessKeyId: null,
        sourceIp: '127.0.0.1', userAgent: null, interface: 'aws' as const, operation: 'Encrypt', resources: [`k${i}`],
        encryptionContext: i % 2 ? { a: 'b' } : null, outcome: 'success' as const, errorCode: null, keyVersion: 1,
      });
      await store.audit.append(Array.from({ length: 450 }, (_, i) => ev(i)));
      const newest = await store.audit.list({ limit: 3 });
      assert.deepEqual(newest.map((e) => e.requestId), ['r449', 'r448', 'r447']);
      assert.deepEqual(newest[0]!.encryptionContext, { a: 'b' });
      const older = await store.audit.list({ limit: 2, beforeSeq: newest[2]!.seq });
      assert.deepEqual(older.map((e) => e.requestId), ['r446', 'r445']);
    });

    test('driver failures surface as Internal without driver text', async () => {
      const broken = key({ projectId: 'no-such-project' });
      await assert.rejects(store.keys.insert(broken), (e: KmsError) => e.code === 'Internal' && !/FOREIGN|violat/i.test(e.message));
    });
  });
}
