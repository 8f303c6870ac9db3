import { existsSync } from 'node:fs';
import { z } from 'zod';
import { isWellFormedApiKey } from './modules/api-key/api-key.token.js';
import { MIN_SIGNING_KEY_LENGTH, parseSigningKeys } from './lib/signed-link.js';
import { isMailbox } from './modules/mail/address.js';

/** Where the embedded database lives when DATABASE_URL is unset (relative to the working dir). */
export const DEFAULT_PGLITE_DIR = './.data/pglite';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const positiveInt = z.coerce.number().int().positive();

const databaseUrl = z
  .string()
  .refine(
    (value) =>
      value === 'memory://' ||
      value.startsWith('postgres://') ||
      value.startsWith('postgresql://') ||
      value.startsWith('file://'),
    'must be memory://, file://<dir> (embedded PGlite) or postgres://user@host:port/db',
  )
  .optional();

/** A private signing key as a JSON JWK: RSA (RS256) or EC P-256 (ES256). */
const privateJwk = z.string().transform((value, context) => {
  try {
    const jwk: unknown = JSON.parse(value);
    if (
      typeof jwk === 'object' &&
      jwk !== null &&
      'd' in jwk &&
      'kty' in jwk &&
      (jwk.kty === 'RSA' || (jwk.kty === 'EC' && 'crv' in jwk && jwk.crv === 'P-256'))
    )
      return jwk as JsonWebKey;
  } catch {
    // reported below
  }
  context.addIssue({
    code: 'custom',
    message: 'must be a private JWK as JSON (RSA, or EC with crv P-256), including "d"',
  });
  return z.NEVER;
});

export const rawEnvSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_SIZE: positiveInt.max(1000).default(10),
  DATABASE_ACQUIRE_TIMEOUT_MS: positiveInt.default(2000),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt.default(5000),
  DEMO: booleanFlag.optional(),
  DEMO_TRAFFIC: booleanFlag.default(true),
  DEMO_API_KEY: z
    .string()
    .refine(isWellFormedApiKey, 'must be a Pulse API key (run `npm run cli -- apikey generate`)')
    .optional(),
  GRAPHIQL: booleanFlag.default(true),
  INTROSPECTION: booleanFlag.default(true),
  GRAPHQL_MAX_BODY_BYTES: positiveInt.default(64 * 1024),
  GRAPHQL_MAX_CONCURRENT_OPERATIONS: positiveInt.max(10_000).default(20),
  GRAPHQL_MAX_RESPONSE_BYTES: positiveInt.default(2 * 1024 * 1024),
  WS_MAX_PAYLOAD_BYTES: positiveInt.default(64 * 1024),
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt.default(3000),
  WS_KEEPALIVE_MS: positiveInt.default(12_000),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: positiveInt.max(10_000).default(20),
  WS_MAX_SUBSCRIBES_PER_WINDOW: positiveInt.max(100_000).default(100),
  WS_SUBSCRIBE_WINDOW_MS: positiveInt.default(10_000),
  WS_MAX_BUFFERED_BYTES: positiveInt.default(1024 * 1024),
  VIRAL_WINDOW_MINUTES: positiveInt.max(60).default(5),
  VIRAL_BASELINE_MINUTES: positiveInt.max(24 * 60).default(60),
  VIRAL_FACTOR: z.coerce.number().min(1).default(5),
  VIRAL_MIN_VIEWS: positiveInt.default(1000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  INGEST_MAX_BODY_BYTES: positiveInt.default(4 * 1024 * 1024),
  INGEST_BATCH_EVENTS: positiveInt.default(5000),
  INGEST_FLUSH_INTERVAL_MS: z.coerce.number().int().min(0).default(5),
  INGEST_MAX_QUEUED_EVENTS: positiveInt.default(200_000),
  INGEST_WRITERS: positiveInt.max(32).optional(),
  INGEST_MAX_EVENT_AGE_DAYS: positiveInt.default(30),
  INGEST_MAX_FUTURE_SECONDS: z.coerce.number().int().min(0).default(300),
  DASHBOARDS: booleanFlag.default(true),
  DASHBOARDS_OAUTH: booleanFlag.default(true),
  RETENTION_RAW_EVENTS_DAYS: positiveInt.default(90),
  RETENTION_HOURLY_DAYS: positiveInt.min(2).default(395),
  RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
  RETENTION_BATCH_ROWS: positiveInt.max(1_000_000).default(5000),
  API_KEY_ROTATION_GRACE_HOURS: z.coerce.number().min(0).max(720).default(24),
  OAUTH_ISSUER: z.url().optional(),
  OAUTH_AUDIENCE: z.string().min(1).optional(),
  OAUTH_SIGNING_KEY: privateJwk.optional(),
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: positiveInt.max(86_400).default(3600),
  OAUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  RATE_LIMIT_ENABLED: booleanFlag.default(true),
  RATE_LIMIT_STORE: z.enum(['memory', 'redis', 'postgres']).optional(),
  RATE_LIMIT_REDIS_URL: z
    .string()
    .refine((value) => /^rediss?:\/\//.test(value), 'must be redis://host:port or rediss://…')
    .optional(),
  COST_LIMIT_ENABLED: booleanFlag.default(true),
  GRAPHQL_MAX_DEPTH: positiveInt.max(100).default(8),
  GRAPHQL_MAX_ALIASES: positiveInt.max(1000).default(15),
  GRAPHQL_MAX_TOKENS: positiveInt.max(100_000).default(1000),
  GRAPHQL_MAX_DIRECTIVES: positiveInt.max(1000).default(10),
  PERSISTED_DOCUMENTS_PATH: z.string().refine(existsSync, 'no such file').optional(),
  PERSISTED_DOCUMENTS_ONLY: z.enum(['off', 'first-party', 'all']).default('off'),
  FIRST_PARTY_CLIENTS: z.string().default('pulse-dashboards'),
  USAGE_FLUSH_INTERVAL_MS: positiveInt.default(5000),
  // Webhooks: delivery, egress (SSRF) rules, secrets at rest, retention.
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(0).max(1000).default(50),
  WEBHOOK_TIMEOUT_MS: positiveInt.max(60_000).default(15_000),
  WEBHOOK_POLL_INTERVAL_MS: positiveInt.max(60_000).default(1000),
  WEBHOOK_ALLOW_HTTP: booleanFlag.default(false),
  WEBHOOK_ALLOW_HOSTS: z.string().default(''),
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine(
      (value) => Buffer.from(value, 'base64').length === 32,
      'must be 32 bytes, base64 (e.g. from `openssl rand -base64 32`)',
    )
    .optional(),
  WEBHOOK_SECRET_ROTATION_GRACE_HOURS: z.coerce.number().min(0).max(720).default(24),
  WEBHOOK_RETENTION_DAYS: positiveInt.max(3650).default(30),
  // Exports and email: export storage, signed download links, mail (SMTP or captured to files).
  EXPORTS_ENABLED: booleanFlag.optional(),
  EXPORT_STORAGE: z.enum(['local', 's3']).default('local'),
  EXPORT_DIR: z.string().min(1).default('./.data/exports'),
  EXPORT_SIGNING_KEYS: z
    .string()
    .refine(
      (value) => parseSigningKeys(value).every((key) => key.length >= MIN_SIGNING_KEY_LENGTH),
      `every comma-separated key must be at least ${MIN_SIGNING_KEY_LENGTH} characters`,
    )
    .optional(),
  S3_ENDPOINT: z
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL')
    .optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.optional(),
  S3_PREFIX: z.string().optional(),
  SMTP_URL: z
    .string()
    .refine((value) => /^smtps?:\/\/\S+$/.test(value) && URL.canParse(value), {
      message: 'must be smtp://[user:password@]host[:port] or smtps://…',
    })
    .optional(),
  MAIL_FROM: z
    .string()
    .refine(isMailbox, 'must be an address, or "Name <address>"')
    .default('Pulse <pulse@localhost>'),
  MAIL_CAPTURE_DIR: z.string().min(1).default('./.data/mail'),
  EXPORT_MAX_ROWS: positiveInt.max(10_000_000).default(1_000_000),
  EXPORT_MAX_BYTES: positiveInt.default(512 * 1024 * 1024),
  EXPORT_LINK_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 7)
    .default(24),
  EXPORT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(7),
  // Background jobs (report runs, exports): the pg-boss queue in the same database.
  JOB_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(3),
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
});

export type EnvKey = keyof typeof rawEnvSchema.shape;

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | undefined }
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      acquireTimeoutMs: number;
      statementTimeoutMs: number;
    };

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  port: number;
  host: string;
  /** Base URL printed in logs and used for links; derived from HOST/PORT when unset. */
  publicUrl: string | undefined;
  logLevel: string;
  database: DatabaseConfig;
  /** traffic: keep the demo videos gaining views (demo mode only). */
  demo: { enabled: boolean; apiKey: string | undefined; traffic: boolean };
  graphiql: boolean;
  introspection: boolean;
  limits: {
    /** Largest accepted /graphql request body. */
    graphqlMaxBodyBytes: number;
    /** Queries and mutations executing at once; the rest wait, and leave if their client does. */
    graphqlMaxConcurrentOperations: number;
    /** Largest answer (a result, a subscription event) on any transport; bigger is an error. */
    graphqlMaxResponseBytes: number;
    /** Largest accepted WebSocket frame. */
    wsMaxPayloadBytes: number;
    wsConnectionInitTimeoutMs: number;
    wsKeepAliveMs: number;
    /** Subscriptions one WebSocket may run at once; the next subscribe gets an error. */
    wsMaxSubscriptionsPerSocket: number;
    /** More subscribe messages than this within wsSubscribeWindowMs close the socket (1008). */
    wsMaxSubscribesPerWindow: number;
    wsSubscribeWindowMs: number;
    /** A socket whose unsent data passes this is closed (1013): the client reads too slowly. */
    wsMaxBufferedBytes: number;
    /** Relay connections accept `first`/`last` in 1..maxPageSize. */
    maxPageSize: number;
    defaultPageSize: number;
  };
  shutdownTimeoutMs: number;
  /** Serve the React dashboards at / (built from client/ at first start when stale). */
  /** oauth: offer "Sign in with Pulse" (authorization code + PKCE, the built-in public client). */
  dashboards: { enabled: boolean; oauth: boolean };
  /** Viral alert: views in the last windowMinutes ≥ minViews and ≥ factor × the baseline rate. */
  viral: { windowMinutes: number; baselineMinutes: number; factor: number; minViews: number };
  auth: {
    /** How long a rotated API key's previous secret keeps working. */
    apiKeyRotationGraceMs: number;
    oauth: {
      /** An external issuer replacing the built-in authorization server; unset = built-in. */
      issuer: string | undefined;
      /** Expected `aud` of access tokens; unset = `<public URL>/graphql`. */
      audience: string | undefined;
      /** Built-in server's signing key; unset = generated once and kept in the database. */
      signingKey: JsonWebKey | undefined;
      accessTokenTtlSeconds: number;
      clockToleranceSeconds: number;
    };
  };
  /** Rate limits, query cost, request hardening, persisted documents, usage (src/plugins). */
  protection: ProtectionConfig;
  ingest: {
    maxBodyBytes: number;
    /** Events per POST /ingest request, and per recordMetrics call. */
    maxEventsPerRequest: number;
    maxEventsPerMutation: number;
    batchEvents: number;
    flushIntervalMs: number;
    maxQueuedEvents: number;
    /** Batch transactions in flight at once. */
    writers: number;
    maxEventAgeMs: number;
    maxFutureMs: number;
  };
  /**
   * How long each layer of the read model is kept (daily rollups forever). The raw event log is
   * also the dedup index, so events must be refused before they could be pruned.
   */
  retention: {
    rawEventsDays: number;
    hourlyDays: number;
    /** 0 = the periodic job is off. */
    intervalMs: number;
    batchRows: number;
  };
  webhooks: WebhookConfig;
  /** Export files, their signed download links, and mail (reports' delivery). */
  exports: {
    /** Unset EXPORTS_ENABLED: on, except in production outside demo mode without signing keys. */
    enabled: boolean;
    storage: ExportStorageConfig;
    /** HMAC keys for download links, [0] signs; empty = a key made at boot (resolveSigningKeys). */
    signingKeys: string[];
    maxRows: number;
    maxBytes: number;
    linkTtlMs: number;
    retentionMs: number;
  };
  jobs: JobQueueConfig;
  mail: MailConfig;
}

export type ExportStorageConfig = { kind: 'local'; dir: string } | S3StorageConfig;

export interface S3StorageConfig {
  kind: 's3';
  /** An S3-compatible server (MinIO, …); unset = AWS. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Both or neither; neither = the AWS SDK's default credential chain. */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
  /** Put before every key: '' or ending in '/'. */
  prefix: string;
}

export interface MailConfig {
  /** smtp when SMTP_URL is set; capture writes each message to captureDir instead. */
  transport: 'smtp' | 'capture';
  /** Holds the SMTP password: never log it. */
  smtpUrl: string | undefined;
  from: string;
  captureDir: string;
}

/** The background job queue (src/lib/job-queue.ts). */
export interface JobQueueConfig {
  /** Jobs this instance runs at once; 0 = this instance only enqueues (an API-only node). */
  workers: number;
  /** A worker that stops heart-beating this long (it crashed) loses its job to a retry. */
  heartbeatSeconds: number;
  retryLimit: number;
  /** First retry delay; later ones double (with jitter). */
  retryDelaySeconds: number;
}

export type Tier = 'free' | 'pro' | 'enterprise' | 'anonymous';

export interface TierLimits {
  /** Operations per minute (fixed window from the first operation). */
  perMinute: number;
  /** Operations per UTC day; null = no daily cap. */
  perDay: number | null;
  /** Largest query cost one operation may have. */
  maxCost: number;
}

/**
 * Per tier (users.plan). Anonymous callers (introspection only) are limited per IP address.
 * Product decisions, not deployment settings, so they live here rather than in the environment.
 */
export const TIER_LIMITS: Readonly<Record<Tier, TierLimits>> = {
  free: { perMinute: 10, perDay: 1000, maxCost: 500 },
  pro: { perMinute: 100, perDay: 10_000, maxCost: 2000 },
  enterprise: { perMinute: 1000, perDay: null, maxCost: 10_000 },
  anonymous: { perMinute: 10, perDay: 1000, maxCost: 500 },
};

export interface ProtectionConfig {
  tiers: Readonly<Record<Tier, TierLimits>>;
  rateLimit: {
    enabled: boolean;
    /** Where counters live: this process, Redis (shared), or PostgreSQL (shared). */
    store: 'memory' | 'redis' | 'postgres';
    redisUrl: string | undefined;
  };
  /** Off: cost is still computed and reported, never enforced. */
  costLimit: { enabled: boolean };
  armor: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    /** Strip "Did you mean …" suggestions (they leak field names); on in production. */
    blockSuggestions: boolean;
  };
  persistedDocuments: {
    /** JSON manifest `{ hash: document }` (graphql-codegen client-preset `persistedDocuments`). */
    path: string | undefined;
    /** Who must send known documents: nobody, first-party clients, or everyone. */
    only: 'off' | 'first-party' | 'all';
    /** Client names (`apollographql-client-name`/`x-pulse-client`) and OAuth client ids. */
    firstPartyClients: string[];
  };
  usageFlushIntervalMs: number;
}

function toProtectionConfig(env: z.infer<typeof rawEnvSchema>): ProtectionConfig {
  const store = env.RATE_LIMIT_STORE ?? (env.RATE_LIMIT_REDIS_URL ? 'redis' : 'memory');
  if (store === 'redis' && !env.RATE_LIMIT_REDIS_URL) {
    throw new ConfigError(['RATE_LIMIT_REDIS_URL: required when RATE_LIMIT_STORE=redis']);
  }
  return {
    tiers: TIER_LIMITS,
    rateLimit: { enabled: env.RATE_LIMIT_ENABLED, store, redisUrl: env.RATE_LIMIT_REDIS_URL },
    costLimit: { enabled: env.COST_LIMIT_ENABLED },
    armor: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      blockSuggestions: env.NODE_ENV === 'production',
    },
    persistedDocuments: {
      path: env.PERSISTED_DOCUMENTS_PATH,
      only: env.PERSISTED_DOCUMENTS_ONLY,
      firstPartyClients: env.FIRST_PARTY_CLIENTS.split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    },
    usageFlushIntervalMs: env.USAGE_FLUSH_INTERVAL_MS,
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function toDatabaseConfig(env: z.infer<typeof rawEnvSchema>): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url === undefined) return { kind: 'pglite', dataDir: DEFAULT_PGLITE_DIR };
  if (url === 'memory://') return { kind: 'pglite', dataDir: undefined };
  if (url.startsWith('file://')) return { kind: 'pglite', dataDir: url.slice('file://'.length) };
  return {
    kind: 'postgres',
    url,
    poolSize: env.DATABASE_POOL_SIZE,
    acquireTimeoutMs: env.DATABASE_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  };
}

/** Settings a command line tool lays around the environment: its defaults under, its flags over. */
export interface ConfigLayers {
  defaults?: Record<string, string>;
  /** Flags the user gave; undefined ones leave the environment's value alone. */
  overrides?: Record<string, string | undefined>;
}

/** loadConfig over the environment, with a command's own defaults and flags. */
export function loadConfigWith({ defaults = {}, overrides = {} }: ConfigLayers): Config {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return loadConfig({ ...defaults, ...process.env, ...Object.fromEntries(given) });
}

/**
 * Reads and validates configuration. Every problem is reported at once so an operator fixes
 * them in one go. Empty strings count as unset, as shells and .env files often produce them.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = rawEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  if (env.INGEST_MAX_EVENT_AGE_DAYS >= env.RETENTION_RAW_EVENTS_DAYS) {
    // A pruned event id would be accepted again if its occurredAt were still ingestible.
    throw new ConfigError([
      `INGEST_MAX_EVENT_AGE_DAYS (${env.INGEST_MAX_EVENT_AGE_DAYS}) must be less than RETENTION_RAW_EVENTS_DAYS (${env.RETENTION_RAW_EVENTS_DAYS})`,
    ]);
  }
  const database = toDatabaseConfig(env);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    logLevel: env.LOG_LEVEL,
    database,
    demo: {
      enabled: env.DEMO ?? database.kind === 'pglite',
      apiKey: env.DEMO_API_KEY,
      traffic: env.DEMO_TRAFFIC,
    },
    graphiql: env.GRAPHIQL,
    introspection: env.INTROSPECTION,
    limits: {
      graphqlMaxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      graphqlMaxConcurrentOperations: env.GRAPHQL_MAX_CONCURRENT_OPERATIONS,
      graphqlMaxResponseBytes: env.GRAPHQL_MAX_RESPONSE_BYTES,
      wsMaxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
      wsConnectionInitTimeoutMs: env.WS_CONNECTION_INIT_TIMEOUT_MS,
      wsKeepAliveMs: env.WS_KEEPALIVE_MS,
      wsMaxSubscriptionsPerSocket: env.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      wsMaxSubscribesPerWindow: env.WS_MAX_SUBSCRIBES_PER_WINDOW,
      wsSubscribeWindowMs: env.WS_SUBSCRIBE_WINDOW_MS,
      wsMaxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
      maxPageSize: 100,
      defaultPageSize: 20,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    dashboards: { enabled: env.DASHBOARDS, oauth: env.DASHBOARDS_OAUTH },
    viral: {
      windowMinutes: env.VIRAL_WINDOW_MINUTES,
      baselineMinutes: env.VIRAL_BASELINE_MINUTES,
      factor: env.VIRAL_FACTOR,
      minViews: env.VIRAL_MIN_VIEWS,
    },
    auth: {
      apiKeyRotationGraceMs: env.API_KEY_ROTATION_GRACE_HOURS * 3_600_000,
      oauth: {
        // Kept exactly as given: `iss` must match it character for character (some IdPs end in /).
        issuer: env.OAUTH_ISSUER,
        audience: env.OAUTH_AUDIENCE,
        signingKey: env.OAUTH_SIGNING_KEY,
        accessTokenTtlSeconds: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
        clockToleranceSeconds: env.OAUTH_CLOCK_TOLERANCE_SECONDS,
      },
    },
    protection: toProtectionConfig(env),
    ingest: {
      maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
      maxEventsPerRequest: 10_000,
      maxEventsPerMutation: 1_000,
      batchEvents: env.INGEST_BATCH_EVENTS,
      flushIntervalMs: env.INGEST_FLUSH_INTERVAL_MS,
      maxQueuedEvents: env.INGEST_MAX_QUEUED_EVENTS,
      // PGlite runs one statement at a time: overlapping transactions would only queue there.
      writers: env.INGEST_WRITERS ?? (database.kind === 'pglite' ? 1 : 2),
      maxEventAgeMs: env.INGEST_MAX_EVENT_AGE_DAYS * 86_400_000,
      maxFutureMs: env.INGEST_MAX_FUTURE_SECONDS * 1000,
    },
    retention: {
      rawEventsDays: env.RETENTION_RAW_EVENTS_DAYS,
      hourlyDays: env.RETENTION_HOURLY_DAYS,
      intervalMs: env.RETENTION_INTERVAL_MINUTES * 60_000,
      batchRows: env.RETENTION_BATCH_ROWS,
    },
    webhooks: toWebhookConfig(env),
    jobs: {
      workers: env.JOB_WORKERS,
      heartbeatSeconds: env.JOB_HEARTBEAT_SECONDS,
      retryLimit: env.JOB_RETRY_LIMIT,
      retryDelaySeconds: env.JOB_RETRY_DELAY_SECONDS,
    },
    exports: toExportsConfig(env, env.DEMO ?? database.kind === 'pglite'),
    mail: {
      transport: env.SMTP_URL ? 'smtp' : 'capture',
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      captureDir: env.MAIL_CAPTURE_DIR,
    },
  };
}

function toExportsConfig(env: z.infer<typeof rawEnvSchema>, demo: boolean): Config['exports'] {
  const problems: string[] = [];
  const signingKeys = parseSigningKeys(env.EXPORT_SIGNING_KEYS);
  // A key made at boot would break every link at each restart and across instances: fine for a
  // demo, not for production. Unset EXPORTS_ENABLED keeps an upgraded production server starting.
  const keysRequired = env.NODE_ENV === 'production' && !demo;
  const enabled = env.EXPORTS_ENABLED ?? (!keysRequired || signingKeys.length > 0);
  if (enabled && keysRequired && signingKeys.length === 0)
    problems.push(
      'EXPORT_SIGNING_KEYS: required in production (outside demo mode) when EXPORTS_ENABLED=true; give one or more comma-separated keys of at least 32 characters (e.g. from `openssl rand -base64 48`)',
    );
  let storage: ExportStorageConfig = { kind: 'local', dir: env.EXPORT_DIR };
  if (env.EXPORT_STORAGE === 's3') {
    if (!env.S3_BUCKET) problems.push('S3_BUCKET: required when EXPORT_STORAGE=s3');
    if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY)
      problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: give both, or neither');
    const prefix = (env.S3_PREFIX ?? '').replace(/^\/+/, '');
    storage = {
      kind: 's3',
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET ?? '',
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE ?? env.S3_ENDPOINT !== undefined,
      prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    };
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    enabled,
    storage,
    signingKeys,
    maxRows: env.EXPORT_MAX_ROWS,
    maxBytes: env.EXPORT_MAX_BYTES,
    linkTtlMs: env.EXPORT_LINK_TTL_HOURS * 3_600_000,
    retentionMs: env.EXPORT_RETENTION_DAYS * 86_400_000,
  };
}

export interface WebhookConfig {
  /** Attempts in flight per instance; 0 = this instance delivers none (others do). */
  concurrency: number;
  timeoutMs: number;
  pollIntervalMs: number;
  /** Plain http endpoints accepted (development). */
  allowHttp: boolean;
  /** Hosts or IP addresses reachable although private or loopback (exact match); empty in production. */
  allowHosts: ReadonlySet<string>;
  /** AES-256 key for endpoint secrets at rest; unset = one generated and kept in the database. */
  secretKey: Buffer | undefined;
  rotationGraceMs: number;
  retentionMs: number;
}

function toWebhookConfig(env: z.infer<typeof rawEnvSchema>): WebhookConfig {
  return {
    concurrency: env.WEBHOOK_CONCURRENCY,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    pollIntervalMs: env.WEBHOOK_POLL_INTERVAL_MS,
    allowHttp: env.WEBHOOK_ALLOW_HTTP,
    allowHosts: new Set(
      env.WEBHOOK_ALLOW_HOSTS.split(',')
        .map((host) =>
          host
            .trim()
            .toLowerCase()
            .replace(/^\[(.*)\]$/, '$1'),
        )
        .filter(Boolean),
    ),
    secretKey: env.WEBHOOK_SECRET_KEY ? Buffer.from(env.WEBHOOK_SECRET_KEY, 'base64') : undefined,
    rotationGraceMs: env.WEBHOOK_SECRET_ROTATION_GRACE_HOURS * 3_600_000,
    retentionMs: env.WEBHOOK_RETENTION_DAYS * 86_400_000,
  };
}
