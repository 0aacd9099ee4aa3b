import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import { createSoftwareProvider } from '../../src/root-key/software-provider.js';
import { openKeyHierarchy, StartupError } from '../../src/service/key-hierarchy.js';
import { type OpenedDatabase, openDatabase } from '../../src/storage/database.js';
import { createKyselyStore } from '../../src/storage/kysely/kysely-store.js';
import type { Store } from '../../src/storage/ports.js';

let dir: string;
let opened: OpenedDatabase;
let store: Store;
const kek = randomBytes(32);
const provider = () => createSoftwareProvider(SecretBytes.adopt(Buffer.from(kek)), randomBytes, 'test');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-hier-'));
  opened = await openDatabase({ dataDir: dir });
  store = createKyselyStore(opened.db, opened.engine);
});
after(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

test('first open creates the instance root key; later opens unwrap the same one', async () => {
  const first = await openKeyHierarchy(store, provider(), Date.now, randomBytes);
  assert.equal(first.created, true);
  const wrapped = first.hierarchy.wrapKeyMaterial('k', 1, Buffer.from('material'));
  const second = await openKeyHierarchy(store, provider(), Date.now, randomBytes);
  assert.equal(second.created, false);
  assert.equal(second.hierarchy.unwrapKeyMaterial('k', 1, wrapped).reveal().toString(), 'material');
});

test('material is bound to its key id and version', async () => {
  const { hierarchy } = await openKeyHierarchy(store, provider(), Date.now, randomBytes);
  const wrapped = hierarchy.wrapKeyMaterial('k', 1, Buffer.from('material'));
  assert.throws(() => hierarchy.unwrapKeyMaterial('k', 2, wrapped));
  assert.throws(() => hierarchy.unwrapKeyMaterial('other', 1, wrapped));
});

test('a wrong root key refuses to start with a clear message and touches nothing', async () => {
  const before = await store.rootKey.get();
  const wrong = createSoftwareProvider(SecretBytes.adopt(randomBytes(32)), randomBytes, 'test');
  await assert.rejects(openKeyHierarchy(store, wrong, Date.now, randomBytes), (e: Error) => {
    assert.ok(e instanceof StartupError);
    assert.match(e.message, /does not match/);
    assert.match(e.message, /nothing was changed/);
    return true;
  });
  assert.deepEqual(await store.rootKey.get(), before);
});

test('a corrupted root key row is detected', async () => {
  const row = await store.rootKey.get();
  assert.ok(row);
  await opened.db.updateTable('root_key').set({ wrapped_root_key: Buffer.concat([row.wrappedRootKey.subarray(0, 20), Buffer.from([row.wrappedRootKey[20]! ^ 1]), row.wrappedRootKey.subarray(21)]) }).execute();
  await assert.rejects(openKeyHierarchy(store, provider(), Date.now, randomBytes), StartupError);
  await opened.db.updateTable('root_key').set({ wrapped_root_key: row.wrappedRootKey }).execute();
});
