import type { Generated } from 'kysely';

/**
 * Table shapes shared by both engines. Portable column types only: text, bigint (epoch milliseconds),
 * integer (0/1 for booleans), blob/bytea (Buffer).
 */
export interface Database {
  root_key: RootKeyTable;
  organizations: OrganizationTable;
  projects: ProjectTable;
  identities: IdentityTable;
  access_keys: AccessKeyTable;
  client_secrets: ClientSecretTable;
  kms_keys: KmsKeyTable;
  key_versions: KeyVersionTable;
  aliases: AliasTable;
  key_tags: KeyTagTable;
  audit_events: AuditEventTable;
}

export interface RootKeyTable {
  id: number;
  strategy: string;
  wrapped_root_key: Buffer;
  root_key_check_value: string;
  protection_check_value: string;
  created_at: number;
  updated_at: number;
}

export interface OrganizationTable {
  id: string;
  account_id: string;
  name: string;
  created_at: number;
}

export interface ProjectTable {
  id: string;
  org_id: string;
  name: string;
  slug: string;
  description: string;
  created_at: number;
}

export interface IdentityTable {
  id: string;
  org_id: string;
  name: string;
  role: string;
  created_at: number;
}

export interface AccessKeyTable {
  access_key_id: string;
  identity_id: string;
  wrapped_secret: Buffer;
  status: string;
  created_at: number;
}

export interface ClientSecretTable {
  id: string;
  client_id: string;
  identity_id: string;
  secret_hash: Buffer;
  status: string;
  access_token_ttl: number;
  created_at: number;
}

export interface KmsKeyTable {
  id: string;
  account_id: string;
  region: string;
  project_id: string;
  name: string;
  description: string;
  key_spec: string;
  key_usage: string;
  symmetric_algorithm: string | null;
  origin: string;
  key_manager: string;
  state: string;
  multi_region: number;
  current_version: number;
  created_at: number;
  updated_at: number;
  deletion_date: number | null;
}

export interface KeyVersionTable {
  key_id: string;
  region: string;
  version: number;
  material_id: string;
  wrapped_material: Buffer;
  created_at: number;
}

export interface AliasTable {
  account_id: string;
  region: string;
  alias_name: string;
  key_id: string;
  created_at: number;
  updated_at: number;
}

export interface KeyTagTable {
  key_id: string;
  region: string;
  tag_key: string;
  tag_value: string;
}

export interface AuditEventTable {
  seq: Generated<number>;
  event_id: string;
  time: number;
  request_id: string;
  account_id: string | null;
  principal: string | null;
  access_key_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  interface: string;
  operation: string;
  resources: string;
  encryption_context: string | null;
  outcome: string;
  error_code: string | null;
  key_version: number | null;
}
