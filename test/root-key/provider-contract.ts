import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { RootKeyMismatchError, type RootKeyProvider } from '../../src/root-key/root-key-provider.js';

/** What every root protection provider must do; the PKCS#11 provider will run this same suite. */
export function providerContract(name: string, make: () => Promise<{ provider: RootKeyProvider; other: RootKeyProvider }>): void {
  describe(`root-key provider contract: ${name}`, () => {
    test('wrap/unwrap round-trips a 32-byte root key', async () => {
      const { provider } = await make();
      const root = randomBytes(32);
      const aad = Buffer.from('aad');
      const wrapped = await provider.wrap(root, aad);
      assert.ok(!wrapped.includes(root), 'the wrapped form does not contain the key');
      assert.ok((await provider.unwrap(wrapped, aad)).equals(root));
    });

    test('a different protection key, different AAD or a modified blob is a RootKeyMismatchError', async () => {
      const { provider, other } = await make();
      const wrapped = await provider.wrap(randomBytes(32), Buffer.from('aad'));
      await assert.rejects(other.unwrap(wrapped, Buffer.from('aad')), RootKeyMismatchError);
      await assert.rejects(provider.unwrap(wrapped, Buffer.from('other')), RootKeyMismatchError);
      const t = Buffer.from(wrapped);
      t[t.length - 1]! ^= 1;
      await assert.rejects(provider.unwrap(t, Buffer.from('aad')), RootKeyMismatchError);
    });

    test('check values are stable per key and differ between keys', async () => {
      const { provider, other } = await make();
      assert.equal(await provider.checkValue(), await provider.checkValue());
      assert.notEqual(await provider.checkValue(), await other.checkValue());
      assert.match(await provider.checkValue(), /^[0-9a-f]{16}$/);
    });
  });
}
