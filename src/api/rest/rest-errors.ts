import type { ErrorCode } from '../../core/errors.js';
import { KmsError } from '../../core/errors.js';
import { validationMessage, type ValidationIssue } from './rest-validation.js';

interface RestWire {
  status: number;
  error: string;
  /** Replaces the service's message where it would say too much (why a ciphertext failed) or speak AWS. */
  message?: string;
}

const BAD_REQUEST = { status: 400, error: 'BadRequest' } as const;
const UNAUTHORIZED = { status: 401, error: 'UnauthorizedError' } as const;
const CIPHERTEXT = 'The ciphertext is invalid or was not encrypted under this key';
const INTERNAL = 'Something went wrong. Quote the request id when reporting it.';

/** The one table from error codes to the REST wire form (Infisical's error names). */
export const REST_ERRORS: Record<ErrorCode, RestWire> = {
  Validation: BAD_REQUEST,
  Serialization: BAD_REQUEST,
  UnknownOperation: BAD_REQUEST,
  DryRun: BAD_REQUEST,
  MissingAuthentication: UNAUTHORIZED,
  IncompleteSignature: UNAUTHORIZED,
  UnrecognizedClient: UNAUTHORIZED,
  SignatureDoesNotMatch: UNAUTHORIZED,
  Unauthenticated: UNAUTHORIZED,
  AccessDenied: { status: 403, error: 'PermissionDenied' },
  NotFound: { status: 404, error: 'NotFound' },
  AlreadyExists: BAD_REQUEST,
  InvalidArn: BAD_REQUEST,
  InvalidAliasName: BAD_REQUEST,
  InvalidMarker: BAD_REQUEST,
  Tag: BAD_REQUEST,
  LimitExceeded: BAD_REQUEST,
  Disabled: { ...BAD_REQUEST, message: 'Key is disabled' },
  InvalidState: BAD_REQUEST,
  InvalidKeyUsage: BAD_REQUEST,
  IncorrectKey: { ...BAD_REQUEST, message: CIPHERTEXT },
  InvalidCiphertext: { ...BAD_REQUEST, message: CIPHERTEXT },
  InvalidGrantToken: BAD_REQUEST,
  KmsInvalidSignature: BAD_REQUEST,
  KmsInvalidMac: BAD_REQUEST,
  UnsupportedOperation: BAD_REQUEST,
  CustomKeyStoreNotFound: BAD_REQUEST,
  Conflict: BAD_REQUEST,
  KeyUnavailable: { status: 500, error: 'InternalServerError', message: INTERNAL },
  Dependency: { status: 503, error: 'ServiceUnavailable', message: 'A dependency of the server did not respond in time; retry later.' },
  Internal: { status: 500, error: 'InternalServerError', message: INTERNAL },
};

export interface RestErrorBody {
  statusCode: number;
  message: string;
  error: string;
  reqId: string;
}

export function restErrorBody(error: KmsError, reqId: string): RestErrorBody {
  const wire = REST_ERRORS[error.code];
  return { statusCode: wire.status, message: wire.message ?? (error.message || wire.error), error: wire.error, reqId };
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

/**
 * Turns what fastify throws before a handler runs (schema validation, body parsing, content type, size) into
 * client errors with messages of our own: parser messages can quote the body, which may hold plaintext.
 * Returns undefined for anything else, which is then an internal error.
 */
export function fromFastifyError(e: unknown, input: { body: unknown; query: unknown; params: unknown }): KmsError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as FastifyLikeError;
  if (Array.isArray(err.validation)) {
    const part = typeof err.validationContext === 'string' ? err.validationContext : 'body';
    const data = part === 'querystring' ? input.query : part === 'params' ? input.params : input.body;
    return new KmsError('Validation', validationMessage(err.validation as ValidationIssue[], part, data));
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new KmsError('Validation', 'Unsupported Content-Type: send the request body as application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new KmsError('LimitExceeded', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new KmsError('Validation', 'The Content-Length header does not match the request body.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new KmsError('Serialization', 'The request body is empty; send a JSON object.');
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 0;
  if (e instanceof SyntaxError || (status === 400 && String(err.code ?? '').startsWith('FST_ERR_CTP'))) {
    return new KmsError('Serialization', 'The request body is not valid JSON.');
  }
  if (status >= 400 && status < 500) return new KmsError('Validation', 'The request is malformed.');
  return undefined;
}
