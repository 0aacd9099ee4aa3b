import { KmsError } from '../../core/errors.js';
import { decodeQueryValue, findQueryParam, type QueryParam } from './canonical-request.js';

/**
 * Pulls the SigV4 parameters out of an Authorization header or a presigned query string, with the errors
 * AWS's own front end (Coral) gives for incomplete ones. Nothing here is cryptographic.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const MISSING_TOKEN = 'Missing Authentication Token';

/** AWS caps presigned lifetimes at a week, because a signing key is itself only good for days. */
const MAX_EXPIRES_SEC = 604800;

export interface AuthParams {
  readonly presigned: boolean;
  readonly algorithm: string;
  readonly credential: string;
  /** As sent: it goes into the canonical request verbatim. */
  readonly signedHeaders: string;
  readonly signature: string;
  /** The request time as sent (X-Amz-Date header or query, else the Date header). */
  readonly date: string;
  /** `date` came from the HTTP Date header, which may be in RFC 7231 form rather than ISO-8601 basic. */
  readonly httpDate: boolean;
  /** Presigned lifetime (X-Amz-Expires), when sent. */
  readonly expiresSec: number | undefined;
  readonly sessionToken: string | undefined;
}

function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x2c || c === 0x09; // space, comma, tab: AWS accepts any mix between params
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date,
 * Signature=<hex>`. A header that does not even start with "AWS4-" (a Bearer token, say) is treated as no
 * SigV4 authentication at all, as AWS does.
 */
export function parseAuthorizationHeader(
  authorization: string,
  amzDate: string | undefined,
  httpDate: string | undefined,
  sessionToken: string | undefined,
): AuthParams {
  const n = authorization.length;
  let i = 0;
  while (i < n && isBlank(authorization.charCodeAt(i))) i++;
  if (!authorization.startsWith('AWS4-', i)) throw new KmsError('MissingAuthentication', MISSING_TOKEN);
  let j = i;
  while (j < n && !isSeparator(authorization.charCodeAt(j))) j++;
  const algorithm = authorization.slice(i, j);

  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  while (j < n) {
    while (j < n && isSeparator(authorization.charCodeAt(j))) j++;
    const start = j;
    let eq = -1;
    while (j < n && !isSeparator(authorization.charCodeAt(j))) {
      if (eq < 0 && authorization.charCodeAt(j) === 0x3d) eq = j;
      j++;
    }
    if (eq < 0) continue; // a bare word: AWS ignores it, and then reports what is missing
    const keyLength = eq - start;
    // Later duplicates win, as in AWS.
    if (keyLength === 10 && authorization.startsWith('Credential', start)) credential = authorization.slice(eq + 1, j);
    else if (keyLength === 13 && authorization.startsWith('SignedHeaders', start)) signedHeaders = authorization.slice(eq + 1, j);
    else if (keyLength === 9 && authorization.startsWith('Signature', start)) signature = authorization.slice(eq + 1, j);
  }

  const date = amzDate || httpDate;
  let missing = '';
  if (!credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature) missing += "Authorization header requires 'Signature' parameter. ";
  // An empty SignedHeaders is a present one; it then fails the Host check.
  if (signedHeaders === undefined) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!date) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (missing !== '' || !credential || !signature || signedHeaders === undefined || !date) {
    throw new KmsError('IncompleteSignature', missing + 'Authorization=' + authorization);
  }
  return {
    presigned: false,
    algorithm,
    credential,
    signedHeaders,
    signature,
    date,
    httpDate: !amzDate,
    expiresSec: undefined,
    sessionToken,
  };
}

/** The X-Amz-* query parameters of a presigned request (the caller has seen X-Amz-Algorithm among them). */
export function parsePresignedQuery(params: readonly QueryParam[]): AuthParams {
  const get = (key: string): string => {
    const v = findQueryParam(params, key);
    return v === undefined ? '' : decodeQueryValue(v);
  };
  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const signature = get('X-Amz-Signature');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const date = get('X-Amz-Date');

  let missing = '';
  if (!algorithm) missing += "AWS query-string parameters must include 'X-Amz-Algorithm'. ";
  if (!credential) missing += "AWS query-string parameters must include 'X-Amz-Credential'. ";
  if (!signature) missing += "AWS query-string parameters must include 'X-Amz-Signature'. ";
  if (!signedHeaders) missing += "AWS query-string parameters must include 'X-Amz-SignedHeaders'. ";
  if (!date) missing += "AWS query-string parameters must include 'X-Amz-Date'. ";
  if (missing !== '') throw new KmsError('IncompleteSignature', missing + 'Re-examine the query-string parameters.');

  const expires = findQueryParam(params, 'X-Amz-Expires');
  const token = findQueryParam(params, 'X-Amz-Security-Token');
  return {
    presigned: true,
    algorithm,
    credential,
    signedHeaders,
    signature,
    date,
    httpDate: false,
    expiresSec: expires === undefined ? undefined : parseExpires(decodeQueryValue(expires)),
    sessionToken: token === undefined ? undefined : decodeQueryValue(token),
  };
}

function parseExpires(raw: string): number {
  let digits = raw.length > 0;
  for (let i = raw.charCodeAt(0) === 0x2d ? 1 : 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) digits = false;
  }
  if (!digits || raw === '-') throw new KmsError('IncompleteSignature', 'X-Amz-Expires should be a number');
  if (raw.charCodeAt(0) === 0x2d) throw new KmsError('IncompleteSignature', 'X-Amz-Expires must be non-negative');
  const seconds = Number(raw);
  if (seconds > MAX_EXPIRES_SEC) {
    throw new KmsError(
      'IncompleteSignature',
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  }
  return seconds;
}

/** `keyid/date/region/service/aws4_request`; trailing slashes are ignored, as AWS does. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
}

export function parseCredential(credential: string): CredentialScope {
  let end = credential.length;
  while (end > 0 && credential.charCodeAt(end - 1) === 0x2f) end--;
  const parts = credential.slice(0, end).split('/');
  if (parts.length !== 5) {
    throw new KmsError(
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  return { accessKeyId, date, region, service, terminator };
}
