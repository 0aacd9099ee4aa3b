import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { registerRestApi, restRouteTable } from '../../src/api/rest/rest-routes.js';
import { KmsError } from '../../src/core/errors.js';
import type { HostTools } from '../../src/server/host-tools.js';
import { startInProcess, type InProcessServer } from './in-process.js';

type Doc = any;

function resolveRef(doc: Doc, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `local ref ${ref}`);
  return ref.slice(2).split('/').reduce((node: Doc, part) => node?.[part], doc);
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe('GET /api/docs', () => {
  let ip: InProcessServer;
  let doc: Doc;

  before(async () => {
    ip = await startInProcess();
    const res = await ip.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    doc = res.json();
  });
  after(() => ip?.close());

  test('is an OpenAPI 3.0 document with bearer security', () => {
    assert.equal(doc.openapi, '3.0.3');
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: doc.components.securitySchemes.bearerAuth.description });
    for (const name of ['Key', 'Project', 'Error']) assert.equal(doc.components.schemas[name].type, 'object', name);
    for (const ref of collectRefs(doc)) assert.ok(resolveRef(doc, ref), `${ref} resolves`);
  });

  test('lists exactly the routes the server serves under /api', async () => {
    const served: string[] = [];
    const app = Fastify();
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') served.push(`${method} ${route.url}`);
    });
    const tools: HostTools = { audit: async () => undefined, internal: () => new KmsError('Internal', '') };
    await registerRestApi(ip.svc)(app, tools);
    await app.ready();
    await app.close();

    const documented: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) documented.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    assert.deepEqual([...documented].sort(), [...served].sort());
    for (const expected of [
      'POST /api/v1/auth/universal-auth/login', 'POST /api/v1/auth/token/renew',
      'POST /api/v1/kms/keys', 'GET /api/v1/kms/keys', 'GET /api/v1/kms/keys/:keyId', 'GET /api/v1/kms/keys/key-name/:keyName',
      'PATCH /api/v1/kms/keys/:keyId', 'DELETE /api/v1/kms/keys/:keyId',
      'POST /api/v1/kms/keys/:keyId/encrypt', 'POST /api/v1/kms/keys/:keyId/decrypt',
      'GET /api/v1/projects', 'POST /api/v1/projects', 'GET /api/v1/projects/:projectId', 'GET /api/docs',
    ]) assert.ok(documented.includes(expected), `${expected} is documented`);
  });

  test('every operation is complete: id, parameters, body, responses, security', () => {
    const ids = new Set<string>();
    for (const route of restRouteTable()) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      assert.ok(op, `${route.method} ${path}`);
      assert.equal(op.operationId, route.operation);
      assert.ok(!ids.has(op.operationId), 'operationIds are unique');
      ids.add(op.operationId);
      assert.equal(typeof op.summary, 'string');
      assert.deepEqual(op.security, route.auth === 'bearer' ? [{ bearerAuth: [] }] : []);
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p: Doc) => p.in === 'path').map((p: Doc) => p.name);
      assert.deepEqual(declared, pathParams, `path parameters of ${path}`);
      for (const p of op.parameters ?? []) {
        assert.ok(['path', 'query'].includes(p.in));
        assert.equal(typeof p.schema, 'object');
        if (p.in === 'path') assert.equal(p.required, true);
      }
      if (route.method === 'POST' || route.method === 'PATCH') {
        assert.equal(op.requestBody?.content?.['application/json']?.schema?.type, 'object', `${route.operation} has a JSON body`);
      } else {
        assert.equal(op.requestBody, undefined);
      }
      assert.ok(op.responses['200']);
      if (route.auth === 'bearer') for (const status of ['400', '401', '403', '404', '500']) assert.ok(op.responses[status], `${route.operation} ${status}`);
    }
  });

  test('documents the same constraints the server enforces', () => {
    const list = doc.paths['/api/v1/kms/keys'].get;
    const limit = list.parameters.find((p: Doc) => p.name === 'limit');
    assert.deepEqual({ min: limit.schema.minimum, max: limit.schema.maximum, default: limit.schema.default, required: limit.required }, { min: 1, max: 100, default: 100, required: false });
    assert.equal(list.parameters.find((p: Doc) => p.name === 'projectId').required, true);
    const create = doc.paths['/api/v1/kms/keys'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(create.required, ['projectId', 'name']);
    assert.deepEqual(create.properties.encryptionAlgorithm.enum, ['aes-256-gcm', 'aes-128-gcm']);
    assert.equal(create.properties.encryptionAlgorithm.default, 'aes-256-gcm');
    assert.deepEqual(list.responses['200'].content['application/json'].schema.properties.keys.items, { $ref: '#/components/schemas/Key' });
    const encrypt = doc.paths['/api/v1/kms/keys/{keyId}/encrypt'].post;
    assert.deepEqual(encrypt.requestBody.content['application/json'].schema.required, ['plaintext']);
    assert.equal(encrypt.responses['400'].$ref, '#/components/responses/Error400');
  });
});
