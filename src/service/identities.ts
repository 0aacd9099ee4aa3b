import { createHash } from 'node:crypto';
import { KmsError } from '../core/errors.js';
import type { Identity, Organization, Project, Role } from '../core/tenancy.js';
import { DEFAULT_PROJECT_SLUG } from './projects.js';
import type { Principal } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';

const AKID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const ACCESS_KEY_PURPOSE = 'access-key-secret';

export function principalOf(identity: Identity, org: Organization, accessKeyId: string | null): Principal {
  return {
    identityId: identity.id, orgId: org.id, account: org.accountId, name: identity.name, role: identity.role,
    arn: `arn:aws:iam::${org.accountId}:user/${identity.name}`, accessKeyId,
  };
}

/** The organization for an account id, with its default project; created on first use (idempotent). */
export async function ensureOrganization(deps: ServiceDeps, accountId: string, name: string): Promise<{ org: Organization; project: Project }> {
  if (!/^\d{12}$/.test(accountId)) throw new KmsError('Validation', `Account id '${accountId}' must be 12 digits.`);
  return deps.store.transaction(async (tx) => {
    let org = await tx.organizations.getByAccount(accountId);
    if (!org) {
      org = { id: deps.newId(), accountId, name, createdAt: deps.clock() };
      await tx.organizations.insert(org);
    }
    let project = await tx.projects.getBySlug(org.id, DEFAULT_PROJECT_SLUG);
    if (!project) {
      project = { id: deps.newId(), orgId: org.id, name: 'Default', slug: DEFAULT_PROJECT_SLUG, description: 'Keys created through the AWS API land here.', createdAt: deps.clock() };
      await tx.projects.insert(project);
    }
    return { org, project };
  });
}

export interface NewCredentials {
  identity: Identity;
  accessKeyId: string;
  secretAccessKey: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Creates a machine identity with both credential kinds: an AWS access key (for SigV4) and a universal-auth
 * client secret (for bearer tokens). The secrets are returned once; the access key secret is stored wrapped
 * under the instance root key (SigV4 needs it to recompute signatures), the client secret only as a hash.
 */
export async function createIdentity(
  deps: ServiceDeps,
  org: Organization,
  input: { name: string; role: Role; accessKeyId?: string | undefined; secretAccessKey?: string | undefined },
): Promise<NewCredentials> {
  const now = deps.clock();
  const identity: Identity = { id: deps.newId(), orgId: org.id, name: input.name, role: input.role, createdAt: now };
  const accessKeyId = input.accessKeyId ?? newAccessKeyId(deps);
  const secretAccessKey = input.secretAccessKey ?? deps.random(30).toString('base64').replace(/[+/]/g, 'A');
  if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId)) throw new KmsError('Validation', 'An access key id must be 16-128 upper-case letters or digits.');
  if (secretAccessKey.length < 16) throw new KmsError('Validation', 'A secret access key must be at least 16 characters.');
  const clientSecret = deps.random(32).toString('hex');
  const secret = Buffer.from(secretAccessKey, 'utf8');
  const wrappedSecret = deps.hierarchy.wrapSecret(`${ACCESS_KEY_PURPOSE}\0${accessKeyId}`, secret);
  secret.fill(0);
  await deps.store.transaction(async (tx) => {
    await tx.identities.insert(identity);
    await tx.identities.insertAccessKey({ accessKeyId, identityId: identity.id, wrappedSecret, status: 'active', createdAt: now });
    await tx.identities.insertClientSecret({
      id: deps.newId(), clientId: identity.id, identityId: identity.id, secretHash: hashClientSecret(clientSecret),
      status: 'active', accessTokenTtl: 7200, createdAt: now,
    });
  });
  return { identity, accessKeyId, secretAccessKey, clientId: identity.id, clientSecret };
}

export function hashClientSecret(secret: string): Buffer {
  // Client secrets are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
  return createHash('sha256').update('strongroom client secret v1\0').update(secret).digest();
}

function newAccessKeyId(deps: ServiceDeps): string {
  const bytes = deps.random(16);
  let out = 'AKIA';
  for (let i = 0; i < 16; i++) out += AKID_ALPHABET[bytes[i]! & 31];
  return out;
}
