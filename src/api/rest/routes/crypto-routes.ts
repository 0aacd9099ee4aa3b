import { defineRoute, type RestRoute } from '../rest-route.js';
import { keyIdParams, MAX_CIPHERTEXT_BYTES, MAX_PLAINTEXT_BYTES } from '../rest-schemas.js';
import { decodeBase64Field } from '../rest-validation.js';

/**
 * Encrypt and decrypt with a key, as Infisical's `/api/v1/kms/keys/:keyId/encrypt|decrypt`. The ciphertext is
 * this server's standard format (the same bytes the AWS API returns as CiphertextBlob), base64-encoded, so a
 * ciphertext made through either API decrypts through the other. Plaintext is zeroed once it has been used.
 */

type KeyIdParams = { keyId: string };

export const cryptoRoutes: RestRoute[] = [
  defineRoute<{ plaintext: string }, Record<string, never>, KeyIdParams>({
    method: 'POST',
    url: '/api/v1/kms/keys/:keyId/encrypt',
    operation: 'Encrypt',
    tag: 'KMS encryption',
    summary: 'Encrypt data with a key',
    auth: 'bearer',
    schema: {
      params: keyIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['plaintext'],
        properties: { plaintext: { type: 'string', description: `Base64 of the data to encrypt: 1-${MAX_PLAINTEXT_BYTES} bytes.` } },
      },
      response: { type: 'object', required: ['ciphertext'], properties: { ciphertext: { type: 'string', description: 'Base64 ciphertext.' } } },
    },
    async handler({ svc, params, body, context }) {
      const plaintext = decodeBase64Field('plaintext', body.plaintext, MAX_PLAINTEXT_BYTES);
      try {
        const out = await svc.encryptWithProjectKey(context(), { keyId: params.keyId, plaintext });
        return { ciphertext: out.ciphertextBlob.toString('base64') };
      } finally {
        plaintext.fill(0);
      }
    },
  }),

  defineRoute<{ ciphertext: string }, Record<string, never>, KeyIdParams>({
    method: 'POST',
    url: '/api/v1/kms/keys/:keyId/decrypt',
    operation: 'Decrypt',
    tag: 'KMS encryption',
    summary: 'Decrypt data with a key',
    description: 'Any ciphertext that was not made under this key, or was altered, gives the same 400 error.',
    auth: 'bearer',
    schema: {
      params: keyIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['ciphertext'],
        properties: { ciphertext: { type: 'string', description: `Base64 ciphertext from encrypt (or AWS Encrypt): at most ${MAX_CIPHERTEXT_BYTES} bytes.` } },
      },
      response: { type: 'object', required: ['plaintext'], properties: { plaintext: { type: 'string', description: 'Base64 of the decrypted data.' } } },
    },
    async handler({ svc, params, body, context }) {
      const ciphertextBlob = decodeBase64Field('ciphertext', body.ciphertext, MAX_CIPHERTEXT_BYTES);
      const out = await svc.decryptWithProjectKey(context(), { keyId: params.keyId, ciphertextBlob });
      try {
        return { plaintext: out.plaintext.toString('base64') };
      } finally {
        out.plaintext.fill(0);
      }
    },
  }),
];
