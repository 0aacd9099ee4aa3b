import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError, type ErrorCode } from '../../src/core/errors.js';
import {
  createSigV4Verifier,
  type SecretLookup,
  type SignedRequest,
  type SigV4VerifierOptions,
} from '../../src/server/sigv4/verify-sigv4.js';

const AKID = 'AKIDEXAMPLE0000STRONG';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = Date.UTC(2026, 0, 1, 0, 25, 0); // 20260101T002500Z
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
  'and signing method. Consult the service documentation for details.';

// Seeded so that a failure can be replayed: SIGV4_SEED=<n> node --import tsx --test test/server/sigv4.test.ts
const SEED = Number(process.env['SIGV4_SEED'] ?? Date.now() % 2 ** 31);
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const rand = rng(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
const randomString = (pool: readonly string[], min: number, max: number): string => {
  let s = '';
  for (let n = min + int(max - min + 1); n > 0; n--) s += pick(pool);
  return s;
};

/** What Node would hand us for text a client sent as UTF-8 bytes: one char per byte. */
const toWire = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const escapeUri = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Different, equivalent ways a client may put a decoded key or value on the wire. */
const QUERY_ENCODERS: ReadonlyArray<(s: string) => string> = [
  escapeUri,
  encodeURIComponent,
  (s) => escapeUri(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  (s) => escapeUri(s).replace(/%20/g, '+'),
  (s) => [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).padStart(2, '0')).join(''),
  (s) => toWire(s.replace(/[\x00-\x7f]/g, (c) => escapeUri(c))), // raw UTF-8 bytes for non-ASCII
];

const QUERY_CHARS = [...'abcXYZ019-_.~ !"#$%&\'()*+,/:;<=>?@[\\]^`{|}', 'é', '€', '𝄞', '日'];
const PATH_CHARS = [...'abcXYZ019-_.~!$&\'()*+,;=:@ ', '%20', '%2F', '%C3%A9', '%7e', '%25', 'é', '€', '𝄞'];
const HEADER_CHARS = [...'abcXYZ019-_.~!"#$%&\'()*+,/:;<=>?@[]^`{|}', ' ', '  ', '\t', 'é'];
const REGIONS = ['us-east-1', 'eu-west-3', 'ap-southeast-2', 'local', 'us-gov-west-1'];
const SERVICES = ['kms', 'sts'];

function randomPath(): string {
  const segments: string[] = [];
  for (let n = int(5); n > 0; n--) {
    const r = rand();
    segments.push(r < 0.1 ? '.' : r < 0.2 ? '..' : r < 0.3 ? '' : randomString(PATH_CHARS, 1, 6));
  }
  return '/' + segments.join('/') + (rand() < 0.3 ? '/' : '');
}

interface Spec {
  method: string;
  path: string; // as the client's SDK holds it (may contain raw non-ASCII text)
  query: Array<[string, string]>; // decoded
  headers: Record<string, string>;
  body: Buffer;
  region: string;
  service: string;
  signingDate: Date;
}

function baseSpec(overrides: Partial<Spec> = {}): Spec {
  return {
    method: 'POST',
    path: '/',
    query: [],
    headers: {
      host: 'kms.us-east-1.amazonaws.com',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.Encrypt',
    },
    body: Buffer.from('{"KeyId":"alias/test","Plaintext":"aGVsbG8="}'),
    region: 'us-east-1',
    service: 'kms',
    signingDate: new Date(NOW - 60_000),
    ...overrides,
  };
}

function randomSpec(): Spec {
  const query: Array<[string, string]> = [];
  for (let n = int(6); n > 0; n--) {
    const key = randomString(QUERY_CHARS, 1, 5);
    query.push([key, randomString(QUERY_CHARS, 0, 8)]);
    if (rand() < 0.3) query.push([key, randomString(QUERY_CHARS, 0, 8)]); // repeated key
  }
  const headers: Record<string, string> = { Host: pick(['kms.eu-west-3.amazonaws.com', 'localhost:8443', '127.0.0.1']) };
  for (let n = int(5); n > 0; n--) {
    const name = `X-Rand-${n}`.split('').map((c) => (rand() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
    headers[name] = randomString(HEADER_CHARS, 0, 12);
  }
  if (rand() < 0.5) headers['content-type'] = 'application/x-amz-json-1.1';
  if (rand() < 0.5) headers['user-agent'] = 'unsigned/1.0'; // never signed by smithy
  return {
    method: pick(['GET', 'POST', 'PUT', 'DELETE']),
    path: randomPath(),
    query,
    headers,
    body: Buffer.from(Array.from({ length: pick([0, 1, 17, 300, 2048]) }, () => int(256))),
    region: pick(REGIONS),
    service: pick(SERVICES),
    signingDate: new Date(NOW + int(28 * 60_000) - 14 * 60_000),
  };
}

function queryRecord(pairs: ReadonlyArray<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The raw query string a client might send for these pairs: any order, any equivalent encoding. */
function rawQuery(record: Record<string, string | string[] | null>, randomize: boolean): string {
  const encode = (s: string): string => (randomize ? pick(QUERY_ENCODERS)(s) : escapeUri(s));
  const parts: string[] = [];
  for (const [k, v] of Object.entries(record)) {
    for (const value of Array.isArray(v) ? v : [v ?? '']) parts.push(encode(k) + '=' + encode(value));
  }
  if (randomize) parts.sort(() => rand() - 0.5);
  return parts.join('&');
}

function signer(service: string, region: string, secret = SECRET, sessionToken?: string): SignatureV4 {
  const credentials = sessionToken === undefined ? { accessKeyId: AKID, secretAccessKey: secret } : { accessKeyId: AKID, secretAccessKey: secret, sessionToken };
  return new SignatureV4({ credentials, region, service, sha256: Sha256 });
}

function httpRequest(spec: Spec): HttpRequest {
  return new HttpRequest({
    method: spec.method,
    protocol: 'https:',
    hostname: 'ignored.example',
    path: spec.path,
    query: queryRecord(spec.query),
    headers: { ...spec.headers },
    body: spec.body,
  });
}

/** What the HTTP layer hands the verifier: lower-case names, values as Node decodes them. */
function toSignedRequest(spec: Spec, signed: { headers: Record<string, string> }, query: string): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = toWire(v);
  return { method: spec.method, path: toWire(spec.path), query, headers, body: spec.body };
}

async function signWithHeader(spec: Spec, secret = SECRET, sessionToken?: string): Promise<SignedRequest> {
  const signed = await signer(spec.service, spec.region, secret, sessionToken).sign(httpRequest(spec), {
    signingDate: spec.signingDate,
  });
  return toSignedRequest(spec, signed, rawQuery(queryRecord(spec.query), true));
}

/** Randomized wire encoding unless a test needs to find parameters in the query string by text. */
async function presign(spec: Spec, expiresIn = 900, randomize = true): Promise<SignedRequest> {
  const signed = await signer(spec.service, spec.region).presign(httpRequest(spec), { signingDate: spec.signingDate, expiresIn });
  return toSignedRequest(spec, signed, rawQuery(signed.query ?? {}, randomize));
}

function setup(overrides: Partial<SigV4VerifierOptions> = {}, secret = SECRET) {
  const calls: string[] = [];
  const lookup: SecretLookup = async (akid) => {
    calls.push(akid);
    return akid === AKID ? { secret: Buffer.from(secret), credentialVersion: 'v1' } : undefined;
  };
  const verifier = createSigV4Verifier({ lookup, now: () => NOW, services: SERVICES, ...overrides });
  return { verifier, calls };
}

async function rejectsWith(p: Promise<unknown>, code: ErrorCode, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof KmsError, `not a KmsError: ${String(e)}`);
    assert.equal(e.code, code, `code (message was: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.ok(!e.message.includes(SECRET), 'secret leaked into the message');
    assert.ok(!e.message.includes('AWS4-HMAC-SHA256\n'), 'string to sign leaked into the message');
    if (code !== 'IncompleteSignature') assert.doesNotMatch(e.message, /[0-9a-f]{64}/, 'a signature leaked');
    return true;
  });
}

const withHeader = (req: SignedRequest, name: string, value: string | string[] | undefined): SignedRequest => ({
  ...req,
  headers: { ...req.headers, [name]: value },
});
const authOf = (req: SignedRequest): string => req.headers['authorization'] as string;

describe(`SigV4 verifier (seed ${SEED})`, () => {
  test('verifies randomized header-signed requests from @smithy/signature-v4', async () => {
    const { verifier } = setup();
    for (let i = 0; i < 300; i++) {
      const spec = randomSpec();
      const req = await signWithHeader(spec);
      const caller = await verifier.verify(req).catch((e: unknown) => {
        throw new Error(`request #${i} rejected: ${String(e)}\n${JSON.stringify({ ...req, body: req.body.length })}`);
      });
      assert.deepEqual(caller, {
        accessKeyId: AKID,
        region: spec.region,
        service: spec.service,
        signedAt: new Date(Math.floor(spec.signingDate.getTime() / 1000) * 1000),
      });
    }
  });

  test('rejects each randomized request after one change to body, path, query or a signed header', async () => {
    const { verifier } = setup();
    for (let i = 0; i < 200; i++) {
      const spec = randomSpec();
      spec.headers['X-Rand-0'] = 'signed';
      const req = await signWithHeader(spec);
      const changes: SignedRequest[] = [
        { ...req, body: Buffer.concat([req.body, Buffer.from([int(256)])]) },
        { ...req, path: req.path + 'x' },
        { ...req, query: req.query + (req.query ? '&' : '') + 'extra=1' },
        withHeader(req, 'x-rand-0', 'signeD'),
        { ...req, method: req.method === 'GET' ? 'POST' : 'GET' },
      ];
      if (req.body.length > 0) {
        const body = Buffer.from(req.body);
        const at = int(body.length);
        body[at] = (body[at] ?? 0) ^ (1 << int(8));
        changes.push({ ...req, body });
      }
      for (const changed of changes) await rejectsWith(verifier.verify(changed), 'SignatureDoesNotMatch', MISMATCH);
    }
  });

  test('verifies randomized presigned requests', async () => {
    const { verifier } = setup();
    for (let i = 0; i < 150; i++) {
      const spec = randomSpec();
      const expiresIn = pick([60, 300, 900, 3600]);
      const lifetime = Math.min(expiresIn, 900) * 1000;
      spec.signingDate = new Date(NOW - lifetime + 1000 + int(lifetime + 13 * 60_000));
      const req = await presign(spec, expiresIn);
      const caller = await verifier.verify(req);
      assert.equal(caller.region, spec.region);
      assert.equal(caller.service, spec.service);
      await rejectsWith(verifier.verify({ ...req, query: req.query + '&extra=1' }), 'SignatureDoesNotMatch', MISMATCH);
      await rejectsWith(verifier.verify({ ...req, body: Buffer.concat([req.body, Buffer.from('!')]) }), 'SignatureDoesNotMatch', MISMATCH);
    }
  });

  test('presigned UNSIGNED-PAYLOAD leaves the body unsigned, and only then', async () => {
    const { verifier } = setup();
    const spec = baseSpec();
    spec.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const req = await presign(spec, 900, false);
    assert.match(req.query, /x-amz-content-sha256=UNSIGNED-PAYLOAD/i);
    await verifier.verify(req);
    await verifier.verify({ ...req, body: Buffer.from('anything else') });

    const headerSpec = baseSpec();
    headerSpec.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const headerSigned = await signWithHeader(headerSpec); // header auth always hashes the real body
    await rejectsWith(setup().verifier.verify(headerSigned), 'SignatureDoesNotMatch', MISMATCH);
  });

  test('canonicalizes equivalent forms: reordered query, re-encoded query, repeated header values, HTTP/2', async () => {
    const { verifier } = setup();
    const spec = baseSpec({ query: [['b', '2'], ['a', 'x y'], ['a', '1'], ['c~', '!*']] });
    spec.headers['x-multi'] = 'one,two  three';
    const req = await signWithHeader(spec);
    for (const query of ['c~=%21%2A&a=1&b=2&a=x+y', 'a=x%20y&a=1&%63%7E=!*&b=%32', 'b=2&a=1&a=x%20y&c%7e=%21%2a']) {
      await verifier.verify({ ...req, query });
    }
    await verifier.verify(withHeader(req, 'x-multi', ['  one ', 'two   three']));
    const { host, ...rest } = req.headers;
    await verifier.verify({ ...req, headers: { ...rest, ':authority': host } });
    await rejectsWith(verifier.verify({ ...req, query: 'a=1&a=x%20y&b=2' }), 'SignatureDoesNotMatch', MISMATCH);
    await verifier.verify(withHeader(req, 'user-agent', 'changed')); // unsigned header: free to change
  });

  test('accepts a Date header when there is no X-Amz-Date', async () => {
    const { verifier } = setup();
    const body = Buffer.from('{}');
    const date = 'Thu, 01 Jan 2026 00:20:00 GMT';
    const canonical = `POST\n/\n\ndate:${date}\nhost:localhost\n\ndate;host\n${createHash('sha256').update(body).digest('hex')}`;
    const stringToSign = `AWS4-HMAC-SHA256\n20260101T002000Z\n20260101/local/kms/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
    const signature = await signer('kms', 'local').sign(stringToSign, { signingDate: new Date(Date.UTC(2026, 0, 1, 0, 20)) });
    const authorization = `AWS4-HMAC-SHA256 Credential=${AKID}/20260101/local/kms/aws4_request, SignedHeaders=date;host, Signature=${signature}`;
    const req: SignedRequest = { method: 'POST', path: '/', query: '', headers: { host: 'localhost', date, authorization }, body };
    const caller = await verifier.verify(req);
    assert.equal(caller.signedAt.getTime(), Date.UTC(2026, 0, 1, 0, 20));
    await rejectsWith(verifier.verify(withHeader(req, 'date', 'Thu, 01 Jan 2026 00:20:01 GMT')), 'SignatureDoesNotMatch', MISMATCH);
  });

  describe('errors', () => {
    test('no authentication at all, or not SigV4', async () => {
      const { verifier } = setup();
      const req = await signWithHeader(baseSpec());
      await rejectsWith(verifier.verify(withHeader(req, 'authorization', undefined)), 'MissingAuthentication', 'Missing Authentication Token');
      await rejectsWith(verifier.verify(withHeader(req, 'authorization', '')), 'MissingAuthentication', 'Missing Authentication Token');
      await rejectsWith(verifier.verify(withHeader(req, 'authorization', 'Bearer abc.def')), 'MissingAuthentication', 'Missing Authentication Token');
      await rejectsWith(
        verifier.verify({ ...req, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' }),
        'SignatureDoesNotMatch',
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      );
    });

    test('malformed Authorization header', async () => {
      const { verifier } = setup();
      const req = await signWithHeader(baseSpec());
      await rejectsWith(
        verifier.verify(withHeader(withHeader(req, 'x-amz-date', undefined), 'authorization', 'AWS4-')),
        'IncompleteSignature',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
          "'X-Amz-Date' or a 'Date' header. Authorization=AWS4-",
      );
      const partial = `AWS4-HMAC-SHA256 Credential=${AKID}/20260101/us-east-1/kms/aws4_request`;
      await rejectsWith(
        verifier.verify(withHeader(req, 'authorization', partial)),
        'IncompleteSignature',
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
          `Authorization=${partial}`,
      );
      await rejectsWith(
        verifier.verify(withHeader(req, 'x-amz-date', undefined)),
        'IncompleteSignature',
        `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authOf(req)}`,
      );
      await rejectsWith(
        verifier.verify(withHeader(req, 'x-amz-date', '2026-01-01T00:24:00Z')),
        'IncompleteSignature',
        "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:24:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      );
      await rejectsWith(
        verifier.verify(withHeader(req, 'authorization', authOf(req).replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'))),
        'IncompleteSignature',
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
      );
      // AWS ignores trailing slashes after the terminator.
      await verifier.verify(withHeader(req, 'authorization', authOf(req).replace('/aws4_request,', '/aws4_request//,')));
      await rejectsWith(
        verifier.verify(withHeader(req, 'authorization', authOf(req).replace('/kms/aws4_request', '/kms'))),
        'IncompleteSignature',
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${AKID}/20260101/us-east-1/kms'`,
      );
    });

    test('credential scope problems, reported together', async () => {
      const { verifier } = setup();
      const req = await signWithHeader(baseSpec());
      await rejectsWith(
        verifier.verify(withHeader(req, 'authorization', authOf(req).replace('/us-east-1/kms/aws4_request', '/US_EAST/s3/aws4_req'))),
        'SignatureDoesNotMatch',
        "Credential should be scoped to a valid region, not 'US_EAST'. Credential should be scoped to correct service: 'kms'. " +
          "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_req'.",
      );
      const nextDay = createSigV4Verifier({ lookup: async () => undefined, now: () => Date.UTC(2026, 0, 2) });
      const signedNextDay = await signWithHeader(baseSpec({ signingDate: new Date(Date.UTC(2026, 0, 2)) }));
      await rejectsWith(
        nextDay.verify(withHeader(signedNextDay, 'authorization', authOf(signedNextDay).replace('/20260102/', '/20260101/'))),
        'SignatureDoesNotMatch',
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T000000Z'.",
      );
    });

    test('clock skew: expired and not yet current, with the 15-minute edges accepted', async () => {
      const { verifier } = setup();
      await rejectsWith(
        verifier.verify(await signWithHeader(baseSpec({ signingDate: new Date(Date.UTC(2026, 0, 1)) }))),
        'SignatureDoesNotMatch',
        'Signature expired: 20260101T000000Z is now earlier than 20260101T001000Z (20260101T002500Z - 15 min.)',
      );
      await rejectsWith(
        verifier.verify(await signWithHeader(baseSpec({ signingDate: new Date(NOW + 15 * 60_000 + 1000) }))),
        'SignatureDoesNotMatch',
        'Signature not yet current: 20260101T004001Z is still later than 20260101T004000Z (20260101T002500Z + 15 min.)',
      );
      await verifier.verify(await signWithHeader(baseSpec({ signingDate: new Date(NOW - 15 * 60_000) })));
      await verifier.verify(await signWithHeader(baseSpec({ signingDate: new Date(NOW + 15 * 60_000) })));
      const strict = setup({ maxSkewMs: 5 * 60_000 }).verifier;
      await rejectsWith(
        strict.verify(await signWithHeader(baseSpec({ signingDate: new Date(NOW - 6 * 60_000) }))),
        'SignatureDoesNotMatch',
        'Signature expired: 20260101T001900Z is now earlier than 20260101T002000Z (20260101T002500Z - 5 min.)',
      );
    });

    test('Host and X-Amz-Date must be signed', async () => {
      const { verifier } = setup();
      const spec = baseSpec();
      delete spec.headers['host'];
      const noHost = await signWithHeader(spec);
      await rejectsWith(
        verifier.verify(withHeader(noHost, 'host', 'kms.us-east-1.amazonaws.com')),
        'SignatureDoesNotMatch',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      );
      const req = await signWithHeader(baseSpec());
      await rejectsWith(
        verifier.verify(withHeader(req, 'authorization', authOf(req).replace(';x-amz-date', ''))),
        'SignatureDoesNotMatch',
        "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
      );
    });

    test('unknown key, wrong secret, tampering, bad signature encodings, session tokens', async () => {
      const { verifier } = setup();
      const req = await signWithHeader(baseSpec());
      await verifier.verify(req);
      await rejectsWith(
        verifier.verify(withHeader(req, 'authorization', authOf(req).replace(AKID, 'AKIDUNKNOWN'))),
        'UnrecognizedClient',
        'The security token included in the request is invalid.',
      );
      await rejectsWith(verifier.verify(await signWithHeader(baseSpec(), SECRET + 'x')), 'SignatureDoesNotMatch', MISMATCH);
      await rejectsWith(verifier.verify({ ...req, body: Buffer.from('{"KeyId":"alias/evil"}') }), 'SignatureDoesNotMatch', MISMATCH);
      await rejectsWith(verifier.verify(withHeader(req, 'x-amz-target', 'TrentService.Decrypt')), 'SignatureDoesNotMatch', MISMATCH);
      await rejectsWith(verifier.verify(withHeader(req, 'x-amz-target', undefined)), 'SignatureDoesNotMatch', MISMATCH);
      await rejectsWith(verifier.verify({ ...req, path: '/other' }), 'SignatureDoesNotMatch', MISMATCH);
      await rejectsWith(verifier.verify({ ...req, query: 'a=1' }), 'SignatureDoesNotMatch', MISMATCH);
      const sig = /Signature=([0-9a-f]{64})/.exec(authOf(req))?.[1] ?? '';
      for (const bad of [sig.toUpperCase(), sig.slice(0, 63), sig + '0', 'zz' + sig.slice(2)]) {
        await rejectsWith(verifier.verify(withHeader(req, 'authorization', authOf(req).replace(sig, bad))), 'SignatureDoesNotMatch', MISMATCH);
      }
      await rejectsWith(
        verifier.verify(await signWithHeader(baseSpec(), SECRET, 'session-token')),
        'UnrecognizedClient',
        'The security token included in the request is invalid.',
      );
    });

    test('presigned query errors', async () => {
      const { verifier } = setup();
      await rejectsWith(
        verifier.verify({ method: 'GET', path: '/', query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T002400Z', headers: { host: 'h' }, body: Buffer.alloc(0) }),
        'IncompleteSignature',
        "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
          "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
      );
      const spec = baseSpec({ method: 'GET', body: Buffer.alloc(0), signingDate: new Date(NOW - 61_000) });
      await rejectsWith(
        verifier.verify(await presign(spec, 60, false)),
        'SignatureDoesNotMatch',
        'Signature expired: 20260101T002359Z is now earlier than 20260101T002400Z (20260101T002500Z - 1 min.)',
      );
      const ok = await presign(spec, 120, false);
      await verifier.verify(ok);
      await rejectsWith(
        verifier.verify({ ...ok, query: ok.query.replace(/X-Amz-Expires=120/, 'X-Amz-Expires=604801') }),
        'IncompleteSignature',
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      );
      await rejectsWith(verifier.verify({ ...ok, query: ok.query.replace(/X-Amz-Expires=120/, 'X-Amz-Expires=600') }), 'SignatureDoesNotMatch', MISMATCH);
    });
  });

  describe('signing-key cache', () => {
    test('derives a key once per scope and credential version, and lookup stays authoritative', async () => {
      const { verifier, calls } = setup();
      await verifier.verify(await signWithHeader(baseSpec()));
      await verifier.verify(await signWithHeader(baseSpec({ body: Buffer.from('other') })));
      assert.deepEqual(verifier.cacheStats(), { size: 1, hits: 1, misses: 1 });
      await verifier.verify(await signWithHeader(baseSpec({ region: 'eu-west-3' })));
      assert.deepEqual(verifier.cacheStats(), { size: 2, hits: 1, misses: 2 });
      assert.equal(calls.length, 3); // revocation takes effect on the next request
    });

    test('a cached key is used until forget() or a new credential version', async () => {
      let current = { secret: Buffer.from(SECRET), credentialVersion: 'v1' };
      const verifier = createSigV4Verifier({ lookup: async () => current, now: () => NOW });
      const signedWithOld = await signWithHeader(baseSpec());
      await verifier.verify(signedWithOld);

      // Same version, different secret: the cached key (from the old secret) still decides. This is the
      // contract: a changed secret must come with a changed version.
      current = { secret: Buffer.from('new-secret'), credentialVersion: 'v1' };
      await verifier.verify(signedWithOld);
      await rejectsWith(verifier.verify(await signWithHeader(baseSpec(), 'new-secret')), 'SignatureDoesNotMatch', MISMATCH);

      verifier.forget('someone-else');
      await verifier.verify(signedWithOld);
      verifier.forget(AKID);
      assert.equal(verifier.cacheStats().size, 0);
      await rejectsWith(verifier.verify(signedWithOld), 'SignatureDoesNotMatch', MISMATCH);
      await verifier.verify(await signWithHeader(baseSpec(), 'new-secret'));

      current = { secret: Buffer.from('third-secret'), credentialVersion: 'v2' };
      await rejectsWith(verifier.verify(await signWithHeader(baseSpec(), 'new-secret')), 'SignatureDoesNotMatch', MISMATCH);
      await verifier.verify(await signWithHeader(baseSpec(), 'third-secret'));
    });

    test('is bounded, evicting the least recently used key', async () => {
      const { verifier } = setup({ cacheSize: 2 });
      const [a, b, c] = await Promise.all(['r-a', 'r-b', 'r-c'].map((region) => signWithHeader(baseSpec({ region }))));
      await verifier.verify(a!);
      await verifier.verify(b!);
      await verifier.verify(a!); // a is now the most recent
      await verifier.verify(c!); // evicts b
      assert.deepEqual(verifier.cacheStats(), { size: 2, hits: 1, misses: 3 });
      await verifier.verify(a!);
      await verifier.verify(b!);
      assert.deepEqual(verifier.cacheStats(), { size: 2, hits: 2, misses: 4 });
    });
  });
});
