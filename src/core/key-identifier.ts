import { KmsError } from './errors.js';

/** What a caller may pass wherever AWS accepts a `KeyId`: key id, key ARN, alias name or alias ARN. */
export type KeyReference =
  | { kind: 'id'; keyId: string; region?: string; account?: string; partition?: string }
  | { kind: 'alias'; aliasName: string; region?: string; account?: string; partition?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MRK = /^mrk-[0-9a-f]{32}$/;
const ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;
export const ALIAS_NAME = /^alias\/[a-zA-Z0-9:/_-]+$/;

export function isKeyId(value: string): boolean {
  return UUID.test(value) || MRK.test(value);
}

export function parseKeyReference(input: string): KeyReference {
  if (input.startsWith('arn:')) {
    const m = ARN.exec(input);
    if (!m) throw new KmsError('NotFound', `Invalid arn ${input}`);
    const [, partition, region, account, type, rest] = m as unknown as [string, string, string, string, string, string];
    if (type === 'key') {
      if (!isKeyId(rest)) throw new KmsError('NotFound', `Invalid keyId '${rest}'`);
      return { kind: 'id', keyId: rest, region, account, partition };
    }
    return { kind: 'alias', aliasName: `alias/${rest}`, region, account, partition };
  }
  if (input.startsWith('alias/')) return { kind: 'alias', aliasName: input };
  if (!isKeyId(input)) throw new KmsError('NotFound', `Invalid keyId '${input}'`);
  return { kind: 'id', keyId: input };
}

export function keyArn(partition: string, region: string, account: string, keyId: string): string {
  return `arn:${partition}:kms:${region}:${account}:key/${keyId}`;
}

export function aliasArn(partition: string, region: string, account: string, aliasName: string): string {
  return `arn:${partition}:kms:${region}:${account}:${aliasName}`;
}

/** Key ids travel as 16 bytes inside ciphertexts; both id forms (UUID and `mrk-` + 32 hex) are 128 bits. */
export function keyIdToBytes(keyId: string): { type: number; bytes: Buffer } {
  if (UUID.test(keyId)) return { type: 0, bytes: Buffer.from(keyId.replaceAll('-', ''), 'hex') };
  if (MRK.test(keyId)) return { type: 1, bytes: Buffer.from(keyId.slice(4), 'hex') };
  throw new KmsError('Internal', 'key id has an unknown form');
}

export function keyIdFromBytes(type: number, bytes: Buffer): string | undefined {
  const hex = bytes.toString('hex');
  if (type === 0) return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (type === 1) return `mrk-${hex}`;
  return undefined;
}
