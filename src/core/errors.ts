/**
 * One error type for the whole service, with a closed set of codes.
 * Each adapter maps a code to its wire form through one table (AWS `__type` + status, REST problem JSON);
 * nothing ever matches on message text.
 */
export const ERROR_CODES = [
  // request and input
  'Validation',
  'Serialization',
  'UnknownOperation',
  'DryRun',
  // authentication (SigV4 and tokens)
  'MissingAuthentication',
  'IncompleteSignature',
  'UnrecognizedClient',
  'SignatureDoesNotMatch',
  'Unauthenticated',
  'AccessDenied',
  // resources
  'NotFound',
  'AlreadyExists',
  'InvalidArn',
  'InvalidAliasName',
  'InvalidMarker',
  'Tag',
  'LimitExceeded',
  // key state and use
  'Disabled',
  'InvalidState',
  'InvalidKeyUsage',
  'IncorrectKey',
  'InvalidCiphertext',
  'InvalidGrantToken',
  'KmsInvalidSignature',
  'KmsInvalidMac',
  'UnsupportedOperation',
  'CustomKeyStoreNotFound',
  'Conflict',
  // server side
  'KeyUnavailable',
  'Dependency',
  'Internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class KmsError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KmsError';
    this.code = code;
  }
}

export function isKmsError(e: unknown): e is KmsError {
  return e instanceof KmsError;
}

/** State a precondition once at the top of a function (after the AWS Encryption SDK's `needs`). */
export function needs(condition: unknown, code: ErrorCode, message: string): asserts condition {
  if (!condition) throw new KmsError(code, message);
}

/** What a DryRun request gets once every check that the real request would make has passed. */
export function dryRunSucceeded(): KmsError {
  return new KmsError('DryRun', 'The request would have succeeded, but the DryRun option is set.');
}

/** The one error every failed decryption yields, whatever the cause (tampering, wrong context, wrong tenant). */
export function invalidCiphertext(): KmsError {
  return new KmsError('InvalidCiphertext', '');
}
