// Durability across restarts, on SQLite (DATA_DIR) and PostgreSQL: after a graceful restart and after kill -9,
// every acknowledged key, alias, tag, state change and ciphertext is still there; a wrong root key refuses to
// start with a clear message and leaves the data as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { kmsClient, startServer, type TestServer } from '../helpers/server.js';
import { OTHER_REGION, REGION, unique } from './support.js';

interface KeyState {
  region: string;
  keyId: string;
  arn: string;
  state: 'Enabled' | 'Disabled';
  description: string;
  tags: Record<string, string>;
}

interface Sealed {
  region: string;
  keyArn: string;
  ciphertext: Uint8Array;
  context: Record<string, string> | undefined;
  plaintext: Buffer;
}

/** What the server acknowledged, to be found again after every restart. */
class Expected {
  keys = new Map<string, KeyState>();
  aliases = new Map<string, Map<string, string>>([[REGION, new Map()], [OTHER_REGION, new Map()]]);
  sealed: Sealed[] = [];
}

async function waitFor(predicate: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return predicate();
}

function scenario(engine: 'SQLite' | 'PostgreSQL'): void {
  describe(`restarts on ${engine}`, () => {
    let server: TestServer;
    const expected = new Expected();
    const clients = new Map<string, KMSClient>();

    /** A client per region; rebuilt after each restart so no socket of the old process is reused. */
    function client(region: string): KMSClient {
      let c = clients.get(region);
      if (!c) {
        c = kmsClient(server, region);
        clients.set(region, c);
      }
      return c;
    }
    function dropClients(): void {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    }
    /**
     * The helper pins the port of the first start; while the server is down another test process (or an
     * outgoing connection's ephemeral port) may take it, so ask for a free port on every start instead.
     * Clients are rebuilt after each start anyway.
     */
    async function relaunch(): Promise<void> {
      server.env['PORT'] = '0';
      await server.restart();
    }
    async function restart(how: 'stop' | 'kill'): Promise<void> {
      dropClients();
      if (how === 'kill') await server.kill();
      await relaunch();
    }

    async function addKey(region: string, opts: { description: string; tags?: Record<string, string> }): Promise<KeyState> {
      const tags = opts.tags ?? {};
      const md = (
        await client(region).send(
          new CreateKeyCommand({ Description: opts.description, Tags: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) }),
        )
      ).KeyMetadata!;
      const key: KeyState = { region, keyId: md.KeyId!, arn: md.Arn!, state: 'Enabled', description: opts.description, tags: { ...tags } };
      expected.keys.set(key.arn, key);
      return key;
    }
    async function addAlias(key: KeyState): Promise<string> {
      const name = `alias/${unique('restart')}`;
      await client(key.region).send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.keyId }));
      expected.aliases.get(key.region)!.set(name, key.keyId);
      return name;
    }
    async function seal(key: KeyState, context?: Record<string, string>, size = 64): Promise<void> {
      const plaintext = randomBytes(size);
      const out = await client(key.region).send(new EncryptCommand({ KeyId: key.keyId, Plaintext: plaintext, ...(context ? { EncryptionContext: context } : {}) }));
      expected.sealed.push({ region: key.region, keyArn: key.arn, ciphertext: out.CiphertextBlob!, context, plaintext });
    }
    async function dataKey(key: KeyState, context: Record<string, string>): Promise<void> {
      const out = await client(key.region).send(new GenerateDataKeyCommand({ KeyId: key.arn, KeySpec: 'AES_256', EncryptionContext: context }));
      expected.sealed.push({ region: key.region, keyArn: key.arn, ciphertext: out.CiphertextBlob!, context, plaintext: Buffer.from(out.Plaintext!) });
    }

    /** Reads everything back with fresh clients and compares with what was acknowledged. */
    async function verify(): Promise<void> {
      for (const region of [REGION, OTHER_REGION]) {
        const kms = client(region);
        const listed = ((await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys ?? []).map((k) => k.KeyArn!).sort();
        const want = [...expected.keys.values()].filter((k) => k.region === region).map((k) => k.arn).sort();
        assert.deepEqual(listed, want, `keys of ${region}`);
        const aliases = (await kms.send(new ListAliasesCommand({ Limit: 100 }))).Aliases ?? [];
        assert.deepEqual(
          Object.fromEntries(aliases.map((a) => [a.AliasName!, a.TargetKeyId!])),
          Object.fromEntries(expected.aliases.get(region)!),
          `aliases of ${region}`,
        );
      }
      for (const key of expected.keys.values()) {
        const kms = client(key.region);
        const md = (await kms.send(new DescribeKeyCommand({ KeyId: key.arn }))).KeyMetadata!;
        assert.equal(md.KeyState, key.state, `state of ${key.arn}`);
        assert.equal(md.Description, key.description, `description of ${key.arn}`);
        const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: key.keyId }))).Tags ?? [];
        assert.deepEqual(Object.fromEntries(tags.map((t) => [t.TagKey!, t.TagValue!])), key.tags, `tags of ${key.arn}`);
      }
      for (const [region, aliases] of expected.aliases) {
        for (const [name, keyId] of aliases) {
          assert.equal((await client(region).send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata?.KeyId, keyId, name);
        }
      }
      for (const s of expected.sealed) {
        const request = new DecryptCommand({ CiphertextBlob: s.ciphertext, ...(s.context ? { EncryptionContext: s.context } : {}) });
        if (expected.keys.get(s.keyArn)!.state === 'Disabled') {
          // Still a disabled key: the ciphertext is recognised, and refused for that reason only.
          await assert.rejects(client(s.region).send(request), { name: 'DisabledException', message: `${s.keyArn} is disabled.` });
          continue;
        }
        const out = await client(s.region).send(request);
        assert.deepEqual(Buffer.from(out.Plaintext!), s.plaintext);
        assert.equal(out.KeyId, s.keyArn);
      }
    }

    before(async () => {
      server = await startServer(engine === 'PostgreSQL' ? { postgres: true } : {});
      const a = await addKey(REGION, { description: 'alpha', tags: { team: 'blue', env: 'test' } });
      const b = await addKey(REGION, { description: 'beta' });
      const c = await addKey(REGION, { description: 'to be disabled', tags: { state: 'off' } });
      const w = await addKey(OTHER_REGION, { description: 'west', tags: { region: OTHER_REGION } });
      const aliasA = await addAlias(a);
      await addAlias(b);
      await addAlias(w);
      // Moved alias, changed description, added and overwritten tags, a disabled key.
      await client(REGION).send(new UpdateAliasCommand({ AliasName: aliasA, TargetKeyId: b.keyId }));
      expected.aliases.get(REGION)!.set(aliasA, b.keyId);
      await client(REGION).send(new UpdateKeyDescriptionCommand({ KeyId: b.keyId, Description: 'beta, renamed' }));
      b.description = 'beta, renamed';
      await client(REGION).send(new TagResourceCommand({ KeyId: a.keyId, Tags: [{ TagKey: 'team', TagValue: 'red' }, { TagKey: 'added', TagValue: 'later' }] }));
      Object.assign(a.tags, { team: 'red', added: 'later' });
      await client(REGION).send(new DisableKeyCommand({ KeyId: c.keyId }));
      c.state = 'Disabled';
      await seal(a);
      await seal(a, { purpose: 'restart', engine });
      await seal(b, { 'ünïcode': '✓' }, 4096);
      await seal(w, { where: 'west' }, 1);
      await dataKey(a, { file: 'data.bin' });
      await dataKey(w, { file: 'west.bin' });
      await verify();
    });

    after(async () => {
      dropClients();
      await server?.dispose();
    });

    test('after a graceful restart every key, alias, tag and ciphertext is still there', async () => {
      await restart('stop');
      await verify();
    });

    test('after kill -9 every acknowledged write (including the last ones) survives', async () => {
      const d = await addKey(REGION, { description: 'just before the kill', tags: { last: 'write' } });
      const aliasD = await addAlias(d);
      await seal(d, { last: 'one' });
      const b = [...expected.keys.values()].find((k) => k.description === 'beta, renamed')!;
      await client(REGION).send(new UpdateAliasCommand({ AliasName: aliasD, TargetKeyId: b.keyId }));
      expected.aliases.get(REGION)!.set(aliasD, b.keyId);
      await client(REGION).send(new DisableKeyCommand({ KeyId: d.keyId }));
      d.state = 'Disabled';
      const e = await addKey(OTHER_REGION, { description: 'last of the west' });
      await seal(e);
      await restart('kill');
      await verify();
      // And once more, straight after an acknowledged write with no pause at all.
      await client(REGION).send(new TagResourceCommand({ KeyId: b.keyId, Tags: [{ TagKey: 'final', TagValue: 'tag' }] }));
      b.tags['final'] = 'tag';
      await restart('kill');
      await verify();
    });

    test('a different ENCRYPTION_KEY refuses to start with a clear message, and leaves the data intact', async () => {
      const original = server.env['ENCRYPTION_KEY'];
      assert.ok(original);
      dropClients();
      try {
        server.env['ENCRYPTION_KEY'] = randomBytes(32).toString('hex');
        await assert.rejects(relaunch(), /server exited/);
        assert.ok(await waitFor(() => /root key/i.test(server.output())), `startup output:\n${server.output()}`);
        assert.match(server.output(), /does not match|mismatch/i, server.output());
        assert.match(server.output(), /ENCRYPTION_KEY/);
        assert.doesNotMatch(server.output(), /strongroom is serving/);
        assert.ok(!server.output().includes(server.env['ENCRYPTION_KEY']), 'the wrong key is not echoed');
        assert.ok(!server.output().includes(original), 'the right key is not echoed');

        // A malformed key is a clear configuration error too.
        server.env['ENCRYPTION_KEY'] = 'not-a-root-key';
        await assert.rejects(relaunch(), /server exited/);
        assert.ok(await waitFor(() => /ENCRYPTION_KEY/.test(server.output())), server.output());
        assert.match(server.output(), /hex|base64/i);
      } finally {
        server.env['ENCRYPTION_KEY'] = original;
      }
      await relaunch();
      await verify();
      // Finally every key enabled again: every ciphertext ever made decrypts.
      for (const key of expected.keys.values()) {
        if (key.state !== 'Disabled') continue;
        await client(key.region).send(new EnableKeyCommand({ KeyId: key.keyId }));
        key.state = 'Enabled';
      }
      await verify();
    });
  });
}

scenario('SQLite');
scenario('PostgreSQL');
