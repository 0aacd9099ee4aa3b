// Ciphertext integrity through the AWS API: every single-bit flip, every change of the encryption context,
// every splice, and ciphertexts of another Strongroom instance (another root key) are all rejected with the
// same InvalidCiphertextException and AWS's empty message — never a plaintext, never a more telling error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { awsJson, errorMessage, errorType, INCORRECT_KEY, keyArn, mapLimit, OTHER_REGION, rawRequest, type RawResponse } from './support.js';

const CONCURRENCY = 16;

let server: TestServer;
let other: TestServer;

before(async () => {
  // Two independent instances, each with its own (random) ENCRYPTION_KEY and data directory.
  [server, other] = await Promise.all([startServer(), startServer()]);
});

after(async () => {
  await Promise.all([server?.dispose(), other?.dispose()]);
});

async function call(srv: TestServer, operation: string, input: Record<string, unknown>, region?: string): Promise<RawResponse> {
  return awsJson(srv, operation, input, region ? { region } : {});
}

async function createKey(srv: TestServer = server, region?: string): Promise<{ keyId: string; arn: string }> {
  const res = await call(srv, 'CreateKey', {}, region);
  assert.equal(res.status, 200, res.text);
  const md = res.json?.['KeyMetadata'] as { KeyId: string; Arn: string };
  return { keyId: md.KeyId, arn: md.Arn };
}

async function encrypt(keyId: string, plaintext: Buffer, context?: Record<string, string>, srv: TestServer = server): Promise<Buffer> {
  const res = await call(srv, 'Encrypt', { KeyId: keyId, Plaintext: plaintext.toString('base64'), ...(context ? { EncryptionContext: context } : {}) });
  assert.equal(res.status, 200, res.text);
  return Buffer.from(String(res.json?.['CiphertextBlob']), 'base64');
}

function decrypt(ct: Buffer, extra: Record<string, unknown> = {}, srv: TestServer = server, region?: string): Promise<RawResponse> {
  return call(srv, 'Decrypt', { CiphertextBlob: ct.toString('base64'), ...extra }, region);
}

function flipBit(buf: Buffer, bit: number): Buffer {
  const copy = Buffer.from(buf);
  copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
  return copy;
}

/** A short description of a response that is not AWS's bare InvalidCiphertextException. */
function describeUnexpected(res: RawResponse): string | undefined {
  if (res.status === 400 && errorType(res) === 'InvalidCiphertextException' && errorMessage(res) === '') return undefined;
  return `${res.status} ${res.text.slice(0, 160)}`;
}

function assertInvalidCiphertext(res: RawResponse, what: string): void {
  assert.equal(describeUnexpected(res), undefined, `${what}: expected InvalidCiphertextException with an empty message`);
}

describe('single-bit flips', () => {
  test('Decrypt (no KeyId): every bit of a small ciphertext, flipped alone, gives InvalidCiphertextException ""', async () => {
    const { keyId } = await createKey();
    const context = { purpose: 'tamper' };
    const ct = await encrypt(keyId, Buffer.from('k'), context);
    const good = await decrypt(ct, { EncryptionContext: context });
    assert.equal(good.status, 200, good.text);
    const bits = Array.from({ length: ct.length * 8 }, (_, i) => i);
    const results = await mapLimit(bits, CONCURRENCY, async (bit) => describeUnexpected(await decrypt(flipBit(ct, bit), { EncryptionContext: context })));
    const bad = results.flatMap((r, bit) => (r === undefined ? [] : [`bit ${bit}: ${r}`]));
    assert.deepEqual(bad, [], `${bad.length} of ${bits.length} flips were not InvalidCiphertextException ""`);
  });

  test('Decrypt with KeyId: every flip is refused, as InvalidCiphertextException "" or (when the flip names another key) IncorrectKeyException', async () => {
    const { keyId } = await createKey();
    const ct = await encrypt(keyId, Buffer.from('with key id'));
    const bits = Array.from({ length: ct.length * 8 }, (_, i) => i);
    const results = await mapLimit(bits, CONCURRENCY, (bit) => decrypt(flipBit(ct, bit), { KeyId: keyId }));
    const unexpected: string[] = [];
    let incorrectKey = 0;
    results.forEach((res, bit) => {
      if (res.status === 400 && errorType(res) === 'IncorrectKeyException' && errorMessage(res) === INCORRECT_KEY) incorrectKey++;
      else if (describeUnexpected(res) !== undefined) unexpected.push(`bit ${bit}: ${describeUnexpected(res)}`);
    });
    assert.deepEqual(unexpected, []);
    // Only the bits that carry the key identity may turn into IncorrectKeyException (a 128-bit key id at most).
    assert.ok(incorrectKey <= 16 * 8 + 8, `${incorrectKey} flips gave IncorrectKeyException`);
  });

  test('ReEncrypt: every bit flip of the source ciphertext gives InvalidCiphertextException ""', async () => {
    const source = await createKey();
    const destination = await createKey();
    const ct = await encrypt(source.keyId, Buffer.from('r'), { stage: 'src' });
    const bits = Array.from({ length: ct.length * 8 }, (_, i) => i);
    const results = await mapLimit(bits, CONCURRENCY, async (bit) =>
      describeUnexpected(
        await call(server, 'ReEncrypt', {
          CiphertextBlob: flipBit(ct, bit).toString('base64'),
          SourceEncryptionContext: { stage: 'src' },
          DestinationKeyId: destination.keyId,
        }),
      ),
    );
    const bad = results.flatMap((r, bit) => (r === undefined ? [] : [`bit ${bit}: ${r}`]));
    assert.deepEqual(bad, []);
  });

  test('GenerateDataKey ciphertext: every bit flip gives InvalidCiphertextException ""', async () => {
    const { keyId } = await createKey();
    const res = await call(server, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_128' });
    assert.equal(res.status, 200, res.text);
    const ct = Buffer.from(String(res.json?.['CiphertextBlob']), 'base64');
    const bits = Array.from({ length: ct.length * 8 }, (_, i) => i);
    const results = await mapLimit(bits, CONCURRENCY, async (bit) => describeUnexpected(await decrypt(flipBit(ct, bit))));
    const bad = results.flatMap((r, bit) => (r === undefined ? [] : [`bit ${bit}: ${r}`]));
    assert.deepEqual(bad, []);
  });
});

describe('encryption context changes', () => {
  test('changing, adding or removing any part of the context gives InvalidCiphertextException ""', async () => {
    const { keyId } = await createKey();
    const context = { tenant: 'acme', purpose: 'backup', 'clé': 'välue' };
    const ct = await encrypt(keyId, Buffer.from('context bound'), context);
    const ok = await decrypt(ct, { EncryptionContext: { 'clé': 'välue', purpose: 'backup', tenant: 'acme' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(Buffer.from(String(ok.json?.['Plaintext']), 'base64').toString(), 'context bound');

    const variants: Array<[string, Record<string, string> | undefined]> = [
      ['no context', undefined],
      ['empty context', {}],
      ['value changed', { ...context, tenant: 'acme2' }],
      ['value case changed', { ...context, tenant: 'ACME' }],
      ['value with a trailing space', { ...context, tenant: 'acme ' }],
      ['value emptied', { ...context, tenant: '' }],
      ['key renamed', { tenant: 'acme', purpose: 'backup', cle: 'välue' }],
      ['key case changed', { Tenant: 'acme', purpose: 'backup', 'clé': 'välue' }],
      ['pair added', { ...context, extra: 'x' }],
      ['pair added with an empty value', { ...context, extra: '' }],
      ['pair removed', { tenant: 'acme', purpose: 'backup' }],
      ['only one pair', { tenant: 'acme' }],
      ['values swapped between keys', { tenant: 'backup', purpose: 'acme', 'clé': 'välue' }],
      ['decomposed unicode (NFD) instead of composed', { tenant: 'acme', purpose: 'backup', ['cle\u0301']: 'va\u0308lue' }],
    ];
    for (const [what, ctx] of variants) {
      assertInvalidCiphertext(await decrypt(ct, ctx ? { EncryptionContext: ctx } : {}), what);
    }
  });

  test('a ciphertext made without context refuses any context', async () => {
    const { keyId } = await createKey();
    const ct = await encrypt(keyId, Buffer.from('no context'));
    assert.equal((await decrypt(ct)).status, 200);
    assert.equal((await decrypt(ct, { EncryptionContext: {} })).status, 200, 'an empty context is no context');
    for (const ctx of [{ a: 'b' }, { a: '' }]) assertInvalidCiphertext(await decrypt(ct, { EncryptionContext: ctx }), JSON.stringify(ctx));
  });

  test('the context encoding is unambiguous: pairs that concatenate alike do not match', async () => {
    const { keyId } = await createKey();
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{ a: 'bc' }, { ab: 'c' }],
      [{ ab: 'c' }, { a: 'bc' }],
      [{ a: 'b', c: 'd' }, { a: 'bc', '': 'd' }],
      [{ a: 'b', c: 'd' }, { a: 'bcd' }],
      [{ 'a=b': 'c' }, { a: 'b=c' }],
      [{ 'a,b': 'c' }, { a: 'b,c' }],
      [{ k: 'v\u0000x' }, { k: 'v', x: '' }],
    ];
    for (const [sealed, presented] of cases) {
      const ct = await encrypt(keyId, Buffer.from('x'), sealed);
      const res = await decrypt(ct, { EncryptionContext: presented });
      assert.equal(res.status, 400, `${JSON.stringify(sealed)} opened with ${JSON.stringify(presented)}`);
      // An empty context key is itself invalid input; anything else must be InvalidCiphertextException.
      if (!Object.hasOwn(presented, '')) assertInvalidCiphertext(res, `${JSON.stringify(sealed)} vs ${JSON.stringify(presented)}`);
    }
  });

  test('a context key named "__proto__" is bound like any other key', async () => {
    const { keyId } = await createKey();
    // Hand-written JSON: a JS object literal cannot carry an own "__proto__" key.
    const enc = await rawRequest(server, { target: 'TrentService.Encrypt', body: `{"KeyId":"${keyId}","Plaintext":"eA==","EncryptionContext":{"__proto__":"tenant-a","k":"v"}}` });
    assert.equal(enc.status, 200, enc.text);
    const ct = String(enc.json?.['CiphertextBlob']);
    const open = (context: string) => rawRequest(server, { target: 'TrentService.Decrypt', body: `{"CiphertextBlob":"${ct}","EncryptionContext":${context}}` });
    assert.equal((await open('{"__proto__":"tenant-a","k":"v"}')).status, 200);
    assertInvalidCiphertext(await open('{"k":"v"}'), '"__proto__" removed');
    assertInvalidCiphertext(await open('{"__proto__":"tenant-b","k":"v"}'), '"__proto__" changed');
  });

  test('ReEncrypt and a GenerateDataKey ciphertext check the context too', async () => {
    const a = await createKey();
    const b = await createKey();
    const ct = await encrypt(a.keyId, Buffer.from('x'), { v: '1' });
    for (const ctx of [undefined, { v: '2' }, { v: '1', w: '2' }]) {
      assertInvalidCiphertext(
        await call(server, 'ReEncrypt', { CiphertextBlob: ct.toString('base64'), DestinationKeyId: b.keyId, ...(ctx ? { SourceEncryptionContext: ctx } : {}) }),
        `ReEncrypt with ${JSON.stringify(ctx)}`,
      );
    }
    const dk = await call(server, 'GenerateDataKeyWithoutPlaintext', { KeyId: a.keyId, NumberOfBytes: 32, EncryptionContext: { file: 'a.txt' } });
    const dkct = Buffer.from(String(dk.json?.['CiphertextBlob']), 'base64');
    assertInvalidCiphertext(await decrypt(dkct, { EncryptionContext: { file: 'b.txt' } }), 'data key with another file name');
    assert.equal((await decrypt(dkct, { EncryptionContext: { file: 'a.txt' } })).status, 200);
  });
});

describe('spliced, truncated and foreign ciphertexts', () => {
  test('truncated, extended, duplicated and spliced ciphertexts give InvalidCiphertextException ""', async () => {
    const { keyId } = await createKey();
    const ct1 = await encrypt(keyId, Buffer.from('first message'));
    const ct2 = await encrypt(keyId, Buffer.from('other message'));
    assert.equal(ct1.length, ct2.length);
    const half = ct1.length >> 1;
    const variants: Array<[string, Buffer]> = [
      ['last byte removed', ct1.subarray(0, -1)],
      ['first byte removed', ct1.subarray(1)],
      ['tag removed', ct1.subarray(0, -16)],
      ['a zero byte appended', Buffer.concat([ct1, Buffer.alloc(1)])],
      ['the ciphertext twice', Buffer.concat([ct1, ct1])],
      ['first half of one, second half of another', Buffer.concat([ct1.subarray(0, half), ct2.subarray(half)])],
      ['tag of another ciphertext', Buffer.concat([ct1.subarray(0, -16), ct2.subarray(-16)])],
      ['all zero', Buffer.alloc(ct1.length)],
      ['all ones', Buffer.alloc(ct1.length, 0xff)],
      ['one byte', ct1.subarray(0, 1)],
      ['reversed', Buffer.from(ct1).reverse()],
    ];
    for (const [what, blob] of variants) assertInvalidCiphertext(await decrypt(blob), what);
  });

  test('a ciphertext from another Strongroom instance (another root key) gives InvalidCiphertextException ""', async () => {
    const foreignKey = await createKey(other);
    const foreign = await encrypt(foreignKey.keyId, Buffer.from('from elsewhere'), { app: 'x' }, other);
    // It works where it was made …
    assert.equal((await decrypt(foreign, { EncryptionContext: { app: 'x' } }, other)).status, 200);
    // … and nowhere else: not without KeyId, not through ReEncrypt.
    assertInvalidCiphertext(await decrypt(foreign, { EncryptionContext: { app: 'x' } }), 'Decrypt of a foreign ciphertext');
    const local = await createKey();
    assertInvalidCiphertext(
      await call(server, 'ReEncrypt', { CiphertextBlob: foreign.toString('base64'), SourceEncryptionContext: { app: 'x' }, DestinationKeyId: local.keyId }),
      'ReEncrypt of a foreign ciphertext',
    );
    // With a local KeyId it names the wrong key (AWS: IncorrectKeyException) — never a plaintext.
    const withKey = await decrypt(foreign, { KeyId: local.keyId, EncryptionContext: { app: 'x' } });
    assert.equal(withKey.status, 400);
    assert.ok(
      (errorType(withKey) === 'IncorrectKeyException' && errorMessage(withKey) === INCORRECT_KEY) || describeUnexpected(withKey) === undefined,
      withKey.text,
    );
  });

  test('a foreign ciphertext re-labelled with a local key id still gives InvalidCiphertextException ""', async () => {
    const local = await createKey();
    const foreignKey = await createKey(other);
    const foreign = await encrypt(foreignKey.keyId, Buffer.from('forged'), undefined, other);
    const foreignId = Buffer.from(foreignKey.keyId.replaceAll('-', ''), 'hex');
    const at = foreign.indexOf(foreignId);
    assert.ok(at >= 0, 'the key id travels in the ciphertext header (docs/ciphertext-format.md)');
    const forged = Buffer.from(foreign);
    Buffer.from(local.keyId.replaceAll('-', ''), 'hex').copy(forged, at);
    assertInvalidCiphertext(await decrypt(forged), 'foreign ciphertext with a local key id');
    assertInvalidCiphertext(await decrypt(forged, { KeyId: local.keyId }), 'same, with KeyId');
    assertInvalidCiphertext(await decrypt(forged, { KeyId: local.arn }), 'same, with the key ARN');
  });

  test('a local ciphertext re-labelled with another local key id gives InvalidCiphertextException ""', async () => {
    const a = await createKey();
    const b = await createKey();
    const ct = await encrypt(a.keyId, Buffer.from('mine'));
    const at = ct.indexOf(Buffer.from(a.keyId.replaceAll('-', ''), 'hex'));
    assert.ok(at >= 0);
    const relabelled = Buffer.from(ct);
    Buffer.from(b.keyId.replaceAll('-', ''), 'hex').copy(relabelled, at);
    assertInvalidCiphertext(await decrypt(relabelled), 'ciphertext of key A labelled as key B');
    assertInvalidCiphertext(await decrypt(relabelled, { KeyId: b.keyId }), 'same, with KeyId B');
  });

  test('a ciphertext of one region does not decrypt in another region of the same instance', async () => {
    const { keyId, arn } = await createKey();
    assert.equal(arn, keyArn(keyId));
    const ct = await encrypt(keyId, Buffer.from('east only'));
    assertInvalidCiphertext(await decrypt(ct, {}, server, OTHER_REGION), 'Decrypt from us-west-2');
  });
});
