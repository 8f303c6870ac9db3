import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import type { Scope } from '../auth/scopes.js';
import type { WebhookEventType } from './catalogue.js';
import { nudgeWebhookWorkers } from './signal.js';
import { generateMessageId } from './secrets.js';

export type { WebhookEventType } from './catalogue.js';

export interface WebhookEvent {
  /** The account the event is about. */
  ownerId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  /** The scope a credential needs to read the object; endpoints without it get nothing. */
  scope: Scope;
  occurredAt?: Date;
  /** Also deliver to this app's endpoints, installed or not (app.installed / app.uninstalled). */
  alsoApp?: string;
}

/** The bytes every endpoint receives for one event: the Standard Webhooks envelope. */
export const messageBody = (type: string, at: Date, data: Record<string, unknown>) =>
  JSON.stringify({ type, timestamp: at.toISOString(), data });

/**
 * Writes one delivery row per matching enabled endpoint of `ownerId`, in the caller's
 * transaction (the outbox): nothing is sent for a rolled-back change, nothing is lost on a
 * crash after commit. Matching endpoints: the owner's own that subscribe to the type and were
 * created by credentials holding `scope`, and the endpoints of apps the owner installed whose
 * grant holds `scope`. Every copy carries the same `webhook-id`.
 */
export async function emitWebhookEvent(tx: Db | Tx, event: WebhookEvent): Promise<void> {
  const at = event.occurredAt ?? new Date();
  const messageId = generateMessageId();
  const body = messageBody(event.type, at, event.data);
  const now = new Date().toISOString();
  const { ownerId, type, scope } = event;
  const wants = sql`e.disabled_at is null and (cardinality(e.events) = 0 or ${type} = any(e.events))`;
  const inserted = await queryRows<{ id: string }>(
    tx,
    sql`
    insert into webhook_deliveries
      (message_id, endpoint_id, account_id, event_type, body, next_attempt_at, created_at)
    select ${messageId}, matched.id, ${ownerId}::uuid, ${type}, ${body}, ${now}::timestamptz,
      ${now}::timestamptz
    from (
      select e.id from webhook_endpoints e
      where e.owner_id = ${ownerId}::uuid and e.app_id is null and ${scope} = any(e.scopes)
        and ${wants}
      union
      select e.id from app_installs i join webhook_endpoints e on e.app_id = i.app_id
      where i.user_id = ${ownerId}::uuid and i.uninstalled_at is null and ${scope} = any(i.scopes)
        and ${wants}
      ${
        event.alsoApp
          ? sql`union select e.id from webhook_endpoints e
              where e.app_id = ${event.alsoApp}::uuid and ${wants}`
          : sql``
      }
    ) matched
    returning id`,
  );
  if (inserted.length > 0) nudgeWebhookWorkers();
}

/** Queues one message for one endpoint, whatever it subscribes to (tests, replays of none). */
export async function enqueueForEndpoint(
  db: Db | Tx,
  input: {
    endpointId: string;
    accountId: string;
    type: WebhookEventType;
    data: Record<string, unknown>;
  },
): Promise<string> {
  const at = new Date();
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`
    insert into webhook_deliveries
      (message_id, endpoint_id, account_id, event_type, body, next_attempt_at, created_at)
    values (${generateMessageId()}, ${input.endpointId}::uuid, ${input.accountId}::uuid,
      ${input.type}, ${messageBody(input.type, at, input.data)}, ${at.toISOString()}::timestamptz,
      ${at.toISOString()}::timestamptz)
    returning id`,
  );
  nudgeWebhookWorkers();
  return row!.id;
}
