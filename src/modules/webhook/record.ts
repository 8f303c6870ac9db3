import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import { notificationTable, webhookEndpointTable } from '../../db/schema.js';
import type { AttemptResponse } from './deliver.js';
import { emitWebhookEvent } from './events.js';
import { DISABLE_AFTER_FAILING_MS, type AttemptOutcome } from './schedule.js';

/** One finished attempt, as the worker hands it over to be stored. */
export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  attempt: number;
  outcome: AttemptOutcome;
  response: AttemptResponse;
  requestHeaders: Record<string, string>;
  /** Null: no further attempt (succeeded, exhausted or gone). */
  nextAttemptAt: Date | null;
}

export interface DisabledEndpoint {
  id: string;
  ownerId: string;
  url: string;
  reason: 'gone' | 'failing';
  /** The owner's notification about it (null: one with the same key existed already). */
  notificationId: string | null;
}

/**
 * Stores a batch of attempts in one transaction: the attempt log, each delivery's new state,
 * and each endpoint's health. An endpoint that answered 410 is disabled at once; one whose
 * attempts all failed for five days is disabled too, with a notification and a
 * `webhook.endpoint.disabled` event to the owner's other endpoints. A result for an attempt
 * another worker already recorded (its lease expired meanwhile) leaves the delivery alone.
 */
export async function recordAttempts(
  db: Db,
  records: readonly AttemptRecord[],
  now: Date,
): Promise<DisabledEndpoint[]> {
  if (records.length === 0) return [];
  return db.transaction(async (tx) => {
    const attempts = records.map((r) => ({
      delivery_id: r.deliveryId,
      attempt: r.attempt,
      started_at: r.response.startedAt.toISOString(),
      duration_ms: r.response.durationMs,
      status_code: r.response.statusCode,
      error: r.response.error,
      response_excerpt: r.response.responseExcerpt,
      request_headers: r.requestHeaders,
      status:
        r.outcome === 'succeeded' ? 'succeeded' : r.nextAttemptAt === null ? 'failed' : 'pending',
      next_attempt_at: r.nextAttemptAt?.toISOString() ?? null,
    }));
    const json = JSON.stringify(attempts);
    await tx.execute(sql`
      insert into webhook_delivery_attempts
        (delivery_id, attempt, started_at, duration_ms, status_code, error, response_excerpt,
         request_headers)
      select x.delivery_id, x.attempt, x.started_at, x.duration_ms, x.status_code, x.error,
        x.response_excerpt, x.request_headers
      from json_to_recordset(${json}::json) as x(delivery_id uuid, attempt int,
        started_at timestamptz, duration_ms int, status_code int, error text,
        response_excerpt text, request_headers jsonb)`);
    await tx.execute(sql`
      update webhook_deliveries d set
        status = x.status::webhook_delivery_status,
        attempts = x.attempt,
        next_attempt_at = coalesce(x.next_attempt_at, d.next_attempt_at),
        last_attempt_at = x.started_at,
        last_status_code = x.status_code,
        last_error = x.error,
        finished_at = case when x.status = 'pending' then null else ${now.toISOString()}::timestamptz end
      from json_to_recordset(${json}::json) as x(delivery_id uuid, attempt int,
        started_at timestamptz, status_code int, error text, status text,
        next_attempt_at timestamptz)
      where d.id = x.delivery_id and d.status = 'pending' and d.attempts < x.attempt`);
    return updateEndpointHealth(tx, records, now);
  });
}

async function updateEndpointHealth(
  tx: Tx,
  records: readonly AttemptRecord[],
  now: Date,
): Promise<DisabledEndpoint[]> {
  const healthy = new Set(
    records.filter((r) => r.outcome === 'succeeded').map((r) => r.endpointId),
  );
  const gone = [...new Set(records.filter((r) => r.outcome === 'gone').map((r) => r.endpointId))];
  const failing = [
    ...new Set(
      records
        .filter((r) => r.outcome !== 'succeeded' && !healthy.has(r.endpointId))
        .map((r) => r.endpointId),
    ),
  ];
  const e = webhookEndpointTable;
  if (healthy.size > 0) {
    await tx
      .update(e)
      .set({ failingSince: null })
      .where(and(inArray(e.id, [...healthy]), isNotNull(e.failingSince)));
  }
  if (failing.length === 0 && gone.length === 0) return [];
  if (failing.length > 0) {
    await tx
      .update(e)
      .set({ failingSince: now })
      .where(and(inArray(e.id, failing), isNull(e.failingSince)));
  }
  const longAgo = new Date(now.getTime() - DISABLE_AFTER_FAILING_MS);
  const disabled = await tx
    .update(e)
    .set({
      disabledAt: now,
      disabledReason: sql`case when ${gone.length > 0 ? inArray(e.id, gone) : sql`false`} then 'gone' else 'failing' end`,
      updatedAt: now,
    })
    .where(
      and(
        isNull(e.disabledAt),
        or(
          gone.length > 0 ? inArray(e.id, gone) : undefined,
          failing.length > 0
            ? and(inArray(e.id, failing), lte(e.failingSince, longAgo))
            : undefined,
        ),
      ),
    )
    .returning({ id: e.id, ownerId: e.ownerId, url: e.url, reason: e.disabledReason });
  const result: DisabledEndpoint[] = [];
  for (const row of disabled) {
    const endpoint = { ...row, reason: row.reason as 'gone' | 'failing' };
    result.push({ ...endpoint, notificationId: await announceDisabled(tx, endpoint, now) });
  }
  return result;
}

/** The owner hears of it twice: a notification, and an event to their other endpoints. */
async function announceDisabled(
  tx: Tx,
  endpoint: Omit<DisabledEndpoint, 'notificationId'>,
  now: Date,
): Promise<string | null> {
  const why =
    endpoint.reason === 'gone' ? 'it answered 410 Gone' : 'every delivery to it failed for 5 days';
  const [notification] = await tx
    .insert(notificationTable)
    .values({
      ownerId: endpoint.ownerId,
      kind: 'webhook_endpoint_disabled',
      title: 'Webhook endpoint disabled',
      body: `Deliveries to ${endpoint.url} stopped: ${why}. Fix it, then enable it again and replay what failed.`,
      data: { endpointId: endpoint.id, url: endpoint.url, reason: endpoint.reason },
      dedupKey: `webhook_disabled:${endpoint.id}:${now.toISOString()}`,
    })
    .onConflictDoNothing()
    .returning({ id: notificationTable.id });
  await emitWebhookEvent(tx, {
    ownerId: endpoint.ownerId,
    type: 'webhook.endpoint.disabled',
    scope: 'manage:webhooks',
    occurredAt: now,
    data: {
      endpoint: { id: encodeGlobalID('WebhookEndpoint', endpoint.id), url: endpoint.url },
      reason: endpoint.reason.toUpperCase(),
    },
  });
  return notification?.id ?? null;
}

/** Deletes finished deliveries older than `before`, `batch` rows per statement; returns how many. */
export async function pruneDeliveries(db: Db, before: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await queryRows<{ id: string }>(
      db,
      sql`delete from webhook_deliveries where id in (
        select id from webhook_deliveries
        where finished_at < ${before.toISOString()}::timestamptz limit ${batch})
      returning id`,
    );
    total += deleted.length;
    if (deleted.length < batch) return total;
  }
}
