import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../helpers/server.js';
import { b64, call, expectError, login, type RequestOptions } from './http.js';

const CIPHERTEXT_ERROR = 'The ciphertext is invalid or was not encrypted under this key';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`REST API over raw HTTP (${engine})`, () => {
    let server: TestServer;
    let token: string;
    let projectId: string;
    const req = (method: string, path: string, options: RequestOptions = {}) => call(server.url, method, path, { token, ...options });
    const createKey = async (body: Record<string, unknown>, project = projectId) => {
      const res = await req('POST', '/api/v1/kms/keys', { body: { projectId: project, ...body } });
      assert.equal(res.status, 200, res.text);
      return res.body.key as { id: string; name: string; [k: string]: unknown };
    };
    const newProject = async (name: string): Promise<string> => {
      const res = await req('POST', '/api/v1/projects', { body: { name } });
      assert.equal(res.status, 200, res.text);
      return res.body.project.id as string;
    };

    before(async () => {
      server = await startServer({ postgres: engine === 'postgres' });
      token = await login(server.url, server.clientId, server.clientSecret);
      projectId = await newProject('REST tests');
    });
    after(() => server?.dispose());

    describe('authentication', () => {
      test('login returns an Infisical-shaped token', async () => {
        const res = await call(server.url, 'POST', '/api/v1/auth/universal-auth/login', { body: { clientId: server.clientId, clientSecret: server.clientSecret } });
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body).sort(), ['accessToken', 'accessTokenMaxTTL', 'expiresIn', 'tokenType']);
        assert.equal(res.body.tokenType, 'Bearer');
        assert.ok(res.body.expiresIn > 0);
        assert.equal(typeof res.body.accessToken, 'string');
      });

      test('bad credentials are 401 "Invalid credentials" and echo nothing', async () => {
        for (const body of [{ clientId: server.clientId, clientSecret: 'not-the-secret' }, { clientId: randomUUID(), clientSecret: server.clientSecret }]) {
          const res = await call(server.url, 'POST', '/api/v1/auth/universal-auth/login', { body });
          expectError(res, 401, 'UnauthorizedError', 'Invalid credentials');
          assert.ok(!res.text.includes(body.clientSecret));
        }
        expectError(await call(server.url, 'POST', '/api/v1/auth/universal-auth/login', { body: { clientId: server.clientId } }), 400, 'BadRequest', 'Body field "clientSecret" is required.');
      });

      test('renew issues a fresh working token; garbage cannot be renewed', async () => {
        const res = await call(server.url, 'POST', '/api/v1/auth/token/renew', { body: { accessToken: token } });
        assert.equal(res.status, 200, res.text);
        assert.notEqual(res.body.accessToken, token);
        assert.equal((await call(server.url, 'GET', '/api/v1/projects', { token: res.body.accessToken })).status, 200);
        expectError(await call(server.url, 'POST', '/api/v1/auth/token/renew', { body: { accessToken: 'sr1.abc.def' } }), 401, 'UnauthorizedError');
      });

      test('every other route wants a valid bearer token', async () => {
        const tampered = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
        const cases: Array<[Record<string, string>, RegExp]> = [
          [{}, /Missing access token/],
          [{ authorization: `Basic ${b64('a:b')}` }, /must be "Bearer <accessToken>"/],
          [{ authorization: 'Bearer' }, /must be "Bearer <accessToken>"/],
          [{ authorization: 'Bearer garbage' }, /malformed/],
          [{ authorization: 'Bearer sr1.e30.AAAA' }, /invalid/],
          [{ authorization: `Bearer ${tampered}` }, /invalid|malformed/],
        ];
        for (const [headers, message] of cases) {
          for (const [method, path] of [['GET', '/api/v1/projects'], ['GET', `/api/v1/kms/keys?projectId=${projectId}`], ['POST', `/api/v1/kms/keys/${randomUUID()}/encrypt`]] as const) {
            // Even with an invalid body: authentication comes first.
            const res = await call(server.url, method, path, { headers, ...(method === 'POST' ? { body: { plaintext: '!!' } } : {}) });
            const msg = expectError(res, 401, 'UnauthorizedError', message);
            assert.ok(!msg.includes(tampered));
          }
        }
      });
    });

    describe('projects', () => {
      test('list, create, get', async () => {
        const list = await req('GET', '/api/v1/projects');
        assert.equal(list.status, 200);
        assert.ok(list.body.projects.some((p: { slug: string }) => p.slug === 'default'));
        const created = await req('POST', '/api/v1/projects', { body: { name: 'Payments Team', description: 'cards' } });
        assert.equal(created.status, 200, created.text);
        const project = created.body.project;
        assert.deepEqual(Object.keys(project).sort(), ['createdAt', 'description', 'id', 'name', 'orgId', 'slug']);
        assert.equal(project.slug, 'payments-team');
        assert.equal(project.description, 'cards');
        assert.ok(!Number.isNaN(Date.parse(project.createdAt)));
        assert.deepEqual((await req('GET', `/api/v1/projects/${project.id}`)).body, { project });
        expectError(await req('POST', '/api/v1/projects', { body: { name: 'Payments Team' } }), 400, 'BadRequest', /already exists/);
        expectError(await req('POST', '/api/v1/projects', { body: { name: 'x', slug: 'Not A Slug' } }), 400, 'BadRequest', /slug/);
        expectError(await req('POST', '/api/v1/projects', { body: { name: '   ' } }), 400, 'BadRequest', 'Body field "name" must not be empty.');
        const unknown = randomUUID();
        expectError(await req('GET', `/api/v1/projects/${unknown}`), 404, 'NotFound', `Project with ID "${unknown}" not found`);
        expectError(await req('GET', '/api/v1/projects/not-an-id'), 400, 'BadRequest', 'Path parameter "projectId" must be a project ID (a UUID).');
      });
    });

    describe('keys', () => {
      test('create with defaults, and with aes-128-gcm', async () => {
        const key = await createKey({ name: '  first-key ', keyId: 'ignored', unknownField: 1 });
        assert.deepEqual(Object.keys(key).sort(), [
          'createdAt', 'description', 'encryptionAlgorithm', 'id', 'isDisabled', 'keyUsage', 'name', 'orgId', 'projectId', 'updatedAt', 'version',
        ]);
        assert.equal(key.name, 'first-key');
        assert.equal(key.description, '');
        assert.equal(key.isDisabled, false);
        assert.equal(key.keyUsage, 'encrypt-decrypt');
        assert.equal(key.encryptionAlgorithm, 'aes-256-gcm');
        assert.equal(key.version, 1);
        assert.equal(key.projectId, projectId);
        assert.equal(key.createdAt, key.updatedAt);
        assert.ok(!Number.isNaN(Date.parse(key.createdAt as string)));
        const small = await createKey({ name: 'small', encryptionAlgorithm: 'aes-128-gcm', keyUsage: 'encrypt-decrypt', description: ' short ' });
        assert.equal(small.encryptionAlgorithm, 'aes-128-gcm');
        assert.equal(small.description, 'short');
      });

      test('create rejects bad input with a message naming the field', async () => {
        const bad: Array<[Record<string, unknown>, RegExp]> = [
          [{ name: 'Upper' }, /^Body field "name" must be a slug of 1-32 characters/],
          [{ name: 'under_score' }, /"name" must be a slug/],
          [{ name: '-lead' }, /"name" must be a slug/],
          [{ name: 'a'.repeat(33) }, /"name" must be a slug/],
          [{ name: '   ' }, /"name" must be a slug/],
          [{ name: '' }, /^Body field "name" must not be empty\.$/],
          [{ name: 'ok', description: 'x'.repeat(501) }, /"description" must be at most 500 characters/],
          [{ name: 'ok', description: 'nul\u0000' }, /"description" must be text without NUL characters/],
          [{ name: 'ok', encryptionAlgorithm: 'RSA_4096' }, /^Body field "encryptionAlgorithm" must be one of: aes-256-gcm, aes-128-gcm \("RSA_4096" is not supported\)\.$/],
          [{ name: 'ok', encryptionAlgorithm: 'ECC_NIST_P256' }, /must be one of: aes-256-gcm, aes-128-gcm/],
          [{ name: 'ok', keyUsage: 'sign-verify' }, /^Body field "keyUsage" must be one of: encrypt-decrypt \("sign-verify" is not supported\)\.$/],
          [{ name: 'ok', projectId: 'nope' }, /"projectId" must be a project ID/],
          [{ name: 'ok', projectId: undefined }, /^Body field "projectId" is required\.$/],
        ];
        for (const [body, message] of bad) {
          const res = await req('POST', '/api/v1/kms/keys', { body: { projectId, ...body } });
          expectError(res, 400, 'BadRequest', message);
        }
        expectError(await req('POST', '/api/v1/kms/keys', { raw: '[]' }), 400, 'BadRequest', 'The request body must be a JSON object.');
        expectError(await req('POST', '/api/v1/kms/keys', { raw: '' }), 400, 'BadRequest', 'The request body must be a JSON object.');
        expectError(await req('POST', '/api/v1/kms/keys', { raw: '{"name": "secret-plaintext-here' }), 400, 'BadRequest', 'The request body is not valid JSON.');
        expectError(await req('POST', '/api/v1/kms/keys', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'BadRequest', /application\/json/);
        const unknownProject = randomUUID();
        expectError(await req('POST', '/api/v1/kms/keys', { body: { projectId: unknownProject, name: 'ok' } }), 404, 'NotFound', `Project with ID "${unknownProject}" not found`);
        const list = await req('GET', `/api/v1/kms/keys?projectId=${projectId}&search=ok`);
        assert.equal(list.body.totalCount, 0, 'nothing was created by the rejected requests');
      });

      test('duplicate names are refused per project', async () => {
        await createKey({ name: 'dup' });
        expectError(
          await req('POST', '/api/v1/kms/keys', { body: { projectId, name: ' dup ' } }), 400, 'BadRequest',
          `A KMS key with the name "dup" already exists for the project with ID "${projectId}"`,
        );
        const other = await newProject('Other project for dup');
        const elsewhere = await createKey({ name: 'dup' }, other);
        assert.equal(elsewhere.projectId, other);
      });

      test('get by id and by name', async () => {
        const key = await createKey({ name: 'lookup-me', description: 'd' });
        assert.deepEqual((await req('GET', `/api/v1/kms/keys/${key.id}`)).body, { key });
        assert.deepEqual((await req('GET', `/api/v1/kms/keys/key-name/lookup-me?projectId=${projectId}`)).body, { key });
        const unknown = randomUUID();
        expectError(await req('GET', `/api/v1/kms/keys/${unknown}`), 404, 'NotFound', `Key with ID "${unknown}" not found`);
        expectError(await req('GET', '/api/v1/kms/keys/alias%2Fsomething'), 400, 'BadRequest', /"keyId" must be a key ID/);
        expectError(await req('GET', `/api/v1/kms/keys/key-name/missing?projectId=${projectId}`), 404, 'NotFound', `Key with name "missing" not found for project with ID "${projectId}"`);
        const other = await newProject('Wrong project');
        expectError(await req('GET', `/api/v1/kms/keys/key-name/lookup-me?projectId=${other}`), 404, 'NotFound', `Key with name "lookup-me" not found for project with ID "${other}"`);
        expectError(await req('GET', '/api/v1/kms/keys/key-name/lookup-me'), 400, 'BadRequest', 'Query parameter "projectId" is required.');
        expectError(await req('GET', `/api/v1/kms/keys/key-name/NOT_A_SLUG?projectId=${projectId}`), 400, 'BadRequest', /Path parameter "keyName" must be a slug/);
      });

      test('list: pagination, order, search, totalCount', async () => {
        const project = await newProject('Listing');
        const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];
        for (const name of [...names].reverse()) await createKey({ name }, project);
        const page = async (query: string) => {
          const res = await req('GET', `/api/v1/kms/keys?projectId=${project}${query}`);
          assert.equal(res.status, 200, res.text);
          return { names: res.body.keys.map((k: { name: string }) => k.name) as string[], total: res.body.totalCount as number };
        };
        assert.deepEqual(await page(''), { names, total: 7 });
        assert.deepEqual(await page('&offset=0&limit=3'), { names: ['alpha', 'bravo', 'charlie'], total: 7 });
        assert.deepEqual(await page('&offset=3&limit=3'), { names: ['delta', 'echo', 'foxtrot'], total: 7 });
        assert.deepEqual(await page('&offset=6&limit=3'), { names: ['golf'], total: 7 });
        assert.deepEqual(await page('&offset=7&limit=3'), { names: [], total: 7 });
        assert.deepEqual(await page('&orderDirection=desc&limit=2'), { names: ['golf', 'foxtrot'], total: 7 });
        assert.deepEqual(await page('&orderBy=name&orderDirection=asc&limit=1'), { names: ['alpha'], total: 7 });
        assert.deepEqual(await page('&search=ha'), { names: ['alpha', 'charlie'], total: 2 });
        assert.deepEqual(await page('&search=o&limit=1&offset=1'), { names: ['echo'], total: 4 });
        assert.deepEqual(await page('&search=%20HA%20'), { names: ['alpha', 'charlie'], total: 2 }, 'trimmed and case-insensitive on every engine');
        assert.deepEqual(await page('&search=%25'), { names: [], total: 0 }, 'LIKE wildcards are literal');
        assert.deepEqual(await page('&search=zzz'), { names: [], total: 0 });
        for (const [query, message] of [
          ['&limit=0', 'Query parameter "limit" must be at least 1.'],
          ['&limit=101', 'Query parameter "limit" must be at most 100.'],
          ['&limit=ten', 'Query parameter "limit" must be an integer.'],
          ['&offset=-1', 'Query parameter "offset" must be at least 0.'],
          ['&orderDirection=sideways', 'Query parameter "orderDirection" must be one of: asc, desc ("sideways" is not supported).'],
          ['&orderBy=createdAt', 'Query parameter "orderBy" must be one of: name ("createdAt" is not supported).'],
        ]) {
          expectError(await req('GET', `/api/v1/kms/keys?projectId=${project}${query}`), 400, 'BadRequest', message);
        }
        const bytewise = await newProject('Bytewise order');
        for (const name of ['ab', 'a1', 'a-c', 'a-b', 'b']) await createKey({ name }, bytewise);
        const ordered = await req('GET', `/api/v1/kms/keys?projectId=${bytewise}`);
        assert.deepEqual(ordered.body.keys.map((k: { name: string }) => k.name), ['a-b', 'a-c', 'a1', 'ab', 'b'], 'names sort by their bytes on every engine');
        expectError(await req('GET', '/api/v1/kms/keys'), 400, 'BadRequest', 'Query parameter "projectId" is required.');
        const unknown = randomUUID();
        expectError(await req('GET', `/api/v1/kms/keys?projectId=${unknown}`), 404, 'NotFound', `Project with ID "${unknown}" not found`);
      });

      test('update: rename, describe, disable, enable', async () => {
        const key = await createKey({ name: 'to-update' });
        await createKey({ name: 'taken' });
        const patch = (body: unknown) => req('PATCH', `/api/v1/kms/keys/${key.id}`, { body });
        const renamed = await patch({ name: 'updated', description: 'now described' });
        assert.equal(renamed.status, 200, renamed.text);
        assert.equal(renamed.body.key.name, 'updated');
        assert.equal(renamed.body.key.description, 'now described');
        assert.equal((await req('GET', `/api/v1/kms/keys/key-name/updated?projectId=${projectId}`)).body.key.id, key.id);
        expectError(await req('GET', `/api/v1/kms/keys/key-name/to-update?projectId=${projectId}`), 404, 'NotFound');
        expectError(await patch({ name: 'taken' }), 400, 'BadRequest', `A KMS key with the name "taken" already exists for the project with ID "${projectId}"`);
        expectError(await patch({ name: 'Bad Name' }), 400, 'BadRequest', /"name" must be a slug/);
        expectError(await patch({ isDisabled: 'maybe' }), 400, 'BadRequest', 'Body field "isDisabled" must be a boolean.');
        assert.equal((await patch({})).body.key.name, 'updated');

        const plaintext = b64('while enabled');
        const { ciphertext } = (await req('POST', `/api/v1/kms/keys/${key.id}/encrypt`, { body: { plaintext } })).body;
        const disabled = await patch({ isDisabled: true });
        assert.equal(disabled.body.key.isDisabled, true);
        assert.equal((await req('GET', `/api/v1/kms/keys/${key.id}`)).body.key.isDisabled, true);
        expectError(await req('POST', `/api/v1/kms/keys/${key.id}/encrypt`, { body: { plaintext } }), 400, 'BadRequest', 'Key is disabled');
        expectError(await req('POST', `/api/v1/kms/keys/${key.id}/decrypt`, { body: { ciphertext } }), 400, 'BadRequest', 'Key is disabled');
        const enabled = await patch({ isDisabled: false });
        assert.equal(enabled.body.key.isDisabled, false);
        assert.equal((await req('POST', `/api/v1/kms/keys/${key.id}/decrypt`, { body: { ciphertext } })).body.plaintext, plaintext);
        expectError(await req('PATCH', `/api/v1/kms/keys/${randomUUID()}`, { body: { isDisabled: true } }), 404, 'NotFound');
      });

      test('delete: gone from this API at once, name freed, second delete is 404', async () => {
        const key = await createKey({ name: 'doomed' });
        const { ciphertext } = (await req('POST', `/api/v1/kms/keys/${key.id}/encrypt`, { body: { plaintext: b64('x') } })).body;
        const res = await req('DELETE', `/api/v1/kms/keys/${key.id}`, { headers: { 'content-type': 'application/json' } });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.key.id, key.id);
        assert.equal(res.body.key.name, 'doomed');
        const notFound = `Key with ID "${key.id}" not found`;
        expectError(await req('GET', `/api/v1/kms/keys/${key.id}`), 404, 'NotFound', notFound);
        expectError(await req('GET', `/api/v1/kms/keys/key-name/doomed?projectId=${projectId}`), 404, 'NotFound');
        expectError(await req('POST', `/api/v1/kms/keys/${key.id}/encrypt`, { body: { plaintext: b64('x') } }), 404, 'NotFound', notFound);
        expectError(await req('POST', `/api/v1/kms/keys/${key.id}/decrypt`, { body: { ciphertext } }), 404, 'NotFound', notFound);
        expectError(await req('PATCH', `/api/v1/kms/keys/${key.id}`, { body: { isDisabled: false } }), 404, 'NotFound', notFound);
        expectError(await req('DELETE', `/api/v1/kms/keys/${key.id}`), 404, 'NotFound', notFound);
        const listed = await req('GET', `/api/v1/kms/keys?projectId=${projectId}&search=doomed`);
        assert.deepEqual(listed.body, { keys: [], totalCount: 0 });
        const again = await createKey({ name: 'doomed' });
        assert.notEqual(again.id, key.id);
      });
    });

    describe('encrypt and decrypt', () => {
      let keyId: string;
      let otherKeyId: string;
      before(async () => {
        keyId = (await createKey({ name: 'crypto' })).id;
        otherKeyId = (await createKey({ name: 'crypto-other', encryptionAlgorithm: 'aes-128-gcm' })).id;
      });
      const encrypt = (id: string, body: unknown) => req('POST', `/api/v1/kms/keys/${id}/encrypt`, { body });
      const decrypt = (id: string, body: unknown) => req('POST', `/api/v1/kms/keys/${id}/decrypt`, { body });

      test('round trip, including the largest plaintext; each ciphertext is fresh', async () => {
        for (const data of [Buffer.from('hello'), randomBytes(1), randomBytes(4096)]) {
          const plaintext = data.toString('base64');
          const a = await encrypt(keyId, { plaintext, keyId });
          assert.equal(a.status, 200, a.text);
          assert.deepEqual(Object.keys(a.body), ['ciphertext']);
          const b = await encrypt(keyId, { plaintext });
          assert.notEqual(a.body.ciphertext, b.body.ciphertext);
          for (const ciphertext of [a.body.ciphertext, b.body.ciphertext]) {
            const out = await decrypt(keyId, { ciphertext, keyId });
            assert.equal(out.status, 200, out.text);
            assert.deepEqual(out.body, { plaintext });
          }
        }
      });

      test('bad base64 and oversize input are 400 naming the field, never echoing it', async () => {
        const secret = 'TOP-SECRET-VALUE';
        for (const plaintext of [secret, `${b64('abc')}!`, 'abc', '====', 'YQ', 'Y Q==']) {
          const msg = expectError(await encrypt(keyId, { plaintext }), 400, 'BadRequest', 'Body field "plaintext" must be base64-encoded (standard alphabet, with padding).');
          assert.ok(!msg.includes(plaintext));
        }
        expectError(await encrypt(keyId, { plaintext: '' }), 400, 'BadRequest', 'Body field "plaintext" must not be empty.');
        expectError(await encrypt(keyId, { plaintext: b64(randomBytes(4097)) }), 400, 'BadRequest', 'Body field "plaintext" must decode to at most 4096 bytes.');
        expectError(await encrypt(keyId, { plaintext: b64(randomBytes(100_000)) }), 400, 'BadRequest', /at most 4096 bytes/);
        expectError(await encrypt(keyId, {}), 400, 'BadRequest', 'Body field "plaintext" is required.');
        expectError(await encrypt(keyId, { plaintext: { nested: true } }), 400, 'BadRequest', 'Body field "plaintext" must be a string.');
        expectError(await decrypt(keyId, { ciphertext: 'not base64' }), 400, 'BadRequest', 'Body field "ciphertext" must be base64-encoded (standard alphabet, with padding).');
        expectError(await decrypt(keyId, { ciphertext: b64(randomBytes(6145)) }), 400, 'BadRequest', 'Body field "ciphertext" must decode to at most 6144 bytes.');
        expectError(await decrypt(keyId, {}), 400, 'BadRequest', 'Body field "ciphertext" is required.');
      });

      test('any wrong ciphertext gives the same 400, whatever the reason', async () => {
        const { ciphertext } = (await encrypt(keyId, { plaintext: b64('tamper with me') })).body;
        const bytes = Buffer.from(ciphertext, 'base64');
        const wrong: string[] = [b64('short'), b64(randomBytes(200)), (await encrypt(otherKeyId, { plaintext: b64('x') })).body.ciphertext];
        for (const i of [0, 1, 5, bytes.length - 1, Math.floor(bytes.length / 2)]) {
          const t = Buffer.from(bytes);
          t[i]! ^= 0x01;
          wrong.push(t.toString('base64'));
        }
        wrong.push(bytes.subarray(0, bytes.length - 1).toString('base64'));
        for (const bad of wrong) expectError(await decrypt(keyId, { ciphertext: bad }), 400, 'BadRequest', CIPHERTEXT_ERROR);
      });

      test('unknown or malformed key ids', async () => {
        const unknown = randomUUID();
        expectError(await encrypt(unknown, { plaintext: b64('x') }), 404, 'NotFound', `Key with ID "${unknown}" not found`);
        expectError(await decrypt(unknown, { ciphertext: b64(randomBytes(64)) }), 404, 'NotFound', `Key with ID "${unknown}" not found`);
        expectError(await encrypt('alias%2Fcrypto', { plaintext: b64('x') }), 400, 'BadRequest', /"keyId" must be a key ID/);
      });
    });

    test('unknown /api routes are JSON 404s', async () => {
      expectError(await call(server.url, 'GET', '/api/v1/nothing-here?secret=abc'), 404, 'NotFound', 'Route GET /api/v1/nothing-here not found');
      expectError(await req('PUT', `/api/v1/kms/keys/${randomUUID()}`, { body: {} }), 404, 'NotFound');
    });
  });
}
