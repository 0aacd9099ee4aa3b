// Shared helpers for the interoperability tests (not a test file itself).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TestServer } from '../helpers/server.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const OTHER_REGION = 'us-west-2';

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
  'and signing method. Consult the service documentation for details.';
export const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';
export const ALIAS_PREFIX_MESSAGE =
  'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html';

export const keyArn = (keyId: string, region = REGION, account = ACCOUNT): string => `arn:aws:kms:${region}:${account}:key/${keyId}`;
export const aliasArn = (aliasName: string, region = REGION, account = ACCOUNT): string => `arn:aws:kms:${region}:${account}:${aliasName}`;

/** Unique-enough suffix so names never collide between tests of one file. */
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The SDK turns an empty (or absent) AWS error message into "UnknownError" (@smithy/core
 * `decorateServiceException`); use EMPTY to expect AWS's empty message through the SDK.
 */
export const EMPTY = Symbol('empty message');

interface SdkError extends Error {
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

/** Awaits a rejected SDK call and checks the AWS error name, message and status (400 for client errors). */
export async function expectKmsError(promise: Promise<unknown>, name: string, message?: string | RegExp | typeof EMPTY, status = 400): Promise<SdkError> {
  let error: SdkError | undefined;
  try {
    await promise;
  } catch (e) {
    error = e as SdkError;
  }
  assert.ok(error, `expected ${name}, but the call succeeded`);
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  if (message === EMPTY) assert.equal(error.message, 'UnknownError', `expected an empty message, got '${error.message}'`);
  else if (typeof message === 'string') assert.equal(error.message, message);
  else if (message instanceof RegExp) assert.match(error.message, message);
  assert.equal(error.$metadata?.httpStatusCode, status, `HTTP status of ${name}`);
  return error;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RawOptions {
  /** `X-Amz-Target`; omitted when undefined. */
  target?: string | undefined;
  body?: string | Buffer;
  contentType?: string;
  region?: string;
  service?: string;
  credentials?: Credentials;
  signingDate?: Date;
  /** Extra headers to sign. */
  headers?: Record<string, string>;
  /** Skip signing entirely (no Authorization header). */
  unsigned?: boolean;
  /** Change the request after it was signed (e.g. swap the body). */
  afterSign?: (req: { headers: Record<string, string>; body: string | Buffer }) => { headers: Record<string, string>; body: string | Buffer };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** One hand-signed (SigV4, @smithy/signature-v4) POST / to the server, sent with node:http so Host is ours. */
export async function rawRequest(server: TestServer, opts: RawOptions = {}): Promise<RawResponse> {
  const body = opts.body ?? '{}';
  const headers: Record<string, string> = {
    host: `127.0.0.1:${server.port}`,
    'content-type': opts.contentType ?? 'application/x-amz-json-1.1',
    ...(opts.target !== undefined ? { 'x-amz-target': opts.target } : {}),
    ...opts.headers,
  };
  let req = { headers, body };
  if (!opts.unsigned) {
    const signer = new SignatureV4({
      service: opts.service ?? 'kms',
      region: opts.region ?? REGION,
      credentials: opts.credentials ?? { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      sha256: Sha256,
    });
    const unsignedReq = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/', headers, body });
    const signed = await signer.sign(unsignedReq, opts.signingDate ? { signingDate: opts.signingDate } : {});
    req = { headers: signed.headers as Record<string, string>, body };
  }
  if (opts.afterSign) req = opts.afterSign(req);
  const payload = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
  return new Promise<RawResponse>((resolve, reject) => {
    const r = httpRequest(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: { ...req.headers, 'content-length': String(payload.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(payload);
  });
}

/** A signed AWS JSON call (TrentService.<operation>) with the server's admin credentials unless told otherwise. */
export function awsJson(server: TestServer, operation: string, input: unknown, opts: Omit<RawOptions, 'target' | 'body'> = {}): Promise<RawResponse> {
  return rawRequest(server, { ...opts, target: `TrentService.${operation}`, body: JSON.stringify(input) });
}

/** The AWS error type of a raw response, with any `namespace#` prefix removed, as the SDKs read it. */
export function errorType(res: RawResponse): string | undefined {
  const t = (res.json?.['__type'] ?? res.json?.['code'] ?? res.headers['x-amzn-errortype']) as string | undefined;
  return t?.split('#').pop()?.split(':')[0];
}

/** The AWS error message of a raw response (`message`, or `Message`), '' when absent. */
export function errorMessage(res: RawResponse): string {
  return String(res.json?.['message'] ?? res.json?.['Message'] ?? '');
}

export function expectRawError(res: RawResponse, type: string, message?: string | RegExp): void {
  assert.equal(res.status, 400, `status for ${type}: ${res.text}`);
  assert.equal(errorType(res), type, `error type: ${res.text}`);
  if (typeof message === 'string') assert.equal(errorMessage(res), message, `message of ${type}`);
  else if (message instanceof RegExp) assert.match(errorMessage(res), message);
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
