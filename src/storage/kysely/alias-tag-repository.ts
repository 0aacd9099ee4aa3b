import type { Kysely, Selectable } from 'kysely';
import type { AliasRecord } from '../../core/tenancy.js';
import type { AliasRepository, TagRepository } from '../ports.js';
import type { AliasTable, Database } from '../schema.js';
import { guard } from './driver-errors.js';

export function aliasRepository(db: Kysely<Database>): AliasRepository {
  return {
    async get(account, region, aliasName) {
      const row = await guard(
        db.selectFrom('aliases').selectAll().where('account_id', '=', account).where('region', '=', region).where('alias_name', '=', aliasName).executeTakeFirst(),
      );
      return row && aliasFromRow(row);
    },
    async insert(a) {
      await guard(
        db.insertInto('aliases').values({
          account_id: a.account, region: a.region, alias_name: a.aliasName, key_id: a.keyId, created_at: a.createdAt, updated_at: a.updatedAt,
        }).execute(),
      );
    },
    async updateTarget(account, region, aliasName, keyId, now) {
      await guard(
        db.updateTable('aliases').set({ key_id: keyId, updated_at: now })
          .where('account_id', '=', account).where('region', '=', region).where('alias_name', '=', aliasName).execute(),
      );
    },
    async delete(account, region, aliasName) {
      await guard(db.deleteFrom('aliases').where('account_id', '=', account).where('region', '=', region).where('alias_name', '=', aliasName).execute());
    },
    async list(account, region, options) {
      let q = db.selectFrom('aliases').selectAll().where('account_id', '=', account).where('region', '=', region);
      if (options.keyId) q = q.where('key_id', '=', options.keyId);
      if (options.after) q = q.where('alias_name', '>', options.after);
      const rows = await guard(q.orderBy('alias_name').limit(options.limit).execute());
      return rows.map(aliasFromRow);
    },
    async countForKey(region, keyId) {
      const r = await guard(
        db.selectFrom('aliases').select((eb) => eb.fn.countAll<number>().as('n')).where('region', '=', region).where('key_id', '=', keyId).executeTakeFirstOrThrow(),
      );
      return Number(r.n);
    },
  };
}

function aliasFromRow(r: Selectable<AliasTable>): AliasRecord {
  return { account: r.account_id, region: r.region, aliasName: r.alias_name, keyId: r.key_id, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

export function tagRepository(db: Kysely<Database>): TagRepository {
  return {
    async list(region, keyId) {
      const rows = await guard(db.selectFrom('key_tags').select(['tag_key', 'tag_value']).where('region', '=', region).where('key_id', '=', keyId).orderBy('tag_key').execute());
      return rows.map((r) => ({ key: r.tag_key, value: r.tag_value }));
    },
    async put(region, keyId, tags) {
      if (tags.length === 0) return;
      await guard(
        db.insertInto('key_tags')
          .values(tags.map((t) => ({ region, key_id: keyId, tag_key: t.key, tag_value: t.value })))
          .onConflict((oc) => oc.columns(['region', 'key_id', 'tag_key']).doUpdateSet((eb) => ({ tag_value: eb.ref('excluded.tag_value') })))
          .execute(),
      );
    },
    async remove(region, keyId, tagKeys) {
      if (tagKeys.length === 0) return;
      await guard(db.deleteFrom('key_tags').where('region', '=', region).where('key_id', '=', keyId).where('tag_key', 'in', tagKeys).execute());
    },
  };
}
