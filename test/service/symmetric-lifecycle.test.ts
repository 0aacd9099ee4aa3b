import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KmsError } from '../../src/core/errors.js';
import type { RequestContext } from '../../src/service/request-context.js';
import { serviceHarness } from '../helpers/service.js';

const code = (c: string) => (e: KmsError) => e.code === c;

describe('symmetric key lifecycle through the service layer', () => {
  let h: Awaited<ReturnType<typeof serviceHarness>>;
  let admin: RequestContext;
  const fresh = () => ({ ...admin, audit: { resources: [], keyVersion: null, encryptionContext: null } });

  before(async () => {
    h = await serviceHarness();
    admin = await h.tenant('111122223333');
  });
  after(async () => h.close());

  test('create → encrypt → disable → refused → enable → decrypt', async () => {
    const created = await h.svc.createKey(fresh(), { description: 'orders' });
    assert.equal(created.key.state, 'Enabled');
    assert.equal(created.arn, `arn:aws:kms:us-east-1:111122223333:key/${created.key.id}`);
    const ctx = { order: '42' };
    const enc = await h.svc.encrypt(fresh(), { keyId: created.key.id, plaintext: Buffer.from('pay'), encryptionContext: ctx });
    assert.equal(enc.keyArn, created.arn);
    await h.svc.disableKey(fresh(), { keyId: created.arn });
    await assert.rejects(h.svc.encrypt(fresh(), { keyId: created.key.id, plaintext: Buffer.from('x') }), (e: KmsError) => e.code === 'Disabled' && e.message === `${created.arn} is disabled.`);
    await assert.rejects(h.svc.decrypt(fresh(), { ciphertextBlob: enc.ciphertextBlob, encryptionContext: ctx }), code('Disabled'));
    await h.svc.enableKey(fresh(), { keyId: created.key.id });
    const dec = await h.svc.decrypt(fresh(), { ciphertextBlob: enc.ciphertextBlob, encryptionContext: ctx });
    assert.equal(dec.plaintext.toString(), 'pay');
    assert.equal(dec.keyArn, created.arn);
    assert.match(dec.materialId ?? '', /^[0-9a-f]{64}$/);
  });

  test('state survives a cold cache: every read after a write sees the write', async () => {
    const { key } = await h.svc.createKey(fresh(), {});
    await h.svc.encrypt(fresh(), { keyId: key.id, plaintext: Buffer.from('warm the cache') });
    await h.svc.disableKey(fresh(), { keyId: key.id });
    h.deps.cache.clear();
    await assert.rejects(h.svc.encrypt(fresh(), { keyId: key.id, plaintext: Buffer.from('x') }), code('Disabled'));
    const described = await h.svc.describeKey(fresh(), { keyId: key.id });
    assert.equal(described.key.state, 'Disabled');
  });

  test('aliases resolve, move between keys, and are dropped', async () => {
    const a = await h.svc.createKey(fresh(), {});
    const b = await h.svc.createKey(fresh(), {});
    await h.svc.createAlias(fresh(), { aliasName: 'alias/app', targetKeyId: a.key.id });
    assert.equal((await h.svc.describeKey(fresh(), { keyId: 'alias/app' })).key.id, a.key.id);
    await assert.rejects(h.svc.createAlias(fresh(), { aliasName: 'alias/app', targetKeyId: b.key.id }), code('AlreadyExists'));
    await h.svc.updateAlias(fresh(), { aliasName: 'alias/app', targetKeyId: b.key.id });
    assert.equal((await h.svc.describeKey(fresh(), { keyId: 'arn:aws:kms:us-east-1:111122223333:alias/app' })).key.id, b.key.id);
    await h.svc.deleteAlias(fresh(), { aliasName: 'alias/app' });
    await assert.rejects(h.svc.describeKey(fresh(), { keyId: 'alias/app' }), (e: KmsError) => e.code === 'NotFound' && e.message === 'Alias arn:aws:kms:us-east-1:111122223333:alias/app is not found.');
    await assert.rejects(h.svc.createAlias(fresh(), { aliasName: 'alias/aws/x', targetKeyId: a.key.id }), code('InvalidAliasName'));
    await assert.rejects(h.svc.createAlias(fresh(), { aliasName: 'app', targetKeyId: a.key.id }), code('Validation'));
  });

  test('data keys: plaintext and ciphertext agree; without-plaintext has none', async () => {
    const { key } = await h.svc.createKey(fresh(), {});
    const dk = await h.svc.generateDataKey(fresh(), { keyId: key.id, keySpec: 'AES_256', encryptionContext: { f: 'x' } }, true);
    assert.equal(dk.plaintext?.length, 32);
    const back = await h.svc.decrypt(fresh(), { ciphertextBlob: dk.ciphertextBlob, encryptionContext: { f: 'x' } });
    assert.ok(back.plaintext.equals(dk.plaintext!));
    const np = await h.svc.generateDataKey(fresh(), { keyId: key.id, numberOfBytes: 7 }, false);
    assert.equal(np.plaintext, null);
    assert.equal((await h.svc.decrypt(fresh(), { ciphertextBlob: np.ciphertextBlob })).plaintext.length, 7);
    await assert.rejects(h.svc.generateDataKey(fresh(), { keyId: key.id }, true), (e: KmsError) => e.message === 'Please specify either number of bytes or key spec.');
  });

  test('decrypt with the wrong KeyId is IncorrectKey; re-encrypt moves a ciphertext between keys', async () => {
    const a = await h.svc.createKey(fresh(), {});
    const b = await h.svc.createKey(fresh(), {});
    const enc = await h.svc.encrypt(fresh(), { keyId: a.key.id, plaintext: Buffer.from('move me'), encryptionContext: { s: '1' } });
    await assert.rejects(h.svc.decrypt(fresh(), { ciphertextBlob: enc.ciphertextBlob, keyId: b.key.id, encryptionContext: { s: '1' } }), code('IncorrectKey'));
    const re = await h.svc.reEncrypt(fresh(), {
      ciphertextBlob: enc.ciphertextBlob, sourceEncryptionContext: { s: '1' }, destinationKeyId: b.key.id, destinationEncryptionContext: { d: '2' },
    });
    assert.equal(re.source.keyArn, a.arn);
    assert.equal(re.destination.keyArn, b.arn);
    assert.equal((await h.svc.decrypt(fresh(), { ciphertextBlob: re.destination.ciphertextBlob, encryptionContext: { d: '2' } })).plaintext.toString(), 'move me');
  });

  test('tags: add, overwrite, list with pagination, remove, and AWS rules', async () => {
    const { key } = await h.svc.createKey(fresh(), { tags: [{ key: 'team', value: 'a' }] });
    await h.svc.tagResource(fresh(), { keyId: key.id, tags: [{ key: 'team', value: 'b' }, { key: 'env', value: 'prod' }] });
    const p1 = await h.svc.listResourceTags(fresh(), { keyId: key.id, limit: 1 });
    assert.deepEqual(p1.tags, [{ key: 'env', value: 'prod' }]);
    const p2 = await h.svc.listResourceTags(fresh(), { keyId: key.id, limit: 1, marker: p1.nextMarker! });
    assert.deepEqual(p2.tags, [{ key: 'team', value: 'b' }]);
    assert.equal(p2.nextMarker, null);
    await h.svc.untagResource(fresh(), { keyId: key.id, tagKeys: ['team'] });
    assert.deepEqual((await h.svc.listResourceTags(fresh(), { keyId: key.id })).tags, [{ key: 'env', value: 'prod' }]);
    await assert.rejects(h.svc.tagResource(fresh(), { keyId: key.id, tags: [{ key: 'aws:x', value: '' }] }), (e: KmsError) => e.message === 'Tags beginning with aws: are reserved');
    await assert.rejects(h.svc.tagResource(fresh(), { keyId: key.id, tags: [{ key: 'd', value: '1' }, { key: 'd', value: '2' }] }), (e: KmsError) => e.message === 'Duplicate tag keys');
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '' }));
    await assert.rejects(h.svc.tagResource(fresh(), { keyId: key.id, tags: many }), (e: KmsError) => e.message === 'Too many tags');
  });

  test('the audit notes say which key and version a request used, and the context, never the data', async () => {
    const { key, arn } = await h.svc.createKey(fresh(), {});
    const ctx = fresh();
    await h.svc.encrypt(ctx, { keyId: key.id, plaintext: Buffer.from('top secret'), encryptionContext: { a: 'b' } });
    assert.deepEqual(ctx.audit, { resources: [arn], keyVersion: 1, encryptionContext: { a: 'b' } });
    assert.ok(!JSON.stringify(ctx.audit).includes('top secret'));
  });
});
