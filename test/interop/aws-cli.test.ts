// The AWS CLI v1 (`aws`, Python/botocore) and boto3 against Strongroom, hermetically: credentials and region
// from the environment only, no shared config or credentials files, --endpoint-url to the test server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../helpers/server.js';
import { ACCOUNT, aliasArn, keyArn, REGION, unique } from './support.js';

const run = promisify(execFile);

let server: TestServer;
let dir: string;

before(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'strongroom-cli-'));
});

after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await server?.dispose();
});

/** The environment of every CLI/boto3 run: nothing from the developer's AWS setup leaks in. */
function hermeticEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('BOTO')) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function aws(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run('aws', [...args, '--endpoint-url', server.url, '--output', 'json'], { env: hermeticEnv(), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Runs `aws …` and parses its JSON output; fails the test with the CLI's stderr otherwise. */
async function awsOk<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws ${args.join(' ')} failed:\n${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}

/** The CLI's one-line rendering of an AWS error. */
function cliError(r: Result, code: string, operation: string, message?: string): void {
  assert.notEqual(r.code, 0, `expected ${code}, the CLI succeeded: ${r.stdout}`);
  // botocore may add " (reached max retries: N)" after the operation name.
  const m = /An error occurred \((\w+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: ?(.*)$/m.exec(r.stderr);
  assert.ok(m, `stderr: ${r.stderr}`);
  assert.equal(m[1], code, r.stderr);
  assert.equal(m[2], operation, r.stderr);
  if (message !== undefined) assert.equal(m[3], message, r.stderr);
}

function file(name: string, content: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

interface KeyMetadata {
  KeyId: string;
  Arn: string;
  KeyState: string;
  Description: string;
  AWSAccountId: string;
  CreationDate: number;
  Enabled: boolean;
}

describe('AWS CLI v1', () => {
  let key: KeyMetadata;
  let alias: string;

  test('aws sts get-caller-identity', async () => {
    const me = await awsOk<{ Account: string; Arn: string; UserId: string }>('sts', 'get-caller-identity');
    assert.equal(me.Account, ACCOUNT);
    assert.match(me.Arn, new RegExp(`^arn:aws:[a-z]+::${ACCOUNT}:`));
    assert.ok(me.UserId);
  });

  test('aws kms create-key, create-alias, describe-key, list-keys, list-aliases, list-resource-tags', async () => {
    const created = await awsOk<{ KeyMetadata: KeyMetadata }>('kms', 'create-key', '--description', 'cli key', '--tags', 'TagKey=team,TagValue=cli');
    key = created.KeyMetadata;
    assert.equal(key.Arn, keyArn(key.KeyId));
    assert.equal(key.AWSAccountId, ACCOUNT);
    assert.equal(key.KeyState, 'Enabled');
    assert.equal(key.Description, 'cli key');
    assert.equal(typeof key.CreationDate, 'number', 'epoch seconds, as botocore prints them');
    assert.ok(Math.abs(key.CreationDate * 1000 - Date.now()) < 60_000);

    alias = `alias/${unique('cli')}`;
    await awsOk('kms', 'create-alias', '--alias-name', alias, '--target-key-id', key.KeyId);
    const refs = [key.KeyId, key.Arn, alias, aliasArn(alias)];
    const [described, keys, aliases, tags] = await Promise.all([
      Promise.all(refs.map((ref) => awsOk<{ KeyMetadata: KeyMetadata }>('kms', 'describe-key', '--key-id', ref))),
      awsOk<{ Keys: Array<{ KeyId: string; KeyArn: string }> }>('kms', 'list-keys'),
      awsOk<{ Aliases: Array<{ AliasName: string; TargetKeyId: string; AliasArn: string }> }>('kms', 'list-aliases', '--key-id', key.KeyId),
      awsOk<{ Tags: Array<{ TagKey: string; TagValue: string }> }>('kms', 'list-resource-tags', '--key-id', key.KeyId),
    ]);
    described.forEach((d, i) => assert.equal(d.KeyMetadata.Arn, key.Arn, refs[i]));
    assert.ok(keys.Keys.some((k) => k.KeyId === key.KeyId && k.KeyArn === key.Arn));
    assert.deepEqual(aliases.Aliases.map((a) => [a.AliasName, a.TargetKeyId, a.AliasArn]), [[alias, key.KeyId, aliasArn(alias)]]);
    assert.deepEqual(tags.Tags, [{ TagKey: 'team', TagValue: 'cli' }]);
  });

  test('aws kms encrypt / decrypt with fileb:// and --encryption-context', async () => {
    assert.ok(key, 'needs the key of the previous test');
    const plaintext = Buffer.concat([Buffer.from('binary \u00ff\u0000 payload: '), Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80])]);
    const enc = await awsOk<{ CiphertextBlob: string; KeyId: string; EncryptionAlgorithm: string }>(
      'kms', 'encrypt', '--key-id', alias, '--plaintext', `fileb://${file('plain.bin', plaintext)}`, '--encryption-context', 'purpose=cli,team=blue',
    );
    assert.equal(enc.KeyId, key.Arn);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const ctPath = file('cipher.bin', Buffer.from(enc.CiphertextBlob, 'base64'));

    const [dec, query, wrongContext, noContext] = await Promise.all([
      awsOk<{ Plaintext: string; KeyId: string }>('kms', 'decrypt', '--ciphertext-blob', `fileb://${ctPath}`, '--encryption-context', 'team=blue,purpose=cli'),
      // JSON context syntax, KeyId given, and --query on the one blob.
      aws('kms', 'decrypt', '--ciphertext-blob', `fileb://${ctPath}`, '--encryption-context', '{"purpose":"cli","team":"blue"}', '--key-id', key.KeyId, '--query', 'Plaintext'),
      aws('kms', 'decrypt', '--ciphertext-blob', `fileb://${ctPath}`, '--encryption-context', 'purpose=cli,team=red'),
      aws('kms', 'decrypt', '--ciphertext-blob', `fileb://${ctPath}`),
    ]);
    assert.deepEqual(Buffer.from(dec.Plaintext, 'base64'), plaintext);
    assert.equal(dec.KeyId, key.Arn);
    assert.equal(query.code, 0, query.stderr);
    assert.deepEqual(Buffer.from(JSON.parse(query.stdout) as string, 'base64'), plaintext);
    cliError(wrongContext, 'InvalidCiphertextException', 'Decrypt', '');
    cliError(noContext, 'InvalidCiphertextException', 'Decrypt', '');
  });

  test('aws kms generate-data-key, re-encrypt, generate-random', async () => {
    assert.ok(key, 'needs the key of the previous test');
    const dk = await awsOk<{ Plaintext: string; CiphertextBlob: string; KeyId: string }>('kms', 'generate-data-key', '--key-id', key.KeyId, '--key-spec', 'AES_256', '--encryption-context', 'file=a.txt');
    assert.equal(dk.KeyId, key.Arn);
    assert.equal(Buffer.from(dk.Plaintext, 'base64').length, 32);
    const dkPath = file('dk.bin', Buffer.from(dk.CiphertextBlob, 'base64'));
    const [back, created, random] = await Promise.all([
      awsOk<{ Plaintext: string }>('kms', 'decrypt', '--ciphertext-blob', `fileb://${dkPath}`, '--encryption-context', 'file=a.txt'),
      awsOk<{ KeyMetadata: KeyMetadata }>('kms', 'create-key'),
      awsOk<{ Plaintext: string }>('kms', 'generate-random', '--number-of-bytes', '16'),
    ]);
    assert.equal(back.Plaintext, dk.Plaintext);
    assert.equal(Buffer.from(random.Plaintext, 'base64').length, 16);
    const other = created.KeyMetadata;
    const re = await awsOk<{ CiphertextBlob: string; KeyId: string; SourceKeyId: string }>(
      'kms', 're-encrypt', '--ciphertext-blob', `fileb://${dkPath}`, '--source-encryption-context', 'file=a.txt',
      '--destination-key-id', other.KeyId, '--destination-encryption-context', 'file=b.txt',
    );
    assert.equal(re.SourceKeyId, key.Arn);
    assert.equal(re.KeyId, other.Arn);
    const rePath = file('re.bin', Buffer.from(re.CiphertextBlob, 'base64'));
    const reBack = await awsOk<{ Plaintext: string; KeyId: string }>('kms', 'decrypt', '--ciphertext-blob', `fileb://${rePath}`, '--encryption-context', 'file=b.txt');
    assert.equal(reBack.Plaintext, dk.Plaintext);
    assert.equal(reBack.KeyId, other.Arn);
  });

  test('aws kms disable-key / enable-key and the errors the CLI shows', async () => {
    assert.ok(key, 'needs the key of the previous test');
    const p = file('small.bin', Buffer.from('x'));
    await awsOk('kms', 'disable-key', '--key-id', key.KeyId);
    cliError(await aws('kms', 'encrypt', '--key-id', key.KeyId, '--plaintext', `fileb://${p}`), 'DisabledException', 'Encrypt', `${key.Arn} is disabled.`);
    await awsOk('kms', 'enable-key', '--key-id', key.KeyId);
    const [, notFound, tooMany] = await Promise.all([
      awsOk('kms', 'encrypt', '--key-id', key.KeyId, '--plaintext', `fileb://${p}`),
      aws('kms', 'describe-key', '--key-id', 'fake-key-id'),
      aws('kms', 'generate-random', '--number-of-bytes', '1025'),
      awsOk('kms', 'update-key-description', '--key-id', key.KeyId, '--description', 'renamed by cli'),
    ]);
    cliError(notFound, 'NotFoundException', 'DescribeKey', "Invalid keyId 'fake-key-id'");
    cliError(
      tooMany,
      'ValidationException',
      'GenerateRandom',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
    assert.equal((await awsOk<{ KeyMetadata: KeyMetadata }>('kms', 'describe-key', '--key-id', alias)).KeyMetadata.Description, 'renamed by cli');
  });

  test('a wrong secret is refused by the CLI with InvalidSignatureException', async () => {
    const r = await (async () => {
      try {
        const { stdout, stderr } = await run('aws', ['kms', 'list-keys', '--endpoint-url', server.url], {
          env: { ...hermeticEnv(), AWS_SECRET_ACCESS_KEY: 'wrong-secret' },
          timeout: 60_000,
        });
        return { code: 0, stdout, stderr };
      } catch (e) {
        const err = e as { code?: number; stdout?: string; stderr?: string };
        return { code: Number(err.code ?? -1), stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
      }
    })();
    cliError(r, 'InvalidSignatureException', 'ListKeys');
  });
});

describe('boto3', () => {
  test('encrypt/decrypt with context, data keys, paginators and error codes', async () => {
    const script = String.raw`
import json, boto3, botocore
kms = boto3.client("kms", endpoint_url=ENDPOINT)
out = {}
key = kms.create_key(Description="boto3")["KeyMetadata"]
out["arn"] = key["Arn"]
ct = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"\x00boto3\xff", EncryptionContext={"app": "boto3"})
out["encrypt_key"] = ct["KeyId"]
pt = kms.decrypt(CiphertextBlob=ct["CiphertextBlob"], EncryptionContext={"app": "boto3"})
out["plaintext"] = pt["Plaintext"].hex()
try:
    kms.decrypt(CiphertextBlob=ct["CiphertextBlob"], EncryptionContext={"app": "other"})
    out["wrong_context"] = "succeeded"
except botocore.exceptions.ClientError as e:
    out["wrong_context"] = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
dk = kms.generate_data_key(KeyId=key["Arn"], NumberOfBytes=24)
out["dk_ok"] = kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])["Plaintext"] == dk["Plaintext"] and len(dk["Plaintext"]) == 24
for i in range(3):
    kms.create_key()
ids = []
for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 2}):
    ids += [k["KeyId"] for k in page["Keys"]]
out["paginated_keys"] = len(ids)
out["distinct_keys"] = len(set(ids))
out["listed_keys"] = len(kms.list_keys(Limit=1000)["Keys"])
try:
    kms.describe_key(KeyId="fake-key-id")
except kms.exceptions.NotFoundException as e:
    out["not_found"] = e.response["Error"]["Message"]
print(json.dumps(out))
`.replace('ENDPOINT', JSON.stringify(server.url));
    const { stdout } = await run('python3', ['-c', script], { env: hermeticEnv(), timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out['encrypt_key'], out['arn']);
    assert.equal(out['plaintext'], Buffer.from('\x00boto3\xff', 'latin1').toString('hex'));
    assert.deepEqual(out['wrong_context'], ['InvalidCiphertextException', '', 400]);
    assert.equal(out['dk_ok'], true);
    assert.equal(out['paginated_keys'], out['listed_keys']);
    assert.equal(out['distinct_keys'], out['listed_keys']);
    assert.equal(out['not_found'], "Invalid keyId 'fake-key-id'");
  });
});
