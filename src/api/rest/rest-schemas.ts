import type { JsonSchema } from './rest-route.js';

/**
 * Schemas shared by several endpoint families. The named ones are emitted once under
 * `components.schemas` of the OpenAPI document and referenced from every route that uses them.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const KEY_ID_PATTERN = `^(?:${UUID}|mrk-[0-9a-f]{32})$`;
export const PROJECT_ID_PATTERN = `^${UUID}$`;
/** Free text stored as-is: anything but NUL, which PostgreSQL text cannot hold. */
export const TEXT_PATTERN = '^[^\\u0000]*$';
/** Identifiers and search terms: no control characters. */
export const PLAIN_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';

/** How a failed `pattern` is explained to the caller (Ajv only reports the pattern itself). */
export const PATTERN_HINTS: Readonly<Record<string, string>> = {
  [KEY_ID_PATTERN]: 'a key ID (a UUID such as 1f0c2a9e-8d3b-4c55-9a7e-2b6f3c1d4e5f)',
  [PROJECT_ID_PATTERN]: 'a project ID (a UUID)',
  [TEXT_PATTERN]: 'text without NUL characters',
  [PLAIN_PATTERN]: 'text without control characters',
};

export const MAX_PLAINTEXT_BYTES = 4096;
/** AWS's CiphertextBlob limit: room for the largest plaintext plus the header, IV and tag. */
export const MAX_CIPHERTEXT_BYTES = 6144;

export const KEY_NAME_RULE = 'a slug of 1-32 characters: lowercase letters, digits and single hyphens, e.g. "payments-key"';

export const keyIdParams: JsonSchema = {
  type: 'object',
  required: ['keyId'],
  properties: { keyId: { type: 'string', pattern: KEY_ID_PATTERN, description: 'The ID of the key.' } },
};

export const projectIdProperty: JsonSchema = { type: 'string', pattern: PROJECT_ID_PATTERN, description: 'The ID of the project.' };

export const keySchema: JsonSchema = {
  type: 'object',
  description: 'A KMS key as Infisical presents it.',
  required: ['id', 'name', 'description', 'isDisabled', 'orgId', 'projectId', 'keyUsage', 'version', 'encryptionAlgorithm', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', description: 'The key ID; the same ID addresses the key on the AWS KMS API.' },
    name: { type: 'string', description: 'Unique within the project.' },
    description: { type: 'string' },
    isDisabled: { type: 'boolean', description: 'Whether the key refuses cryptographic operations.' },
    orgId: { type: 'string' },
    projectId: { type: 'string' },
    keyUsage: { type: 'string', description: '`encrypt-decrypt` for every key type this server offers today.' },
    version: { type: 'integer', description: 'The current key version (1 until the key is rotated).' },
    encryptionAlgorithm: { type: 'string', description: '`aes-256-gcm` or `aes-128-gcm`.' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const keyResponse: JsonSchema = { type: 'object', required: ['key'], properties: { key: keySchema } };

export const projectSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'slug', 'description', 'orgId', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    slug: { type: 'string' },
    description: { type: 'string' },
    orgId: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

export const errorSchema: JsonSchema = {
  type: 'object',
  required: ['statusCode', 'message', 'error', 'reqId'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status, repeated.' },
    message: { type: 'string', description: 'What went wrong, for a human.' },
    error: { type: 'string', description: 'BadRequest, UnauthorizedError, PermissionDenied, NotFound, InternalServerError, ServiceUnavailable.' },
    reqId: { type: 'string', description: 'The request id; it is also in the audit log.' },
  },
};

export const NAMED_SCHEMAS: ReadonlyArray<readonly [string, JsonSchema]> = [
  ['Key', keySchema],
  ['Project', projectSchema],
  ['Error', errorSchema],
];
