import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CancelKeyDeletionCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import { kmsClient, startServer, type TestServer } from '../helpers/server.js';
import { b64, call, expectError, login, type RequestOptions } from './http.js';

const DAY = 86_400_000;

// One key, two protocols: what the REST API creates and encrypts, the AWS API sees and decrypts, and back.
for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`REST API and AWS API share keys and ciphertexts (${engine})`, () => {
    let server: TestServer;
    let kms: KMSClient;
    let token: string;
    let projectId: string;
    const req = (method: string, path: string, options: RequestOptions = {}) => call(server.url, method, path, { token, ...options });
    const createKey = async (name: string, encryptionAlgorithm = 'aes-256-gcm') => {
      const res = await req('POST', '/api/v1/kms/keys', { body: { projectId, name, encryptionAlgorithm, description: `rest key ${name}` } });
      assert.equal(res.status, 200, res.text);
      return res.body.key as { id: string; name: string; isDisabled: boolean };
    };

    before(async () => {
      server = await startServer({ postgres: engine === 'postgres' });
      kms = kmsClient(server);
      token = await login(server.url, server.clientId, server.clientSecret);
      const res = await req('POST', '/api/v1/projects', { body: { name: 'Cross API' } });
      projectId = res.body.project.id;
    });
    after(async () => {
      kms?.destroy();
      await server?.dispose();
    });

    for (const algorithm of ['aes-256-gcm', 'aes-128-gcm']) {
      test(`a ${algorithm} key made on REST is described and used on AWS, in both directions`, async () => {
        const key = await createKey(`cross-${algorithm}`, algorithm);
        const described = await kms.send(new DescribeKeyCommand({ KeyId: key.id }));
        assert.equal(described.KeyMetadata?.KeyId, key.id);
        assert.equal(described.KeyMetadata?.KeySpec, 'SYMMETRIC_DEFAULT');
        assert.equal(described.KeyMetadata?.KeyUsage, 'ENCRYPT_DECRYPT');
        assert.equal(described.KeyMetadata?.Description, `rest key cross-${algorithm}`);
        assert.equal(described.KeyMetadata?.KeyState, 'Enabled');
        assert.match(described.KeyMetadata?.Arn ?? '', new RegExp(`^arn:aws:kms:us-east-1:\\d{12}:key/${key.id}$`));

        const data = randomBytes(300);
        // AWS Encrypt → REST decrypt.
        const awsCiphertext = (await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: data }))).CiphertextBlob!;
        const restPlain = await req('POST', `/api/v1/kms/keys/${key.id}/decrypt`, { body: { ciphertext: b64(Buffer.from(awsCiphertext)) } });
        assert.equal(restPlain.status, 200, restPlain.text);
        assert.equal(restPlain.body.plaintext, data.toString('base64'));

        // REST encrypt → AWS Decrypt, with and without naming the key.
        const restCiphertext = (await req('POST', `/api/v1/kms/keys/${key.id}/encrypt`, { body: { plaintext: data.toString('base64') } })).body.ciphertext as string;
        const blob = Buffer.from(restCiphertext, 'base64');
        const plain = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
        assert.deepEqual(Buffer.from(plain.Plaintext!), data);
        assert.equal(plain.KeyId, described.KeyMetadata?.Arn);
        const named = await kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: key.id }));
        assert.deepEqual(Buffer.from(named.Plaintext!), data);
      });
    }

    test('an encryption context made on AWS is bound: REST (which has none) cannot decrypt it', async () => {
      const key = await createKey('with-context');
      const blob = (await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x'), EncryptionContext: { purpose: 'test' } }))).CiphertextBlob!;
      expectError(await req('POST', `/api/v1/kms/keys/${key.id}/decrypt`, { body: { ciphertext: b64(Buffer.from(blob)) } }), 400, 'BadRequest',
        'The ciphertext is invalid or was not encrypted under this key');
    });

    test('a key made on AWS shows up in the default project and works on REST', async () => {
      const created = await kms.send(new CreateKeyCommand({ Description: 'made on aws' }));
      const id = created.KeyMetadata!.KeyId!;
      const projects = (await req('GET', '/api/v1/projects')).body.projects as Array<{ id: string; slug: string }>;
      const defaultProject = projects.find((p) => p.slug === 'default')!;
      const listed = await req('GET', `/api/v1/kms/keys?projectId=${defaultProject.id}&search=${id}`);
      assert.equal(listed.body.totalCount, 1);
      assert.equal(listed.body.keys[0].id, id);
      assert.equal(listed.body.keys[0].name, id);
      assert.equal(listed.body.keys[0].description, 'made on aws');
      assert.equal(listed.body.keys[0].encryptionAlgorithm, 'aes-256-gcm');
      const enc = await req('POST', `/api/v1/kms/keys/${id}/encrypt`, { body: { plaintext: b64('from rest') } });
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(enc.body.ciphertext, 'base64') }));
      assert.equal(Buffer.from(dec.Plaintext!).toString(), 'from rest');
    });

    test('disable on REST is Disabled on AWS', async () => {
      const key = await createKey('disable-me');
      await req('PATCH', `/api/v1/kms/keys/${key.id}`, { body: { isDisabled: true } });
      const described = await kms.send(new DescribeKeyCommand({ KeyId: key.id }));
      assert.equal(described.KeyMetadata?.KeyState, 'Disabled');
      assert.equal(described.KeyMetadata?.Enabled, false);
      await assert.rejects(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x') })), { name: 'DisabledException' });
    });

    test('REST DELETE schedules deletion in 7 days; the key is still there for the AWS API', async () => {
      const key = await createKey('delete-me');
      const before = Date.now();
      assert.equal((await req('DELETE', `/api/v1/kms/keys/${key.id}`)).status, 200);
      const described = await kms.send(new DescribeKeyCommand({ KeyId: key.id }));
      assert.equal(described.KeyMetadata?.KeyState, 'PendingDeletion');
      const when = described.KeyMetadata!.DeletionDate!.getTime();
      assert.ok(when >= before + 7 * DAY - 2000 && when <= Date.now() + 7 * DAY + 2000, `deletion date ${new Date(when).toISOString()} is 7 days out`);

      await kms.send(new CancelKeyDeletionCommand({ KeyId: key.id }));
      const back = await req('GET', `/api/v1/kms/keys/${key.id}`);
      assert.equal(back.status, 200, back.text);
      assert.equal(back.body.key.isDisabled, true);
      assert.equal((await req('PATCH', `/api/v1/kms/keys/${key.id}`, { body: { isDisabled: false } })).body.key.isDisabled, false);
    });
  });
}
