// Every AWS KMS operation Strongroom implements, through the real @aws-sdk/client-kms (v3), with AWS's error
// names and messages (../shared/reference/aws-kms-recorded-responses.json) wherever the reference has them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  type DescribeKeyCommandInput,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  type KeyMetadata,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReEncryptCommand,
  TagResourceCommand,
  type Tag,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { kmsClient, startServer, type TestServer } from '../helpers/server.js';
import {
  ACCOUNT,
  ALIAS_PREFIX_MESSAGE,
  aliasArn,
  awsJson,
  b64,
  EMPTY,
  errorMessage,
  expectKmsError,
  expectRawError,
  INCORRECT_KEY,
  keyArn,
  OTHER_REGION,
  rawRequest,
  REGION,
  unique,
} from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
let kms: KMSClient;
let west: KMSClient;

before(async () => {
  server = await startServer();
  kms = kmsClient(server);
  west = kmsClient(server, OTHER_REGION);
});

after(async () => {
  kms?.destroy();
  west?.destroy();
  await server?.dispose();
});

type Key = KeyMetadata & { KeyId: string; Arn: string };

async function createKey(input: CreateKeyCommandInput = {}, client: KMSClient = kms): Promise<Key> {
  const out = await client.send(new CreateKeyCommand(input));
  const md = out.KeyMetadata;
  assert.ok(md?.KeyId && md.Arn);
  return md as Key;
}

async function createAlias(keyId: string, client: KMSClient = kms): Promise<string> {
  const name = `alias/${unique('interop')}`;
  await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keyId }));
  return name;
}

const sortTags = (tags: Tag[] | undefined): Tag[] => [...(tags ?? [])].sort((a, b) => (a.TagKey! < b.TagKey! ? -1 : 1));
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('CreateKey and DescribeKey', () => {
  test('CreateKey returns AWS KeyMetadata for a symmetric encryption key', async () => {
    const before = Date.now();
    const md = await createKey({ Description: 'interop key' });
    assert.match(md.KeyId, UUID);
    assert.equal(md.Arn, keyArn(md.KeyId));
    assert.equal(md.AWSAccountId, ACCOUNT);
    assert.ok(md.CreationDate instanceof Date);
    assert.ok(Math.abs(md.CreationDate.getTime() - before) < 60_000, 'CreationDate is now (epoch seconds on the wire)');
    assert.equal(md.Enabled, true);
    assert.equal(md.Description, 'interop key');
    assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.Origin, 'AWS_KMS');
    assert.equal(md.KeyManager, 'CUSTOMER');
    assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(md.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
    assert.deepEqual(md.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.equal(md.MultiRegion, false);
    assert.equal(md.DeletionDate, undefined);
    assert.equal(md.SigningAlgorithms, undefined);
    assert.equal(md.MacAlgorithms, undefined);
    assert.match(md.CurrentKeyMaterialId ?? '', /^[0-9a-f]{64}$/);
  });

  test('CreateKey with no input: empty description, explicit SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT is the same', async () => {
    const plain = await createKey();
    assert.equal(plain.Description, '');
    const explicit = await createKey({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS' });
    assert.equal(explicit.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.notEqual(explicit.KeyId, plain.KeyId);
  });

  test('CreateKey with another key spec is UnsupportedOperationException (for now)', async () => {
    await expectKmsError(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })), 'UnsupportedOperationException');
  });

  test('CreateKey with a value outside an enum is a ValidationException naming the member', async () => {
    await expectKmsError(
      kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_random' as KeySpec })),
      'ValidationException',
      /^1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[.*SYMMETRIC_DEFAULT.*\]$/,
    );
    await expectKmsError(
      kms.send(new CreateKeyCommand({ KeyUsage: 'RANDOM' as KeyUsageType })),
      'ValidationException',
      /^1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: \[.*ENCRYPT_DECRYPT.*\]$/,
    );
  });

  test('DescribeKey accepts key id, key ARN, alias name and alias ARN', async () => {
    const md = await createKey({ Description: 'four ways' });
    const alias = await createAlias(md.KeyId);
    for (const ref of [md.KeyId, md.Arn, alias, aliasArn(alias)]) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId: ref }));
      assert.equal(out.KeyMetadata?.KeyId, md.KeyId, ref);
      assert.equal(out.KeyMetadata?.Arn, md.Arn, ref);
      assert.equal(out.KeyMetadata?.Description, 'four ways', ref);
    }
  });

  test('DescribeKey of a malformed key id: NotFoundException "Invalid keyId …"', async () => {
    for (const bad of ['fake-key-id', '134f2428cec14b25a1ae9048164dba47', 'mrk-fake-key-id']) {
      await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: bad })), 'NotFoundException', `Invalid keyId '${bad}'`);
    }
  });

  test('DescribeKey of a well-formed id that does not exist: "Key \'<arn>\' does not exist"', async () => {
    const missing = '134f2428-cec1-4b25-a1ae-9048164dba47';
    const message = `Key '${keyArn(missing)}' does not exist`;
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: missing })), 'NotFoundException', message);
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: keyArn(missing) })), 'NotFoundException', message);
    const mrk = 'mrk-d3b95762d3b95762d3b95762d3b95762';
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: mrk })), 'NotFoundException', `Key '${keyArn(mrk)}' does not exist`);
  });

  test('DescribeKey of an alias that does not exist: NotFoundException "Alias <alias-arn> is not found."', async () => {
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/does-not-exist' })), 'NotFoundException', `Alias ${aliasArn('alias/does-not-exist')} is not found.`);
  });

  test('DescribeKey without KeyId: ValidationException "Value null at \'keyId\'"', async () => {
    await expectKmsError(
      kms.send(new DescribeKeyCommand({} as DescribeKeyCommandInput)),
      'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('regions scope keys', () => {
  test('a key ARN of another region is NotFoundException "Invalid arn <region>"', async () => {
    const eastKey = await createKey();
    const westKey = await createKey({}, west);
    assert.equal(westKey.Arn, keyArn(westKey.KeyId, OTHER_REGION));
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: westKey.Arn })), 'NotFoundException', `Invalid arn ${OTHER_REGION}`);
    await expectKmsError(west.send(new DescribeKeyCommand({ KeyId: eastKey.Arn })), 'NotFoundException', `Invalid arn ${REGION}`);
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: westKey.Arn, Plaintext: bytes('x') })), 'NotFoundException', `Invalid arn ${OTHER_REGION}`);
  });

  test('a client configured for another region does not see the key', async () => {
    const eastKey = await createKey();
    const alias = await createAlias(eastKey.KeyId);
    await expectKmsError(
      west.send(new DescribeKeyCommand({ KeyId: eastKey.KeyId })),
      'NotFoundException',
      `Key '${keyArn(eastKey.KeyId, OTHER_REGION)}' does not exist`,
    );
    await expectKmsError(
      west.send(new EncryptCommand({ KeyId: eastKey.KeyId, Plaintext: bytes('x') })),
      'NotFoundException',
      `Key '${keyArn(eastKey.KeyId, OTHER_REGION)}' does not exist`,
    );
    await expectKmsError(west.send(new DescribeKeyCommand({ KeyId: alias })), 'NotFoundException', `Alias ${aliasArn(alias, OTHER_REGION)} is not found.`);
    const westIds = await allKeyIds(west);
    assert.ok(!westIds.includes(eastKey.KeyId));
    const westAliases = (await west.send(new ListAliasesCommand({}))).Aliases ?? [];
    assert.ok(!westAliases.some((a) => a.AliasName === alias));

    const westKey = await createKey({}, west);
    assert.ok((await allKeyIds(west)).includes(westKey.KeyId));
    assert.ok(!(await allKeyIds(kms)).includes(westKey.KeyId));
  });

  test('the same alias name may exist in two regions, each pointing at its own key', async () => {
    const eastKey = await createKey();
    const westKey = await createKey({}, west);
    const name = `alias/${unique('both-regions')}`;
    await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: eastKey.KeyId }));
    await west.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: westKey.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata?.Arn, eastKey.Arn);
    assert.equal((await west.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata?.Arn, westKey.Arn);
  });

  test('a key ARN or alias ARN of another partition does not name the key', async () => {
    const md = await createKey();
    const alias = await createAlias(md.KeyId);
    for (const ref of [md.Arn.replace('arn:aws:', 'arn:aws-cn:'), md.Arn.replace('arn:aws:', 'arn:aws-us-gov:'), aliasArn(alias).replace('arn:aws:', 'arn:aws-cn:')]) {
      await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: ref })), 'NotFoundException');
    }
  });

  test('a ciphertext made in one region does not decrypt from another', async () => {
    const eastKey = await createKey();
    const ct = (await kms.send(new EncryptCommand({ KeyId: eastKey.KeyId, Plaintext: bytes('regional') }))).CiphertextBlob!;
    await expectKmsError(west.send(new DecryptCommand({ CiphertextBlob: ct })), 'InvalidCiphertextException', EMPTY);
  });
});

async function allKeyIds(client: KMSClient): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListKeysCommand({ Limit: 1000, ...(marker ? { Marker: marker } : {}) }));
    ids.push(...(page.Keys ?? []).map((k) => k.KeyId!));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return ids;
}

describe('ListKeys', () => {
  test('lists KeyId and KeyArn of every key, across pages with Limit/Marker/NextMarker/Truncated', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createKey());
    const all = await kms.send(new ListKeysCommand({}));
    assert.equal(all.Truncated, false);
    assert.equal(all.NextMarker, undefined);
    for (const k of all.Keys ?? []) assert.equal(k.KeyArn, keyArn(k.KeyId!));
    const total = all.Keys?.length ?? 0;
    assert.ok(total >= 5);

    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await kms.send(new ListKeysCommand({ Limit: 2, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      assert.ok((page.Keys?.length ?? 0) <= 2);
      seen.push(...(page.Keys ?? []).map((k) => k.KeyId!));
      if (!page.Truncated) {
        assert.equal(page.NextMarker, undefined, 'no NextMarker on the last page');
        break;
      }
      assert.ok(page.NextMarker, 'NextMarker when Truncated');
      assert.equal(page.Keys?.length, 2, 'a truncated page is full');
      marker = page.NextMarker;
    }
    assert.equal(pages, Math.ceil(total / 2));
    assert.equal(new Set(seen).size, seen.length, 'no key listed twice');
    assert.deepEqual([...seen].sort(), (all.Keys ?? []).map((k) => k.KeyId!).sort());
    for (const k of created) assert.ok(seen.includes(k.KeyId));
  });

  test('Limit out of range and a bad Marker are rejected', async () => {
    await expectKmsError(
      kms.send(new ListKeysCommand({ Limit: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectKmsError(
      kms.send(new ListKeysCommand({ Limit: 1001 })),
      'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    await expectKmsError(kms.send(new ListKeysCommand({ Marker: 'not-a-marker' })), 'InvalidMarkerException');
  });
});

describe('Encrypt and Decrypt', () => {
  test('round trip with the key named by id, ARN, alias and alias ARN; responses carry the key ARN', async () => {
    const md = await createKey();
    const alias = await createAlias(md.KeyId);
    const plaintext = Buffer.from([...Array(256).keys()]);
    for (const ref of [md.KeyId, md.Arn, alias, aliasArn(alias)]) {
      const enc = await kms.send(new EncryptCommand({ KeyId: ref, Plaintext: plaintext }));
      assert.equal(enc.KeyId, md.Arn, `Encrypt KeyId for ${ref}`);
      assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
      assert.ok(enc.CiphertextBlob && enc.CiphertextBlob.length > plaintext.length);
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
      assert.equal(dec.KeyId, md.Arn);
      assert.equal(dec.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
      const withKey = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: ref, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }));
      assert.deepEqual(Buffer.from(withKey.Plaintext!), plaintext);
    }
  });

  test('each Encrypt gives a different ciphertext of the same plaintext', async () => {
    const md = await createKey();
    const a = await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('same') }));
    const b = await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('same') }));
    assert.notDeepEqual(Buffer.from(a.CiphertextBlob!), Buffer.from(b.CiphertextBlob!));
  });

  test('the encryption context is bound: same context in any order decrypts, anything else is InvalidCiphertextException with an empty message', async () => {
    const md = await createKey();
    const context = { purpose: 'interop', team: 'blue', 'ünïcode': '✓' };
    const ct = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('bound'), EncryptionContext: context }))).CiphertextBlob!;
    const reordered = { team: 'blue', 'ünïcode': '✓', purpose: 'interop' };
    const ok = await kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: reordered }));
    assert.equal(Buffer.from(ok.Plaintext!).toString(), 'bound');
    const wrongs: Array<Record<string, string> | undefined> = [undefined, {}, { purpose: 'interop', team: 'blue' }, { ...context, team: 'red' }, { ...context, extra: 'x' }];
    for (const wrong of wrongs) {
      await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: ct, ...(wrong ? { EncryptionContext: wrong } : {}) })), 'InvalidCiphertextException', EMPTY);
    }
    // On the wire: AWS's empty message.
    const raw = await awsJson(server, 'Decrypt', { CiphertextBlob: b64(ct), EncryptionContext: { purpose: 'other' } });
    expectRawError(raw, 'InvalidCiphertextException', '');
  });

  test('a ciphertext made without context does not decrypt with one', async () => {
    const md = await createKey();
    const ct = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('no context') }))).CiphertextBlob!;
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { a: 'b' } })), 'InvalidCiphertextException', EMPTY);
  });

  test('Decrypt naming another key: IncorrectKeyException', async () => {
    const a = await createKey();
    const b = await createKey();
    const ct = (await kms.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: bytes('for a') }))).CiphertextBlob!;
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: ct, KeyId: b.KeyId })), 'IncorrectKeyException', INCORRECT_KEY);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: ct, KeyId: b.Arn })), 'IncorrectKeyException', INCORRECT_KEY);
  });

  test('Decrypt of bytes that are not a ciphertext: InvalidCiphertextException', async () => {
    for (const junk of [Buffer.from('not a ciphertext'), randomBytes(100), Buffer.from([1])]) {
      await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: junk })), 'InvalidCiphertextException', EMPTY);
    }
  });

  test('plaintext size limits: 1..4096 bytes', async () => {
    const md = await createKey();
    const max = randomBytes(4096);
    const ct = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: max }))).CiphertextBlob!;
    assert.deepEqual(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!), max);
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: randomBytes(4097) })),
      'ValidationException',
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: new Uint8Array(0) })),
      'ValidationException',
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  test('Encrypt with a key that does not exist, or an asymmetric algorithm', async () => {
    const missing = '0b0a1e2c-0000-4000-8000-000000000000';
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: missing, Plaintext: bytes('x') })), 'NotFoundException', `Key '${keyArn(missing)}' does not exist`);
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: 'fake-key-id', Plaintext: bytes('x') })), 'NotFoundException', "Invalid keyId 'fake-key-id'");
    const md = await createKey();
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidKeyUsageException');
  });
});

describe('ReEncrypt', () => {
  test('moves a ciphertext between two keys and two contexts', async () => {
    const a = await createKey();
    const b = await createKey();
    const ctxA = { stage: 'source' };
    const ctxB = { stage: 'destination', extra: '1' };
    const ct = (await kms.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: bytes('moving'), EncryptionContext: ctxA }))).CiphertextBlob!;
    const re = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: ct, SourceEncryptionContext: ctxA, DestinationKeyId: b.KeyId, DestinationEncryptionContext: ctxB }),
    );
    assert.equal(re.SourceKeyId, a.Arn);
    assert.equal(re.KeyId, b.Arn);
    assert.equal(re.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(re.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: ctxB }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'moving');
    assert.equal(dec.KeyId, b.Arn);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: ctxA })), 'InvalidCiphertextException', EMPTY);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, KeyId: a.KeyId, EncryptionContext: ctxB })), 'IncorrectKeyException', INCORRECT_KEY);
    // The source ciphertext still decrypts under A.
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: ctxA }))).Plaintext!).toString(), 'moving');
  });

  test('SourceKeyId and DestinationKeyId accept aliases; same key with a new context works', async () => {
    const a = await createKey();
    const alias = await createAlias(a.KeyId);
    const ct = (await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: bytes('rotate context'), EncryptionContext: { v: '1' } }))).CiphertextBlob!;
    const re = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: ct, SourceKeyId: alias, SourceEncryptionContext: { v: '1' }, DestinationKeyId: aliasArn(alias), DestinationEncryptionContext: { v: '2' } }),
    );
    assert.equal(re.SourceKeyId, a.Arn);
    assert.equal(re.KeyId, a.Arn);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'rotate context');
  });

  test('errors: wrong SourceKeyId, wrong source context, missing or disabled destination', async () => {
    const a = await createKey();
    const b = await createKey();
    const ct = (await kms.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: bytes('x'), EncryptionContext: { k: 'v' } }))).CiphertextBlob!;
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: ct, SourceKeyId: b.KeyId, SourceEncryptionContext: { k: 'v' }, DestinationKeyId: b.KeyId })),
      'IncorrectKeyException',
      INCORRECT_KEY,
    );
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: ct, SourceEncryptionContext: { k: 'other' }, DestinationKeyId: b.KeyId })),
      'InvalidCiphertextException',
      EMPTY,
    );
    const missing = '6b1d1a2c-0000-4000-8000-000000000001';
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: ct, SourceEncryptionContext: { k: 'v' }, DestinationKeyId: missing })),
      'NotFoundException',
      `Key '${keyArn(missing)}' does not exist`,
    );
    await kms.send(new DisableKeyCommand({ KeyId: b.KeyId }));
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: ct, SourceEncryptionContext: { k: 'v' }, DestinationKeyId: b.KeyId })),
      'DisabledException',
      `${b.Arn} is disabled.`,
    );
    await kms.send(new DisableKeyCommand({ KeyId: a.KeyId }));
    await kms.send(new EnableKeyCommand({ KeyId: b.KeyId }));
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: ct, SourceEncryptionContext: { k: 'v' }, DestinationKeyId: b.KeyId })),
      'DisabledException',
      `${a.Arn} is disabled.`,
    );
  });
});

describe('GenerateDataKey and GenerateDataKeyWithoutPlaintext', () => {
  test('the plaintext data key decrypts from the CiphertextBlob (AES_256, AES_128, NumberOfBytes)', async () => {
    const md = await createKey();
    const context = { file: 'report.pdf' };
    for (const [spec, length] of [[{ KeySpec: 'AES_256' as const }, 32], [{ KeySpec: 'AES_128' as const }, 16], [{ NumberOfBytes: 1 }, 1], [{ NumberOfBytes: 64 }, 64], [{ NumberOfBytes: 1024 }, 1024]] as const) {
      const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, EncryptionContext: context, ...spec }));
      assert.equal(dk.KeyId, md.Arn);
      assert.equal(dk.Plaintext?.length, length, JSON.stringify(spec));
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: context }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(dk.Plaintext!));
      assert.equal(dec.KeyId, md.Arn);
      await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob })), 'InvalidCiphertextException', EMPTY);
    }
  });

  test('data keys differ from call to call', async () => {
    const md = await createKey();
    const a = await kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' }));
    const b = await kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' }));
    assert.notDeepEqual(Buffer.from(a.Plaintext!), Buffer.from(b.Plaintext!));
  });

  test('WithoutPlaintext returns only the ciphertext, which decrypts to a key of the asked size', async () => {
    const md = await createKey();
    const alias = await createAlias(md.KeyId);
    const dk = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: alias, KeySpec: 'AES_256', EncryptionContext: { a: 'b' } }));
    assert.equal(dk.KeyId, md.Arn);
    assert.equal((dk as { Plaintext?: unknown }).Plaintext, undefined);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { a: 'b' } }));
    assert.equal(dec.Plaintext?.length, 32);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob })), 'InvalidCiphertextException', EMPTY);
    const n = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.Arn, NumberOfBytes: 7 }));
    assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: n.CiphertextBlob }))).Plaintext?.length, 7);
  });

  test('NumberOfBytes and KeySpec validation', async () => {
    const md = await createKey();
    await expectKmsError(
      kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, NumberOfBytes: 1025 })),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
    await expectKmsError(
      kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, NumberOfBytes: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectKmsError(kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId })), 'ValidationException');
    await expectKmsError(kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 })), 'ValidationException');
    await expectKmsError(
      kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_512' as 'AES_256' })),
      'ValidationException',
      /^1 validation error detected: Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
  });
});

describe('GenerateRandom', () => {
  test('returns the number of bytes asked for (1..1024), different every time', async () => {
    for (const n of [1, 12, 44, 91, 1024]) {
      const out = await kms.send(new GenerateRandomCommand({ NumberOfBytes: n }));
      assert.equal(out.Plaintext?.length, n);
    }
    const a = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    const b = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    assert.notDeepEqual(Buffer.from(a.Plaintext!), Buffer.from(b.Plaintext!));
  });

  test('NumberOfBytes missing, 0 or 1025: AWS messages', async () => {
    await expectKmsError(kms.send(new GenerateRandomCommand({})), 'ValidationException', 'NumberOfBytes is required.');
    await expectKmsError(
      kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectKmsError(
      kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });
});

describe('aliases', () => {
  test('CreateAlias then ListAliases shows AliasName, AliasArn, TargetKeyId and dates', async () => {
    const md = await createKey();
    const name = `alias/${unique('listed')}`;
    await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: md.Arn }));
    const aliases = (await kms.send(new ListAliasesCommand({ KeyId: md.KeyId }))).Aliases ?? [];
    assert.equal(aliases.length, 1);
    const [entry] = aliases;
    assert.equal(entry?.AliasName, name);
    assert.equal(entry?.AliasArn, aliasArn(name));
    assert.equal(entry?.TargetKeyId, md.KeyId);
    assert.ok(entry?.CreationDate instanceof Date);
    assert.ok(entry?.LastUpdatedDate instanceof Date);
    const byArn = (await kms.send(new ListAliasesCommand({ KeyId: md.Arn }))).Aliases ?? [];
    assert.deepEqual(byArn.map((a) => a.AliasName), [name]);
    const everything = (await kms.send(new ListAliasesCommand({ Limit: 100 }))).Aliases ?? [];
    assert.ok(everything.some((a) => a.AliasName === name));
  });

  test('CreateAlias errors: prefix, reserved prefix, bad characters, duplicate, missing key', async () => {
    const md = await createKey();
    await expectKmsError(kms.send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: md.KeyId })), 'ValidationException', ALIAS_PREFIX_MESSAGE);
    // AWS reserves alias/aws/ for AWS managed keys (the reference has no recorded error for it).
    const reserved = kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/interop', TargetKeyId: md.KeyId }));
    await assert.rejects(reserved, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 400);
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/bad name!', TargetKeyId: md.KeyId })),
      'ValidationException',
      /^1 validation error detected: Value 'alias\/bad name!' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const name = await createAlias(md.KeyId);
    await expectKmsError(kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: md.KeyId })), 'AlreadyExistsException', `An alias with the name ${aliasArn(name)} already exists`);
    const missing = '5c1d1a2c-0000-4000-8000-000000000002';
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: `alias/${unique('orphan')}`, TargetKeyId: missing })),
      'NotFoundException',
      `Key '${keyArn(missing)}' does not exist`,
    );
    const listed = (await kms.send(new ListAliasesCommand({ KeyId: md.KeyId }))).Aliases ?? [];
    assert.deepEqual(listed.map((a) => a.AliasName), [name], 'no failed CreateAlias left an alias behind');
  });

  test('UpdateAlias points the alias at another key', async () => {
    const a = await createKey();
    const b = await createKey();
    const name = await createAlias(a.KeyId);
    await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: b.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata?.Arn, b.Arn);
    const enc = await kms.send(new EncryptCommand({ KeyId: name, Plaintext: bytes('x') }));
    assert.equal(enc.KeyId, b.Arn);
    const entry = ((await kms.send(new ListAliasesCommand({ KeyId: b.KeyId }))).Aliases ?? [])[0];
    assert.equal(entry?.AliasName, name);
    assert.equal(entry?.TargetKeyId, b.KeyId);
    assert.ok(entry!.LastUpdatedDate!.getTime() >= entry!.CreationDate!.getTime());
    assert.deepEqual((await kms.send(new ListAliasesCommand({ KeyId: a.KeyId }))).Aliases ?? [], []);
    await expectKmsError(kms.send(new UpdateAliasCommand({ AliasName: 'alias/never-created', TargetKeyId: b.KeyId })), 'NotFoundException');
  });

  test('DeleteAlias removes the alias; the key stays', async () => {
    const md = await createKey();
    const name = await createAlias(md.KeyId);
    await kms.send(new DeleteAliasCommand({ AliasName: name }));
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: name })), 'NotFoundException', `Alias ${aliasArn(name)} is not found.`);
    await expectKmsError(kms.send(new DeleteAliasCommand({ AliasName: name })), 'NotFoundException');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata?.KeyState, 'Enabled');
  });

  test('ListAliases pages with Limit/Marker', async () => {
    const md = await createKey();
    const names: string[] = [];
    for (let i = 0; i < 5; i++) names.push(await createAlias(md.KeyId));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await kms.send(new ListAliasesCommand({ KeyId: md.KeyId, Limit: 2, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      seen.push(...(page.Aliases ?? []).map((a) => a.AliasName!));
      if (!page.Truncated) {
        assert.equal(page.NextMarker, undefined);
        break;
      }
      assert.equal(page.Aliases?.length, 2);
      marker = page.NextMarker;
      assert.ok(marker);
    }
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...names].sort());
    await expectKmsError(
      kms.send(new ListAliasesCommand({ Limit: 101 })),
      'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });
});

describe('tags', () => {
  test('CreateKey with tags, TagResource updates and adds, UntagResource removes', async () => {
    const md = await createKey({ Tags: [{ TagKey: 'tag1', TagValue: 'value1' }, { TagKey: 'tag2', TagValue: 'value2' }, { TagKey: 'tag3', TagValue: 'value3' }] });
    assert.deepEqual(sortTags((await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags), [
      { TagKey: 'tag1', TagValue: 'value1' },
      { TagKey: 'tag2', TagValue: 'value2' },
      { TagKey: 'tag3', TagValue: 'value3' },
    ]);
    await kms.send(new TagResourceCommand({ KeyId: md.Arn, Tags: [{ TagKey: 'tag4', TagValue: 'value4' }, { TagKey: 'tag2', TagValue: 'updated_value2' }, { TagKey: 'tag5', TagValue: 'value5' }] }));
    const updated = await kms.send(new ListResourceTagsCommand({ KeyId: md.Arn }));
    assert.equal(updated.Truncated, false);
    assert.deepEqual(sortTags(updated.Tags), [
      { TagKey: 'tag1', TagValue: 'value1' },
      { TagKey: 'tag2', TagValue: 'updated_value2' },
      { TagKey: 'tag3', TagValue: 'value3' },
      { TagKey: 'tag4', TagValue: 'value4' },
      { TagKey: 'tag5', TagValue: 'value5' },
    ]);
    await kms.send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['tag2', 'not-there'] }));
    assert.deepEqual(
      sortTags((await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags).map((t) => t.TagKey),
      ['tag1', 'tag3', 'tag4', 'tag5'],
    );
    await kms.send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['tag1', 'tag3', 'tag4', 'tag5'] }));
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags, []);
    // An empty tag value is allowed (0–256 characters).
    await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'empty', TagValue: '' }] }));
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags, [{ TagKey: 'empty', TagValue: '' }]);
  });

  test('TagException: duplicate keys, reserved aws: prefix, too many tags — and nothing changes', async () => {
    const md = await createKey({ Tags: [{ TagKey: 'keep', TagValue: 'me' }] });
    await expectKmsError(
      kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'tag1', TagValue: 'value1' }, { TagKey: 'tag1', TagValue: 'another-value1' }] })),
      'TagException',
      'Duplicate tag keys',
    );
    await expectKmsError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'aws:key1', TagValue: 'value1' }] })), 'TagException', 'Tags beginning with aws: are reserved');
    const many = Array.from({ length: 50 }, (_, i) => ({ TagKey: `k${i}`, TagValue: `v${i}` }));
    await expectKmsError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: many })), 'TagException', 'Too many tags');
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags, [{ TagKey: 'keep', TagValue: 'me' }]);

    const before = (await allKeyIds(kms)).length;
    await expectKmsError(kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'd', TagValue: '1' }, { TagKey: 'd', TagValue: '2' }] })), 'TagException', 'Duplicate tag keys');
    await expectKmsError(kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:key1', TagValue: 'value1' }] })), 'TagException', 'Tags beginning with aws: are reserved');
    await expectKmsError(
      kms.send(new CreateKeyCommand({ Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `key${i}`, TagValue: `value${i}` })) })),
      'TagException',
      'Too many tags',
    );
    assert.equal((await allKeyIds(kms)).length, before, 'no key created by a refused CreateKey');
    const fifty = await createKey({ Tags: many });
    assert.equal((await kms.send(new ListResourceTagsCommand({ KeyId: fifty.KeyId }))).Tags?.length, 50);
  });

  test('the reserved prefix is case-insensitive: AWS:key1 is refused too (recorded AWS response)', async () => {
    await expectKmsError(kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'AWS:key1', TagValue: 'value1' }] })), 'TagException', 'Tags beginning with aws: are reserved');
    const md = await createKey();
    await expectKmsError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'AWS:key1', TagValue: 'value1' }] })), 'TagException', 'Tags beginning with aws: are reserved');
  });

  test('tag key over 128 and tag value over 256 characters: ValidationException', async () => {
    const longValue = 'v'.repeat(257);
    await expectKmsError(
      kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'tag1', TagValue: longValue }] })),
      'ValidationException',
      `1 validation error detected: Value '${longValue}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    const longKey = 'a'.repeat(129);
    await expectKmsError(
      kms.send(new CreateKeyCommand({ Tags: [{ TagKey: longKey, TagValue: 'value1' }] })),
      'ValidationException',
      `1 validation error detected: Value '${longKey}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    const md = await createKey();
    await expectKmsError(
      kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'ok', TagValue: 'x' }, { TagKey: 'tag2', TagValue: longValue }] })),
      'ValidationException',
      `1 validation error detected: Value '${longValue}' at 'tags.2.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags, []);
  });

  test('ListResourceTags pages with Limit/Marker', async () => {
    const tags = Array.from({ length: 7 }, (_, i) => ({ TagKey: `t${i}`, TagValue: `v${i}` }));
    const md = await createKey({ Tags: tags });
    const seen: Tag[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId, Limit: 3, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      seen.push(...(page.Tags ?? []));
      if (!page.Truncated) {
        assert.equal(page.NextMarker, undefined);
        break;
      }
      assert.equal(page.Tags?.length, 3);
      marker = page.NextMarker;
      assert.ok(marker);
    }
    assert.equal(pages, 3);
    assert.deepEqual(sortTags(seen), sortTags(tags));
  });

  test('ListResourceTags takes a key id or key ARN, not an alias (reference §1.2)', async () => {
    const md = await createKey({ Tags: [{ TagKey: 'a', TagValue: 'b' }] });
    const alias = await createAlias(md.KeyId);
    await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId: alias })), 'NotFoundException');
    await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId: aliasArn(alias) })), 'NotFoundException');
  });

  test('tag operations on a key that does not exist: NotFoundException', async () => {
    const missing = '7a1d1a2c-0000-4000-8000-000000000003';
    const message = `Key '${keyArn(missing)}' does not exist`;
    await expectKmsError(kms.send(new TagResourceCommand({ KeyId: missing, Tags: [{ TagKey: 'a', TagValue: 'b' }] })), 'NotFoundException', message);
    await expectKmsError(kms.send(new UntagResourceCommand({ KeyId: missing, TagKeys: ['a'] })), 'NotFoundException', message);
    await expectKmsError(kms.send(new ListResourceTagsCommand({ KeyId: missing })), 'NotFoundException', message);
  });
});

describe('UpdateKeyDescription', () => {
  test('changes the description (by id or ARN)', async () => {
    const md = await createKey({ Description: 'old' });
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'new' }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata?.Description, 'new');
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.Arn, Description: '' }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: md.Arn }))).KeyMetadata?.Description, '');
  });

  test('errors: missing key, description over 8192 characters', async () => {
    const missing = '8a1d1a2c-0000-4000-8000-000000000004';
    await expectKmsError(kms.send(new UpdateKeyDescriptionCommand({ KeyId: missing, Description: 'x' })), 'NotFoundException', `Key '${keyArn(missing)}' does not exist`);
    const md = await createKey({ Description: 'unchanged' });
    await expectKmsError(kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'd'.repeat(8193) })), 'ValidationException');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata?.Description, 'unchanged');
  });
});

describe('DisableKey and EnableKey', () => {
  test('disable → Encrypt/GenerateDataKey/Decrypt fail with DisabledException → enable → all work again', async () => {
    const md = await createKey();
    const alias = await createAlias(md.KeyId);
    const ct = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('before') }))).CiphertextBlob!;
    await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
    const disabled = (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    assert.equal(disabled.KeyState, 'Disabled');
    assert.equal(disabled.Enabled, false);
    const message = `${md.Arn} is disabled.`;
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('x') })), 'DisabledException', message);
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: alias, Plaintext: bytes('x') })), 'DisabledException', message);
    await expectKmsError(kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' })), 'DisabledException', message);
    await expectKmsError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' })), 'DisabledException', message);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: ct })), 'DisabledException', message);
    // Disabling twice is fine; management operations still work on a disabled key.
    await kms.send(new DisableKeyCommand({ KeyId: md.Arn }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'while disabled' }));
    await kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
    const enabled = (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    assert.equal(enabled.KeyState, 'Enabled');
    assert.equal(enabled.Enabled, true);
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!).toString(), 'before');
    const again = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: bytes('after') }));
    assert.equal(again.KeyId, md.Arn);
    await kms.send(new EnableKeyCommand({ KeyId: md.Arn }));
  });

  test('EnableKey and DisableKey of a missing key: NotFoundException', async () => {
    const missing = '9a1d1a2c-0000-4000-8000-000000000005';
    await expectKmsError(kms.send(new EnableKeyCommand({ KeyId: missing })), 'NotFoundException', `Key '${keyArn(missing)}' does not exist`);
    await expectKmsError(kms.send(new DisableKeyCommand({ KeyId: missing })), 'NotFoundException', `Key '${keyArn(missing)}' does not exist`);
  });
});

describe('DryRun', () => {
  const DRY_RUN = 'The request would have succeeded, but the DryRun option is set.';

  test('DryRun on cryptographic operations: DryRunOperationException, nothing returned', async () => {
    const md = await createKey();
    const other = await createKey();
    const ct = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('dry') }))).CiphertextBlob!;
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: bytes('dry'), DryRun: true })), 'DryRunOperationException', DRY_RUN);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: ct, DryRun: true })), 'DryRunOperationException', DRY_RUN);
    await expectKmsError(kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', DryRun: true })), 'DryRunOperationException', DRY_RUN);
    await expectKmsError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', DryRun: true })), 'DryRunOperationException', DRY_RUN);
    await expectKmsError(kms.send(new ReEncryptCommand({ CiphertextBlob: ct, DestinationKeyId: other.KeyId, DryRun: true })), 'DryRunOperationException', DRY_RUN);
  });
});

describe('wire protocol (hand-signed requests)', () => {
  test('a successful call answers application/x-amz-json-1.1 with x-amzn-RequestId', async () => {
    const res = await awsJson(server, 'GenerateRandom', { NumberOfBytes: 16 });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-amz-json-1\.1/);
    assert.ok(res.headers['x-amzn-requestid']);
    assert.equal(Buffer.from(String(res.json?.['Plaintext']), 'base64').length, 16);
  });

  test('void operations answer 200 with an empty JSON object (or nothing)', async () => {
    const md = await createKey();
    const res = await awsJson(server, 'DisableKey', { KeyId: md.KeyId });
    assert.equal(res.status, 200);
    assert.ok(res.text === '' || res.text === '{}', res.text);
    await kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
  });

  test('errors are {"__type","message"} with HTTP 400', async () => {
    const res = await awsJson(server, 'DescribeKey', { KeyId: 'fake-key-id' });
    expectRawError(res, 'NotFoundException', "Invalid keyId 'fake-key-id'");
    assert.equal(res.json?.['__type'], 'NotFoundException');
  });

  test('an unknown X-Amz-Target: UnknownOperationException', async () => {
    for (const target of ['TrentService.NoSuchOperation', 'TrentService.', 'SomeOtherService.ListKeys', 'TrentService.listkeys']) {
      const res = await rawRequest(server, { target, body: '{}' });
      expectRawError(res, 'UnknownOperationException');
    }
  });

  test('malformed JSON and wrongly typed members: SerializationException', async () => {
    for (const body of ['{"KeyId": ', 'not json at all', '[]', '"string"', '{"NumberOfBytes":"12"}', '{"NumberOfBytes":12.5}']) {
      const res = await rawRequest(server, { target: 'TrentService.GenerateRandom', body });
      expectRawError(res, 'SerializationException');
    }
    const md = await createKey();
    for (const body of [{ KeyId: md.KeyId, Plaintext: 'not base64!!' }, { KeyId: 42, Plaintext: 'AA==' }, { KeyId: md.KeyId, Plaintext: 'AA==', EncryptionContext: 'x' }]) {
      const res = await rawRequest(server, { target: 'TrentService.Encrypt', body: JSON.stringify(body) });
      assert.equal(res.status, 400, res.text);
      assert.ok(['SerializationException', 'ValidationException'].includes(String(res.json?.['__type'])), res.text);
    }
  });

  test('the message of InvalidCiphertextException is empty on the wire', async () => {
    const res = await awsJson(server, 'Decrypt', { CiphertextBlob: randomBytes(80).toString('base64') });
    expectRawError(res, 'InvalidCiphertextException');
    assert.equal(errorMessage(res), '');
  });
});

describe('STS GetCallerIdentity', () => {
  test('answers the account and an ARN through @aws-sdk/client-sts', async () => {
    const sts = new STSClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }, maxAttempts: 1 });
    try {
      const me = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(me.Account, ACCOUNT);
      assert.match(me.Arn ?? '', new RegExp(`^arn:aws:[a-z]+::${ACCOUNT}:`));
      assert.ok(me.UserId);
    } finally {
      sts.destroy();
    }
  });
});
