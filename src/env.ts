import { z } from 'zod';
import { isWellFormedApiKey } from './modules/api-key/api-key.token.js';

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

const rawEnvSchema = z.object({
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
  WS_MAX_PAYLOAD_BYTES: positiveInt.default(64 * 1024),
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt.default(3000),
  WS_KEEPALIVE_MS: positiveInt.default(12_000),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: positiveInt.max(10_000).default(20),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  INGEST_MAX_BODY_BYTES: positiveInt.default(4 * 1024 * 1024),
  INGEST_BATCH_EVENTS: positiveInt.default(5000),
  INGEST_FLUSH_INTERVAL_MS: z.coerce.number().int().min(0).default(5),
  INGEST_MAX_QUEUED_EVENTS: positiveInt.default(200_000),
  INGEST_MAX_EVENT_AGE_DAYS: positiveInt.default(30),
  INGEST_MAX_FUTURE_SECONDS: z.coerce.number().int().min(0).default(300),
});

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
    /** Largest accepted WebSocket frame. */
    wsMaxPayloadBytes: number;
    wsConnectionInitTimeoutMs: number;
    wsKeepAliveMs: number;
    /** Subscriptions one WebSocket may run at once; the next subscribe gets an error. */
    wsMaxSubscriptionsPerSocket: number;
    /** Relay connections accept `first`/`last` in 1..maxPageSize. */
    maxPageSize: number;
    defaultPageSize: number;
  };
  shutdownTimeoutMs: number;
  ingest: {
    maxBodyBytes: number;
    /** Events per POST /ingest request, and per recordMetrics call. */
    maxEventsPerRequest: number;
    maxEventsPerMutation: number;
    batchEvents: number;
    flushIntervalMs: number;
    maxQueuedEvents: number;
    maxEventAgeMs: number;
    maxFutureMs: number;
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
      wsMaxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
      wsConnectionInitTimeoutMs: env.WS_CONNECTION_INIT_TIMEOUT_MS,
      wsKeepAliveMs: env.WS_KEEPALIVE_MS,
      wsMaxSubscriptionsPerSocket: env.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxPageSize: 100,
      defaultPageSize: 20,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    ingest: {
      maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
      maxEventsPerRequest: 10_000,
      maxEventsPerMutation: 1_000,
      batchEvents: env.INGEST_BATCH_EVENTS,
      flushIntervalMs: env.INGEST_FLUSH_INTERVAL_MS,
      maxQueuedEvents: env.INGEST_MAX_QUEUED_EVENTS,
      maxEventAgeMs: env.INGEST_MAX_EVENT_AGE_DAYS * 86_400_000,
      maxFutureMs: env.INGEST_MAX_FUTURE_SECONDS * 1000,
    },
  };
}
