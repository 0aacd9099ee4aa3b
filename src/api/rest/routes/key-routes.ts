import { KmsError } from '../../../core/errors.js';
import { defineRoute, type RestRoute } from '../rest-route.js';
import { KEY_NAME_RULE, keyIdParams, keyResponse, keySchema, PLAIN_PATTERN, projectIdProperty, TEXT_PATTERN } from '../rest-schemas.js';
import { parseDescription, parseKeyName } from '../rest-validation.js';
import { keyView, REST_ALGORITHMS } from '../rest-views.js';

/**
 * KMS key management, as Infisical's `/api/v1/kms/keys` (the "cmek" router).
 *
 * One deliberate difference: DELETE does not destroy the key at once. It schedules deletion with the shortest
 * window AWS allows (7 days): the key vanishes from this API straight away (listing, name lookup, get by id,
 * use) and its name is free for a new key, but for 7 days an administrator can still bring it back with AWS
 * CancelKeyDeletion, and ciphertexts made under it are not lost to a mistaken call. After the window the
 * material is destroyed for good. See docs/rest-api.md.
 */

const KEY_USAGES = ['encrypt-decrypt'];
const description = { type: 'string', maxLength: 2000, pattern: TEXT_PATTERN, description: 'At most 500 characters once trimmed.' };
const name = { type: 'string', minLength: 1, maxLength: 64, pattern: PLAIN_PATTERN, description: `The key name: ${KEY_NAME_RULE}; surrounding spaces are trimmed.` };

interface CreateBody {
  projectId: string;
  name: string;
  description?: string;
  keyUsage: string;
  encryptionAlgorithm: string;
}

interface ListQuery {
  projectId: string;
  offset: number;
  limit: number;
  orderBy: 'name';
  orderDirection: 'asc' | 'desc';
  search?: string;
}

interface UpdateBody {
  name?: string;
  isDisabled?: boolean;
  description?: string;
}

type KeyIdParams = { keyId: string };

export const keyRoutes: RestRoute[] = [
  defineRoute<CreateBody>({
    method: 'POST',
    url: '/api/v1/kms/keys',
    operation: 'CreateKmsKey',
    tag: 'KMS keys',
    summary: 'Create a key',
    description: 'Creates a symmetric encryption key in a project. Key names are unique within a project.',
    auth: 'bearer',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['projectId', 'name'],
        properties: {
          projectId: projectIdProperty,
          name,
          description,
          keyUsage: { type: 'string', enum: KEY_USAGES, default: 'encrypt-decrypt', description: 'Only `encrypt-decrypt` for now; `sign-verify` keys come with asymmetric key support.' },
          encryptionAlgorithm: {
            type: 'string', enum: Object.keys(REST_ALGORITHMS), default: 'aes-256-gcm',
            description: 'The key type. RSA_4096 and ECC_NIST_P256 are not supported yet.',
          },
        },
      },
      response: keyResponse,
    },
    async handler({ svc, body, context }) {
      const ctx = context();
      const symmetricAlgorithm = REST_ALGORITHMS[body.encryptionAlgorithm];
      if (!symmetricAlgorithm) throw new KmsError('Validation', `Body field "encryptionAlgorithm" must be one of: ${Object.keys(REST_ALGORITHMS).join(', ')}.`);
      const created = await svc.createKey(ctx, {
        projectId: body.projectId,
        name: parseKeyName('Body field "name"', body.name),
        description: parseDescription(body.description),
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        symmetricAlgorithm,
      });
      return { key: keyView(created.key, ctx.principal.orgId) };
    },
  }),

  defineRoute<Record<string, never>, ListQuery>({
    method: 'GET',
    url: '/api/v1/kms/keys',
    operation: 'ListKmsKeys',
    tag: 'KMS keys',
    summary: "List a project's keys",
    description: 'Pages through the keys of a project ordered by name; `totalCount` counts every key matching `search`.',
    auth: 'bearer',
    schema: {
      querystring: {
        type: 'object',
        required: ['projectId'],
        properties: {
          projectId: projectIdProperty,
          offset: { type: 'integer', minimum: 0, default: 0, description: 'How many keys to skip.' },
          limit: { type: 'integer', minimum: 1, maximum: 100, default: 100, description: 'How many keys to return (1-100).' },
          orderBy: { type: 'string', enum: ['name'], default: 'name' },
          orderDirection: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
          search: { type: 'string', maxLength: 64, pattern: PLAIN_PATTERN, description: 'Only keys whose name contains this text.' },
        },
      },
      response: {
        type: 'object',
        required: ['keys', 'totalCount'],
        properties: { keys: { type: 'array', items: keySchema }, totalCount: { type: 'integer' } },
      },
    },
    async handler({ svc, query, context }) {
      const ctx = context();
      const page = await svc.listProjectKeys(ctx, {
        projectId: query.projectId, offset: query.offset, limit: query.limit, search: query.search, orderDirection: query.orderDirection,
      });
      return { keys: page.keys.map((k) => keyView(k, ctx.principal.orgId)), totalCount: page.totalCount };
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, KeyIdParams>({
    method: 'GET',
    url: '/api/v1/kms/keys/:keyId',
    operation: 'GetKmsKey',
    tag: 'KMS keys',
    summary: 'Get a key by ID',
    auth: 'bearer',
    schema: { params: keyIdParams, response: keyResponse },
    async handler({ svc, params, context }) {
      const ctx = context();
      return { key: keyView(await svc.getProjectKey(ctx, { keyId: params.keyId }), ctx.principal.orgId) };
    },
  }),

  defineRoute<Record<string, never>, { projectId: string }, { keyName: string }>({
    method: 'GET',
    url: '/api/v1/kms/keys/key-name/:keyName',
    operation: 'GetKmsKeyByName',
    tag: 'KMS keys',
    summary: 'Get a key by name within a project',
    auth: 'bearer',
    schema: {
      params: {
        type: 'object',
        required: ['keyName'],
        properties: { keyName: { type: 'string', minLength: 1, maxLength: 64, pattern: PLAIN_PATTERN, description: 'The key name.' } },
      },
      querystring: { type: 'object', required: ['projectId'], properties: { projectId: projectIdProperty } },
      response: keyResponse,
    },
    async handler({ svc, params, query, context }) {
      const ctx = context();
      const keyName = parseKeyName('Path parameter "keyName"', params.keyName);
      return { key: keyView(await svc.getProjectKeyByName(ctx, { projectId: query.projectId, name: keyName }), ctx.principal.orgId) };
    },
  }),

  defineRoute<UpdateBody, Record<string, never>, KeyIdParams>({
    method: 'PATCH',
    url: '/api/v1/kms/keys/:keyId',
    operation: 'UpdateKmsKey',
    tag: 'KMS keys',
    summary: 'Rename, describe, disable or enable a key',
    description: 'Fields left out stay as they are. A disabled key refuses encrypt and decrypt until it is enabled again.',
    auth: 'bearer',
    schema: {
      params: keyIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { name, isDisabled: { type: 'boolean' }, description },
      },
      response: keyResponse,
    },
    async handler({ svc, params, body, context }) {
      const ctx = context();
      const newName = body.name === undefined ? undefined : parseKeyName('Body field "name"', body.name);
      const newDescription = parseDescription(body.description);
      // Everything is validated before the first change; the rename (which can clash) goes first.
      const current = await svc.getProjectKey(ctx, { keyId: params.keyId });
      if (newName !== undefined && newName !== current.name) await svc.renameKey(ctx, { keyId: current.id, name: newName });
      if (newDescription !== undefined && newDescription !== current.description) {
        await svc.updateKeyDescription(ctx, { keyId: current.id, description: newDescription });
      }
      if (body.isDisabled === true) await svc.disableKey(ctx, { keyId: current.id });
      if (body.isDisabled === false) await svc.enableKey(ctx, { keyId: current.id });
      return { key: keyView(await svc.getProjectKey(ctx, { keyId: current.id }), ctx.principal.orgId) };
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, KeyIdParams>({
    method: 'DELETE',
    url: '/api/v1/kms/keys/:keyId',
    operation: 'DeleteKmsKey',
    tag: 'KMS keys',
    summary: 'Delete a key (recoverable for 7 days)',
    description:
      'The key disappears from this API at once and its name is freed. Unlike Infisical, the material is kept for 7 days ' +
      '(the key is scheduled for deletion), so AWS CancelKeyDeletion can still restore it; then it is destroyed.',
    auth: 'bearer',
    schema: { params: keyIdParams, response: keyResponse },
    async handler({ svc, params, context }) {
      const ctx = context();
      return { key: keyView(await svc.deleteProjectKey(ctx, { keyId: params.keyId }), ctx.principal.orgId) };
    },
  }),
];
