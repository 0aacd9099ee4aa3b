import { type Kysely, type Selectable, sql } from 'kysely';
import type { KeyState, KeyVersion, KmsKey } from '../../core/kms-key.js';
import type { KeySpec, KeyUsage, Origin, SymmetricAlgorithm } from '../../core/key-spec.js';
import type { KeyPatch, KeyRepository } from '../ports.js';
import type { Database, KmsKeyTable, KeyVersionTable } from '../schema.js';
import { guard } from './driver-errors.js';

export function keyRepository(db: Kysely<Database>, engine: 'sqlite' | 'postgres'): KeyRepository {
  // Byte order on both engines: PostgreSQL would otherwise sort by the database's locale collation.
  const byName = engine === 'postgres' ? sql<string>`name collate "C"` : sql<string>`name`;
  return {
    async insert(key) {
      await guard(db.insertInto('kms_keys').values(toRow(key)).execute());
    },
    async get(region, keyId) {
      const row = await guard(db.selectFrom('kms_keys').selectAll().where('region', '=', region).where('id', '=', keyId).executeTakeFirst());
      return row && fromRow(row);
    },
    async getByName(projectId, region, name) {
      const row = await guard(
        db.selectFrom('kms_keys').selectAll()
          .where('project_id', '=', projectId).where('region', '=', region).where('name', '=', name)
          .where('state', '!=', 'PendingDeletion')
          .executeTakeFirst(),
      );
      return row && fromRow(row);
    },
    async listByAccount(account, region, page) {
      let q = db.selectFrom('kms_keys').selectAll().where('account_id', '=', account).where('region', '=', region);
      if (page.after) q = q.where('id', '>', page.after);
      const rows = await guard(q.orderBy('id').limit(page.limit).execute());
      return rows.map(fromRow);
    },
    async listByProject(query) {
      let q = db.selectFrom('kms_keys')
        .where('project_id', '=', query.projectId).where('region', '=', query.region)
        .where('state', '!=', 'PendingDeletion');
      if (query.search) {
        const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where(sql<boolean>`name like ${pattern} escape '\\'`);
      }
      const [rows, count] = await Promise.all([
        guard(q.selectAll().orderBy(byName, query.direction).orderBy('id').offset(query.offset).limit(query.limit).execute()),
        guard(q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()),
      ]);
      return { keys: rows.map(fromRow), total: Number(count.n) };
    },
    async update(region, keyId, patch) {
      await guard(db.updateTable('kms_keys').set(patchToRow(patch)).where('region', '=', region).where('id', '=', keyId).execute());
    },
    async lockForUpdate(region, keyId) {
      if (engine !== 'postgres') return;
      await guard(db.selectFrom('kms_keys').select('id').where('region', '=', region).where('id', '=', keyId).forUpdate().execute());
    },
    async insertVersion(region, version) {
      await guard(db.insertInto('key_versions').values(versionToRow(region, version)).execute());
    },
    async getVersion(region, keyId, version) {
      const row = await guard(
        db.selectFrom('key_versions').selectAll().where('region', '=', region).where('key_id', '=', keyId).where('version', '=', version).executeTakeFirst(),
      );
      return row && versionFromRow(row);
    },
    async listVersions(region, keyId) {
      const rows = await guard(db.selectFrom('key_versions').selectAll().where('region', '=', region).where('key_id', '=', keyId).orderBy('version').execute());
      return rows.map(versionFromRow);
    },
  };
}

function toRow(k: KmsKey): KmsKeyTable {
  return {
    id: k.id, account_id: k.account, region: k.region, project_id: k.projectId, name: k.name, description: k.description,
    key_spec: k.keySpec, key_usage: k.keyUsage, symmetric_algorithm: k.symmetricAlgorithm, origin: k.origin,
    key_manager: k.keyManager, state: k.state, multi_region: k.multiRegion ? 1 : 0, current_version: k.currentVersion,
    created_at: k.createdAt, updated_at: k.updatedAt, deletion_date: k.deletionDate,
  };
}

function fromRow(r: Selectable<KmsKeyTable>): KmsKey {
  return {
    id: r.id, account: r.account_id, region: r.region, projectId: r.project_id, name: r.name, description: r.description,
    keySpec: r.key_spec as KeySpec, keyUsage: r.key_usage as KeyUsage, symmetricAlgorithm: r.symmetric_algorithm as SymmetricAlgorithm | null,
    origin: r.origin as Origin, keyManager: r.key_manager as 'CUSTOMER' | 'AWS', state: r.state as KeyState,
    multiRegion: Number(r.multi_region) === 1, currentVersion: Number(r.current_version), createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at), deletionDate: r.deletion_date === null ? null : Number(r.deletion_date),
  };
}

function patchToRow(p: KeyPatch): Partial<KmsKeyTable> {
  const row: Partial<KmsKeyTable> = { updated_at: p.updatedAt };
  if (p.description !== undefined) row.description = p.description;
  if (p.state !== undefined) row.state = p.state;
  if (p.name !== undefined) row.name = p.name;
  if (p.deletionDate !== undefined) row.deletion_date = p.deletionDate;
  if (p.currentVersion !== undefined) row.current_version = p.currentVersion;
  return row;
}

function versionToRow(region: string, v: KeyVersion): KeyVersionTable {
  return { key_id: v.keyId, region, version: v.version, material_id: v.materialId, wrapped_material: v.wrappedMaterial, created_at: v.createdAt };
}

function versionFromRow(r: Selectable<KeyVersionTable>): KeyVersion {
  return { keyId: r.key_id, version: Number(r.version), materialId: r.material_id, wrappedMaterial: Buffer.from(r.wrapped_material), createdAt: Number(r.created_at) };
}
