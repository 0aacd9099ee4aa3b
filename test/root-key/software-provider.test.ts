import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import { RootKeyConfigError } from '../../src/root-key/root-key-provider.js';
import { DEV_KEY_FILE, loadSoftwareRootKey, parseRootKey } from '../../src/root-key/software-key-config.js';
import { createSoftwareProvider } from '../../src/root-key/software-provider.js';
import { providerContract } from './provider-contract.js';

providerContract('software', async () => ({
  provider: createSoftwareProvider(SecretBytes.adopt(randomBytes(32)), randomBytes, 'test'),
  other: createSoftwareProvider(SecretBytes.adopt(randomBytes(32)), randomBytes, 'test'),
}));

test('root key accepted as hex, base64 and base64url of 32 bytes', () => {
  const raw = randomBytes(32);
  for (const text of [raw.toString('hex'), raw.toString('hex').toUpperCase(), raw.toString('base64'), raw.toString('base64url'), ` ${raw.toString('base64')}\n`]) {
    assert.ok(parseRootKey(text, 'ENCRYPTION_KEY').reveal().equals(raw), text);
  }
});

test('a malformed root key is a startup error naming the formats, never echoing the value', () => {
  const bad = ['abc', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), 'not a key!!', randomBytes(33).toString('hex')];
  for (const value of bad) {
    assert.throws(() => parseRootKey(value, 'ENCRYPTION_KEY'), (e: Error) => {
      assert.ok(e instanceof RootKeyConfigError);
      assert.match(e.message, /ENCRYPTION_KEY/);
      assert.match(e.message, /64 hexadecimal characters/);
      assert.match(e.message, /base64/);
      assert.ok(!e.message.includes(value.trim()), 'value leaked into the message');
      return true;
    });
  }
});

test('development mode generates a 0600 key file once and reuses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-dev-'));
  try {
    const first = loadSoftwareRootKey({}, dir, false);
    assert.equal(first.generated, true);
    const file = join(dir, DEV_KEY_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const second = loadSoftwareRootKey({}, dir, false);
    assert.equal(second.generated, false);
    assert.ok(first.key.reveal().equals(second.key.reveal()));
    assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('production refuses to start without a configured key; conflicting variables are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-prod-'));
  try {
    assert.throws(() => loadSoftwareRootKey({}, dir, true), /NODE_ENV=production/);
    assert.throws(() => statSync(join(dir, DEV_KEY_FILE)), 'no key file was written');
    const a = randomBytes(32).toString('hex');
    const b = randomBytes(32).toString('hex');
    assert.throws(() => loadSoftwareRootKey({ ENCRYPTION_KEY: a, ROOT_ENCRYPTION_KEY: b }, dir, true), /both set/);
    assert.equal(loadSoftwareRootKey({ ROOT_ENCRYPTION_KEY: b }, dir, true).source, 'ROOT_ENCRYPTION_KEY');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
