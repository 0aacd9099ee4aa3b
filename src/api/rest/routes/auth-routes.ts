import { isKeyId } from '../../../core/key-identifier.js';
import { defineRoute, type JsonSchema, type RestRoute } from '../rest-route.js';
import { PLAIN_PATTERN } from '../rest-schemas.js';

const tokenResponse: JsonSchema = {
  type: 'object',
  required: ['accessToken', 'expiresIn', 'accessTokenMaxTTL', 'tokenType'],
  properties: {
    accessToken: { type: 'string', description: 'Send as `Authorization: Bearer <accessToken>`.' },
    expiresIn: { type: 'integer', description: 'Seconds until the token expires.' },
    accessTokenMaxTTL: { type: 'integer', description: 'The longest lifetime a token of this identity has, in seconds.' },
    tokenType: { type: 'string', enum: ['Bearer'] },
  },
};

interface LoginBody {
  clientId: string;
  clientSecret: string;
}

/** Universal auth (machine identities): client id + secret → short-lived bearer token. */
export const authRoutes: RestRoute[] = [
  defineRoute<LoginBody>({
    method: 'POST',
    url: '/api/v1/auth/universal-auth/login',
    operation: 'UniversalAuthLogin',
    tag: 'Authentication',
    summary: 'Log in with a universal-auth client id and secret',
    description: 'Returns a bearer access token for every other endpoint. Bad credentials give 401 "Invalid credentials".',
    auth: 'none',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['clientId', 'clientSecret'],
        properties: {
          clientId: { type: 'string', minLength: 1, maxLength: 256, pattern: PLAIN_PATTERN, description: 'The client id of the machine identity.' },
          clientSecret: { type: 'string', minLength: 1, maxLength: 1024, description: 'The client secret.' },
        },
      },
      response: tokenResponse,
    },
    async handler({ svc, body, notes, identify }) {
      // Which identity was tried matters when reading the trail of failed logins; ids are not secret.
      if (isKeyId(body.clientId)) notes.resources.push(`universal-auth/${body.clientId}`);
      const token = await svc.auth.login(body.clientId, body.clientSecret);
      identify(await svc.auth.verifyToken(token.accessToken));
      return token;
    },
  }),
  defineRoute<{ accessToken: string }>({
    method: 'POST',
    url: '/api/v1/auth/token/renew',
    operation: 'RenewAccessToken',
    tag: 'Authentication',
    summary: 'Exchange a valid access token for a fresh one',
    description: 'The token must be unexpired and its client secret still active; the new token has the same lifetime.',
    auth: 'none',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['accessToken'],
        properties: { accessToken: { type: 'string', minLength: 1, maxLength: 4096, description: 'The access token to renew.' } },
      },
      response: tokenResponse,
    },
    async handler({ svc, body, identify }) {
      const token = await svc.auth.renew(body.accessToken);
      identify(await svc.auth.verifyToken(token.accessToken));
      return token;
    },
  }),
];
