import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KmsError } from '../../src/core/errors.js';
import { keyIdFromBytes, keyIdToBytes, parseKeyReference } from '../../src/core/key-identifier.js';
import { LruCache } from '../../src/core/lru-cache.js';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

test('all four key reference forms parse', () => {
  assert.deepEqual(parseKeyReference(ID), { kind: 'id', keyId: ID });
  assert.deepEqual(parseKeyReference(`arn:aws:kms:eu-west-1:111122223333:key/${ID}`), { kind: 'id', keyId: ID, region: 'eu-west-1', account: '111122223333', partition: 'aws' });
  assert.deepEqual(parseKeyReference('alias/app'), { kind: 'alias', aliasName: 'alias/app' });
  assert.deepEqual(parseKeyReference('arn:aws:kms:us-east-1:111122223333:alias/app/x'), { kind: 'alias', aliasName: 'alias/app/x', region: 'us-east-1', account: '111122223333', partition: 'aws' });
  assert.deepEqual(parseKeyReference('mrk-0123456789abcdef0123456789abcdef'), { kind: 'id', keyId: 'mrk-0123456789abcdef0123456789abcdef' });
});

test('invalid ids give AWS messages', () => {
  for (const bad of ['fake-key-id', '134f2428cec14b25a1ae9048164dba47', 'mrk-fake-key-id']) {
    assert.throws(() => parseKeyReference(bad), (e: KmsError) => e.code === 'NotFound' && e.message === `Invalid keyId '${bad}'`);
  }
  assert.throws(() => parseKeyReference('arn:aws:s3:::bucket'), (e: KmsError) => e.code === 'NotFound' && e.message.startsWith('Invalid arn'));
});

test('key ids survive the 16-byte binary form', () => {
  for (const id of [ID, 'mrk-0123456789abcdef0123456789abcdef']) {
    const { type, bytes } = keyIdToBytes(id);
    assert.equal(bytes.length, 16);
    assert.equal(keyIdFromBytes(type, bytes), id);
  }
  assert.equal(keyIdFromBytes(9, Buffer.alloc(16)), undefined);
});

test('LRU evicts the least recently used entry and reports it', () => {
  const evicted: string[] = [];
  const lru = new LruCache<string, number>(2, (_v, k) => evicted.push(k));
  lru.set('a', 1);
  lru.set('b', 2);
  lru.get('a');
  lru.set('c', 3);
  assert.deepEqual(evicted, ['b']);
  assert.equal(lru.get('a'), 1);
  assert.equal(lru.get('b'), undefined);
  lru.delete('a');
  assert.deepEqual(evicted, ['b', 'a']);
  assert.equal(lru.size, 1);
});
