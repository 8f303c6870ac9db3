import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import {
  webhookAttemptTable,
  webhookDeliveryTable,
  webhookEndpointTable,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from '../../db/schema.js';
import type { CredentialManager } from '../auth/credential-rule.js';
import type { Keyset } from '../common/pagination.js';
import { fail, ok, userError, type MutationResult } from '../common/user-error.js';
import { enqueueForEndpoint } from './events.js';
import { manageableEndpoint } from './endpoint.service.js';
import { nudgeWebhookWorkers } from './signal.js';

export type DeliveryWithAttempts = WebhookDelivery & { attemptLog: WebhookAttempt[] };
export type DeliveryListRow = DeliveryWithAttempts & { sortKey: string };

const d = webhookDeliveryTable;
const e = webhookEndpointTable;

/**
 * Deliveries the caller may read: those of the owner's endpoints whose scopes the caller's
 * credentials all hold (a delivery's body carries what those scopes read).
 */
function visible(manager: CredentialManager): SQL {
  const held = [...manager.scopes];
  return sql`exists (select 1 from ${e} where ${e.id} = ${d.endpointId}
    and ${e.ownerId} = ${manager.ownerId}
    and ${e.scopes} <@ array[${sql.join(
      held.map((scope) => sql`${scope}`),
      sql`, `,
    )}]::text[])`;
}

async function withAttempts(db: Db, rows: WebhookDelivery[]): Promise<DeliveryWithAttempts[]> {
  if (rows.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookAttemptTable)
    .where(
      inArray(
        webhookAttemptTable.deliveryId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(webhookAttemptTable.attempt), asc(webhookAttemptTable.startedAt));
  const byDelivery = new Map<string, WebhookAttempt[]>();
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.deliveryId);
    if (list) list.push(attempt);
    else byDelivery.set(attempt.deliveryId, [attempt]);
  }
  return rows.map((row) => ({ ...row, attemptLog: byDelivery.get(row.id) ?? [] }));
}

/** Deliveries by id that the caller may read, with their attempts. */
export async function loadDeliveriesByIds(
  db: Db,
  manager: CredentialManager,
  ids: readonly string[],
): Promise<DeliveryWithAttempts[]> {
  const rows = await db
    .select()
    .from(d)
    .where(and(inArray(d.id, [...ids]), visible(manager)));
  return withAttempts(db, rows);
}

export interface DeliveryFilter {
  endpointId?: string | null;
  status?: WebhookDeliveryStatus[] | null;
  eventTypes?: string[] | null;
}

function filterConditions(manager: CredentialManager, filter: DeliveryFilter): SQL[] {
  const where: SQL[] = [visible(manager)];
  if (filter.endpointId) where.push(eq(d.endpointId, filter.endpointId));
  if (filter.status?.length) where.push(inArray(d.status, filter.status));
  if (filter.eventTypes?.length) where.push(inArray(d.eventType, filter.eventTypes));
  return where;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listDeliveries(
  db: Db,
  manager: CredentialManager,
  filter: DeliveryFilter,
  page: { after?: Keyset; before?: Keyset; limit: number; inverted: boolean },
): Promise<DeliveryListRow[]> {
  const where = filterConditions(manager, filter);
  const keyset = (keyset: Keyset, older: boolean) =>
    sql`(${d.createdAt}, ${d.id}) ${sql.raw(older ? '<' : '>')} (cast(${keyset.key} as timestamptz), cast(${keyset.id} as uuid))`;
  if (page.after) where.push(keyset(page.after, true));
  if (page.before) where.push(keyset(page.before, false));
  const order = page.inverted ? asc : desc;
  const rows = await db
    .select({ delivery: d, sortKey: sql<string>`(${d.createdAt})::text` })
    .from(d)
    .where(and(...where))
    .orderBy(order(d.createdAt), order(d.id))
    .limit(page.limit);
  const loaded = await withAttempts(
    db,
    rows.map((row) => row.delivery),
  );
  return loaded.map((delivery, index) => ({ ...delivery, sortKey: rows[index]!.sortKey }));
}

export async function countDeliveries(
  db: Db,
  manager: CredentialManager,
  filter: DeliveryFilter,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(d)
    .where(and(...filterConditions(manager, filter)));
  return row?.count ?? 0;
}

const deliveryNotFound = <T>() =>
  fail<T>(
    userError(['input', 'id'], 'NOT_FOUND', 'No such webhook delivery (or it is not yours).'),
  );

const disabledEndpoint = <T>(field: string[]) =>
  fail<T>(userError(field, 'INVALID_STATUS', 'The endpoint is disabled; enable it first.'));

/**
 * Sends a message again, as a new delivery with the same `webhook-id` and body (receivers that
 * already processed it can tell), on a fresh retry schedule.
 */
export async function replayDelivery(
  db: Db,
  manager: CredentialManager,
  id: string | null,
  now = new Date(),
): Promise<MutationResult<DeliveryWithAttempts>> {
  if (!id) return deliveryNotFound();
  const [original] = await loadDeliveriesByIds(db, manager, [id]);
  if (!original) return deliveryNotFound();
  const endpoint = await manageableEndpoint(db, manager, original.endpointId);
  if (!endpoint.ok) return endpoint;
  if (endpoint.value.disabledAt) return disabledEndpoint(['input', 'id']);
  const [copy] = await db
    .insert(d)
    .values({
      messageId: original.messageId,
      endpointId: original.endpointId,
      accountId: original.accountId,
      eventType: original.eventType,
      body: original.body,
      nextAttemptAt: now,
      replayOf: original.id,
      createdAt: now,
    })
    .returning();
  nudgeWebhookWorkers();
  return ok({ ...copy!, attemptLog: [] });
}

/**
 * Replays every message that failed for good on the endpoint since `since`: once each (the
 * latest failed delivery of a message), and not those that were replayed already and are
 * pending or succeeded. Returns how many were queued.
 */
export async function replayFailedDeliveries(
  db: Db,
  manager: CredentialManager,
  endpointId: string | null,
  since: Date,
  now = new Date(),
): Promise<MutationResult<number>> {
  const endpoint = await manageableEndpoint(db, manager, endpointId, ['input', 'endpoint']);
  if (!endpoint.ok) return endpoint;
  if (endpoint.value.disabledAt) return disabledEndpoint(['input', 'endpoint']);
  const at = now.toISOString();
  const queued = await queryRows<{ id: string }>(
    db,
    sql`insert into webhook_deliveries
        (message_id, endpoint_id, account_id, event_type, body, next_attempt_at, replay_of, created_at)
      select distinct on (f.message_id) f.message_id, f.endpoint_id, f.account_id, f.event_type,
        f.body, ${at}::timestamptz, f.id, ${at}::timestamptz
      from webhook_deliveries f
      where f.endpoint_id = ${endpoint.value.id}::uuid and f.status = 'failed'
        and f.created_at >= ${since.toISOString()}::timestamptz
        and not exists (select 1 from webhook_deliveries o
          where o.endpoint_id = f.endpoint_id and o.message_id = f.message_id
            and o.status <> 'failed')
      order by f.message_id, f.created_at desc
      returning id`,
  );
  if (queued.length > 0) nudgeWebhookWorkers();
  return ok(queued.length);
}

/** Queues a `webhook.test` message for the endpoint, whatever event types it subscribes to. */
export async function sendTestWebhook(
  db: Db,
  manager: CredentialManager,
  endpointId: string | null,
): Promise<MutationResult<DeliveryWithAttempts>> {
  const endpoint = await manageableEndpoint(db, manager, endpointId);
  if (!endpoint.ok) return endpoint;
  if (endpoint.value.disabledAt) return disabledEndpoint(['input', 'id']);
  const id = await enqueueForEndpoint(db, {
    endpointId: endpoint.value.id,
    accountId: manager.ownerId,
    type: 'webhook.test',
    data: {
      endpoint: encodeGlobalID('WebhookEndpoint', endpoint.value.id),
      message: 'A test event from Pulse.',
    },
  });
  const [delivery] = await loadDeliveriesByIds(db, manager, [id]);
  return ok(delivery!);
}

/** Deliveries waiting for an attempt, in total and due now: the outbox depth (/ready, /metrics). */
export async function outboxDepth(
  db: Db,
  now = new Date(),
): Promise<{ pending: number; due: number }> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*)::int`,
      due: sql<number>`(count(*) filter (where ${d.nextAttemptAt} <= ${now.toISOString()}::timestamptz))::int`,
    })
    .from(d)
    .where(eq(d.status, 'pending'));
  return { pending: row?.pending ?? 0, due: row?.due ?? 0 };
}
