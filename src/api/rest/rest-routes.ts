import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KmsError } from '../../core/errors.js';
import type { KmsService } from '../../service/kms-service.js';
import { type AuditNotes, newAuditNotes, type Principal, type RequestContext } from '../../service/request-context.js';
import type { HostTools } from '../../server/host-tools.js';
import { buildOpenApi } from './openapi.js';
import { fromFastifyError, restErrorBody } from './rest-errors.js';
import { defineRoute, type RestCall, type RestRoute } from './rest-route.js';
import { authRoutes } from './routes/auth-routes.js';
import { cryptoRoutes } from './routes/crypto-routes.js';
import { keyRoutes } from './routes/key-routes.js';
import { projectRoutes } from './routes/project-routes.js';

const PREFIX = '/api';
const API_VERSION = '1.0.0';

/** What is known about one request, for its single audit event. */
interface CallState {
  operation: string;
  principal: Principal | null;
  notes: AuditNotes;
  audited: boolean;
}

/**
 * The Infisical-compatible REST API under /api/v1, and its OpenAPI document at GET /api/docs.
 *
 * Every request — served, refused, unauthenticated, or for an unknown /api path — is audited exactly once
 * before its response leaves; if the audit event cannot be written, the answer is a 500 and nothing is served.
 * Bearer routes authenticate in onRequest, before the body is even parsed, so an unauthenticated caller learns
 * nothing about what the input should look like.
 */
export function registerRestApi(svc: KmsService) {
  return async (app: FastifyInstance, tools: HostTools): Promise<void> => {
    await app.register(async (scope) => mountRestApi(scope, svc, tools), { prefix: PREFIX });
  };
}

/** Every route of the API, docs included, in the order the OpenAPI document lists them. */
export function restRouteTable(): RestRoute[] {
  const routes = [...authRoutes, ...keyRoutes, ...cryptoRoutes, ...projectRoutes];
  let document: Record<string, unknown> | undefined;
  const docs: RestRoute = defineRoute({
    method: 'GET',
    url: '/api/docs',
    operation: 'GetOpenApiDocument',
    tag: 'Documentation',
    summary: 'This OpenAPI 3.0 document',
    auth: 'none',
    schema: {},
    async handler(): Promise<unknown> {
      return (document ??= buildOpenApi([...routes, docs], { version: API_VERSION }));
    },
  });
  return [...routes, docs];
}

async function mountRestApi(scope: FastifyInstance, svc: KmsService, tools: HostTools): Promise<void> {
  const states = new WeakMap<FastifyRequest, CallState>();
  const stateOf = (req: FastifyRequest, operation = 'UnknownRoute'): CallState => {
    let state = states.get(req);
    if (!state) {
      state = { operation, principal: null, notes: newAuditNotes(), audited: false };
      states.set(req, state);
    }
    return state;
  };

  async function audit(req: FastifyRequest, state: CallState, errorCode: string | null): Promise<void> {
    state.audited = true;
    state.notes.resources = [...new Set(state.notes.resources)];
    await tools.audit({ requestId: req.id, principal: state.principal, accessKeyId: null, req, operation: state.operation, notes: state.notes, errorCode, iface: 'rest' });
  }

  function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
    return reply.code(status).header('cache-control', 'no-store').header('x-request-id', reply.request.id).send(body);
  }

  function sendError(reply: FastifyReply, req: FastifyRequest, error: KmsError): FastifyReply {
    const body = restErrorBody(error, req.id);
    return send(reply, body.statusCode, body);
  }

  async function fail(req: FastifyRequest, reply: FastifyReply, e: unknown): Promise<FastifyReply> {
    const state = stateOf(req);
    // tools.internal logs what is internal (with the request id) and passes client errors through.
    const error = e instanceof KmsError ? tools.internal(e, req.id) : (fromFastifyError(e, req) ?? tools.internal(e, req.id));
    if (state.audited) return sendError(reply, req, error);
    try {
      await audit(req, state, error.code);
    } catch (auditError) {
      tools.internal(auditError, req.id);
      return sendError(reply, req, new KmsError('Internal', 'The request could not be audited, so it was not served.'));
    }
    return sendError(reply, req, error);
  }

  // An empty body is "no body" (DELETE and GET clients often send Content-Type anyway); anything else is
  // parsed by fastify's own prototype-poisoning-safe parser.
  const parseJson = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text.length === 0) done(null, undefined);
    else parseJson(req, text, done);
  });

  scope.setErrorHandler((error, req, reply) => fail(req, reply, error));
  scope.setNotFoundHandler((req, reply) => {
    stateOf(req, 'UnknownRoute');
    const path = req.url.split('?')[0]!.slice(0, 200);
    return fail(req, reply, new KmsError('NotFound', `Route ${req.method} ${path} not found`));
  });

  for (const route of restRouteTable()) {
    const { response, ...input } = route.schema;
    scope.route({
      method: route.method,
      url: route.url.slice(PREFIX.length),
      // fastify may annotate the schema objects it compiles; the route table stays pristine for /api/docs.
      schema: structuredClone({ ...input, ...(response ? { response: { 200: response } } : {}) }),
      onRequest: async (req) => {
        const state = stateOf(req, route.operation);
        if (route.auth === 'bearer') state.principal = await authenticate(svc, req);
      },
      handler: async (req, reply) => {
        const state = stateOf(req, route.operation);
        let result: unknown;
        try {
          result = await route.handler(callFor(svc, req, state));
        } catch (e) {
          return fail(req, reply, e);
        }
        try {
          await audit(req, state, null);
        } catch (auditError) {
          tools.internal(auditError, req.id);
          return sendError(reply, req, new KmsError('Internal', 'The request could not be audited, so it was not served.'));
        }
        return send(reply, 200, result);
      },
    });
  }
}

function callFor(svc: KmsService, req: FastifyRequest, state: CallState): RestCall<unknown, unknown, unknown> {
  let ctx: RequestContext | undefined;
  return {
    svc,
    body: req.body ?? {},
    query: req.query,
    params: req.params,
    req,
    notes: state.notes,
    identify(principal) {
      state.principal = principal;
    },
    context() {
      if (!state.principal) throw new KmsError('Unauthenticated', 'Authentication is required.');
      const ua = req.headers['user-agent'];
      return (ctx ??= {
        requestId: req.id, principal: state.principal, region: svc.deps.defaultRegion, sourceIp: req.ip,
        userAgent: (Array.isArray(ua) ? ua[0] : ua) ?? null, interface: 'rest', audit: state.notes,
      });
    },
  };
}

const MISSING_TOKEN = 'Missing access token: send "Authorization: Bearer <accessToken>" (get one from POST /api/v1/auth/universal-auth/login).';

async function authenticate(svc: KmsService, req: FastifyRequest): Promise<Principal> {
  const header = req.headers.authorization;
  if (!header) throw new KmsError('Unauthenticated', MISSING_TOKEN);
  const m = /^Bearer +(\S+) *$/i.exec(header);
  if (!m) throw new KmsError('Unauthenticated', 'The Authorization header must be "Bearer <accessToken>".');
  const token = m[1]!;
  if (token.length > 4096) throw new KmsError('Unauthenticated', 'The access token is malformed.');
  return svc.auth.verifyToken(token);
}
