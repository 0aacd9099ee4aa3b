import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalEncryptionContext, parseEncryptionContext } from '../../src/core/encryption-context.js';
import type { KmsError } from '../../src/core/errors.js';

test('canonical form is independent of insertion order', () => {
  assert.deepEqual(canonicalEncryptionContext({ b: '2', a: '1' }), canonicalEncryptionContext({ a: '1', b: '2' }));
});

test('known answer: count, then length-prefixed key and value per entry', () => {
  assert.equal(canonicalEncryptionContext({ b: 'xy', a: '' }).toString('hex'), '0002' + '0001' + '61' + '0000' + '0001' + '62' + '0002' + '7879');
  assert.equal(canonicalEncryptionContext(undefined).toString('hex'), '0000');
  assert.equal(canonicalEncryptionContext({}).toString('hex'), '0000');
});

test('sorting is by UTF-8 bytes, not by JavaScript UTF-16 order', () => {
  // U+FB01 (EF AC 81) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16 code units.
  const encoded = canonicalEncryptionContext({ '😀': '1', 'ﬁ': '2' });
  const first = encoded.subarray(4, 4 + encoded.readUInt16BE(2)).toString('utf8');
  assert.equal(first, 'ﬁ');
  assert.ok(['😀', 'ﬁ'].sort()[0] === '😀', 'JS order would have put the emoji first');
});

test('the encoding is unambiguous: shifting bytes between key and value changes it', () => {
  assert.notDeepEqual(canonicalEncryptionContext({ ab: 'c' }), canonicalEncryptionContext({ a: 'bc' }));
});

test('parse accepts string maps and rejects anything else with a validation error', () => {
  assert.deepEqual({ ...parseEncryptionContext({ a: 'b' }) }, { a: 'b' });
  assert.equal(Object.getPrototypeOf(parseEncryptionContext({ a: 'b' })), null, 'no prototype: "__proto__" is an ordinary key');
  assert.equal(parseEncryptionContext(undefined), undefined);
  for (const bad of [[], 'x', { a: 1 }, { '': 'x' }]) {
    assert.throws(() => parseEncryptionContext(bad), (e: KmsError) => e.code === 'Validation');
  }
});
