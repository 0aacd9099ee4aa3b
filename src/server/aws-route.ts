import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AWS_ERRORS } from '../api/aws/error-table.js';
import { dispatchAws, operationName } from '../api/aws/aws-dispatcher.js';
import { getCallerIdentityXml, parseStsAction, stsErrorXml } from '../api/aws/sts.js';
import { KmsError } from '../core/errors.js';
import type { KmsService } from '../service/kms-service.js';
import { newAuditNotes, type Principal, type RequestContext } from '../service/request-context.js';
import type { HostTools } from './host-tools.js';
import type { SigV4Verifier } from './sigv4/verify-sigv4.js';

const JSON_TYPE = 'application/x-amz-json-1.1';

/**
 * `POST /`: the AWS KMS JSON protocol (X-Amz-Target: TrentService.*) and STS GetCallerIdentity (query
 * protocol). Every request is SigV4-verified against the raw body before anything else happens, and
 * audited (allowed or denied) before its response leaves.
 */
export async function awsRoutes(app: FastifyInstance, opts: { svc: KmsService; verifier: SigV4Verifier; tools: HostTools }): Promise<void> {
  const { svc, verifier, tools } = opts;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));

  // Framework-level refusals (no or odd content type, body over 1 MiB) still answer in AWS's shape, audited.
  app.setErrorHandler(async (err: { code?: string; statusCode?: number }, req, reply) => {
    const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const error = tooLarge
      ? new KmsError('Validation', 'The request body is larger than the 1 MiB this endpoint accepts.')
      : (err.statusCode ?? 500) < 500
        ? new KmsError('Serialization', 'The request could not be read: send an application/x-amz-json-1.1 body.')
        : tools.internal(err, req.id);
    const target = headerValue(req.headers['x-amz-target'])?.replace(/^TrentService\./, '') ?? 'Unknown';
    try {
      await tools.audit({ requestId: req.id, principal: null, accessKeyId: null, req, operation: target, notes: newAuditNotes(), errorCode: error.code, iface: 'aws' });
    } catch (auditError) {
      tools.internal(auditError, req.id);
      return sendAwsError(reply, false, new KmsError('Internal', 'The request could not be audited, so it was not served.'), req.id);
    }
    return sendAwsError(reply, false, error, req.id);
  });

  app.post('/', async (req: FastifyRequest, reply: FastifyReply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const target = headerValue(req.headers['x-amz-target']);
    const isSts = target === undefined && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const requestId = req.id;
    const notes = newAuditNotes();
    let principal: Principal | null = null;
    let accessKeyId: string | null = null;
    let operation = isSts ? `sts:${parseStsAction(body) ?? 'Unknown'}` : (target?.replace(/^TrentService\./, '') ?? 'Unknown');
    try {
      const q = req.url.indexOf('?');
      const caller = await verifier.verify({
        method: req.method, path: q < 0 ? req.url : req.url.slice(0, q), query: q < 0 ? '' : req.url.slice(q + 1), headers: req.headers, body,
      });
      accessKeyId = caller.accessKeyId;
      const found = await svc.auth.lookupAccessKey(caller.accessKeyId);
      if (!found) throw new KmsError('UnrecognizedClient', 'The security token included in the request is invalid.');
      principal = found.principal;
      const expectedService = isSts ? 'sts' : 'kms';
      if (caller.service !== expectedService) {
        throw new KmsError('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${expectedService}'. `);
      }
      if (isSts) {
        if (operation !== 'sts:GetCallerIdentity') throw new KmsError('UnknownOperation', `Could not find operation ${operation.slice(4)} for version 2011-06-15`);
        await tools.audit({ requestId, principal, accessKeyId, req, operation, notes, errorCode: null, iface: 'aws' });
        return reply.code(200).header('content-type', 'text/xml').header('x-amzn-requestid', requestId).send(getCallerIdentityXml(principal, requestId));
      }
      operation = operationName(target);
      const ctx: RequestContext = {
        requestId, principal, region: caller.region, sourceIp: req.ip, userAgent: headerValue(req.headers['user-agent']) ?? null, interface: 'aws', audit: notes,
      };
      const result = await dispatchAws(svc, ctx, operation, body);
      await tools.audit({ requestId, principal, accessKeyId, req, operation, notes, errorCode: null, iface: 'aws' });
      return reply.code(200).header('content-type', JSON_TYPE).header('x-amzn-requestid', requestId).send(Buffer.from(JSON.stringify(result)));
    } catch (e) {
      const error = tools.internal(e, requestId);
      try {
        await tools.audit({ requestId, principal, accessKeyId, req, operation, notes, errorCode: error.code, iface: 'aws' });
      } catch (auditError) {
        tools.internal(auditError, requestId);
        return sendAwsError(reply, isSts, new KmsError('Internal', 'The request could not be audited, so it was not served.'), requestId);
      }
      return sendAwsError(reply, isSts, error, requestId);
    }
  });
}

function sendAwsError(reply: FastifyReply, isSts: boolean, error: KmsError, requestId: string): FastifyReply {
  if (isSts) {
    const { status, body } = stsErrorXml(error, requestId);
    return reply.code(status).header('content-type', 'text/xml').header('x-amzn-requestid', requestId).send(body);
  }
  const wire = AWS_ERRORS[error.code];
  return reply
    .code(wire.status)
    .header('content-type', JSON_TYPE)
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', wire.type)
    .send(Buffer.from(JSON.stringify({ __type: wire.type, message: error.message })));
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
