import assert from 'node:assert/strict';

/** A parsed JSON response; `body` is whatever the server sent (asserted on by the tests). */
export interface JsonResponse {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  token?: string | undefined;
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body). */
  raw?: string;
  headers?: Record<string, string>;
}

export async function call(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.raw !== undefined) payload = options.raw;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, body: payload });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body, text, headers: res.headers };
}

export async function login(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await call(baseUrl, 'POST', '/api/v1/auth/universal-auth/login', { body: { clientId, clientSecret } });
  assert.equal(res.status, 200, res.text);
  return res.body.accessToken as string;
}

/** Asserts the REST error shape, status and error name; returns the message for further checks. */
export function expectError(res: JsonResponse, status: number, error: string, message?: string | RegExp): string {
  assert.equal(res.status, status, `expected ${status} ${error}, got ${res.status}: ${res.text}`);
  assert.equal(res.body.statusCode, status);
  assert.equal(res.body.error, error);
  assert.equal(typeof res.body.message, 'string');
  assert.equal(typeof res.body.reqId, 'string');
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'message', 'reqId', 'statusCode']);
  if (typeof message === 'string') assert.equal(res.body.message, message);
  else if (message) assert.match(res.body.message, message);
  return res.body.message as string;
}

export const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
