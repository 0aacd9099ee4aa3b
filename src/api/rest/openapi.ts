import type { JsonSchema, RestRoute } from './rest-route.js';
import { NAMED_SCHEMAS } from './rest-schemas.js';

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid input, or the key cannot do this now (disabled, wrong ciphertext, duplicate name…).',
  '401': 'Missing, invalid or expired access token (or bad credentials on login).',
  '403': "The caller's role does not allow this.",
  '404': 'No such key or project in the caller\'s organization.',
  '500': 'Unexpected server error; nothing about it is disclosed beyond the request id.',
};

/**
 * The OpenAPI 3.0 document of the REST API, rendered from the same route table (and the same schema objects)
 * that fastify validates with. Shared schemas become `components.schemas` references.
 */
export function buildOpenApi(routes: readonly RestRoute[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters = [
      ...parametersOf(route.schema.params, 'path'),
      ...parametersOf(route.schema.querystring, 'query'),
    ];
    const responses: Record<string, unknown> = {
      '200': {
        description: 'Success',
        ...(route.schema.response ? { content: { 'application/json': { schema: toOpenApi(route.schema.response) } } } : {}),
      },
    };
    const errorStatuses = route.auth === 'bearer' ? ['400', '401', '403', '404', '500'] : route.schema.body ? ['400', '401', '500'] : ['500'];
    for (const status of errorStatuses) responses[status] = { $ref: `#/components/responses/Error${status}` };
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operation,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      security: route.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(route.schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: toOpenApi(route.schema.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Strongroom REST API',
      version: info.version,
      description:
        'Infisical-compatible KMS API. Log in with POST /api/v1/auth/universal-auth/login, then send ' +
        '`Authorization: Bearer <accessToken>`. Errors are `{statusCode, message, error, reqId}`.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An access token from universal-auth login.' },
      },
      schemas: Object.fromEntries(NAMED_SCHEMAS.map(([name, schema]) => [name, toOpenApi(schema, schema)])),
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [
          `Error${status}`,
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
    },
  };
}

function parametersOf(schema: JsonSchema | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: toOpenApi(rest),
    };
  });
}

/** A deep copy in which the shared schemas (other than `self`) are replaced by references. */
function toOpenApi(node: unknown, self?: JsonSchema): unknown {
  if (Array.isArray(node)) return node.map((n) => toOpenApi(n, self));
  if (typeof node !== 'object' || node === null) return node;
  if (node !== self) {
    const named = NAMED_SCHEMAS.find(([, schema]) => schema === node);
    if (named) return { $ref: `#/components/schemas/${named[0]}` };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toOpenApi(v, self)]));
}
