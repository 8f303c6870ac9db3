import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { AuthServices } from './auth-services.js';
import type { Viewer } from './viewer.js';
import { userTable, type User } from '../../db/schema.js';
import { GRANT_ID_CLAIM } from './oauth-server/first-party.js';
import { resolveBuiltInGrant } from './oauth-server/grants.js';
import { findUserByEmail } from '../user/user.service.js';
import { InvalidAccessTokenError, type AccessTokenClaims } from './resource-server.js';
import { isScope, type Scope } from './scopes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `scope` (RFC 9068, space-separated) or `scp` (some IdPs: array or string), Pulse scopes only. */
function tokenScopes(claims: AccessTokenClaims): Scope[] {
  const raw = claims.scope ?? claims['scp'];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(' ') : [];
  return list.filter((scope): scope is Scope => typeof scope === 'string' && isScope(scope));
}

/**
 * An external issuer's subject: a Pulse user id as `sub`, or else the token's `email` claim
 * (unless the issuer says it is unverified).
 */
async function externalUser(db: Db, claims: AccessTokenClaims): Promise<User | undefined> {
  if (UUID.test(claims.sub)) {
    const [user] = await db.select().from(userTable).where(eq(userTable.id, claims.sub)).limit(1);
    if (user) return user;
  }
  const email = claims['email'];
  if (typeof email === 'string' && claims['email_verified'] !== false) {
    return findUserByEmail(db, email);
  }
  return undefined;
}

/**
 * Validates an OAuth access token and builds the viewer. For the built-in issuer the token's
 * scopes are cut down to what the user granted the app (its install), and the token works only
 * while its grant and the install exist, so uninstalling or revoking takes effect at once.
 */
export async function authenticateAccessToken(
  services: { db: Db; auth: Pick<AuthServices, 'tokens' | 'builtIn'> },
  token: string,
): Promise<Viewer> {
  const claims = await services.auth.tokens.verify(token);
  const requested = tokenScopes(claims);
  const expiresAt = new Date(claims.exp * 1000);
  if (services.auth.builtIn) {
    const grantId = claims[GRANT_ID_CLAIM];
    if (typeof grantId !== 'string') throw new InvalidAccessTokenError('no grant');
    const resolved = await resolveBuiltInGrant(services.db, {
      clientId: claims.client_id,
      userId: claims.sub,
      grantId,
    });
    if (!resolved) throw new InvalidAccessTokenError('grant, app or install is gone');
    const granted = new Set(resolved.scopes);
    return {
      user: resolved.user,
      scopes: new Set(requested.filter((scope) => granted.has(scope))),
      credential: {
        kind: 'oauth',
        clientId: claims.client_id,
        expiresAt,
        subject: claims.sub,
        grantId,
      },
    };
  }
  const user = await externalUser(services.db, claims);
  if (!user) throw new InvalidAccessTokenError('unknown subject');
  return {
    user,
    scopes: new Set(requested),
    credential: { kind: 'oauth', clientId: claims.client_id, expiresAt, subject: claims.sub },
  };
}
