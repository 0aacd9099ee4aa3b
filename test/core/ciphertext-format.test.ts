import assert from 'node:assert/strict';
import { createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { openSymmetric, readCiphertextHeader, sealSymmetric } from '../../src/core/ciphertext-format.js';
import { canonicalEncryptionContext } from '../../src/core/encryption-context.js';
import type { KmsError } from '../../src/core/errors.js';

interface Fixture { name: string; material: string; keyId: string; version: number; plaintext: string; context: Record<string, string>; randomSeed: number; ciphertext: string }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/ciphertext-v1.json', import.meta.url), 'utf8')) as Fixture[];

function counterRandom(seed: number) {
  let n = seed;
  return (size: number) => Buffer.from(Array.from({ length: size }, () => (n++ * 151 + 7) & 255));
}

const isInvalidCiphertext = (e: KmsError) => e.code === 'InvalidCiphertext' && e.message === '';

describe('ciphertext format 1: golden fixtures', () => {
  for (const f of fixtures) {
    test(`${f.name}: sealing reproduces the fixture byte for byte`, () => {
      const blob = sealSymmetric(Buffer.from(f.material, 'hex'), { keyId: f.keyId, version: f.version }, Buffer.from(f.plaintext, 'hex'), f.context, counterRandom(f.randomSeed));
      assert.equal(blob.toString('hex'), f.ciphertext);
    });

    test(`${f.name}: opens, and the header names the key and version`, () => {
      const blob = Buffer.from(f.ciphertext, 'hex');
      assert.deepEqual(readCiphertextHeader(blob), { keyId: f.keyId, version: f.version });
      assert.equal(openSymmetric(Buffer.from(f.material, 'hex'), blob, f.context).toString('hex'), f.plaintext);
    });

    test(`${f.name}: an independent decoder written from docs/ciphertext-format.md agrees`, () => {
      const blob = Buffer.from(f.ciphertext, 'hex');
      const material = Buffer.from(f.material, 'hex');
      assert.equal(blob[0], 1);
      const derived = createHmac('sha256', material).update('strongroom ciphertext v1\0', 'latin1').update(blob.subarray(0, 38)).digest().subarray(0, material.length);
      const d = createDecipheriv(material.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', derived, blob.subarray(38, 50));
      d.setAAD(Buffer.concat([blob.subarray(0, 50), canonicalEncryptionContext(f.context)]));
      d.setAuthTag(blob.subarray(blob.length - 16));
      const pt = Buffer.concat([d.update(blob.subarray(50, blob.length - 16)), d.final()]);
      assert.equal(pt.toString('hex'), f.plaintext);
    });
  }
});

describe('ciphertext format 1: tampering', () => {
  const material = randomBytes(32);
  const context = { tenant: 'a' };
  const blob = sealSymmetric(material, { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', version: 3 }, Buffer.from('secret data'), context, randomBytes);

  test('every single-bit flip anywhere yields the same generic error', () => {
    for (let bit = 0; bit < blob.length * 8; bit++) {
      const t = Buffer.from(blob);
      t[bit >> 3]! ^= 1 << (bit & 7);
      assert.throws(() => {
        readCiphertextHeader(t);
        openSymmetric(material, t, context);
      }, isInvalidCiphertext, `bit ${bit}`);
    }
  });

  test('a wrong, missing or extra encryption context entry fails', () => {
    const contexts: Array<Record<string, string> | undefined> = [undefined, {}, { tenant: 'b' }, { tenant: 'a', extra: '' }, { Tenant: 'a' }];
    for (const ctx of contexts) {
      assert.throws(() => openSymmetric(material, blob, ctx), isInvalidCiphertext);
    }
    assert.equal(openSymmetric(material, blob, { tenant: 'a' }).toString(), 'secret data');
  });

  test('truncation, extension and the wrong material fail', () => {
    assert.throws(() => openSymmetric(material, blob.subarray(0, blob.length - 1), context), isInvalidCiphertext);
    assert.throws(() => openSymmetric(material, Buffer.concat([blob, Buffer.from([0])]), context), isInvalidCiphertext);
    assert.throws(() => openSymmetric(randomBytes(32), blob, context), isInvalidCiphertext);
    assert.throws(() => readCiphertextHeader(Buffer.alloc(10)), isInvalidCiphertext);
  });

  test('two encryptions of the same plaintext differ (fresh salt and IV)', () => {
    const a = sealSymmetric(material, { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', version: 1 }, Buffer.from('x'), undefined, randomBytes);
    const b = sealSymmetric(material, { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', version: 1 }, Buffer.from('x'), undefined, randomBytes);
    assert.notEqual(a.toString('hex'), b.toString('hex'));
  });
});
