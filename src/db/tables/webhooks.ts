// Webhook endpoints, the delivery outbox and its attempts (src/modules/webhook).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { oauthAppTable, userTable, videoTable } from './core.js';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
export const webhookDeliveryStatusEnum = pgEnum(
  'webhook_delivery_status',
  WEBHOOK_DELIVERY_STATUSES,
);

/**
 * Where events are POSTed. `ownerId` manages it; with `appId` set it is that app's endpoint and
 * receives the events of every account that installed the app, filtered by each install's scopes.
 */
export const webhookEndpointTable = pgTable(
  'webhook_endpoints',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    appId: uuid().references(() => oauthAppTable.id, { onDelete: 'cascade' }),
    url: text().notNull(),
    description: text().notNull().default(''),
    /** Event types it wants; empty = every type. */
    events: text().array().notNull(),
    /** The creating credential's scopes: events needing another scope are never sent to it. */
    scopes: text().array().notNull(),
    /** The signing secret (`whsec_…`), encrypted (AES-256-GCM, see webhook/secrets.ts). */
    secret: text().notNull(),
    /** The secret before the last rotation; it signs too until previousSecretExpiresAt. */
    previousSecret: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    rotatedAt: timestamp({ withTimezone: true }),
    disabledAt: timestamp({ withTimezone: true }),
    /** Why it was disabled: `manual`, `gone` (HTTP 410) or `failing` (5 days of failures). */
    disabledReason: text(),
    /** First failure since the last success; null while healthy. */
    failingSince: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_endpoints_owner_id_created_at_idx').on(t.ownerId, t.createdAt, t.id),
    index('webhook_endpoints_app_id_idx').on(t.appId),
  ],
);

/**
 * The outbox: one row per message per endpoint, written in the transaction of the change that
 * caused it. `messageId` is the `webhook-id` header (the same on retries and replays); `body` is
 * the exact bytes signed and sent. A replay is a new row with the same messageId.
 */
export const webhookDeliveryTable = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    messageId: text().notNull(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpointTable.id, { onDelete: 'cascade' }),
    /** The account the event is about (for an app endpoint: the installing user). */
    accountId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    eventType: text().notNull(),
    body: text().notNull(),
    status: webhookDeliveryStatusEnum().notNull().default('pending'),
    /** Attempts made so far. */
    attempts: integer().notNull().default(0),
    /** When the next attempt is due; while one runs, the end of its lease. */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    lastStatusCode: integer(),
    lastError: text(),
    replayOf: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt, t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_id_created_at_idx').on(t.endpointId, t.createdAt, t.id),
    index('webhook_deliveries_endpoint_id_message_id_idx').on(t.endpointId, t.messageId),
    index('webhook_deliveries_finished_at_idx').on(t.finishedAt),
  ],
);

/** Every attempt of a delivery, for the delivery log. */
export const webhookAttemptTable = pgTable(
  'webhook_delivery_attempts',
  {
    id: uuid().primaryKey().defaultRandom(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveryTable.id, { onDelete: 'cascade' }),
    attempt: integer().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    durationMs: integer().notNull(),
    /** Null when no response came (refused, timed out, blocked). */
    statusCode: integer(),
    error: text(),
    /** The first KiB of the response body. */
    responseExcerpt: text(),
    requestHeaders: jsonb().$type<Record<string, string>>().notNull(),
  },
  (t) => [index('webhook_delivery_attempts_delivery_id_idx').on(t.deliveryId, t.attempt)],
);

export const THRESHOLD_DIRECTIONS = ['above', 'below'] as const;
export type ThresholdDirection = (typeof THRESHOLD_DIRECTIONS)[number];
export const thresholdDirectionEnum = pgEnum('threshold_direction', THRESHOLD_DIRECTIONS);

/**
 * A `metrics.threshold` rule: a metric's sum over the last `windowMinutes`, for one video or
 * the whole account, compared with `threshold`. It fires when the comparison becomes true
 * (`active` remembers that it is, so it fires again only after it was false).
 */
export const webhookThresholdRuleTable = pgTable(
  'webhook_threshold_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    videoId: uuid().references(() => videoTable.id, { onDelete: 'cascade' }),
    metric: text().notNull(),
    direction: thresholdDirectionEnum().notNull(),
    threshold: bigint({ mode: 'number' }).notNull(),
    windowMinutes: integer().notNull(),
    active: boolean().notNull().default(false),
    lastValue: bigint({ mode: 'number' }),
    lastFiredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_threshold_rules_owner_id_idx').on(t.ownerId)],
);

/** The key that encrypts endpoint secrets when WEBHOOK_SECRET_KEY is unset (one row). */
export const webhookKeyTable = pgTable('webhook_keys', {
  id: smallint().primaryKey(),
  key: text().notNull(),
});

export type WebhookEndpoint = typeof webhookEndpointTable.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveryTable.$inferSelect;
export type WebhookAttempt = typeof webhookAttemptTable.$inferSelect;
export type WebhookThresholdRule = typeof webhookThresholdRuleTable.$inferSelect;
