import type { FastifyRequest } from 'fastify';
import type { KmsService } from '../../service/kms-service.js';
import type { AuditNotes, Principal, RequestContext } from '../../service/request-context.js';

/** A JSON Schema (draft-07 subset that is also valid OpenAPI 3.0): drives fastify's validation and /api/docs. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export interface RestCall<B, Q, P> {
  svc: KmsService;
  /** Validated by the route's schema (defaults applied, unknown body fields removed). */
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  /** The authenticated caller's request context; only bearer routes have one. */
  context(): RequestContext;
  /** What the audit event records; public routes that establish an identity (login) report it here. */
  notes: AuditNotes;
  identify(principal: Principal): void;
}

/**
 * One endpoint, declared as data: where it lives, how it is described and validated, and the handler that calls
 * the service and shapes the output. The same object is mounted on fastify and rendered into the OpenAPI document.
 */
export interface RestRoute<B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Full path with fastify parameters, e.g. `/api/v1/kms/keys/:keyId`. */
  url: string;
  /** Audit operation name and OpenAPI operationId. */
  operation: string;
  tag: string;
  summary: string;
  description?: string;
  /** `bearer`: an access token from universal-auth login is required before anything else happens. */
  auth: 'bearer' | 'none';
  schema: {
    params?: JsonSchema;
    querystring?: JsonSchema;
    body?: JsonSchema;
    /** The 200 response; errors are always the shared error shape. */
    response?: JsonSchema;
  };
  handler(call: RestCall<B, Q, P>): Promise<unknown>;
}

/** Declares a route with typed inputs; the table holding it sees the erased form. */
export function defineRoute<B = Record<string, never>, Q = Record<string, never>, P = Record<string, never>>(route: RestRoute<B, Q, P>): RestRoute {
  return route as RestRoute;
}
