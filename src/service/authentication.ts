import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../core/errors.js';
import { LruCache } from '../core/lru-cache.js';
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
  forget(accessKeyId: string): void;
}

const TOKEN_PREFIX = 'sr1.';
const INVALID_CREDENTIALS = 'Invalid credentials';

export function createAuthenticator(deps: ServiceDeps): Authenticator {
  const accessKeys = new LruCache<string, AccessKeyLookup>(10_000, (v) => v.secret.fill(0));
  const tokenKey = deps.hierarchy.deriveKey('access-token');

  async function principalFor(identityId: string, accessKeyId: string | null): Promise<Principal | undefined> {
    const identity = await deps.store.identities.get(identityId);
    if (!identity) return undefined;
    const org = await deps.store.organizations.get(identity.orgId);
    return org && principalOf(identity, org, accessKeyId);
  }

  return {
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
      const now = Math.floor(deps.clock() / 1000);
      const payload = Buffer.from(JSON.stringify({ sub: match.identityId, iat: now, exp: now + match.accessTokenTtl, jti: deps.newId() })).toString('base64url');
      const mac = createHmac('sha256', tokenKey).update(payload).digest('base64url');
      return { accessToken: `${TOKEN_PREFIX}${payload}.${mac}`, expiresIn: match.accessTokenTtl, accessTokenMaxTTL: match.accessTokenTtl, tokenType: 'Bearer' };
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

    forget(accessKeyId) {
      accessKeys.delete(accessKeyId);
    },
  };
}
