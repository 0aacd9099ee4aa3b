// crypto.hash is the one-shot form: half the cost of createHash for request-sized inputs.
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../../core/errors.js';
import {
  EMPTY_SHA256,
  UNSIGNED_PAYLOAD,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  findQueryParam,
  findQueryParamIgnoreCase,
  parseQuery,
  type QueryParam,
} from './canonical-request.js';
import {
  ALGORITHM,
  MISSING_TOKEN,
  parseAuthorizationHeader,
  parseCredential,
  parsePresignedQuery,
  type AuthParams,
} from './parse-authorization.js';
import { SigningKeyCache, type SigningKeyCacheStats } from './signing-key-cache.js';

/**
 * AWS Signature Version 4 verification for incoming requests (header and presigned-query forms).
 *
 * Checks run in the order AWS's front end runs them, so a client gets the error AWS would give it:
 * auth present, parameters complete, date well-formed and fresh, Host signed, algorithm, credential scope,
 * access key known, signature, session token. Messages echo only what the client sent, never the secret,
 * the expected signature or the string to sign.
 */

export interface SignedRequest {
  readonly method: string;
  /** Raw path as received, without the query. */
  readonly path: string;
  /** Raw query string as received, without '?'. */
  readonly query: string;
  /** Lower-case names, as Node's IncomingMessage gives them (string[] for repeated headers joins with ','). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
}

export interface VerifiedCaller {
  readonly accessKeyId: string;
  /** From the credential scope; any well-formed region is accepted, the caller decides what to serve. */
  readonly region: string;
  readonly service: string;
  readonly signedAt: Date;
}

/** `credentialVersion` must change whenever the secret does (rotation, revocation). */
export type SecretLookup = (
  accessKeyId: string,
) => Promise<{ secret: Buffer; credentialVersion: string } | undefined>;

export interface SigV4VerifierOptions {
  /** Called once per request that gets that far: it is the authority on whether the key still exists. */
  readonly lookup: SecretLookup;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now: () => number;
  /** Allowed clock difference either way; default 15 minutes, as AWS. */
  readonly maxSkewMs?: number;
  /** Signing keys kept (one per key id, version, day, region, service); default 1024. */
  readonly cacheSize?: number;
  /** Services accepted in the credential scope; default ['kms']. */
  readonly services?: readonly string[];
}

export interface SigV4Verifier {
  verify(req: SignedRequest): Promise<VerifiedCaller>;
  /** Drops cached signing keys for this key id, e.g. on revocation. */
  forget(accessKeyId: string): void;
  cacheStats(): SigningKeyCacheStats;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
const DATE_NOT_SIGNED = "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.";
const NO_QUERY: readonly QueryParam[] = [];

function mismatch(message = SIGNATURE_MISMATCH): KmsError {
  return new KmsError('SignatureDoesNotMatch', message);
}

function firstValue(v: string | readonly string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.[0];
}

function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 0x30;
  const b = s.charCodeAt(at + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `YYYYMMDDTHHMMSSZ` to epoch ms, or NaN; rejects dates that do not exist (20260230). */
function parseBasicIso(s: string): number {
  if (s.length !== 16 || s.charCodeAt(8) !== 0x54 || s.charCodeAt(15) !== 0x5a) return NaN;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 4);
  const day = twoDigits(s, 6);
  const hour = twoDigits(s, 9);
  const minute = twoDigits(s, 11);
  const second = twoDigits(s, 13);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return NaN;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const ms = Date.UTC(century * 100 + yy, month - 1, day, hour, minute, second);
  return new Date(ms).getUTCDate() === day ? ms : NaN;
}

/** Epoch ms to `YYYYMMDDTHHMMSSZ`. */
function toBasicIso(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:25:00.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + 'T' + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}

function formatWindow(ms: number): string {
  return ms % 60000 === 0 ? `${ms / 60000} min.` : `${Math.floor(ms / 1000)} sec.`;
}

function isValidRegion(region: string): boolean {
  if (region.length === 0) return false;
  for (let i = 0; i < region.length; i++) {
    const c = region.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return false;
  }
  return true;
}

/** 64 lower-case hex digits, the only form AWS signers emit. */
function isSignatureHex(sig: string): boolean {
  if (sig.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = sig.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function includesHost(names: readonly string[]): boolean {
  for (const name of names) {
    if (name === 'host') return true;
    // AWS matches case-insensitively; only names of the right length are worth lower-casing (it allocates).
    if ((name.length === 4 || name.length === 10) && (name.toLowerCase() === 'host' || name.toLowerCase() === ':authority')) return true;
  }
  return false;
}

export function createSigV4Verifier(opts: SigV4VerifierOptions): SigV4Verifier {
  const { lookup, now } = opts;
  const maxSkewMs = opts.maxSkewMs ?? 15 * 60 * 1000;
  const services = opts.services ?? ['kms'];
  if (services.length === 0) throw new RangeError('services must name at least one service');
  if (!(maxSkewMs >= 0)) throw new RangeError('maxSkewMs must be non-negative');
  const cache = new SigningKeyCache(opts.cacheSize ?? 1024);

  /** The time check: requests older or newer than the skew fail, and presigned ones after X-Amz-Expires. */
  function checkFreshness(auth: AuthParams, amzDate: string, signedAtMs: number): void {
    const nowMs = now();
    const lifetimeMs = auth.expiresSec === undefined ? maxSkewMs : Math.min(auth.expiresSec * 1000, maxSkewMs);
    if (signedAtMs < nowMs - lifetimeMs) {
      throw mismatch(
        `Signature expired: ${amzDate} is now earlier than ${toBasicIso(nowMs - lifetimeMs)} ` +
          `(${toBasicIso(nowMs)} - ${formatWindow(lifetimeMs)})`,
      );
    }
    if (signedAtMs > nowMs + maxSkewMs) {
      throw mismatch(
        `Signature not yet current: ${amzDate} is still later than ${toBasicIso(nowMs + maxSkewMs)} ` +
          `(${toBasicIso(nowMs)} + ${formatWindow(maxSkewMs)})`,
      );
    }
  }

  async function verify(req: SignedRequest): Promise<VerifiedCaller> {
    const { headers } = req;
    const authorization = firstValue(headers['authorization']) || undefined;
    const query = req.query.length === 0 ? NO_QUERY : parseQuery(req.query);
    const queryAuth = query.length > 0 && findQueryParam(query, 'X-Amz-Algorithm') !== undefined;

    if (authorization !== undefined && queryAuth) {
      throw mismatch("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
    }
    if (authorization === undefined && !queryAuth) throw new KmsError('MissingAuthentication', MISSING_TOKEN);

    const amzDateHeader = firstValue(headers['x-amz-date']);
    const auth =
      authorization !== undefined
        ? parseAuthorizationHeader(
            authorization,
            amzDateHeader,
            firstValue(headers['date']),
            firstValue(headers['x-amz-security-token']),
          )
        : parsePresignedQuery(query);

    // AWS signers always send ISO-8601 basic; only a bare HTTP Date header may use its own format.
    let amzDate = auth.date;
    let signedAtMs = parseBasicIso(amzDate);
    if (Number.isNaN(signedAtMs) && auth.httpDate) {
      signedAtMs = Date.parse(amzDate);
      if (!Number.isNaN(signedAtMs)) amzDate = toBasicIso(signedAtMs);
    }
    if (Number.isNaN(signedAtMs)) {
      throw new KmsError(
        'IncompleteSignature',
        `Date must be in ISO-8601 'basic format'. Got '${auth.date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    checkFreshness(auth, amzDate, signedAtMs);

    const signedHeaderNames = auth.signedHeaders.split(';');
    if (!includesHost(signedHeaderNames)) throw mismatch(HOST_NOT_SIGNED);
    // The date is in the string to sign anyway, but AWS insists the header carrying it be signed too.
    if (!auth.presigned && !auth.httpDate && !signedHeaderNames.includes('x-amz-date')) throw mismatch(DATE_NOT_SIGNED);

    if (auth.algorithm !== ALGORITHM) {
      // Trailing space and all: this is AWS's text.
      throw new KmsError('IncompleteSignature', `Unsupported AWS 'algorithm': '${auth.algorithm}' (only ${ALGORITHM} for now). `);
    }

    const scope = parseCredential(auth.credential);
    const problems: string[] = [];
    if (!isValidRegion(scope.region)) problems.push(`Credential should be scoped to a valid region, not '${scope.region}'.`);
    if (!services.includes(scope.service)) problems.push(`Credential should be scoped to correct service: '${services[0]}'.`);
    if (scope.terminator !== 'aws4_request') {
      problems.push(`Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'.`);
    }
    const day = amzDate.slice(0, 8);
    if (scope.date !== day) {
      problems.push(
        'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
          `'${scope.date}' != '${day}', from '${amzDate}'.`,
      );
    }
    if (problems.length > 0) throw mismatch(problems.join(' '));

    const credential = await lookup(scope.accessKeyId);
    if (credential === undefined) throw new KmsError('UnrecognizedClient', INVALID_TOKEN);

    let payloadHash: string;
    if (auth.presigned && isUnsignedPayload(query, headers)) payloadHash = UNSIGNED_PAYLOAD;
    else payloadHash = req.body.length === 0 ? EMPTY_SHA256 : hash('sha256', req.body, 'hex');

    const canonical = canonicalRequest(
      req.method,
      canonicalUri(req.path),
      canonicalQueryString(query),
      headers,
      signedHeaderNames,
      auth.signedHeaders,
      payloadHash,
    );
    if (canonical === undefined || !isSignatureHex(auth.signature)) throw mismatch();

    const credentialScope = scope.date + '/' + scope.region + '/' + scope.service + '/aws4_request';
    // latin1: every char of the canonical request is one byte as received (see canonical-request.ts).
    const stringToSign =
      ALGORITHM + '\n' + amzDate + '\n' + credentialScope + '\n' + hash('sha256', Buffer.from(canonical, 'latin1'), 'hex');
    const signingKey = cache.get(
      scope.accessKeyId,
      credential.credentialVersion,
      scope.date,
      scope.region,
      scope.service,
      credential.secret,
    );
    const expected = createHmac('sha256', signingKey).update(stringToSign, 'latin1').digest();
    if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) throw mismatch();

    // Strongroom issues no temporary credentials, so any session token is one we cannot vouch for.
    if (auth.sessionToken) throw new KmsError('UnrecognizedClient', INVALID_TOKEN);

    return { accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, signedAt: new Date(signedAtMs) };
  }

  return {
    verify,
    forget: (accessKeyId) => cache.forget(accessKeyId),
    cacheStats: () => cache.stats(),
  };
}

/** Presigned URLs may opt out of body signing (smithy hoists the header into the query). */
function isUnsignedPayload(query: readonly QueryParam[], headers: SignedRequest['headers']): boolean {
  const v = findQueryParamIgnoreCase(query, 'x-amz-content-sha256') ?? firstValue(headers['x-amz-content-sha256']);
  return v === UNSIGNED_PAYLOAD;
}
