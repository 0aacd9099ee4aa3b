import type { Kysely } from 'kysely';
import type { Role } from '../../core/tenancy.js';
import type { IdentityRepository, OrganizationRepository, ProjectRepository, RootKeyRepository } from '../ports.js';
import type { Database } from '../schema.js';
import { guard } from './driver-errors.js';

export function organizationRepository(db: Kysely<Database>): OrganizationRepository {
  const select = () => db.selectFrom('organizations').select(['id', 'account_id as accountId', 'name', 'created_at as createdAt']);
  return {
    async insert(o) {
      await guard(db.insertInto('organizations').values({ id: o.id, account_id: o.accountId, name: o.name, created_at: o.createdAt }).execute());
    },
    async get(id) {
      return num(await guard(select().where('id', '=', id).executeTakeFirst()));
    },
    async getByAccount(accountId) {
      return num(await guard(select().where('account_id', '=', accountId).executeTakeFirst()));
    },
  };
}

export function projectRepository(db: Kysely<Database>): ProjectRepository {
  const select = () => db.selectFrom('projects').select(['id', 'org_id as orgId', 'name', 'slug', 'description', 'created_at as createdAt']);
  return {
    async insert(p) {
      await guard(db.insertInto('projects').values({ id: p.id, org_id: p.orgId, name: p.name, slug: p.slug, description: p.description, created_at: p.createdAt }).execute());
    },
    async get(id) {
      return num(await guard(select().where('id', '=', id).executeTakeFirst()));
    },
    async getBySlug(orgId, slug) {
      return num(await guard(select().where('org_id', '=', orgId).where('slug', '=', slug).executeTakeFirst()));
    },
    async list(orgId) {
      const rows = await guard(select().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute());
      return rows.map((r) => num(r)!);
    },
  };
}

export function identityRepository(db: Kysely<Database>): IdentityRepository {
  return {
    async insert(i) {
      await guard(db.insertInto('identities').values({ id: i.id, org_id: i.orgId, name: i.name, role: i.role, created_at: i.createdAt }).execute());
    },
    async hasAny() {
      return (await guard(db.selectFrom('identities').select('id').limit(1).executeTakeFirst())) !== undefined;
    },
    async get(id) {
      const r = await guard(db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst());
      return r && { id: r.id, orgId: r.org_id, name: r.name, role: r.role as Role, createdAt: Number(r.created_at) };
    },
    async insertAccessKey(k) {
      await guard(
        db.insertInto('access_keys').values({
          access_key_id: k.accessKeyId, identity_id: k.identityId, wrapped_secret: k.wrappedSecret, status: k.status, created_at: k.createdAt,
        }).execute(),
      );
    },
    async getAccessKey(accessKeyId) {
      const r = await guard(db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst());
      return r && {
        accessKeyId: r.access_key_id, identityId: r.identity_id, wrappedSecret: Buffer.from(r.wrapped_secret),
        status: r.status as 'active' | 'revoked', createdAt: Number(r.created_at),
      };
    },
    async insertClientSecret(s) {
      await guard(
        db.insertInto('client_secrets').values({
          id: s.id, client_id: s.clientId, identity_id: s.identityId, secret_hash: s.secretHash, status: s.status,
          access_token_ttl: s.accessTokenTtl, created_at: s.createdAt,
        }).execute(),
      );
    },
    async listClientSecrets(clientId) {
      const rows = await guard(db.selectFrom('client_secrets').selectAll().where('client_id', '=', clientId).execute());
      return rows.map((r) => ({
        id: r.id, clientId: r.client_id, identityId: r.identity_id, secretHash: Buffer.from(r.secret_hash),
        status: r.status as 'active' | 'revoked', accessTokenTtl: Number(r.access_token_ttl), createdAt: Number(r.created_at),
      }));
    },
  };
}

export function rootKeyRepository(db: Kysely<Database>): RootKeyRepository {
  return {
    async get() {
      const r = await guard(db.selectFrom('root_key').selectAll().where('id', '=', 1).executeTakeFirst());
      return r && {
        strategy: r.strategy, wrappedRootKey: Buffer.from(r.wrapped_root_key), rootKeyCheckValue: r.root_key_check_value,
        protectionCheckValue: r.protection_check_value, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
      };
    },
    async insert(row) {
      await guard(
        db.insertInto('root_key').values({
          id: 1, strategy: row.strategy, wrapped_root_key: row.wrappedRootKey, root_key_check_value: row.rootKeyCheckValue,
          protection_check_value: row.protectionCheckValue, created_at: row.createdAt, updated_at: row.updatedAt,
        }).execute(),
      );
    },
  };
}

function num<T extends { createdAt: unknown }>(r: T | undefined): (Omit<T, 'createdAt'> & { createdAt: number }) | undefined {
  return r && { ...r, createdAt: Number(r.createdAt) };
}
