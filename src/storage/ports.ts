import type { AuditEvent } from '../core/audit-event.js';
import type { KeyVersion, KmsKey } from '../core/kms-key.js';
import type { AccessKeyRecord, AliasRecord, ClientSecretRecord, Identity, Organization, Project, Tag } from '../core/tenancy.js';
import type { Engine } from './database.js';

/**
 * The data-access contract. One implementation (Kysely) serves SQLite and PostgreSQL; the same
 * contract test suite runs against both. Driver errors surface as KmsError 'Internal', unique
 * violations as 'AlreadyExists'.
 */
export interface Store {
  readonly engine: Engine;
  /** Runs `fn` in one transaction; the Store passed to it is bound to that transaction. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  readonly rootKey: RootKeyRepository;
  readonly organizations: OrganizationRepository;
  readonly projects: ProjectRepository;
  readonly identities: IdentityRepository;
  readonly keys: KeyRepository;
  readonly aliases: AliasRepository;
  readonly tags: TagRepository;
  readonly audit: AuditRepository;
}

export interface StoredRootKey {
  strategy: string;
  wrappedRootKey: Buffer;
  rootKeyCheckValue: string;
  protectionCheckValue: string;
  createdAt: number;
  updatedAt: number;
}

export interface RootKeyRepository {
  get(): Promise<StoredRootKey | undefined>;
  insert(row: StoredRootKey): Promise<void>;
}

export interface OrganizationRepository {
  insert(org: Organization): Promise<void>;
  get(id: string): Promise<Organization | undefined>;
  getByAccount(accountId: string): Promise<Organization | undefined>;
}

export interface ProjectRepository {
  insert(project: Project): Promise<void>;
  get(id: string): Promise<Project | undefined>;
  getBySlug(orgId: string, slug: string): Promise<Project | undefined>;
  list(orgId: string): Promise<Project[]>;
}

export interface IdentityRepository {
  insert(identity: Identity): Promise<void>;
  get(id: string): Promise<Identity | undefined>;
  hasAny(): Promise<boolean>;
  insertAccessKey(record: AccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  insertClientSecret(record: ClientSecretRecord): Promise<void>;
  listClientSecrets(clientId: string): Promise<ClientSecretRecord[]>;
}

export interface KeyListPage {
  limit: number;
  /** Exclusive lower bound on key id (keyset pagination). */
  after?: string | undefined;
}

export interface ProjectKeyQuery {
  projectId: string;
  region: string;
  offset: number;
  limit: number;
  search?: string | undefined;
  direction: 'asc' | 'desc';
}

export type KeyPatch = Partial<Pick<KmsKey, 'description' | 'state' | 'name' | 'deletionDate' | 'currentVersion'>> & { updatedAt: number };

export interface KeyRepository {
  insert(key: KmsKey): Promise<void>;
  get(region: string, keyId: string): Promise<KmsKey | undefined>;
  getByName(projectId: string, region: string, name: string): Promise<KmsKey | undefined>;
  listByAccount(account: string, region: string, page: KeyListPage): Promise<KmsKey[]>;
  listByProject(query: ProjectKeyQuery): Promise<{ keys: KmsKey[]; total: number }>;
  update(region: string, keyId: string, patch: KeyPatch): Promise<void>;
  /**
   * Inside a transaction: serializes writers on one key (row lock on PostgreSQL; SQLite transactions are
   * already serial), so count-then-insert limits such as 50 tags or 50 aliases hold under concurrency.
   */
  lockForUpdate(region: string, keyId: string): Promise<void>;
  insertVersion(region: string, version: KeyVersion): Promise<void>;
  getVersion(region: string, keyId: string, version: number): Promise<KeyVersion | undefined>;
  listVersions(region: string, keyId: string): Promise<KeyVersion[]>;
}

export interface AliasRepository {
  get(account: string, region: string, aliasName: string): Promise<AliasRecord | undefined>;
  insert(alias: AliasRecord): Promise<void>;
  updateTarget(account: string, region: string, aliasName: string, keyId: string, now: number): Promise<void>;
  delete(account: string, region: string, aliasName: string): Promise<void>;
  list(account: string, region: string, options: { keyId?: string | undefined; limit: number; after?: string | undefined }): Promise<AliasRecord[]>;
  countForKey(region: string, keyId: string): Promise<number>;
}

export interface TagRepository {
  list(region: string, keyId: string): Promise<Tag[]>;
  put(region: string, keyId: string, tags: Tag[]): Promise<void>;
  remove(region: string, keyId: string, tagKeys: string[]): Promise<void>;
}

export interface AuditRepository {
  append(events: AuditEvent[]): Promise<void>;
  list(options: { limit: number; beforeSeq?: number | undefined; account?: string | undefined }): Promise<Array<AuditEvent & { seq: number }>>;
}
