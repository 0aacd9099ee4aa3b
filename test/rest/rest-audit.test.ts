import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startInProcess, type InProcessServer } from './in-process.js';

// In-process, where the clock, the audit store and the log are ours to control and inspect.
describe('REST API: audit, token lifetime, secrecy', () => {
  let ip: InProcessServer;
  let token: string;
  let projectId: string;

  const inject = async (options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse> => {
    const { token: bearer, ...rest } = options;
    return ip.app.inject({ ...rest, headers: { ...rest.headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } });
  };
  const loginBody = () => ({ clientId: ip.clientId, clientSecret: ip.clientSecret });
  const eventsOf = async (requestId: string) => (await ip.store.audit.list({ limit: 100_000 })).filter((e) => e.requestId === requestId);

  before(async () => {
    ip = await startInProcess();
    const res = await inject({ method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: loginBody() });
    token = res.json().accessToken;
    const projects = await inject({ method: 'GET', url: '/api/v1/projects', token });
    projectId = projects.json().projects[0].id;
  });
  after(() => ip?.close());

  test('every request is audited exactly once, with outcome, operation and caller', async () => {
    const key = (await inject({ method: 'POST', url: '/api/v1/kms/keys', token, payload: { projectId, name: 'audited' } })).json().key;
    const cases: Array<{ request: InjectOptions & { token?: string }; status: number; operation: string; errorCode: string | null; principal: boolean }> = [
      { request: { method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: loginBody() }, status: 200, operation: 'UniversalAuthLogin', errorCode: null, principal: true },
      { request: { method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: { clientId: ip.clientId, clientSecret: 'x' } }, status: 401, operation: 'UniversalAuthLogin', errorCode: 'Unauthenticated', principal: false },
      { request: { method: 'GET', url: `/api/v1/kms/keys/${key.id}`, token }, status: 200, operation: 'GetKmsKey', errorCode: null, principal: true },
      { request: { method: 'GET', url: `/api/v1/kms/keys/${key.id}` }, status: 401, operation: 'GetKmsKey', errorCode: 'Unauthenticated', principal: false },
      { request: { method: 'GET', url: `/api/v1/kms/keys/${key.id}`, token: 'sr1.bad.token' }, status: 401, operation: 'GetKmsKey', errorCode: 'Unauthenticated', principal: false },
      { request: { method: 'GET', url: `/api/v1/kms/keys/${randomUUID()}`, token }, status: 404, operation: 'GetKmsKey', errorCode: 'NotFound', principal: true },
      { request: { method: 'POST', url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: { plaintext: 'aGVsbG8=' } }, status: 200, operation: 'Encrypt', errorCode: null, principal: true },
      { request: { method: 'POST', url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: { plaintext: '***' } }, status: 400, operation: 'Encrypt', errorCode: 'Validation', principal: true },
      { request: { method: 'POST', url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: '{oops', headers: { 'content-type': 'application/json' } }, status: 400, operation: 'Encrypt', errorCode: 'Serialization', principal: true },
      { request: { method: 'GET', url: '/api/v1/kms/keys?limit=5', token }, status: 400, operation: 'ListKmsKeys', errorCode: 'Validation', principal: true },
      { request: { method: 'GET', url: '/api/v1/unknown' }, status: 404, operation: 'UnknownRoute', errorCode: 'NotFound', principal: false },
      { request: { method: 'GET', url: '/api/docs' }, status: 200, operation: 'GetOpenApiDocument', errorCode: null, principal: false },
    ];
    for (const c of cases) {
      const res = await inject(c.request);
      assert.equal(res.statusCode, c.status, `${c.request.method} ${c.request.url}: ${res.body}`);
      const requestId = res.headers['x-request-id'] as string;
      assert.ok(requestId);
      const events = await eventsOf(requestId);
      assert.equal(events.length, 1, `exactly one event for ${c.operation} (${c.status})`);
      const [e] = events;
      assert.equal(e!.interface, 'rest');
      assert.equal(e!.operation, c.operation);
      assert.equal(e!.outcome, c.errorCode === null ? 'success' : 'failure');
      assert.equal(e!.errorCode, c.errorCode);
      if (c.principal) assert.match(e!.principal ?? '', /^arn:aws:iam::111122223333:user\/admin$/);
      else assert.equal(e!.principal, null);
      if (c.operation === 'GetKmsKey' && c.status === 200) assert.deepEqual(e!.resources, [`arn:aws:kms:us-east-1:111122223333:key/${key.id}`]);
      if (c.operation === 'Encrypt' && c.status === 200) assert.equal(e!.keyVersion, 1);
    }
  });

  test('an expired token is refused, and cannot be renewed', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: loginBody() });
    const short = res.json().accessToken as string;
    assert.equal((await inject({ method: 'GET', url: '/api/v1/projects', token: short })).statusCode, 200);
    ip.advance(res.json().expiresIn * 1000 + 1000);
    try {
      const refused = await inject({ method: 'GET', url: '/api/v1/projects', token: short });
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error, 'UnauthorizedError');
      assert.match(refused.json().message, /expired/);
      const renew = await inject({ method: 'POST', url: '/api/v1/auth/token/renew', payload: { accessToken: short } });
      assert.equal(renew.statusCode, 401);
    } finally {
      ip.advance(-(res.json().expiresIn * 1000 + 1000));
    }
  });

  test('a renewed token lives a full lifetime from its renewal', async () => {
    const first = (await inject({ method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: loginBody() })).json();
    const half = (first.expiresIn * 1000) / 2;
    ip.advance(half + 1000);
    try {
      const renewed = await inject({ method: 'POST', url: '/api/v1/auth/token/renew', payload: { accessToken: first.accessToken } });
      assert.equal(renewed.statusCode, 200);
      ip.advance(half + 1000); // the first token has expired by now; the renewed one has not
      assert.equal((await inject({ method: 'GET', url: '/api/v1/projects', token: first.accessToken })).statusCode, 401);
      assert.equal((await inject({ method: 'GET', url: '/api/v1/projects', token: renewed.json().accessToken })).statusCode, 200);
    } finally {
      ip.advance(-2 * (half + 1000));
    }
  });

  test('when the audit event cannot be written, nothing is served', async () => {
    const key = (await inject({ method: 'POST', url: '/api/v1/kms/keys', token, payload: { projectId, name: 'audit-down' } })).json().key;
    ip.failAudit = true;
    try {
      for (const request of [
        { method: 'POST' as const, url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: { plaintext: 'c2VjcmV0' } },
        { method: 'POST' as const, url: '/api/v1/auth/universal-auth/login', payload: loginBody() },
        { method: 'GET' as const, url: `/api/v1/kms/keys/${key.id}`, token },
        { method: 'GET' as const, url: `/api/v1/kms/keys/${key.id}` },
        { method: 'POST' as const, url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: { plaintext: '***' } },
      ]) {
        const res = await inject(request);
        assert.equal(res.statusCode, 500, `${request.method} ${request.url}`);
        const body = res.json();
        assert.deepEqual(Object.keys(body).sort(), ['error', 'message', 'reqId', 'statusCode']);
        assert.equal(body.error, 'InternalServerError');
        assert.ok(!('ciphertext' in body) && !('accessToken' in body) && !('key' in body));
        assert.doesNotMatch(body.message, /audit store unavailable/, 'internal details stay in the log');
      }
    } finally {
      ip.failAudit = false;
    }
    assert.equal((await inject({ method: 'GET', url: `/api/v1/kms/keys/${key.id}`, token })).statusCode, 200);
  });

  test('revoking the client secret stops logins and renewals', async () => {
    const own = await inject({ method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: loginBody() });
    await ip.db.updateTable('client_secrets').set({ status: 'revoked' }).where('client_id', '=', ip.clientId).execute();
    try {
      assert.equal((await inject({ method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: loginBody() })).statusCode, 401);
      const renew = await inject({ method: 'POST', url: '/api/v1/auth/token/renew', payload: { accessToken: own.json().accessToken } });
      assert.equal(renew.statusCode, 401);
      assert.match(renew.json().message, /no longer valid/);
    } finally {
      await ip.db.updateTable('client_secrets').set({ status: 'active' }).where('client_id', '=', ip.clientId).execute();
    }
  });

  test('plaintext, tokens and secrets never reach the log or an error message', async () => {
    const key = (await inject({ method: 'POST', url: '/api/v1/kms/keys', token, payload: { projectId, name: 'quiet' } })).json().key;
    const marker = `PLAINTEXT-${randomBytes(8).toString('hex')}`;
    const plaintext = Buffer.from(marker).toString('base64');
    const responses = [
      await inject({ method: 'POST', url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: { plaintext } }),
      await inject({ method: 'POST', url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: { plaintext: `${plaintext}!` } }),
      await inject({ method: 'POST', url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: `{"plaintext": "${marker}`, headers: { 'content-type': 'application/json' } }),
      await inject({ method: 'POST', url: `/api/v1/kms/keys/${key.id}/decrypt`, token, payload: { ciphertext: Buffer.from(marker).toString('base64') } }),
      await inject({ method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: { clientId: ip.clientId, clientSecret: `${ip.clientSecret}x` } }),
      await inject({ method: 'GET', url: '/api/v1/projects', token: `${token}x` }),
    ];
    ip.failAudit = true;
    try {
      responses.push(await inject({ method: 'POST', url: `/api/v1/kms/keys/${key.id}/encrypt`, token, payload: { plaintext } }));
    } finally {
      ip.failAudit = false;
    }
    const everything = ip.logs() + responses.map((r) => r.body).join('\n') + JSON.stringify(await ip.store.audit.list({ limit: 100_000 }));
    for (const secret of [marker, plaintext, token, ip.clientSecret]) assert.ok(!everything.includes(secret), 'a secret leaked');
    assert.match(ip.logs(), /audit store unavailable/, 'the audit failure itself is logged');
  });
});

describe('REST API: roles and tenants', () => {
  let ip: InProcessServer;
  const loginAs = async (creds: { clientId: string; clientSecret: string }): Promise<string> => {
    const res = await ip.app.inject({ method: 'POST', url: '/api/v1/auth/universal-auth/login', payload: creds });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().accessToken;
  };
  const as = (token: string) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    ip.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  let admin: ReturnType<typeof as>;
  let projectId: string;
  let keyId: string;
  let ciphertext: string;

  before(async () => {
    ip = await startInProcess();
    admin = as(await loginAs({ clientId: ip.clientId, clientSecret: ip.clientSecret }));
    projectId = (await admin('POST', '/api/v1/projects', { name: 'Tenant A' })).json().project.id;
    keyId = (await admin('POST', '/api/v1/kms/keys', { projectId, name: 'tenant-a-key' })).json().key.id;
    ciphertext = (await admin('POST', `/api/v1/kms/keys/${keyId}/encrypt`, { plaintext: 'c2VjcmV0' })).json().ciphertext;
  });
  after(() => ip?.close());

  test('a viewer may read but not create, change or use keys (403 PermissionDenied)', async () => {
    const viewer = as(await loginAs(await ip.addIdentity('viewer')));
    assert.equal((await viewer('GET', `/api/v1/kms/keys/${keyId}`)).statusCode, 200);
    assert.equal((await viewer('GET', `/api/v1/kms/keys?projectId=${projectId}`)).statusCode, 200);
    for (const [method, url, payload] of [
      ['POST', '/api/v1/kms/keys', { projectId, name: 'nope' }],
      ['PATCH', `/api/v1/kms/keys/${keyId}`, { isDisabled: true }],
      ['DELETE', `/api/v1/kms/keys/${keyId}`, undefined],
      ['POST', `/api/v1/kms/keys/${keyId}/encrypt`, { plaintext: 'eA==' }],
      ['POST', `/api/v1/kms/keys/${keyId}/decrypt`, { ciphertext }],
    ] as const) {
      const res = await viewer(method, url, payload);
      assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().error, 'PermissionDenied');
    }
    const key = (await admin('GET', `/api/v1/kms/keys/${keyId}`)).json().key;
    assert.equal(key.isDisabled, false, 'nothing changed');
  });

  test("another organization cannot see or use this organization's keys and projects", async () => {
    const other = as(await loginAs(await ip.addIdentity('admin', '444455556666')));
    const notFound = (res: { statusCode: number; json(): { error: string } }) => {
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error, 'NotFound');
    };
    notFound(await other('GET', `/api/v1/kms/keys/${keyId}`));
    notFound(await other('GET', `/api/v1/projects/${projectId}`));
    notFound(await other('GET', `/api/v1/kms/keys?projectId=${projectId}`));
    notFound(await other('GET', `/api/v1/kms/keys/key-name/tenant-a-key?projectId=${projectId}`));
    notFound(await other('POST', '/api/v1/kms/keys', { projectId, name: 'intruder' }));
    notFound(await other('POST', `/api/v1/kms/keys/${keyId}/decrypt`, { ciphertext }));
    notFound(await other('DELETE', `/api/v1/kms/keys/${keyId}`));
    const projects = (await other('GET', '/api/v1/projects')).json().projects as Array<{ id: string }>;
    assert.ok(!projects.some((p) => p.id === projectId));
    const ownProject = projects[0]!.id;
    const ownKey = (await other('POST', '/api/v1/kms/keys', { projectId: ownProject, name: 'tenant-a-key' })).json().key.id;
    const res = await other('POST', `/api/v1/kms/keys/${ownKey}/decrypt`, { ciphertext });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().message, 'The ciphertext is invalid or was not encrypted under this key');
    assert.equal((await admin('GET', `/api/v1/kms/keys/${keyId}`)).statusCode, 200, 'the key is untouched');
  });
});
