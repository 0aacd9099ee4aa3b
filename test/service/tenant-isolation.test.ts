import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KmsError } from '../../src/core/errors.js';
import type { RequestContext } from '../../src/service/request-context.js';
import { serviceHarness } from '../helpers/service.js';

let h: Awaited<ReturnType<typeof serviceHarness>>;
let a: RequestContext;
let b: RequestContext;
let keyId: string;
let arn: string;
let blob: Buffer;
const again = (c: RequestContext) => ({ ...c, audit: { resources: [], keyVersion: null, encryptionContext: null } });

before(async () => {
  h = await serviceHarness();
  a = await h.tenant('111111111111');
  b = await h.tenant('222222222222');
  const created = await h.svc.createKey(again(a), {});
  keyId = created.key.id;
  arn = created.arn;
  await h.svc.createAlias(again(a), { aliasName: 'alias/shared-name', targetKeyId: keyId });
  blob = (await h.svc.encrypt(again(a), { keyId, plaintext: Buffer.from('tenant a data') })).ciphertextBlob;
});
after(async () => h.close());

test('another account cannot see or use the key by id, ARN, alias or alias ARN, and learns nothing', async () => {
  const ghostId = '00000000-0000-4000-8000-000000000000';
  const refs = [keyId, arn, 'alias/shared-name', 'arn:aws:kms:us-east-1:111111111111:alias/shared-name'];
  for (const ref of refs) {
    // The answer for someone else's key must be exactly the answer for a key that does not exist.
    const ghost = ref.replace(keyId, ghostId).replace('shared-name', 'ghost-name');
    const calls = [
      (r: string) => h.svc.describeKey(again(b), { keyId: r }),
      (r: string) => h.svc.encrypt(again(b), { keyId: r, plaintext: Buffer.from('x') }),
      (r: string) => h.svc.tagResource(again(b), { keyId: r, tags: [{ key: 'k', value: 'v' }] }),
      (r: string) => h.svc.disableKey(again(b), { keyId: r }),
    ];
    for (const call of calls) {
      const real = await call(ref).then(() => undefined, (e: KmsError) => e);
      const none = await call(ghost).then(() => undefined, (e: KmsError) => e);
      assert.ok(real && none, ref);
      assert.equal(real.code, 'NotFound');
      assert.equal(real.code, none.code);
      assert.equal(real.message.replace(keyId, ghostId).replace('shared-name', 'ghost-name'), none.message, ref);
    }
  }
  assert.deepEqual((await h.svc.listKeys(again(b), {})).keys, []);
  assert.deepEqual((await h.svc.listAliases(again(b), {})).aliases, []);
  await assert.rejects(h.svc.createAlias(again(b), { aliasName: 'alias/steal', targetKeyId: keyId }), (e: KmsError) => e.code === 'NotFound');
});

test("another account's ciphertext is indistinguishable from garbage", async () => {
  await assert.rejects(h.svc.decrypt(again(b), { ciphertextBlob: blob }), (e: KmsError) => e.code === 'InvalidCiphertext' && e.message === '');
  assert.equal((await h.svc.decrypt(again(a), { ciphertextBlob: blob })).plaintext.toString(), 'tenant a data');
});

test('the same alias name in two accounts names two different keys', async () => {
  const own = await h.svc.createKey(again(b), {});
  await h.svc.createAlias(again(b), { aliasName: 'alias/shared-name', targetKeyId: own.key.id });
  assert.equal((await h.svc.describeKey(again(b), { keyId: 'alias/shared-name' })).key.id, own.key.id);
  assert.equal((await h.svc.describeKey(again(a), { keyId: 'alias/shared-name' })).key.id, keyId);
});

test('keys are regional: another region of the same account does not see it', async () => {
  const other = { ...again(a), region: 'eu-west-1' };
  await assert.rejects(h.svc.describeKey(other, { keyId }), (e: KmsError) => e.code === 'NotFound');
  await assert.rejects(h.svc.describeKey(other, { keyId: arn }), (e: KmsError) => e.code === 'NotFound' && e.message === 'Invalid arn us-east-1');
});

test('roles: a viewer can describe but not encrypt; a crypto operator can encrypt but not disable', async () => {
  const viewer = await h.tenant('111111111111', 'viewer');
  const operator = await h.tenant('111111111111', 'crypto-operator');
  await h.svc.describeKey(again(viewer), { keyId });
  await assert.rejects(h.svc.encrypt(again(viewer), { keyId, plaintext: Buffer.from('x') }), (e: KmsError) => e.code === 'AccessDenied' && e.message.includes('kms:Encrypt'));
  await h.svc.encrypt(again(operator), { keyId, plaintext: Buffer.from('x') });
  await assert.rejects(h.svc.disableKey(again(operator), { keyId }), (e: KmsError) => e.code === 'AccessDenied');
  assert.equal((await h.svc.describeKey(again(a), { keyId })).key.state, 'Enabled');
});
