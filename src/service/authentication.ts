import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../core/errors.js';
import { LruCache } from '../core/lru-cache.js';
import type { ClientSecretRecord, Identity, Organization } from '../core/tenancy.js';
import { ACCESS_KEY_PURPOSE, hashClientSecret, principalOf } from './identities.js';
import type { Principal } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';

export interface AccessKeyLookup {
  secret: Buffer;
  credentialVersion: string;
  principal: Principal;
}

export interface Authenticator {
  /** For the SigV4 verifier: the secret of an active access key, or undefined. Cached; never logged. */
  lookupAccessKey(accessKeyId: string): Promise<AccessKeyLookup | undefined>;
  /** Infisical universal auth: client id + secret → short-lived bearer token. */
  login(clientId: string, clientSecret: string): Promise<{ accessToken: string; expiresIn: number; accessTokenMaxTTL: number; tokenType: 'Bearer' }>;
  verifyToken(token: string): Promise<Principal>;
  /**
   * Infisical token renewal: a valid, unexpired token → a fresh one for the same identity, with the TTL of the
   * client secret it was issued under, as long as that secret is still active (revoking it stops renewals).
   */
  renew(token: string): Promise<{ accessToken: string; expiresIn: number; accessTokenMaxTTL: number; tokenType: 'Bearer' }>;
  forget(accessKeyId: string): void;
}

const TOKEN_PREFIX = 'sr1.';
const INVALID_CREDENTIALS = 'Invalid credentials';

export function createAuthenticator(deps: ServiceDeps): Authenticator {
  const accessKeys = new LruCache<string, AccessKeyLookup>(10_000, (v) => v.secret.fill(0));
  const tokenKey = deps.hierarchy.deriveKey('access-token');

  // Bearer-token requests would otherwise read the identity and organization on every call. Entries live a
  // few seconds so a changed role or a removed identity takes effect promptly without a per-request round trip.
  const identities = new LruCache<string, { at: number; identity: Identity; org: Organization }>(10_000);
  const IDENTITY_TTL_MS = 5_000;

  async function principalFor(identityId: string, accessKeyId: string | null): Promise<Principal | undefined> {
    const now = deps.clock();
    const hit = identities.get(identityId);
    if (hit && now - hit.at < IDENTITY_TTL_MS) return principalOf(hit.identity, hit.org, accessKeyId);
    const identity = await deps.store.identities.get(identityId);
    if (!identity) return undefined;
    const org = await deps.store.organizations.get(identity.orgId);
    if (!org) return undefined;
    identities.set(identityId, { at: now, identity, org });
    return principalOf(identity, org, accessKeyId);
  }

  function issueToken(secret: ClientSecretRecord): { accessToken: string; expiresIn: number; accessTokenMaxTTL: number; tokenType: 'Bearer' } {
    const now = Math.floor(deps.clock() / 1000);
    const claims = { sub: secret.identityId, cid: secret.clientId, sid: secret.id, iat: now, exp: now + secret.accessTokenTtl, jti: deps.newId() };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const mac = createHmac('sha256', tokenKey).update(payload).digest('base64url');
    return { accessToken: `${TOKEN_PREFIX}${payload}.${mac}`, expiresIn: secret.accessTokenTtl, accessTokenMaxTTL: secret.accessTokenTtl, tokenType: 'Bearer' };
  }

  const authenticator: Authenticator = {
    async lookupAccessKey(accessKeyId) {
      const cached = accessKeys.get(accessKeyId);
      if (cached) return cached;
      const record = await deps.store.identities.getAccessKey(accessKeyId);
      if (!record || record.status !== 'active') return undefined;
      const principal = await principalFor(record.identityId, accessKeyId);
      if (!principal) return undefined;
      const secret = deps.hierarchy.unwrapSecret(`${ACCESS_KEY_PURPOSE}\0${accessKeyId}`, record.wrappedSecret);
      const credentialVersion = createHash('sha256').update(record.wrappedSecret).digest('hex').slice(0, 16);
      const found = { secret, credentialVersion, principal };
      accessKeys.set(accessKeyId, found);
      return found;
    },

    async login(clientId, clientSecret) {
      const secrets = await deps.store.identities.listClientSecrets(clientId);
      const presented = hashClientSecret(clientSecret);
      let match: (typeof secrets)[number] | undefined;
      // Compare against every active secret so the time taken does not reveal which one (if any) matched.
      for (const s of secrets) {
        if (s.status === 'active' && timingSafeEqual(s.secretHash, presented)) match = s;
      }
      if (!match) throw new KmsError('Unauthenticated', INVALID_CREDENTIALS);
      const principal = await principalFor(match.identityId, null);
      if (!principal) throw new KmsError('Unauthenticated', INVALID_CREDENTIALS);
      return issueToken(match);
    },

    async verifyToken(token) {
      if (!token.startsWith(TOKEN_PREFIX)) throw new KmsError('Unauthenticated', 'The access token is malformed.');
      const [payload, mac] = token.slice(TOKEN_PREFIX.length).split('.');
      if (!payload || !mac) throw new KmsError('Unauthenticated', 'The access token is malformed.');
      const expected = createHmac('sha256', tokenKey).update(payload).digest();
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new KmsError('Unauthenticated', 'The access token is invalid.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; exp: number };
      if (claims.exp * 1000 <= deps.clock()) throw new KmsError('Unauthenticated', 'The access token has expired; log in again.');
      const principal = await principalFor(claims.sub, null);
      if (!principal) throw new KmsError('Unauthenticated', 'The access token is invalid.');
      return principal;
    },

    async renew(token) {
      await authenticator.verifyToken(token);
      // The MAC was just verified, so the payload is ours.
      const claims = JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length).split('.')[0]!, 'base64url').toString()) as { sub: string; cid?: string; sid?: string };
      if (claims.cid === undefined || claims.sid === undefined) throw new KmsError('Unauthenticated', 'This access token cannot be renewed; log in again.');
      const secrets = await deps.store.identities.listClientSecrets(claims.cid);
      const secret = secrets.find((s) => s.id === claims.sid && s.identityId === claims.sub && s.status === 'active');
      if (!secret) throw new KmsError('Unauthenticated', 'The credentials this access token was issued for are no longer valid; log in again.');
      return issueToken(secret);
    },

    forget(accessKeyId) {
      accessKeys.delete(accessKeyId);
    },
  };
  return authenticator;
}
