/**
 * The pieces of a SigV4 canonical request, built from what arrived on the wire so that they equal what
 * @smithy/signature-v4 (and the other AWS signers) computed on the client for a non-S3 service.
 *
 * Node hands us the request target and header values as byte strings (one char per byte, latin1), so
 * percent-encoding works on bytes, never on decoded text: that way malformed UTF-8 cannot throw, and the
 * bytes we hash are the bytes the client hashed. A char above U+00FF cannot come from Node's parser; if a
 * caller passes one anyway it is taken as text and encoded as UTF-8, as a signer would.
 */

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A query parameter with key and value both in canonical (RFC 3986, upper-case hex) form. */
export interface QueryParam {
  readonly key: string;
  readonly value: string;
}

const HEX_ESCAPES: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'),
);

// RFC 3986 unreserved: the only bytes SigV4 leaves unescaped.
const UNRESERVED = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) UNRESERVED[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) UNRESERVED[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) UNRESERVED[c] = 1;
UNRESERVED[0x2d] = UNRESERVED[0x2e] = UNRESERVED[0x5f] = UNRESERVED[0x7e] = 1;

const SLASH = 0x2f;
const PERCENT = 0x25;
const PLUS = 0x2b;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Escapes the char at s[i] (and its low surrogate if paired); returns the escape and how many chars it used. */
function escapeWide(s: string, i: number): [string, number] {
  const c = s.charCodeAt(i);
  const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  const bytes = Buffer.from(s.slice(i, pair ? i + 2 : i + 1), 'utf8');
  let out = '';
  for (const b of bytes) out += HEX_ESCAPES[b];
  return [out, pair ? 2 : 1];
}

/**
 * Canonical URI for non-S3 services, exactly as smithy's default (`uriEscapePath: true`): drop empty and
 * `.` segments, resolve `..`, keep leading/trailing slash, then escape the raw (already once-encoded) path
 * again, so `%` becomes `%25`. The raw path is deliberately not decoded first: that is the double encoding.
 */
export function canonicalUri(path: string): string {
  // The AWS JSON protocols (KMS included) always POST to "/": skip the general case.
  if (path === '/') return path;
  const kept: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  const normalized =
    (path.charCodeAt(0) === SLASH ? '/' : '') +
    kept.join('/') +
    (kept.length > 0 && path.charCodeAt(path.length - 1) === SLASH ? '/' : '');
  return escapePath(normalized);
}

function escapePath(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== SLASH && (c > 0xff || UNRESERVED[c] === 0)) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c > 0xff) {
      const [escaped, used] = escapeWide(s, i);
      out += escaped;
      i += used;
      continue;
    }
    out += c === SLASH || UNRESERVED[c] === 1 ? s[i] : HEX_ESCAPES[c];
    i++;
  }
  return out;
}

/**
 * Canonical form of one raw query key or value, s[from, to): percent-decode to bytes (`+` is a space, as
 * every form/query parser the HTTP layer may use reads it), then escape every byte that is not unreserved.
 * A `%` not followed by two hex digits stands for itself.
 */
function canonicalQueryComponent(s: string, from: number, to: number): string {
  let i = from;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || UNRESERVED[c] === 0) break;
  }
  if (i === to) return s.slice(from, to);
  let out = s.slice(from, i);
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === PERCENT && i + 2 < to) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        const b = (hi << 4) | lo;
        out += UNRESERVED[b] === 1 ? String.fromCharCode(b) : HEX_ESCAPES[b];
        i += 3;
        continue;
      }
    }
    if (c > 0xff) {
      const [escaped, used] = escapeWide(s, i);
      out += escaped;
      i += used;
      continue;
    }
    out += c === PLUS ? '%20' : UNRESERVED[c] === 1 ? s[i] : HEX_ESCAPES[c];
    i++;
  }
  return out;
}

/** Splits a raw query string (no `?`) into canonical params, in arrival order. */
export function parseQuery(raw: string): QueryParam[] {
  const params: QueryParam[] = [];
  let start = 0;
  while (start < raw.length) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = raw.length;
    if (end > start) {
      const eq = raw.indexOf('=', start);
      if (eq === -1 || eq >= end) {
        params.push({ key: canonicalQueryComponent(raw, start, end), value: '' });
      } else {
        params.push({
          key: canonicalQueryComponent(raw, start, eq),
          value: canonicalQueryComponent(raw, eq + 1, end),
        });
      }
    }
    start = end + 1;
  }
  return params;
}

/** Canonical value of the first param with this key (auth params are all unreserved, so compare as is). */
export function findQueryParam(params: readonly QueryParam[], key: string): string | undefined {
  for (const p of params) if (p.key === key) return p.value;
  return undefined;
}

/** Same, ignoring the key's case: smithy hoists headers into the query under their own spelling. */
export function findQueryParamIgnoreCase(params: readonly QueryParam[], lowerKey: string): string | undefined {
  for (const p of params) if (p.key.length === lowerKey.length && p.key.toLowerCase() === lowerKey) return p.value;
  return undefined;
}

/** Back from canonical form to text, for the handful of auth params we read. */
export function decodeQueryValue(canonical: string): string {
  if (canonical.indexOf('%') === -1) return canonical;
  try {
    return decodeURIComponent(canonical);
  } catch {
    return canonical; // not UTF-8: it can only fail to match later, which is the right outcome
  }
}

function compareParams(a: QueryParam, b: QueryParam): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * Sorted by key, then value (smithy sorts `key=value` per key); X-Amz-Signature is left out in any case,
 * as smithy does, since a presigned signature cannot sign itself.
 */
export function canonicalQueryString(params: readonly QueryParam[]): string {
  if (params.length === 0) return '';
  const sorted = params.length === 1 ? params : params.slice().sort(compareParams);
  let out = '';
  let first = true;
  for (const p of sorted) {
    if (p.key.length === 15 && p.key.toLowerCase() === 'x-amz-signature') continue;
    out += (first ? '' : '&') + p.key + '=' + p.value;
    first = false;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Trims and collapses runs of SP/HT/CR/LF to one space, as smithy does. Undefined when the value holds a
 * char that is not a byte: the canonical request is hashed as latin1, which could not tell such chars apart.
 */
export function canonicalHeaderValue(v: string): string | undefined {
  const last = v.length - 1;
  let clean = true;
  for (let i = 0; i <= last; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff) return undefined;
    if (clean && isSpace(c) && (c !== 0x20 || i === 0 || i === last || v.charCodeAt(i + 1) === 0x20)) clean = false;
  }
  if (clean) return v;
  let out = '';
  let pendingSpace = false;
  let runStart = -1;
  // Copy runs of non-space chars in slices rather than char by char.
  for (let i = 0; i <= last + 1; i++) {
    const c = i <= last ? v.charCodeAt(i) : 0x20;
    if (isSpace(c)) {
      if (runStart >= 0) {
        out += (pendingSpace ? ' ' : '') + v.slice(runStart, i);
        runStart = -1;
        pendingSpace = false;
      }
      if (out.length > 0) pendingSpace = true;
    } else if (runStart < 0) {
      runStart = i;
    }
  }
  return out;
}

/** Canonical value of a signed header; several values (an array, as `headersDistinct` gives) join with ','. */
function signedHeaderValue(headers: HeaderBag, name: string): string | undefined {
  let raw = headers[name];
  if (raw === undefined && name === 'host') raw = headers[':authority']; // HTTP/2 has no Host header
  if (typeof raw === 'string') return canonicalHeaderValue(raw);
  // Anything else (e.g. an inherited Object.prototype member for a name like "constructor") is absent.
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const part = typeof raw[i] === 'string' ? canonicalHeaderValue(raw[i] as string) : undefined;
    if (part === undefined) return undefined;
    out += i === 0 ? part : ',' + part;
  }
  return out;
}

/**
 * The canonical request text, or undefined when a header the client says it signed is not in the request
 * (no value could reproduce its signature then).
 */
export function canonicalRequest(
  method: string,
  uri: string,
  query: string,
  headers: HeaderBag,
  signedHeaderNames: readonly string[],
  signedHeaders: string,
  payloadHash: string,
): string | undefined {
  let out = method + '\n' + uri + '\n' + query + '\n';
  for (const name of signedHeaderNames) {
    const value = signedHeaderValue(headers, name);
    if (value === undefined) return undefined;
    out += name + ':' + value + '\n';
  }
  return out + '\n' + signedHeaders + '\n' + payloadHash;
}
