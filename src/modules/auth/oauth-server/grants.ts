import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import {
  appInstallTable,
  oauthAppTable,
  oauthStoreTable,
  userTable,
  type User,
} from '../../../db/schema.js';
import { FIRST_PARTY_ONLY_SCOPES, isScope, type Scope } from '../scopes.js';
import { FIRST_PARTY_CLIENT_IDS, isFirstPartyClient } from './first-party.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const liveGrant = (now: Date) =>
  and(
    eq(oauthStoreTable.model, 'Grant'),
    or(isNull(oauthStoreTable.expiresAt), gt(oauthStoreTable.expiresAt, now)),
  );

/**
 * What a built-in access token may still do: its grant must exist, its app must be approved and
 * installed by the user. Returns the user and the scopes of the install, or null.
 */
export async function resolveBuiltInGrant(
  db: Db,
  ref: { clientId: string; userId: string; grantId: string },
  now = new Date(),
): Promise<{ user: User; scopes: Scope[] } | null> {
  if (!UUID.test(ref.userId)) return null;
  if (isFirstPartyClient(ref.clientId)) return resolveFirstPartyGrant(db, ref, now);
  const [row] = await db
    .select({ user: userTable, scopes: appInstallTable.scopes })
    .from(oauthStoreTable)
    .innerJoin(
      oauthAppTable,
      and(eq(oauthAppTable.clientId, ref.clientId), eq(oauthAppTable.status, 'approved')),
    )
    .innerJoin(
      appInstallTable,
      and(
        eq(appInstallTable.appId, oauthAppTable.id),
        eq(appInstallTable.userId, ref.userId),
        isNull(appInstallTable.uninstalledAt),
      ),
    )
    .innerJoin(userTable, eq(userTable.id, ref.userId))
    .where(
      and(
        liveGrant(now),
        eq(oauthStoreTable.id, ref.grantId),
        sql`${oauthStoreTable.payload}->>'clientId' = ${ref.clientId}`,
        sql`${oauthStoreTable.payload}->>'accountId' = ${ref.userId}`,
      ),
    )
    .limit(1);
  if (!row) return null;
  const scopes = row.scopes.filter(
    (scope) => isScope(scope) && !FIRST_PARTY_ONLY_SCOPES.has(scope),
  );
  return { user: row.user, scopes: scopes as Scope[] };
}

const grantOf = (ref: { clientId: string; userId: string; grantId: string }) =>
  and(
    eq(oauthStoreTable.id, ref.grantId),
    sql`${oauthStoreTable.payload}->>'clientId' = ${ref.clientId}`,
    sql`${oauthStoreTable.payload}->>'accountId' = ${ref.userId}`,
  );

/** A first-party client (the dashboards) has no app or install: the grant alone decides. */
async function resolveFirstPartyGrant(
  db: Db,
  ref: { clientId: string; userId: string; grantId: string },
  now: Date,
): Promise<{ user: User; scopes: Scope[] } | null> {
  const [row] = await db
    .select({ user: userTable, payload: oauthStoreTable.payload })
    .from(oauthStoreTable)
    .innerJoin(userTable, eq(userTable.id, ref.userId))
    .where(and(liveGrant(now), grantOf(ref)))
    .limit(1);
  if (!row) return null;
  const resources = (row.payload['resources'] ?? {}) as Record<string, unknown>;
  const scopes = Object.values(resources).flatMap((value) =>
    typeof value === 'string' ? value.split(' ').filter(isScope) : [],
  );
  return { user: row.user, scopes: [...new Set(scopes)] };
}

/** Of the given grant ids, those whose grant, app approval and install all still stand. */
export async function liveBuiltInGrants(
  db: Db,
  grantIds: readonly string[],
  now = new Date(),
): Promise<Set<string>> {
  if (grantIds.length === 0) return new Set();
  const rows = await db
    .select({ id: oauthStoreTable.id })
    .from(oauthStoreTable)
    .innerJoin(
      oauthAppTable,
      and(
        sql`${oauthAppTable.clientId} = ${oauthStoreTable.payload}->>'clientId'`,
        eq(oauthAppTable.status, 'approved'),
      ),
    )
    .innerJoin(
      appInstallTable,
      and(
        eq(appInstallTable.appId, oauthAppTable.id),
        sql`${appInstallTable.userId}::text = ${oauthStoreTable.payload}->>'accountId'`,
        isNull(appInstallTable.uninstalledAt),
      ),
    )
    .where(and(liveGrant(now), inArray(oauthStoreTable.id, [...grantIds])));
  const firstParty = await db
    .select({ id: oauthStoreTable.id })
    .from(oauthStoreTable)
    .where(
      and(
        liveGrant(now),
        inArray(oauthStoreTable.id, [...grantIds]),
        inArray(sql`${oauthStoreTable.payload}->>'clientId'`, [...FIRST_PARTY_CLIENT_IDS]),
      ),
    );
  return new Set([...rows, ...firstParty].map((row) => row.id));
}
