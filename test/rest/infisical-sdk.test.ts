import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EncryptionAlgorithm, InfisicalSDK, KeyUsage } from '@infisical/sdk';
import { startServer, type TestServer } from '../helpers/server.js';
import { call, login } from './http.js';

// The official Infisical Node SDK, unmodified, pointed at Strongroom.
describe('@infisical/sdk 5 against a running server', () => {
  let server: TestServer;
  let projectId: string;

  before(async () => {
    server = await startServer();
    const token = await login(server.url, server.clientId, server.clientSecret);
    const res = await call(server.url, 'POST', '/api/v1/projects', { token, body: { name: 'SDK project' } });
    assert.equal(res.status, 200, res.text);
    projectId = res.body.project.id;
  });
  after(() => server?.dispose());

  for (const algorithm of [EncryptionAlgorithm.AES_256_GCM, EncryptionAlgorithm.AES_128_GCM]) {
    test(`${algorithm}: login, create, get by name, encrypt, decrypt, delete`, async () => {
      const sdk = new InfisicalSDK({ siteUrl: server.url });
      await sdk.auth().universalAuth.login({ clientId: server.clientId, clientSecret: server.clientSecret });
      assert.ok(sdk.auth().getAccessToken());

      const name = `sdk-${algorithm}`;
      const key = await sdk.kms().keys().create({ projectId, name, encryptionAlgorithm: algorithm, keyUsage: KeyUsage.ENCRYPTION, description: 'made by the SDK' });
      assert.equal(key.name, name);
      assert.equal(key.projectId, projectId);
      assert.equal(key.encryptionAlgorithm, algorithm);
      assert.equal(key.keyUsage, 'encrypt-decrypt');
      assert.equal(key.description, 'made by the SDK');
      assert.equal(key.isDisabled, false);
      assert.equal(key.version, 1);
      assert.match(key.id, /^[0-9a-f-]{36}$/);

      const found = await sdk.kms().keys().getByName({ projectId, name });
      assert.deepEqual(found, key);

      for (const data of [Buffer.from(`secret for ${algorithm}`), randomBytes(4096), Buffer.from([0])]) {
        const plaintext = data.toString('base64');
        const ciphertext = await sdk.kms().encryption().encrypt({ keyId: key.id, plaintext });
        assert.notEqual(ciphertext, plaintext);
        if (data.length >= 16) assert.ok(!Buffer.from(ciphertext, 'base64').includes(data.subarray(0, 16)), 'ciphertext must not contain the plaintext');
        assert.equal(await sdk.kms().encryption().decrypt({ keyId: key.id, ciphertext }), plaintext);
      }

      const deleted = await sdk.kms().keys().delete({ keyId: key.id });
      assert.equal(deleted.id, key.id);
      assert.equal(deleted.name, name);
      await assert.rejects(sdk.kms().keys().getByName({ projectId, name }), (e: Error) => {
        assert.match(e.message, /StatusCode=404/);
        assert.match(e.message, new RegExp(`Key with name "${name}" not found for project with ID "${projectId}"`));
        return true;
      });
      await assert.rejects(sdk.kms().encryption().encrypt({ keyId: key.id, plaintext: 'aGk=' }), /StatusCode=404.*not found/);
    });
  }

  test('the SDK shows our errors as string messages', async () => {
    const sdk = new InfisicalSDK({ siteUrl: server.url });
    await assert.rejects(
      sdk.auth().universalAuth.login({ clientId: server.clientId, clientSecret: 'wrong' }),
      (e: Error) => e.message.includes('[StatusCode=401] Invalid credentials'),
    );
    await sdk.auth().universalAuth.login({ clientId: server.clientId, clientSecret: server.clientSecret });
    await assert.rejects(
      sdk.kms().keys().create({ projectId, name: 'rsa', encryptionAlgorithm: EncryptionAlgorithm.RSA_4096, keyUsage: KeyUsage.SIGNING }),
      (e: Error) => /StatusCode=400\] Body field "(keyUsage|encryptionAlgorithm)" must be one of: /.test(e.message),
    );
    await sdk.kms().keys().create({ projectId, name: 'dup', encryptionAlgorithm: EncryptionAlgorithm.AES_256_GCM, keyUsage: KeyUsage.ENCRYPTION });
    await assert.rejects(
      sdk.kms().keys().create({ projectId, name: 'dup', encryptionAlgorithm: EncryptionAlgorithm.AES_256_GCM, keyUsage: KeyUsage.ENCRYPTION }),
      (e: Error) => e.message.endsWith(`A KMS key with the name "dup" already exists for the project with ID "${projectId}"`),
    );
    await assert.rejects(
      sdk.kms().encryption().encrypt({ keyId: '00000000-0000-4000-8000-000000000000', plaintext: 'aGk=' }),
      (e: Error) => e.message.endsWith('[StatusCode=404] Key with ID "00000000-0000-4000-8000-000000000000" not found'),
    );
  });

  test('renewing the token through the SDK keeps it working', async () => {
    const sdk = new InfisicalSDK({ siteUrl: server.url });
    await sdk.auth().universalAuth.login({ clientId: server.clientId, clientSecret: server.clientSecret });
    const first = sdk.auth().getAccessToken();
    await sdk.auth().universalAuth.renew();
    const second = sdk.auth().getAccessToken();
    assert.ok(second);
    assert.notEqual(second, first);
    const key = await sdk.kms().keys().create({ projectId, name: 'after-renew', encryptionAlgorithm: EncryptionAlgorithm.AES_256_GCM, keyUsage: KeyUsage.ENCRYPTION });
    assert.equal((await sdk.kms().keys().getByName({ projectId, name: 'after-renew' })).id, key.id);
  });
});
