// The AWS Encryption SDK for JavaScript (v5, @aws-crypto/client-node) against Strongroom through its KMS
// keyring: envelope encryption with GenerateDataKey / Encrypt / Decrypt, the encryption context bound on the
// server side, multi-key messages and discovery decryption (which depends on the key ARN in KeyId).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, KMS, type KMSClient } from '@aws-sdk/client-kms';
import { kmsClient, startServer, type TestServer } from '../helpers/server.js';
import { aliasArn, REGION, unique } from './support.js';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

let server: TestServer;
let kms: KMSClient;
const clients: KMS[] = [];
/** Every KMS operation the keyrings sent, as `Operation keyId`. */
const calls: string[] = [];

before(async () => {
  server = await startServer();
  kms = kmsClient(server);
});

after(async () => {
  for (const c of clients) c.destroy();
  kms?.destroy();
  await server?.dispose();
});

/**
 * The keyring's client factory: a v3 `KMS` pointed at Strongroom (the keyring asks per region, from the key ARN).
 * `tamper` may rewrite a command's input before it is sent.
 */
function clientProvider(tamper?: (command: string, input: Record<string, unknown>) => void) {
  return (region: string): KMS => {
    const client = new KMS({
      endpoint: server.url,
      region: region || REGION,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        calls.push(`${context.commandName?.replace(/Command$/, '')} ${String(input['KeyId'] ?? '')}`);
        tamper?.(String(context.commandName), input);
        return next(args);
      },
      { step: 'initialize', name: 'interopRecorder' },
    );
    clients.push(client);
    return client;
  };
}

async function createKey(): Promise<{ keyId: string; arn: string }> {
  const md = (await kms.send(new CreateKeyCommand({ Description: 'esdk' }))).KeyMetadata!;
  return { keyId: md.KeyId!, arn: md.Arn! };
}

/** What an application does after decrypting: check the context it expects is the one the message carries. */
function assertExpectedContext(actual: Record<string, string>, expected: Record<string, string>): void {
  for (const [k, v] of Object.entries(expected)) {
    if (actual[k] !== v) throw new Error(`encryption context mismatch on '${k}'`);
  }
}

describe('AWS Encryption SDK (client-node v5) with a KMS keyring', () => {
  test('encrypts and decrypts a message with an encryption context', async () => {
    const key = await createKey();
    const keyring = new KmsKeyringNode({ generatorKeyId: key.arn, clientProvider: clientProvider() });
    const context = { stage: 'interop', purpose: 'esdk test', origin: REGION };
    const plaintext = Buffer.from('Hello from the AWS Encryption SDK through Strongroom');
    calls.length = 0;
    const { result, messageHeader } = await encrypt(keyring, plaintext, { encryptionContext: context });
    assert.ok(!result.includes(plaintext));
    assert.equal(messageHeader.encryptedDataKeys.length, 1);
    assert.equal(messageHeader.encryptedDataKeys[0]?.providerId, 'aws-kms');
    assert.equal(messageHeader.encryptedDataKeys[0]?.providerInfo, key.arn, 'the EDK names the key ARN returned in KeyId');
    assert.deepEqual(calls, [`GenerateDataKey ${key.arn}`]);

    calls.length = 0;
    const out = await decrypt(keyring, result);
    assert.deepEqual(out.plaintext, plaintext);
    for (const [k, v] of Object.entries(context)) assert.equal(out.messageHeader.encryptionContext[k], v);
    assertExpectedContext(out.messageHeader.encryptionContext, context);
    assert.deepEqual(calls, [`Decrypt ${key.arn}`]);
  });

  test('a large framed message and a non-signing committing suite round-trip', async () => {
    const key = await createKey();
    const keyring = new KmsKeyringNode({ generatorKeyId: key.arn, clientProvider: clientProvider() });
    const plaintext = randomBytes(1024 * 1024 + 17);
    const framed = await encrypt(keyring, plaintext, { encryptionContext: { size: 'large' }, frameLength: 4096 });
    assert.deepEqual((await decrypt(keyring, framed.result)).plaintext, plaintext);
    const unsigned = await encrypt(keyring, plaintext.subarray(0, 1000), {
      encryptionContext: { suite: 'no signature' },
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
    });
    assert.deepEqual((await decrypt(keyring, unsigned.result)).plaintext, plaintext.subarray(0, 1000));
  });

  test('decrypting with a mismatched expected context fails', async () => {
    const key = await createKey();
    const keyring = new KmsKeyringNode({ generatorKeyId: key.arn, clientProvider: clientProvider() });
    const { result } = await encrypt(keyring, Buffer.from('context matters'), { encryptionContext: { tenant: 'acme' } });
    const out = await decrypt(keyring, result);
    assert.throws(() => assertExpectedContext(out.messageHeader.encryptionContext, { tenant: 'globex' }), /encryption context mismatch/);
    assert.throws(() => assertExpectedContext(out.messageHeader.encryptionContext, { tenant: 'acme', extra: 'x' }), /encryption context mismatch/);
  });

  test('the server binds the context: a keyring that sends another context to KMS Decrypt cannot get the data key', async () => {
    const key = await createKey();
    const honest = new KmsKeyringNode({ generatorKeyId: key.arn, clientProvider: clientProvider() });
    const { result } = await encrypt(honest, Buffer.from('bound on the server'), { encryptionContext: { tenant: 'acme' } });
    for (const rewrite of [{ tenant: 'globex' }, {}, { tenant: 'acme', extra: 'x' }]) {
      const lying = new KmsKeyringNode({
        generatorKeyId: key.arn,
        clientProvider: clientProvider((command, input) => {
          if (command === 'DecryptCommand') input['EncryptionContext'] = rewrite;
        }),
      });
      await assert.rejects(decrypt(lying, result), /Unable to decrypt data key[\s\S]*InvalidCiphertextException/);
    }
  });

  test('a tampered encrypted data key is refused by KMS (InvalidCiphertextException)', async () => {
    const key = await createKey();
    const keyring = new KmsKeyringNode({ generatorKeyId: key.arn, clientProvider: clientProvider() });
    const { result, messageHeader } = await encrypt(keyring, Buffer.from('edk'), { encryptionContext: { a: 'b' } });
    const edk = Buffer.from(messageHeader.encryptedDataKeys[0]!.encryptedDataKey);
    const at = result.indexOf(edk);
    assert.ok(at > 0);
    const tampered = Buffer.from(result);
    tampered[at + edk.length - 1] = tampered[at + edk.length - 1]! ^ 0x01;
    await assert.rejects(decrypt(keyring, tampered), /Unable to decrypt data key[\s\S]*InvalidCiphertextException/);
  });

  test('a message for two keys (GenerateDataKey + Encrypt) decrypts with either; a third key cannot', async () => {
    const a = await createKey();
    const b = await createKey();
    const c = await createKey();
    calls.length = 0;
    const both = new KmsKeyringNode({ generatorKeyId: a.arn, keyIds: [b.arn], clientProvider: clientProvider() });
    const { result, messageHeader } = await encrypt(both, Buffer.from('two recipients'), { encryptionContext: { n: '2' } });
    assert.deepEqual(calls, [`GenerateDataKey ${a.arn}`, `Encrypt ${b.arn}`]);
    assert.deepEqual(messageHeader.encryptedDataKeys.map((k) => k.providerInfo), [a.arn, b.arn]);
    const onlyB = new KmsKeyringNode({ keyIds: [b.arn], clientProvider: clientProvider() });
    assert.equal((await decrypt(onlyB, result)).plaintext.toString(), 'two recipients');
    const onlyC = new KmsKeyringNode({ keyIds: [c.arn], clientProvider: clientProvider() });
    await assert.rejects(decrypt(onlyC, result));
  });

  test('a discovery keyring decrypts from the key ARN in the message', async () => {
    const key = await createKey();
    const { result } = await encrypt(new KmsKeyringNode({ generatorKeyId: key.arn, clientProvider: clientProvider() }), Buffer.from('discover me'), {
      encryptionContext: { mode: 'discovery' },
    });
    const discovery = new KmsKeyringNode({ discovery: true, clientProvider: clientProvider() });
    assert.equal((await decrypt(discovery, result)).plaintext.toString(), 'discover me');
    const filtered = new KmsKeyringNode({ discovery: true, discoveryFilter: { accountIDs: ['111122223333'], partition: 'aws' }, clientProvider: clientProvider() });
    assert.equal((await decrypt(filtered, result)).plaintext.toString(), 'discover me');
  });

  test('an alias ARN works as the generator key', async () => {
    const key = await createKey();
    const alias = `alias/${unique('esdk')}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.keyId }));
    const keyring = new KmsKeyringNode({ generatorKeyId: aliasArn(alias), clientProvider: clientProvider() });
    const { result, messageHeader } = await encrypt(keyring, Buffer.from('via alias'), { encryptionContext: { via: 'alias' } });
    assert.equal(messageHeader.encryptedDataKeys[0]?.providerInfo, key.arn, 'the EDK records the key ARN, not the alias');
    const byKey = new KmsKeyringNode({ keyIds: [key.arn], clientProvider: clientProvider() });
    assert.equal((await decrypt(byKey, result)).plaintext.toString(), 'via alias');
  });

  test('a disabled key: encryption fails with DisabledException, decryption of old messages too, until re-enabled', async () => {
    const key = await createKey();
    const keyring = new KmsKeyringNode({ generatorKeyId: key.arn, clientProvider: clientProvider() });
    const { result } = await encrypt(keyring, Buffer.from('before disable'), { encryptionContext: { k: 'v' } });
    await kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
    await assert.rejects(encrypt(keyring, Buffer.from('x'), { encryptionContext: { k: 'v' } }), (e: Error) => e.name === 'DisabledException' || /DisabledException/.test(e.message));
    await assert.rejects(decrypt(keyring, result), /DisabledException/);
    await kms.send(new EnableKeyCommand({ KeyId: key.keyId }));
    assert.equal((await decrypt(keyring, result)).plaintext.toString(), 'before disable');
  });
});
