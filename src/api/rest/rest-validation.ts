import { KmsError } from '../../core/errors.js';
import { KEY_NAME_RULE, PATTERN_HINTS } from './rest-schemas.js';

/** The part of an Ajv error fastify hands over. */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const PART_LABEL: Record<string, string> = { body: 'Body field', querystring: 'Query parameter', params: 'Path parameter', headers: 'Header' };
const ARTICLE: Record<string, string> = { integer: 'an integer', object: 'a JSON object', array: 'an array', string: 'a string', boolean: 'a boolean', number: 'a number' };

/**
 * One readable sentence for the first schema violation (the SDK shows only string messages). Values are
 * quoted only for enum fields, which never hold secrets.
 */
export function validationMessage(issues: readonly ValidationIssue[], part: string, data: unknown): string {
  const issue = issues[0];
  if (!issue) return 'The request is invalid.';
  const path = issue.instancePath.split('/').slice(1).map(unescapePointer);
  if (issue.keyword === 'required') path.push(String(issue.params['missingProperty']));
  if (path.length === 0) {
    return part === 'body' ? 'The request body must be a JSON object.' : `The request ${part === 'querystring' ? 'query' : part} is invalid.`;
  }
  const subject = `${PART_LABEL[part] ?? 'Field'} "${path.join('.')}"`;
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return `${subject} is required.`;
    case 'type':
      return `${subject} must be ${ARTICLE[String(p['type'])] ?? String(p['type'])}.`;
    case 'enum': {
      const allowed = (Array.isArray(p['allowedValues']) ? p['allowedValues'] : []).map(String);
      const value = valueAt(data, path);
      const got = typeof value === 'string' && value.length <= 64 ? ` ("${value}" is not supported)` : '';
      return `${subject} must be one of: ${allowed.join(', ')}${got}.`;
    }
    case 'minLength':
      return Number(p['limit']) === 1 ? `${subject} must not be empty.` : `${subject} must be at least ${String(p['limit'])} characters long.`;
    case 'maxLength':
      return `${subject} must be at most ${String(p['limit'])} characters long.`;
    case 'minimum':
      return `${subject} must be at least ${String(p['limit'])}.`;
    case 'maximum':
      return `${subject} must be at most ${String(p['limit'])}.`;
    case 'pattern':
      return `${subject} must be ${PATTERN_HINTS[String(p['pattern'])] ?? 'in the expected format'}.`;
    default:
      return `${subject} ${issue.message ?? 'is invalid'}.`;
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Infisical's key-name rule: trimmed, then a slug of 1-32 characters. */
export function parseKeyName(field: string, raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 32 || !SLUG.test(name)) throw new KmsError('Validation', `${field} must be ${KEY_NAME_RULE}.`);
  return name;
}

export function parseDescription(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const description = raw.trim();
  if (description.length > 500) throw new KmsError('Validation', 'Body field "description" must be at most 500 characters long.');
  return description;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict standard base64 (with padding), at most `maxBytes` once decoded. Node's decoder silently skips
 * invalid characters, so the text is checked first; the message names the field, never its content.
 */
export function decodeBase64Field(field: string, value: string, maxBytes: number): Buffer {
  if (value.length === 0) throw new KmsError('Validation', `Body field "${field}" must not be empty.`);
  if (value.length > Math.ceil(maxBytes / 3) * 4) throw new KmsError('Validation', `Body field "${field}" must decode to at most ${maxBytes} bytes.`);
  if (value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new KmsError('Validation', `Body field "${field}" must be base64-encoded (standard alphabet, with padding).`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length > maxBytes) {
    bytes.fill(0);
    throw new KmsError('Validation', `Body field "${field}" must decode to at most ${maxBytes} bytes.`);
  }
  if (bytes.length === 0) throw new KmsError('Validation', `Body field "${field}" must not be empty.`);
  return bytes;
}
