// Concurrent clients through the AWS API, on SQLite and PostgreSQL: uniqueness and per-key quotas hold when many
// requests race (alias names unique per account and region, at most 50 aliases and 50 tags per key).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { awsJson, errorType, type RawResponse, unique } from './support.js';

function tally(results: RawResponse[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const k = r.status === 200 ? 'ok' : (errorType(r) ?? String(r.status));
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function scenario(engine: 'SQLite' | 'PostgreSQL'): void {
  describe(`concurrent requests on ${engine}`, () => {
    let server: TestServer;

    before(async () => {
      server = await startServer(engine === 'PostgreSQL' ? { postgres: true } : {});
    });
    after(async () => {
      await server?.dispose();
    });

    async function createKey(): Promise<string> {
      const res = await awsJson(server, 'CreateKey', {});
      assert.equal(res.status, 200, res.text);
      return String((res.json?.['KeyMetadata'] as { KeyId: string }).KeyId);
    }

    async function allTags(keyId: string): Promise<number> {
      let count = 0;
      let marker: string | undefined;
      do {
        const res = await awsJson(server, 'ListResourceTags', { KeyId: keyId, Limit: 50, ...(marker ? { Marker: marker } : {}) });
        assert.equal(res.status, 200, res.text);
        count += (res.json?.['Tags'] as unknown[]).length;
        marker = res.json?.['Truncated'] ? String(res.json['NextMarker']) : undefined;
      } while (marker);
      return count;
    }

    async function aliasCount(keyId: string): Promise<number> {
      const res = await awsJson(server, 'ListAliases', { KeyId: keyId, Limit: 100 });
      assert.equal(res.status, 200, res.text);
      return (res.json?.['Aliases'] as unknown[]).length;
    }

    test('20 concurrent CreateAlias of one name: exactly one wins, the others get AlreadyExistsException', async () => {
      const [a, b] = [await createKey(), await createKey()];
      const name = `alias/${unique('race')}`;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => awsJson(server, 'CreateAlias', { AliasName: name, TargetKeyId: i % 2 ? a : b })));
      assert.deepEqual(tally(results), { ok: 1, AlreadyExistsException: 19 });
      assert.equal((await aliasCount(a)) + (await aliasCount(b)), 1);
    });

    const quotaOptions = {};

    test('40 concurrent TagResource of 2 new tags each: the key never holds more than 50 tags', quotaOptions, async () => {
      const keyId = await createKey();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => awsJson(server, 'TagResource', { KeyId: keyId, Tags: [{ TagKey: `a${i}`, TagValue: 'x' }, { TagKey: `b${i}`, TagValue: 'y' }] })),
      );
      const counts = tally(results);
      assert.deepEqual(Object.keys(counts).sort(), ['TagException', 'ok']);
      const total = await allTags(keyId);
      assert.equal(total, (counts['ok'] ?? 0) * 2, 'every acknowledged TagResource is there');
      assert.ok(total <= 50, `${total} tags on one key`);
    });

    test('70 concurrent CreateAlias on one key: at most 50 aliases', quotaOptions, async () => {
      const keyId = await createKey();
      const results = await Promise.all(Array.from({ length: 70 }, () => awsJson(server, 'CreateAlias', { AliasName: `alias/${unique('quota')}`, TargetKeyId: keyId })));
      const counts = tally(results);
      const total = await aliasCount(keyId);
      assert.equal(total, counts['ok'] ?? 0, 'every acknowledged CreateAlias is there');
      assert.ok(total <= 50, `${total} aliases on one key`);
      assert.equal(counts['LimitExceededException'], 70 - total);
    });
  });
}

scenario('SQLite');
scenario('PostgreSQL');
