import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { oauthAppTable, webhookEndpointTable, type WebhookEndpoint } from '../../db/schema.js';
import { strongerCredential, type CredentialManager } from '../auth/credential-rule.js';
import type { Keyset } from '../common/pagination.js';
import { fail, ok, userError, validateInput, type MutationResult } from '../common/user-error.js';
import { WEBHOOK_EVENT_TYPES } from './catalogue.js';
import { generateWebhookSecret, type SecretBox } from './secrets.js';
import { nudgeWebhookWorkers } from './signal.js';
import { webhookUrlProblem, type EgressPolicy } from './ssrf.js';

/** Endpoints one account may have (its own and its apps' together). */
export const MAX_WEBHOOK_ENDPOINTS = 20;

export interface CreatedEndpoint {
  endpoint: WebhookEndpoint;
  /** The signing secret (`whsec_…`): in this response only. */
  secret: string;
}

export interface EndpointDeps {
  db: Db;
  box: () => Promise<SecretBox>;
  policy: EgressPolicy;
}

const url = (policy: EgressPolicy) =>
  z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .superRefine((value, context) => {
      const problem = webhookUrlProblem(policy, value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });

const fields = (policy: EgressPolicy) => ({
  url: url(policy),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .max(WEBHOOK_EVENT_TYPES.length)
    .transform((events) => [...new Set(events)]),
  description: z.string().trim().max(500, 'must be at most 500 characters'),
});

const notFound = <T>() =>
  fail<T>(
    userError(['input', 'id'], 'NOT_FOUND', 'No such webhook endpoint (or it is not yours).'),
  );

/**
 * Creates an endpoint. It receives the events its type list names (all when empty) whose scope
 * the creating credentials hold; with `appId` (one of the caller's apps, whose scopes the
 * caller must hold) it is the app's endpoint, fed by every install within the install's grant.
 */
export async function createWebhookEndpoint(
  deps: EndpointDeps,
  manager: CredentialManager,
  input: {
    url: string;
    events?: string[] | null;
    description?: string | null;
    appId?: string | null;
  },
): Promise<MutationResult<CreatedEndpoint>> {
  const { db, policy } = deps;
  const valid = validateInput(z.object(fields(policy)), {
    url: input.url,
    events: input.events ?? [],
    description: input.description ?? '',
  });
  if (!valid.ok) return valid;
  let scopes = [...manager.scopes] as string[];
  if (input.appId) {
    const [app] = await db
      .select()
      .from(oauthAppTable)
      .where(and(eq(oauthAppTable.id, input.appId), eq(oauthAppTable.ownerId, manager.ownerId)));
    if (!app)
      return fail(userError(['input', 'app'], 'NOT_FOUND', 'No such app (or it is not yours).'));
    const stronger = strongerCredential(manager.scopes, app.scopes, ['input', 'app'], 'app');
    if (stronger) return fail(stronger);
    scopes = app.scopes;
  }
  const secret = generateWebhookSecret();
  const sealed = (await deps.box()).seal(secret);
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(webhookEndpointTable)
      .where(eq(webhookEndpointTable.ownerId, manager.ownerId));
    if ((row?.count ?? 0) >= MAX_WEBHOOK_ENDPOINTS) {
      return fail<CreatedEndpoint>(
        userError(
          [],
          'LIMIT_REACHED',
          `At most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints per account.`,
        ),
      );
    }
    const [endpoint] = await tx
      .insert(webhookEndpointTable)
      .values({
        ownerId: manager.ownerId,
        appId: input.appId ?? null,
        url: valid.value.url,
        events: valid.value.events,
        description: valid.value.description,
        scopes,
        secret: sealed,
      })
      .returning();
    return ok({ endpoint: endpoint!, secret });
  });
  // Wakes a dormant worker on this instance (it starts polling for this endpoint's deliveries).
  if (created.ok) nudgeWebhookWorkers();
  return created;
}

/** Endpoints by id, restricted to the owner's. */
export function loadWebhookEndpointsByIds(
  db: Db,
  ownerId: string,
  ids: readonly string[],
): Promise<WebhookEndpoint[]> {
  return db
    .select()
    .from(webhookEndpointTable)
    .where(
      and(inArray(webhookEndpointTable.id, [...ids]), eq(webhookEndpointTable.ownerId, ownerId)),
    );
}

export type EndpointListRow = WebhookEndpoint & { sortKey: string };

/** The owner's endpoints, newest first, keyset-paginated on (created_at, id). */
export async function listWebhookEndpoints(
  db: Db,
  ownerId: string,
  page: { after?: Keyset; before?: Keyset; limit: number; inverted: boolean },
): Promise<EndpointListRow[]> {
  const e = webhookEndpointTable;
  const where: SQL[] = [eq(e.ownerId, ownerId)];
  const keyset = (keyset: Keyset, older: boolean) =>
    sql`(${e.createdAt}, ${e.id}) ${sql.raw(older ? '<' : '>')} (cast(${keyset.key} as timestamptz), cast(${keyset.id} as uuid))`;
  if (page.after) where.push(keyset(page.after, true));
  if (page.before) where.push(keyset(page.before, false));
  const order = page.inverted ? asc : desc;
  const rows = await db
    .select({ endpoint: e, sortKey: sql<string>`(${e.createdAt})::text` })
    .from(e)
    .where(and(...where))
    .orderBy(order(e.createdAt), order(e.id))
    .limit(page.limit);
  return rows.map((row) => ({ ...row.endpoint, sortKey: row.sortKey }));
}

export async function countWebhookEndpoints(db: Db, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(webhookEndpointTable)
    .where(eq(webhookEndpointTable.ownerId, ownerId));
  return row?.count ?? 0;
}

/**
 * The caller's endpoint, if it may manage it: never one created with scopes (or for an app
 * with scopes) the caller's credentials lack, since its deliveries carry what those scopes read.
 */
export async function manageableEndpoint(
  db: Db,
  manager: CredentialManager,
  id: string | null,
  field: string[] = ['input', 'id'],
): Promise<MutationResult<WebhookEndpoint>> {
  if (!id) return notFound();
  const [endpoint] = await loadWebhookEndpointsByIds(db, manager.ownerId, [id]);
  if (!endpoint)
    return fail(userError(field, 'NOT_FOUND', 'No such webhook endpoint (or it is not yours).'));
  const stronger = strongerCredential(manager.scopes, endpoint.scopes, field, 'webhook endpoint');
  return stronger ? fail(stronger) : ok(endpoint);
}

/** Changes an endpoint's URL, event types or description (the URL is checked as at creation). */
export async function updateWebhookEndpoint(
  deps: EndpointDeps,
  manager: CredentialManager,
  id: string | null,
  input: { url?: string | null; events?: string[] | null; description?: string | null },
): Promise<MutationResult<WebhookEndpoint>> {
  const valid = validateInput(z.object(fields(deps.policy)).partial(), {
    ...(input.url != null ? { url: input.url } : {}),
    ...(input.events != null ? { events: input.events } : {}),
    ...(input.description != null ? { description: input.description } : {}),
  });
  if (!valid.ok) return valid;
  const found = await manageableEndpoint(deps.db, manager, id);
  if (!found.ok) return found;
  const [updated] = await deps.db
    .update(webhookEndpointTable)
    .set({ ...valid.value, updatedAt: new Date() })
    .where(eq(webhookEndpointTable.id, found.value.id))
    .returning();
  return updated ? ok(updated) : notFound();
}

/**
 * A new signing secret. For `graceMs` (0: not at all) messages carry a signature with the old
 * one too, so a receiver can switch over without rejecting anything. The update is
 * conditional on the secret it replaces, so two concurrent rotations cannot both succeed.
 */
export async function rotateWebhookSecret(
  deps: EndpointDeps,
  manager: CredentialManager,
  id: string | null,
  graceMs: number,
  now = new Date(),
): Promise<MutationResult<CreatedEndpoint>> {
  const found = await manageableEndpoint(deps.db, manager, id);
  if (!found.ok) return found;
  const endpoint = found.value;
  const secret = generateWebhookSecret();
  const e = webhookEndpointTable;
  const [rotated] = await deps.db
    .update(e)
    .set({
      secret: (await deps.box()).seal(secret),
      previousSecret: graceMs > 0 ? endpoint.secret : null,
      previousSecretExpiresAt: graceMs > 0 ? new Date(now.getTime() + graceMs) : null,
      rotatedAt: now,
      updatedAt: now,
    })
    .where(and(eq(e.id, endpoint.id), eq(e.secret, endpoint.secret)))
    .returning();
  if (!rotated) {
    return fail(
      userError(['input', 'id'], 'INVALID_STATUS', 'The endpoint changed meanwhile; try again.'),
    );
  }
  return ok({ endpoint: rotated, secret });
}

/**
 * Disables (deliveries wait, nothing new is queued) or enables an endpoint; enabling clears
 * the failure clock, and what waited is sent.
 */
export async function setWebhookEndpointDisabled(
  db: Db,
  manager: CredentialManager,
  id: string | null,
  disabled: boolean,
  now = new Date(),
): Promise<MutationResult<WebhookEndpoint>> {
  const found = await manageableEndpoint(db, manager, id);
  if (!found.ok) return found;
  const endpoint = found.value;
  if (Boolean(endpoint.disabledAt) === disabled) return ok(endpoint);
  const [updated] = await db
    .update(webhookEndpointTable)
    .set(
      disabled
        ? { disabledAt: now, disabledReason: 'manual', updatedAt: now }
        : { disabledAt: null, disabledReason: null, failingSince: null, updatedAt: now },
    )
    .where(eq(webhookEndpointTable.id, endpoint.id))
    .returning();
  if (updated && !disabled) nudgeWebhookWorkers();
  return updated ? ok(updated) : notFound();
}

/** Deletes an endpoint with its deliveries and their log. */
export async function deleteWebhookEndpoint(
  db: Db,
  manager: CredentialManager,
  id: string | null,
): Promise<MutationResult<string>> {
  const found = await manageableEndpoint(db, manager, id);
  if (!found.ok) return found;
  await db.delete(webhookEndpointTable).where(eq(webhookEndpointTable.id, found.value.id));
  return ok(found.value.id);
}
