import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const PLATFORMS = ['youtube', 'tiktok', 'instagram', 'twitter'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const PLANS = ['free', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];
export const VIDEO_STATUSES = ['draft', 'processing', 'ready', 'published', 'failed'] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

export const platformEnum = pgEnum('platform', PLATFORMS);
export const metricEnum = pgEnum('metric', [
  'views',
  'likes',
  'shares',
  'comments',
  'saves',
  'clicks',
  'impressions',
  'reach',
  'watch_seconds',
]);
export const planEnum = pgEnum('plan', PLANS);
export const videoStatusEnum = pgEnum('video_status', VIDEO_STATUSES);

export interface UserSettings {
  emailNotifications: boolean;
  weeklyDigest: boolean;
  theme: 'light' | 'dark' | 'system';
}

export const DEFAULT_USER_SETTINGS: UserSettings = {
  emailNotifications: true,
  weeklyDigest: true,
  theme: 'system',
};

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};

/** Counts fit in a JS number (2^53) for any realistic platform; bigint keeps SQL sums exact. */
const count = () => bigint({ mode: 'number' }).notNull().default(0);

/** The nine metrics, as columns; shared by every counter and rollup table. */
export const metricColumns = () => ({
  views: count(),
  likes: count(),
  shares: count(),
  comments: count(),
  saves: count(),
  clicks: count(),
  impressions: count(),
  reach: count(),
  watchSeconds: count(),
});

export const METRIC_KEYS = [
  'views',
  'likes',
  'shares',
  'comments',
  'saves',
  'clicks',
  'impressions',
  'reach',
  'watchSeconds',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type MetricValues = Record<MetricKey, number>;

export const userTable = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    plan: planEnum().notNull().default('free'),
    timezone: text().notNull().default('UTC'),
    /** scrypt hash for the authorization server's login page; null = no password login. */
    passwordHash: text(),
    settings: jsonb().$type<UserSettings>().notNull().default(DEFAULT_USER_SETTINGS),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_idx').on(t.email)],
);

export const channelTable = pgTable(
  'channels',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    platform: platformEnum().notNull(),
    handle: text().notNull(),
    externalId: text().notNull(),
    name: text().notNull(),
    followers: count(),
    ...timestamps,
  },
  (t) => [
    index('channels_owner_id_platform_idx').on(t.ownerId, t.platform),
    uniqueIndex('channels_platform_external_id_idx').on(t.platform, t.externalId),
  ],
);

export const videoTable = pgTable(
  'videos',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    description: text().notNull().default(''),
    url: text(),
    thumbnailUrl: text(),
    durationSeconds: integer(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: videoStatusEnum().notNull().default('draft'),
    processingProgress: integer().notNull().default(0),
    ...timestamps,
    publishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('videos_owner_id_created_at_id_idx').on(t.ownerId, t.createdAt, t.id),
    // Unpublished videos sort as the oldest, so keyset cursors never meet a NULL.
    index('videos_owner_id_published_at_id_idx').on(
      t.ownerId,
      sql`coalesce(${t.publishedAt}, '-infinity'::timestamptz)`,
      t.id,
    ),
    index('videos_owner_id_title_id_idx').on(t.ownerId, t.title, t.id),
    index('videos_owner_id_status_idx').on(t.ownerId, t.status),
    index('videos_tags_idx').using('gin', t.tags),
    check('videos_processing_progress_check', sql`${t.processingProgress} between 0 and 100`),
    check('videos_duration_seconds_check', sql`${t.durationSeconds} >= 0`),
  ],
);

export const publicationTable = pgTable(
  'publications',
  {
    id: uuid().primaryKey().defaultRandom(),
    videoId: uuid()
      .notNull()
      .references(() => videoTable.id, { onDelete: 'cascade' }),
    channelId: uuid()
      .notNull()
      .references(() => channelTable.id, { onDelete: 'cascade' }),
    // Denormalized from the video so authorization and analytics never need the join.
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    platform: platformEnum().notNull(),
    platformPostId: text(),
    url: text(),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('publications_video_id_platform_idx').on(t.videoId, t.platform),
    // Per owner: a post id another account claims must neither block nor reveal anything.
    uniqueIndex('publications_owner_id_platform_platform_post_id_idx').on(
      t.ownerId,
      t.platform,
      t.platformPostId,
    ),
    index('publications_channel_id_idx').on(t.channelId),
    index('publications_owner_id_idx').on(t.ownerId),
  ],
);

/** Lifetime totals per publication; always equal to a recount of the event log. */
export const publicationCounterTable = pgTable('publication_counters', {
  publicationId: uuid()
    .primaryKey()
    .references(() => publicationTable.id, { onDelete: 'cascade' }),
  ...metricColumns(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Lifetime totals per video: the sum of its publications' counters, written in the same
 * transaction. It exists so the content list can sort by a metric through an index instead of
 * aggregating every publication of the owner on each page.
 */
export const videoCounterTable = pgTable(
  'video_counters',
  {
    videoId: uuid()
      .primaryKey()
      .references(() => videoTable.id, { onDelete: 'cascade' }),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    ...metricColumns(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('video_counters_owner_id_views_idx').on(t.ownerId, t.views, t.videoId),
    index('video_counters_owner_id_likes_idx').on(t.ownerId, t.likes, t.videoId),
  ],
);

export const apiKeyTable = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    prefix: text().notNull(),
    hash: text().notNull(),
    scopes: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    disabledAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    /** The secret's hash before the last rotation; accepted until previousHashExpiresAt. */
    previousHash: text(),
    previousHashExpiresAt: timestamp({ withTimezone: true }),
    rotatedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_prefix_idx').on(t.prefix),
    index('api_keys_owner_id_idx').on(t.ownerId),
  ],
);

/**
 * The event log: every acknowledged metric event, once (the primary key is the idempotency
 * key, namespaced per owner). `delta` is what the event added to its counter; for a cumulative
 * snapshot (`total` set) it is the derived increase, so counters always equal a recount.
 */
export const metricEventTable = pgTable(
  'metric_events',
  {
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    eventId: text().notNull(),
    publicationId: uuid()
      .notNull()
      .references(() => publicationTable.id, { onDelete: 'cascade' }),
    metric: metricEnum().notNull(),
    delta: bigint({ mode: 'number' }).notNull(),
    total: bigint({ mode: 'number' }),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.eventId] }),
    index('metric_events_publication_id_metric_idx').on(t.publicationId, t.metric),
    index('metric_events_occurred_at_idx').on(t.occurredAt),
  ],
);

const rollupDimensions = () => ({
  ownerId: uuid()
    .notNull()
    .references(() => userTable.id, { onDelete: 'cascade' }),
  videoId: uuid()
    .notNull()
    .references(() => videoTable.id, { onDelete: 'cascade' }),
  channelId: uuid()
    .notNull()
    .references(() => channelTable.id, { onDelete: 'cascade' }),
  platform: platformEnum().notNull(),
});

/** Per-publication hourly sums of event deltas (by occurred_at, UTC hours). */
export const publicationHourlyRollupTable = pgTable(
  'publication_hourly_rollups',
  {
    publicationId: uuid()
      .notNull()
      .references(() => publicationTable.id, { onDelete: 'cascade' }),
    hour: timestamp({ withTimezone: true }).notNull(),
    ...rollupDimensions(),
    ...metricColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.publicationId, t.hour] }),
    index('publication_hourly_rollups_owner_id_hour_idx').on(t.ownerId, t.hour),
    index('publication_hourly_rollups_video_id_hour_idx').on(t.videoId, t.hour),
  ],
);

/** Per-publication daily sums of event deltas (the owner's local days, in users.timezone at ingest time). */
export const publicationDailyRollupTable = pgTable(
  'publication_daily_rollups',
  {
    publicationId: uuid()
      .notNull()
      .references(() => publicationTable.id, { onDelete: 'cascade' }),
    day: date({ mode: 'string' }).notNull(),
    ...rollupDimensions(),
    ...metricColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.publicationId, t.day] }),
    index('publication_daily_rollups_owner_id_day_idx').on(t.ownerId, t.day),
    index('publication_daily_rollups_video_id_day_idx').on(t.videoId, t.day),
  ],
);

/** Pre-summed per owner × platform, hourly: what the overview reads. */
export const ownerHourlyRollupTable = pgTable(
  'owner_hourly_rollups',
  {
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    platform: platformEnum().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    ...metricColumns(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.platform, t.hour] })],
);

/** Pre-summed per owner × platform, daily (the owner's local days). */
export const ownerDailyRollupTable = pgTable(
  'owner_daily_rollups',
  {
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    platform: platformEnum().notNull(),
    day: date({ mode: 'string' }).notNull(),
    ...metricColumns(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.platform, t.day] })],
);

export const NOTIFICATION_KINDS = [
  'milestone',
  'viral',
  'processing_finished',
  'processing_failed',
  'report_run_succeeded',
  'report_run_failed',
  'export_ready',
  'webhook_endpoint_disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const notificationKindEnum = pgEnum('notification_kind', NOTIFICATION_KINDS);

/** A viewer's notifications; `dedupKey` makes raising the same alert twice a no-op. */
export const notificationTable = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    kind: notificationKindEnum().notNull(),
    title: text().notNull(),
    body: text().notNull().default(''),
    videoId: uuid().references(() => videoTable.id, { onDelete: 'cascade' }),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    dedupKey: text(),
    readAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_owner_id_created_at_id_idx').on(t.ownerId, t.createdAt, t.id),
    uniqueIndex('notifications_owner_id_dedup_key_idx').on(t.ownerId, t.dedupKey),
  ],
);

/** Followers, following and posts per channel per day (the owner's local day), for audience growth. */
export const channelAudienceDailyTable = pgTable(
  'channel_audience_daily',
  {
    channelId: uuid()
      .notNull()
      .references(() => channelTable.id, { onDelete: 'cascade' }),
    day: date({ mode: 'string' }).notNull(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    platform: platformEnum().notNull(),
    followers: count(),
    following: count(),
    posts: count(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.day] }),
    index('channel_audience_daily_owner_id_day_idx').on(t.ownerId, t.day),
  ],
);

export const APP_CATEGORIES = [
  'analytics',
  'automation',
  'marketing',
  'publishing',
  'video_editing',
  'social_media',
  'other',
] as const;
export type AppCategory = (typeof APP_CATEGORIES)[number];
export const appCategoryEnum = pgEnum('app_category', APP_CATEGORIES);
export const APP_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type AppStatus = (typeof APP_STATUSES)[number];
export const appStatusEnum = pgEnum('app_status', APP_STATUSES);

/** Third-party OAuth 2.0 clients registered by developers (the app marketplace). */
export const oauthAppTable = pgTable(
  'oauth_apps',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text().notNull().default(''),
    category: appCategoryEnum().notNull(),
    homepageUrl: text(),
    redirectUris: text().array().notNull(),
    scopes: text().array().notNull(),
    clientId: text().notNull(),
    clientSecretHash: text().notNull(),
    status: appStatusEnum().notNull().default('pending'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('oauth_apps_client_id_idx').on(t.clientId),
    index('oauth_apps_owner_id_idx').on(t.ownerId),
    index('oauth_apps_status_idx').on(t.status),
  ],
);

/** A user's grant to an app: which scopes it may use on their behalf. */
export const appInstallTable = pgTable(
  'app_installs',
  {
    appId: uuid()
      .notNull()
      .references(() => oauthAppTable.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    scopes: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    uninstalledAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.appId, t.userId] }),
    index('app_installs_user_id_idx').on(t.userId),
  ],
);

/** Storage for the authorization server's artefacts (grants, codes, sessions, tokens). */
export const oauthStoreTable = pgTable(
  'oauth_store',
  {
    model: text().notNull(),
    id: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    grantId: text(),
    userCode: text(),
    uid: text(),
    expiresAt: timestamp({ withTimezone: true }),
    consumedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oauth_store_grant_id_idx').on(t.grantId),
    index('oauth_store_uid_idx').on(t.uid),
    index('oauth_store_expires_at_idx').on(t.expiresAt),
  ],
);

/** Operations and query cost per credential per UTC day: the usage dashboard's source. */
export const usageDailyTable = pgTable(
  'usage_daily',
  {
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    /** `api_key:<id>`, `oauth:<client id>` or `session`. */
    credential: text().notNull(),
    day: date({ mode: 'string' }).notNull(),
    operations: count(),
    cost: count(),
    rejected: count(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.credential, t.day] })],
);

/**
 * rate-limiter-flexible's PostgreSQL store (RATE_LIMIT_STORE=postgres), in the shape it expects;
 * created here rather than by the library so instances starting together never race on DDL.
 */
export const rateLimitTable = pgTable('pulse_rate_limits', {
  key: varchar({ length: 255 }).primaryKey(),
  points: integer().notNull().default(0),
  expire: bigint({ mode: 'number' }),
});

export type User = typeof userTable.$inferSelect;
export type Channel = typeof channelTable.$inferSelect;
export type Video = typeof videoTable.$inferSelect;
export type Publication = typeof publicationTable.$inferSelect;
export type PublicationCounter = typeof publicationCounterTable.$inferSelect;
export type VideoCounter = typeof videoCounterTable.$inferSelect;
export type ApiKey = typeof apiKeyTable.$inferSelect;
export type Notification = typeof notificationTable.$inferSelect;
export type ChannelAudienceDay = typeof channelAudienceDailyTable.$inferSelect;
export type OAuthApp = typeof oauthAppTable.$inferSelect;
export type AppInstall = typeof appInstallTable.$inferSelect;
