/** Organizations are AWS accounts; projects group keys inside them (Infisical's Project > Key Management). */
export interface Organization {
  id: string;
  accountId: string;
  name: string;
  createdAt: number;
}

export interface Project {
  id: string;
  orgId: string;
  name: string;
  slug: string;
  description: string;
  createdAt: number;
}

export type Role = 'admin' | 'member' | 'viewer' | 'crypto-operator' | 'no-access';

export interface Identity {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  createdAt: number;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  identityId: string;
  wrappedSecret: Buffer;
  status: 'active' | 'revoked';
  createdAt: number;
}

export interface ClientSecretRecord {
  id: string;
  clientId: string;
  identityId: string;
  secretHash: Buffer;
  status: 'active' | 'revoked';
  accessTokenTtl: number;
  createdAt: number;
}

export interface AliasRecord {
  account: string;
  region: string;
  aliasName: string;
  keyId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Tag {
  key: string;
  value: string;
}
