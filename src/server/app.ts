import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { KmsService } from '../service/kms-service.js';
import { newAuditNotes } from '../service/request-context.js';
import { awsRoutes } from './aws-route.js';
import { createHostTools } from './host-tools.js';
import { createSigV4Verifier } from './sigv4/verify-sigv4.js';

export interface AppOptions {
  svc: KmsService;
  logger: Logger;
  ready: () => Promise<boolean>;
  /** Registers the REST API (and anything else served beside the AWS endpoint). */
  extraRoutes?: Array<(app: FastifyInstance, tools: ReturnType<typeof createHostTools>) => Promise<void>>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { svc, logger } = options;
  const app = Fastify({
    // pino's own types and fastify's bundled copy differ only nominally.
    loggerInstance: logger as unknown as FastifyBaseLogger,
    // Per-request log lines would cost the hot path and could carry request details; the audit log records requests.
    logController: new LogController({ disableRequestLogging: true }),
    // A child logger per request costs the hot path; our log lines carry the request id explicitly.
    childLoggerFactory: (logger) => logger,
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  const tools = createHostTools(svc.audit, logger, svc.deps.clock);
  const verifier = createSigV4Verifier({
    services: ['kms', 'sts'],
    now: svc.deps.clock,
    lookup: async (accessKeyId) => {
      const found = await svc.auth.lookupAccessKey(accessKeyId);
      return found && { secret: found.secret, credentialVersion: found.credentialVersion };
    },
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ok = await options.ready().catch(() => false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready' });
  });
  await app.register(awsRoutes, { svc, verifier, tools });
  app.setNotFoundHandler(async (req, reply) => {
    await tools.audit({ requestId: req.id, principal: null, accessKeyId: null, req, operation: `${req.method} (no such route)`, notes: newAuditNotes(), errorCode: 'NotFound', iface: 'aws' });
    return reply.code(404).send({ message: `No route for ${req.method} ${req.url.split('?')[0]}. The AWS API is POST /, the REST API is under /api/v1.` });
  });
  for (const register of options.extraRoutes ?? []) await register(app, tools);
  return app;
}
