import { createHash, randomBytes, randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import {
  APP_CATEGORIES,
  appInstallTable,
  oauthAppTable,
  oauthStoreTable,
  type AppCategory,
  type AppInstall,
  type AppStatus,
  type OAuthApp,
} from '../../db/schema.js';
import { hashesEqual } from '../api-key/api-key.token.js';
import { strongerCredential, type CredentialManager } from '../auth/credential-rule.js';
import { FIRST_PARTY_ONLY_SCOPES, SCOPES, type Scope } from '../auth/scopes.js';
import { fail, ok, userError, validateInput, type MutationResult } from '../common/user-error.js';
import { emitWebhookEvent } from '../webhook/events.js';
import { appPayload } from '../webhook/payloads.js';

/** Apps one account may register. */
export const MAX_APPS_PER_OWNER = 25;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const newClientId = () =>
  `app_${Array.from({ length: 24 }, () => BASE62[randomInt(BASE62.length)]).join('')}`;
/** `pulse_cs_` lets secret scanners recognise a leaked client secret. */
const newClientSecret = () => `pulse_cs_${randomBytes(32).toString('base64url')}`;

export const hashClientSecret = (secret: string) =>
  createHash('sha256').update(secret).digest('hex');

/** Constant-time check of a presented client secret against the stored hash. */
export const clientSecretMatches = (storedHash: string, presented: string) =>
  hashesEqual(storedHash, hashClientSecret(presented));

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere; plain http only on this machine (development). No fragments, no credentials. */
function isAllowedAppUrl(value: string): boolean {
  const url = URL.parse(value);
  if (!url || url.hash || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const appUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine(isAllowedAppUrl, 'must be an https URL (or http://localhost / 127.0.0.1), without #');

const appFields = {
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().trim().max(1000, 'must be at most 1000 characters'),
  category: z.enum(APP_CATEGORIES),
  redirectUris: z
    .array(appUrl)
    .min(1, 'must list at least one redirect URI')
    .max(10, 'must list at most 10 redirect URIs'),
  scopes: z.array(z.enum(SCOPES)).min(1, 'must request at least one scope'),
  homepageUrl: appUrl.nullable(),
};

const registerInput = z.object({
  ...appFields,
  description: appFields.description.default(''),
  homepageUrl: appFields.homepageUrl.optional(),
});
const updateInput = z.object(appFields).partial();

export interface RegisteredApp {
  app: OAuthApp;
  /** Shown once; only its SHA-256 is stored. */
  clientSecret: string;
}

/**
 * Registers an app. It starts pending (invisible in the directory, unusable for authorization)
 * until an operator approves it, except in demo mode where it is approved at once.
 */
export async function registerApp(
  db: Db,
  manager: CredentialManager,
  input: z.input<typeof registerInput>,
  options: { autoApprove: boolean },
): Promise<MutationResult<RegisteredApp>> {
  const valid = validateInput(registerInput, input);
  if (!valid.ok) return valid;
  const refused = refusedAppScopes(manager, valid.value.scopes);
  if (refused) return fail(refused);
  const ownerId = manager.ownerId;
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(oauthAppTable)
    .where(eq(oauthAppTable.ownerId, ownerId));
  if ((row?.count ?? 0) >= MAX_APPS_PER_OWNER) {
    return fail(userError([], 'LIMIT_REACHED', `At most ${MAX_APPS_PER_OWNER} apps per account.`));
  }
  const clientSecret = newClientSecret();
  const { scopes, redirectUris, ...rest } = valid.value;
  const [app] = await db
    .insert(oauthAppTable)
    .values({
      ...rest,
      homepageUrl: rest.homepageUrl ?? null,
      ownerId,
      redirectUris: [...new Set(redirectUris)],
      scopes: [...new Set(scopes)],
      clientId: newClientId(),
      clientSecretHash: hashClientSecret(clientSecret),
      status: options.autoApprove ? 'approved' : 'pending',
    })
    .returning();
  return ok({ app: app!, clientSecret });
}

/**
 * An app may ask for at most the scopes of the credentials registering it (its secret and the
 * consents it collects must not outrank them), and never for a first-party-only scope.
 */
function refusedAppScopes(manager: CredentialManager, scopes: readonly Scope[]) {
  const firstPartyOnly = scopes.filter((scope) => FIRST_PARTY_ONLY_SCOPES.has(scope));
  if (firstPartyOnly.length > 0) {
    return userError(
      ['input', 'scopes'],
      'INVALID',
      `${firstPartyOnly.join(', ')} cannot be granted to third-party apps.`,
    );
  }
  return strongerCredential(manager.scopes, scopes, ['input', 'scopes'], 'app');
}

const appNotFound = <T>() =>
  fail<T>(userError(['input', 'id'], 'NOT_FOUND', 'No such app (or it is not yours).'));

/** The caller's app, if its scopes do not outrank the caller's credentials. */
async function manageableApp(
  db: Db,
  manager: CredentialManager,
  id: string | null,
): Promise<MutationResult<OAuthApp>> {
  if (!id) return appNotFound();
  const [app] = await db
    .select()
    .from(oauthAppTable)
    .where(and(eq(oauthAppTable.id, id), eq(oauthAppTable.ownerId, manager.ownerId)));
  if (!app) return appNotFound();
  const stronger = strongerCredential(manager.scopes, app.scopes, ['input', 'id'], 'app');
  return stronger ? fail(stronger) : ok(app);
}

export async function updateApp(
  db: Db,
  manager: CredentialManager,
  id: string | null,
  input: z.input<typeof updateInput>,
): Promise<MutationResult<OAuthApp>> {
  const valid = validateInput(updateInput, input);
  if (!valid.ok) return valid;
  const found = await manageableApp(db, manager, id);
  if (!found.ok) return found;
  const app = found.value;
  const refused = valid.value.scopes && refusedAppScopes(manager, valid.value.scopes);
  if (refused) return fail(refused);
  const patch = Object.fromEntries(
    Object.entries(valid.value).filter(([, value]) => value !== undefined),
  ) as Partial<typeof valid.value>;
  const [updated] = await db
    .update(oauthAppTable)
    .set({
      ...patch,
      ...(patch.redirectUris ? { redirectUris: [...new Set(patch.redirectUris)] } : {}),
      ...(patch.scopes ? { scopes: [...new Set(patch.scopes)] } : {}),
      updatedAt: new Date(),
    })
    .where(eq(oauthAppTable.id, app.id))
    .returning();
  return ok(updated!);
}

/** Grants (and everything issued under them) the built-in server holds for a client. */
function grantsOf(clientId: string, accountId?: string): SQL {
  return sql`select ${oauthStoreTable.id} from ${oauthStoreTable}
    where ${oauthStoreTable.model} = 'Grant'
      and ${oauthStoreTable.payload}->>'clientId' = ${clientId}
      ${accountId ? sql`and ${oauthStoreTable.payload}->>'accountId' = ${accountId}` : sql``}`;
}

async function destroyGrants(db: Db, clientId: string, accountId?: string): Promise<void> {
  const grants = grantsOf(clientId, accountId);
  await db
    .delete(oauthStoreTable)
    .where(
      or(
        sql`${oauthStoreTable.grantId} in (${grants})`,
        and(eq(oauthStoreTable.model, 'Grant'), sql`${oauthStoreTable.id} in (${grants})`),
      ),
    );
}

/** Deletes an app, its installs, and every grant and token issued to it. */
export async function deleteApp(
  db: Db,
  manager: CredentialManager,
  id: string | null,
): Promise<MutationResult<OAuthApp>> {
  const found = await manageableApp(db, manager, id);
  if (!found.ok) return found;
  const app = found.value;
  await destroyGrants(db, app.clientId);
  await db.delete(oauthAppTable).where(eq(oauthAppTable.id, app.id));
  return ok(app);
}

export async function listOwnApps(db: Db, ownerId: string): Promise<OAuthApp[]> {
  return db
    .select()
    .from(oauthAppTable)
    .where(eq(oauthAppTable.ownerId, ownerId))
    .orderBy(desc(oauthAppTable.createdAt), desc(oauthAppTable.id));
}

/** Apps by id that the viewer may see: their own, and approved ones. */
export async function loadVisibleAppsByIds(
  db: Db,
  viewerId: string,
  ids: readonly string[],
): Promise<OAuthApp[]> {
  return db
    .select()
    .from(oauthAppTable)
    .where(
      and(
        inArray(oauthAppTable.id, [...ids]),
        or(eq(oauthAppTable.ownerId, viewerId), eq(oauthAppTable.status, 'approved')),
      ),
    );
}

/** Active installs per app id. */
export async function loadInstallCounts(db: Db, appIds: readonly string[]): Promise<number[]> {
  const rows = await db
    .select({ appId: appInstallTable.appId, count: sql<number>`count(*)::int` })
    .from(appInstallTable)
    .where(and(inArray(appInstallTable.appId, [...appIds]), isNull(appInstallTable.uninstalledAt)))
    .groupBy(appInstallTable.appId);
  const counts = new Map(rows.map((row) => [row.appId, row.count]));
  return appIds.map((id) => counts.get(id) ?? 0);
}

export interface DirectoryFilter {
  category?: AppCategory | null;
  search?: string | null;
}

function directoryWhere(filter: DirectoryFilter): SQL | undefined {
  const search = filter.search?.trim();
  return and(
    eq(oauthAppTable.status, 'approved'),
    filter.category ? eq(oauthAppTable.category, filter.category) : undefined,
    search
      ? sql`${oauthAppTable.name} ilike ${`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
      : undefined,
  );
}

/** A page of approved apps by name (keyset on name, id). */
export async function listDirectory(
  db: Db,
  options: {
    filter: DirectoryFilter;
    after?: { key: string; id: string };
    before?: { key: string; id: string };
    limit: number;
    inverted: boolean;
  },
): Promise<OAuthApp[]> {
  const { after, before, limit, inverted } = options;
  const tuple = sql`(${oauthAppTable.name}, ${oauthAppTable.id})`;
  return db
    .select()
    .from(oauthAppTable)
    .where(
      and(
        directoryWhere(options.filter),
        after ? sql`${tuple} > (${after.key}, ${after.id}::uuid)` : undefined,
        before ? sql`${tuple} < (${before.key}, ${before.id}::uuid)` : undefined,
      ),
    )
    .orderBy(
      ...(inverted
        ? [desc(oauthAppTable.name), desc(oauthAppTable.id)]
        : [asc(oauthAppTable.name), asc(oauthAppTable.id)]),
    )
    .limit(limit);
}

export async function countDirectory(db: Db, filter: DirectoryFilter): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(oauthAppTable)
    .where(directoryWhere(filter));
  return row?.count ?? 0;
}

/** The user's active installs with their apps, newest first. */
export async function listInstalls(
  db: Db,
  userId: string,
): Promise<{ install: AppInstall; app: OAuthApp }[]> {
  return db
    .select({ install: appInstallTable, app: oauthAppTable })
    .from(appInstallTable)
    .innerJoin(oauthAppTable, eq(oauthAppTable.id, appInstallTable.appId))
    .where(and(eq(appInstallTable.userId, userId), isNull(appInstallTable.uninstalledAt)))
    .orderBy(desc(appInstallTable.createdAt), desc(appInstallTable.appId));
}

/**
 * Removes the app's access to the user's account: the install is marked uninstalled and every
 * grant, refresh token and code the built-in server issued for the pair is deleted. Access tokens
 * already issued stop working at once too: the resource server checks the install and grant.
 */
export async function uninstallApp(
  db: Db,
  manager: CredentialManager,
  appId: string | null,
  now = new Date(),
): Promise<MutationResult<OAuthApp>> {
  const userId = manager.ownerId;
  const [found] = appId
    ? await db
        .select({ app: oauthAppTable, scopes: appInstallTable.scopes })
        .from(appInstallTable)
        .innerJoin(oauthAppTable, eq(oauthAppTable.id, appInstallTable.appId))
        .where(
          and(
            eq(appInstallTable.appId, appId),
            eq(appInstallTable.userId, userId),
            isNull(appInstallTable.uninstalledAt),
          ),
        )
    : [];
  if (!found) {
    return fail(userError(['input', 'appId'], 'NOT_FOUND', 'This app is not installed.'));
  }
  const stronger = strongerCredential(manager.scopes, found.scopes, ['input', 'appId'], 'install');
  if (stronger) return fail(stronger);
  await db.transaction(async (tx) => {
    await tx
      .update(appInstallTable)
      .set({ uninstalledAt: now })
      .where(and(eq(appInstallTable.appId, found.app.id), eq(appInstallTable.userId, userId)));
    // To the account's endpoints, and to the app's own (its grant is gone, so named here).
    await emitWebhookEvent(tx, {
      ownerId: userId,
      type: 'app.uninstalled',
      scope: 'read:user',
      occurredAt: now,
      alsoApp: found.app.id,
      data: { app: appPayload(found.app) },
    });
  });
  await destroyGrants(db, found.app.clientId, userId);
  return ok(found.app);
}

/**
 * Records a consent: the user installs the app with these scopes. Consenting again to an
 * installed app adds the new scopes; after an uninstall it starts over. A new install, or one
 * whose scopes grew, queues an `app.installed` webhook (to the account and to the app).
 */
export async function recordInstall(
  db: Db,
  input: { appId: string; userId: string; scopes: readonly Scope[] },
): Promise<void> {
  const scopes = [...new Set(input.scopes)];
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ scopes: appInstallTable.scopes, uninstalledAt: appInstallTable.uninstalledAt })
      .from(appInstallTable)
      .where(and(eq(appInstallTable.appId, input.appId), eq(appInstallTable.userId, input.userId)))
      .for('update');
    const [after] = await tx
      .insert(appInstallTable)
      .values({ appId: input.appId, userId: input.userId, scopes })
      .onConflictDoUpdate({
        target: [appInstallTable.appId, appInstallTable.userId],
        set: {
          scopes: sql`case when ${appInstallTable.uninstalledAt} is null
          then array(select distinct unnest(${appInstallTable.scopes} || excluded.scopes) order by 1)
          else excluded.scopes end`,
          createdAt: sql`case when ${appInstallTable.uninstalledAt} is null
          then ${appInstallTable.createdAt} else now() end`,
          uninstalledAt: null,
        },
      })
      .returning({ scopes: appInstallTable.scopes });
    const held = before && !before.uninstalledAt ? new Set(before.scopes) : new Set<string>();
    if (!after || after.scopes.every((scope) => held.has(scope))) return;
    const [app] = await tx.select().from(oauthAppTable).where(eq(oauthAppTable.id, input.appId));
    if (!app) return;
    await emitWebhookEvent(tx, {
      ownerId: input.userId,
      type: 'app.installed',
      scope: 'read:user',
      alsoApp: app.id,
      data: { app: appPayload(app), scopes: after.scopes },
    });
  });
}

/** An approved app by client id: what the authorization server may issue codes and tokens to. */
export async function findApprovedApp(db: Db, clientId: string): Promise<OAuthApp | undefined> {
  const [app] = await db
    .select()
    .from(oauthAppTable)
    .where(and(eq(oauthAppTable.clientId, clientId), eq(oauthAppTable.status, 'approved')));
  return app;
}

/** Operator decision on an app (CLI). */
export async function setAppStatus(
  db: Db,
  clientId: string,
  status: AppStatus,
): Promise<OAuthApp | undefined> {
  const [app] = await db
    .update(oauthAppTable)
    .set({ status, updatedAt: new Date() })
    .where(eq(oauthAppTable.clientId, clientId))
    .returning();
  return app;
}

export async function listAppsByStatus(db: Db, status?: AppStatus): Promise<OAuthApp[]> {
  return db
    .select()
    .from(oauthAppTable)
    .where(status ? eq(oauthAppTable.status, status) : undefined)
    .orderBy(asc(oauthAppTable.createdAt));
}
