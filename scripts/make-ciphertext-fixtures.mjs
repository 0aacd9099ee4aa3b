#!/usr/bin/env node
// Regenerates test/fixtures/ciphertext-v1.json. Only run this on purpose: the fixtures pin format 1,
// and a change to them means old ciphertexts would stop decrypting.
import { writeFileSync } from 'node:fs';
import { sealSymmetric } from '../dist/core/ciphertext-format.js';

function counterRandom(seed) {
  let n = seed;
  return (size) => Buffer.from(Array.from({ length: size }, () => (n++ * 151 + 7) & 255));
}

const cases = [
  { name: 'aes-256, empty context', material: '00'.repeat(32), keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', version: 1, plaintext: '68656c6c6f', context: {} },
  { name: 'aes-256, context, version 7', material: 'ff'.repeat(16) + '01'.repeat(16), keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', version: 7, plaintext: '00'.repeat(33), context: { tenant: 'a', purpose: 'test', 'ﬁ': 'ligature', '😀': 'emoji' } },
  { name: 'aes-128, multi-region id', material: '0f'.repeat(16), keyId: 'mrk-0123456789abcdef0123456789abcdef', version: 2, plaintext: '', context: { k: '' } },
];
const out = cases.map((c, i) => ({
  ...c,
  randomSeed: i * 1000,
  ciphertext: sealSymmetric(Buffer.from(c.material, 'hex'), { keyId: c.keyId, version: c.version }, Buffer.from(c.plaintext, 'hex'), c.context, counterRandom(i * 1000)).toString('hex'),
}));
writeFileSync(new URL('../test/fixtures/ciphertext-v1.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${out.length} fixtures`);
