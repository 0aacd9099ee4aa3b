import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { buildApp } from '../../src/server/app.js';
import { createIdentity, ensureOrganization } from '../../src/service/identities.js';
import { serviceHarness } from '../helpers/service.js';
import { type Creds, signedKmsRequest } from '../helpers/sign.js';

describe('AWS JSON adapter, in process', () => {
  let h: Awaited<ReturnType<typeof serviceHarness>>;
  let app: FastifyInstance;
  let creds: Creds;

  before(async () => {
    h = await serviceHarness();
    // The service harness's clock is fake; SigV4 needs "now" to be the signing time.
    h.clock.advance(Date.now() - h.clock());
    const { org } = await ensureOrganization(h.deps, '111122223333', 'org');
    const made = await createIdentity(h.deps, org, { name: 'admin', role: 'admin' });
    creds = { accessKeyId: made.accessKeyId, secretAccessKey: made.secretAccessKey };
    app = await buildApp({ svc: h.svc, logger: pino({ level: 'silent' }), ready: async () => true });
  });
  after(async () => {
    await app.close();
    await h.close();
  });

  async function call(target: string, payload: unknown, c: Creds = creds) {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const signed = await signedKmsRequest(c, target, body);
    const res = await app.inject({ method: 'POST', url: '/', headers: signed.headers, payload: body });
    return { status: res.statusCode, headers: res.headers, json: res.body ? JSON.parse(res.body) : undefined };
  }

  async function auditCount() {
    await h.svc.audit.flush();
    return (await h.store.audit.list({ limit: 10_000 })).length;
  }

  test('a created key is returned as AWS KeyMetadata with the amz-json content type and a request id', async () => {
    const res = await call('TrentService.CreateKey', { Description: 'x', Tags: [{ TagKey: 'a', TagValue: 'b' }] });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    const md = res.json.KeyMetadata;
    assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.deepEqual(md.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.equal(typeof md.CreationDate, 'number');
    assert.equal(md.Arn, `arn:aws:kms:us-east-1:111122223333:key/${md.KeyId}`);
  });

  test('errors are {__type, message} with HTTP 400 and an X-Amzn-ErrorType header', async () => {
    const res = await call('TrentService.DescribeKey', { KeyId: 'fake-key-id' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { __type: 'NotFoundException', message: "Invalid keyId 'fake-key-id'" });
    assert.equal(res.headers['x-amzn-errortype'], 'NotFoundException');
  });

  test('validation errors are collected in AWS wording', async () => {
    const res = await call('TrentService.GenerateRandom', { NumberOfBytes: 1025 });
    assert.deepEqual(res.json, {
      __type: 'ValidationException',
      message: "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    });
    const two = await call('TrentService.CreateKey', { KeySpec: 'NOPE', KeyUsage: 'NOPE' });
    assert.equal(two.json.__type, 'ValidationException');
    assert.match(two.json.message, /^2 validation errors detected: Value 'NOPE' at 'keySpec'.*; Value 'NOPE' at 'keyUsage'/);
    const missing = await call('TrentService.Encrypt', {});
    assert.match(missing.json.message, /Value null at 'keyId' failed to satisfy constraint: Member must not be null/);
  });

  test('malformed JSON is SerializationException; an unknown target is UnknownOperationException', async () => {
    assert.equal((await call('TrentService.ListKeys', '{not json')).json.__type, 'SerializationException');
    assert.equal((await call('TrentService.ListKeys', { Limit: 'ten' })).json.__type, 'SerializationException');
    assert.equal((await call('TrentService.FlyToTheMoon', {})).json.__type, 'UnknownOperationException');
    assert.equal((await call('', {})).json.__type, 'UnknownOperationException');
  });

  test('no Authorization header: nothing is served, and the refusal is audited', async () => {
    const before = await auditCount();
    const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, payload: '{}' });
    assert.equal(res.statusCode, 400);
    assert.equal(JSON.parse(res.body).__type, 'MissingAuthenticationTokenException');
    assert.equal(await auditCount(), before + 1);
    const last = (await h.store.audit.list({ limit: 1 }))[0]!;
    assert.equal(last.outcome, 'failure');
    assert.equal(last.errorCode, 'MissingAuthentication');
    assert.equal(last.operation, 'CreateKey');
  });

  test('every request yields exactly one audit event, and none holds plaintext', async () => {
    const created = await call('TrentService.CreateKey', {});
    const before = await auditCount();
    const secret = Buffer.from('a very secret plaintext value').toString('base64');
    const enc = await call('TrentService.Encrypt', { KeyId: created.json.KeyMetadata.KeyId, Plaintext: secret, EncryptionContext: { purpose: 'audit-test' } });
    await call('TrentService.Decrypt', { CiphertextBlob: enc.json.CiphertextBlob, EncryptionContext: { purpose: 'audit-test' } });
    await call('TrentService.Decrypt', { CiphertextBlob: enc.json.CiphertextBlob });
    assert.equal(await auditCount(), before + 3);
    const events = await h.store.audit.list({ limit: 3 });
    assert.deepEqual(events.map((e) => [e.operation, e.outcome, e.errorCode]), [
      ['Decrypt', 'failure', 'InvalidCiphertext'], ['Decrypt', 'success', null], ['Encrypt', 'success', null],
    ]);
    assert.deepEqual(events[2]!.encryptionContext, { purpose: 'audit-test' });
    assert.equal(events[2]!.keyVersion, 1);
    assert.equal(events[2]!.accessKeyId, creds.accessKeyId);
    const dump = JSON.stringify(await h.store.audit.list({ limit: 10_000 }));
    assert.ok(!dump.includes(secret) && !dump.includes('a very secret plaintext value') && !dump.includes(enc.json.CiphertextBlob));
    assert.ok(!dump.includes(creds.secretAccessKey));
  });

  test('if the audit store cannot be written, the request fails closed with a 5xx', async () => {
    const original = h.store.audit.append;
    h.store.audit.append = async () => {
      throw new Error('disk full');
    };
    try {
      const res = await call('TrentService.CreateKey', { Description: 'must not be acknowledged' });
      assert.equal(res.status, 500);
      assert.equal(res.json.__type, 'KMSInternalException');
    } finally {
      h.store.audit.append = original;
    }
  });
});
