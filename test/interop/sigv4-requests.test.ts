// SigV4 at the HTTP boundary, end to end: requests signed wrongly, by strangers, too late or too early,
// altered after signing, or not signed at all are refused with AWS's errors — and change nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  type KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { kmsClient, startServer, type TestServer } from '../helpers/server.js';
import { awsJson, errorMessage, errorType, expectKmsError, expectRawError, rawRequest, type RawOptions, REGION, SIGNATURE_MISMATCH, unique } from './support.js';

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const MISSING_TOKEN = 'Missing Authentication Token';
const STRANGER = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const MINUTE = 60_000;

let server: TestServer;
let kms: KMSClient;
/** A key, alias and tag that the refused requests try to change. */
let target: { keyId: string; arn: string; alias: string };

before(async () => {
  server = await startServer();
  kms = kmsClient(server);
  const md = (await kms.send(new CreateKeyCommand({ Description: 'target', Tags: [{ TagKey: 'owner', TagValue: 'interop' }] }))).KeyMetadata!;
  const alias = `alias/${unique('sigv4')}`;
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  target = { keyId: md.KeyId!, arn: md.Arn!, alias };
});

after(async () => {
  kms?.destroy();
  await server?.dispose();
});

const wrongSecret = (): { accessKeyId: string; secretAccessKey: string } => ({ accessKeyId: server.accessKeyId, secretAccessKey: `${server.secretAccessKey}x` });

/** Everything a refused request could have changed, read with good credentials. */
async function snapshot(): Promise<unknown> {
  const keys: string[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListKeysCommand({ Limit: 1000, ...(marker ? { Marker: marker } : {}) }));
    keys.push(...(page.Keys ?? []).map((k) => k.KeyArn!));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  const aliases = ((await kms.send(new ListAliasesCommand({ Limit: 100 }))).Aliases ?? []).map((a) => `${a.AliasName}->${a.TargetKeyId}`);
  const md = (await kms.send(new DescribeKeyCommand({ KeyId: target.keyId }))).KeyMetadata!;
  const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: target.keyId }))).Tags;
  return { keys: keys.sort(), aliases: aliases.sort(), state: md.KeyState, enabled: md.Enabled, description: md.Description, tags };
}

/** Every mutating request of the AWS API, as `[operation, body]`. */
function mutations(): Array<[string, Record<string, unknown>]> {
  return [
    ['CreateKey', { Description: 'should not exist' }],
    ['DisableKey', { KeyId: target.keyId }],
    ['UpdateKeyDescription', { KeyId: target.keyId, Description: 'changed' }],
    ['CreateAlias', { AliasName: `alias/${unique('never')}`, TargetKeyId: target.keyId }],
    ['UpdateAlias', { AliasName: target.alias, TargetKeyId: target.keyId }],
    ['DeleteAlias', { AliasName: target.alias }],
    ['TagResource', { KeyId: target.keyId, Tags: [{ TagKey: 'owner', TagValue: 'intruder' }, { TagKey: 'new', TagValue: 'x' }] }],
    ['UntagResource', { KeyId: target.keyId, TagKeys: ['owner'] }],
  ];
}

async function expectRefusedAndUnchanged(
  opts: Omit<RawOptions, 'target' | 'body'>,
  type: string,
  message: string | RegExp | undefined,
): Promise<void> {
  const before = await snapshot();
  for (const [operation, body] of mutations()) {
    const res = await awsJson(server, operation, body, opts);
    assert.equal(res.status, 400, `${operation}: ${res.text}`);
    assert.equal(errorType(res), type, `${operation}: ${res.text}`);
    if (typeof message === 'string') assert.equal(errorMessage(res), message, operation);
    else if (message) assert.match(errorMessage(res), message, operation);
  }
  assert.deepEqual(await snapshot(), before, 'a refused request changed something');
}

describe('hand-signed requests', () => {
  test('a correctly signed request is served (control)', async () => {
    const res = await awsJson(server, 'DescribeKey', { KeyId: target.keyId });
    assert.equal(res.status, 200, res.text);
    const res2 = await awsJson(server, 'GenerateRandom', { NumberOfBytes: 8 }, { signingDate: new Date(Date.now() - 14 * MINUTE) });
    assert.equal(res2.status, 200, `14 minutes of skew is within AWS's 15: ${res2.text}`);
    const res3 = await awsJson(server, 'GenerateRandom', { NumberOfBytes: 8 }, { signingDate: new Date(Date.now() + 14 * MINUTE) });
    assert.equal(res3.status, 200, res3.text);
  });

  test('signed with a wrong secret: InvalidSignatureException, nothing changes', async () => {
    const res = await awsJson(server, 'ListKeys', {}, { credentials: wrongSecret() });
    expectRawError(res, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await expectRefusedAndUnchanged({ credentials: wrongSecret() }, 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  test('an unknown access key: UnrecognizedClientException "The security token included in the request is invalid.", nothing changes', async () => {
    const res = await awsJson(server, 'ListKeys', {}, { credentials: STRANGER });
    expectRawError(res, 'UnrecognizedClientException', INVALID_TOKEN);
    await expectRefusedAndUnchanged({ credentials: STRANGER }, 'UnrecognizedClientException', INVALID_TOKEN);
  });

  test('X-Amz-Date 20 minutes old: InvalidSignatureException "Signature expired: …", nothing changes', async () => {
    const signingDate = new Date(Date.now() - 20 * MINUTE);
    const res = await awsJson(server, 'ListKeys', {}, { signingDate });
    expectRawError(res, 'InvalidSignatureException');
    const m = /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 15 min\.\)$/.exec(errorMessage(res));
    assert.ok(m, errorMessage(res));
    const amzDate = signingDate.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    assert.equal(m[1], amzDate, 'the message quotes the X-Amz-Date sent');
    const parse = (s: string): number => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15));
    assert.ok(Math.abs(parse(m[3]!) - Date.now()) < MINUTE, 'the server time in the message is now');
    assert.equal(parse(m[3]!) - parse(m[2]!), 15 * MINUTE);
    await expectRefusedAndUnchanged({ signingDate }, 'InvalidSignatureException', /^Signature expired: /);
  });

  test('X-Amz-Date 20 minutes ahead: InvalidSignatureException "Signature not yet current: …", nothing changes', async () => {
    const signingDate = new Date(Date.now() + 20 * MINUTE);
    const res = await awsJson(server, 'ListKeys', {}, { signingDate });
    expectRawError(res, 'InvalidSignatureException', /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
    await expectRefusedAndUnchanged({ signingDate }, 'InvalidSignatureException', /^Signature not yet current: /);
  });

  test('body modified after signing: InvalidSignatureException, nothing changes', async () => {
    const swapBody = (body: string) => (req: { headers: Record<string, string>; body: string | Buffer }) => ({ headers: req.headers, body });
    const res = await rawRequest(server, { target: 'TrentService.GenerateRandom', body: '{"NumberOfBytes":16}', afterSign: swapBody('{"NumberOfBytes":32}') });
    expectRawError(res, 'InvalidSignatureException', SIGNATURE_MISMATCH);

    const before = await snapshot();
    const aliasSigned = `alias/${unique('signed')}`;
    const aliasSent = `alias/${unique('sent')}`;
    const cases: Array<[string, string, string]> = [
      ['CreateKey', '{}', JSON.stringify({ Description: 'smuggled' })],
      ['CreateAlias', JSON.stringify({ AliasName: aliasSigned, TargetKeyId: target.keyId }), JSON.stringify({ AliasName: aliasSent, TargetKeyId: target.keyId })],
      ['UpdateKeyDescription', JSON.stringify({ KeyId: target.keyId, Description: 'target' }), JSON.stringify({ KeyId: target.keyId, Description: 'changed' })],
      ['TagResource', JSON.stringify({ KeyId: target.keyId, Tags: [] }), JSON.stringify({ KeyId: target.keyId, Tags: [{ TagKey: 'owner', TagValue: 'intruder' }] })],
      ['DeleteAlias', JSON.stringify({ AliasName: aliasSigned }), JSON.stringify({ AliasName: target.alias })],
      // Same length, one character different.
      ['DisableKey', JSON.stringify({ KeyId: target.keyId }) + ' ', JSON.stringify({ KeyId: target.keyId }) + '\n'],
    ];
    for (const [operation, signed, sent] of cases) {
      const r = await rawRequest(server, { target: `TrentService.${operation}`, body: signed, afterSign: swapBody(sent) });
      expectRawError(r, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('X-Amz-Target changed after signing (DescribeKey signed, DisableKey sent): InvalidSignatureException, key still enabled', async () => {
    const before = await snapshot();
    for (const [signedOp, sentOp] of [['DescribeKey', 'DisableKey'], ['ListKeys', 'CreateKey'], ['DescribeKey', 'UpdateKeyDescription']] as const) {
      const res = await rawRequest(server, {
        target: `TrentService.${signedOp}`,
        body: JSON.stringify({ KeyId: target.keyId, Description: 'changed' }),
        afterSign: (req) => ({ headers: { ...req.headers, 'x-amz-target': `TrentService.${sentOp}` }, body: req.body }),
      });
      expectRawError(res, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('no Authorization header: MissingAuthenticationTokenException, nothing changes', async () => {
    const res = await rawRequest(server, { target: 'TrentService.ListKeys', body: '{}', unsigned: true });
    expectRawError(res, 'MissingAuthenticationTokenException', MISSING_TOKEN);
    await expectRefusedAndUnchanged({ unsigned: true }, 'MissingAuthenticationTokenException', MISSING_TOKEN);
  });

  test('an Authorization header with the signature stripped or mangled is refused, nothing changes', async () => {
    const before = await snapshot();
    const mangle = (f: (auth: string) => string) => (req: { headers: Record<string, string>; body: string | Buffer }) => ({
      headers: { ...req.headers, authorization: f(req.headers['authorization']!) },
      body: req.body,
    });
    for (const f of [
      (a: string) => a.replace(/, Signature=[0-9a-f]+$/, ''),
      (a: string) => a.replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`),
      (a: string) => a.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'),
      () => 'Bearer not-a-sigv4-token',
      () => '',
    ]) {
      const res = await rawRequest(server, { target: 'TrentService.CreateKey', body: '{}', afterSign: mangle(f) });
      assert.equal(res.status, 400, res.text);
      assert.ok(
        ['InvalidSignatureException', 'IncompleteSignatureException', 'MissingAuthenticationTokenException', 'UnrecognizedClientException'].includes(errorType(res) ?? ''),
        res.text,
      );
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('a session token (Strongroom issues none) is refused as an invalid security token', async () => {
    const res = await awsJson(server, 'CreateKey', {}, { credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, sessionToken: 'FwoGZXIvYXdzEXAMPLE' } });
    expectRawError(res, 'UnrecognizedClientException');
  });

  test('the session-token refusal has the same message as an unknown key', async () => {
    const res = await awsJson(server, 'ListKeys', {}, { credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, sessionToken: 'FwoGZXIvYXdzEXAMPLE' } });
    expectRawError(res, 'UnrecognizedClientException', INVALID_TOKEN);
  });

  test('a request signed for another service is refused', async () => {
    const before = await snapshot();
    const res = await awsJson(server, 'CreateKey', {}, { service: 's3' });
    expectRawError(res, 'InvalidSignatureException');
    assert.deepEqual(await snapshot(), before);
  });

  test('STS GetCallerIdentity with a wrong secret: SignatureDoesNotMatch (query protocol, 403 XML)', async () => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const opts = { body, contentType: 'application/x-www-form-urlencoded; charset=utf-8', service: 'sts', region: REGION };
    const ok = await rawRequest(server, opts);
    assert.equal(ok.status, 200, ok.text);
    assert.match(ok.text, /<Account>111122223333<\/Account>/);
    const bad = await rawRequest(server, { ...opts, credentials: wrongSecret() });
    assert.equal(bad.status, 403, bad.text);
    assert.match(bad.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    const stranger = await rawRequest(server, { ...opts, credentials: STRANGER });
    assert.equal(stranger.status, 403, stranger.text);
    assert.match(stranger.text, /<Code>InvalidClientTokenId<\/Code>/);
    const none = await rawRequest(server, { ...opts, unsigned: true });
    assert.ok(none.status === 400 || none.status === 403, none.text);
    assert.match(none.text, /<Code>MissingAuthenticationToken<\/Code>/);
  });
});

describe('the AWS SDK with bad credentials', () => {
  test('wrong secret → InvalidSignatureException; unknown key → UnrecognizedClientException; nothing created', async () => {
    const before = await snapshot();
    const bad = kmsClient(server, REGION, wrongSecret());
    const stranger = kmsClient(server, REGION, STRANGER);
    try {
      await expectKmsError(bad.send(new CreateKeyCommand({})), 'InvalidSignatureException', SIGNATURE_MISMATCH);
      await expectKmsError(bad.send(new CreateAliasCommand({ AliasName: `alias/${unique('sdk')}`, TargetKeyId: target.keyId })), 'InvalidSignatureException', SIGNATURE_MISMATCH);
      await expectKmsError(bad.send(new EncryptCommand({ KeyId: target.keyId, Plaintext: new Uint8Array([1]) })), 'InvalidSignatureException', SIGNATURE_MISMATCH);
      await expectKmsError(stranger.send(new CreateKeyCommand({})), 'UnrecognizedClientException', INVALID_TOKEN);
      await expectKmsError(stranger.send(new DescribeKeyCommand({ KeyId: target.keyId })), 'UnrecognizedClientException', INVALID_TOKEN);
    } finally {
      bad.destroy();
      stranger.destroy();
    }
    assert.deepEqual(await snapshot(), before);
  });
});
