import type { EnvKey } from './env.js';

/** The sections of docs/configuration.md and .env.example, in order. */
export const ENV_GROUPS = [
  'Server',
  'Database',
  'Demo',
  'GraphQL and dashboards',
  'WebSocket',
  'Notifications',
  'Ingestion',
  'Retention',
  'Rate and cost limits',
  'Persisted documents and usage',
  'Authentication',
  'Webhooks',
  'Exports and email',
  'Jobs',
] as const;

export interface EnvDoc {
  group: (typeof ENV_GROUPS)[number];
  /** Markdown, one sentence or two; also the comment above the key in .env.example. */
  description: string;
  /** The default column for a key without a schema default: what leaving it unset does. */
  unset?: string;
  /** The allowed-values column where the schema cannot tell (refinements, transforms). */
  allowed?: string;
}

/**
 * What every key means. `npm run docs:config` renders docs/configuration.md's tables and
 * .env.example from this and the schema's defaults and bounds; tests/docs/config.test.ts fails
 * when either drifts. Rows appear in this order within their group.
 */
export const ENV_DOCS = {
  NODE_ENV: {
    group: 'Server',
    description:
      'runtime mode: `production` drops "Did you mean …?" suggestions from errors; `development` leaves the dashboards to Vite (not built at start)',
  },
  HOST: { group: 'Server', description: 'address to listen on (`0.0.0.0` in a container)' },
  PORT: { group: 'Server', description: 'port to listen on; `0` picks a free port' },
  PUBLIC_URL: {
    group: 'Server',
    unset: 'from `HOST`/`PORT`',
    description:
      'public base URL, an origin (e.g. `https://pulse.example.com`), for links in logs; the OAuth issuer is `<PUBLIC_URL>/oauth` — set it behind a proxy or with several instances',
  },
  LOG_LEVEL: { group: 'Server', description: 'pino level, or `silent`' },
  SHUTDOWN_TIMEOUT_MS: {
    group: 'Server',
    description: 'graceful shutdown: after this long, remaining connections are cut',
  },
  DATABASE_URL: {
    group: 'Database',
    unset: 'embedded PGlite in `./.data/pglite`',
    allowed: '`memory://`, `file:///path`, `postgres://…`',
    description:
      'unset: embedded PGlite persisted under `./.data/pglite` (no PostgreSQL needed); `memory://`: PGlite in memory (gone on exit); `file:///path`: PGlite persisted under `/path`; `postgres://user:password@host:5432/db`: PostgreSQL (15 or newer) through postgres.js',
  },
  DATABASE_POOL_SIZE: {
    group: 'Database',
    description: 'PostgreSQL only: connections in the pool',
  },
  DATABASE_ACQUIRE_TIMEOUT_MS: {
    group: 'Database',
    description:
      'PostgreSQL only: how long to wait for a connection to be established before failing the request (postgres.js has no pool-queue timeout; it pipelines onto busy connections, each bounded by the statement timeout)',
  },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    group: 'Database',
    description:
      'PostgreSQL only: `statement_timeout` for every statement; a connection that hears nothing back for this plus `DATABASE_ACQUIRE_TIMEOUT_MS` (a stalled server) is dropped and its requests get 503 (see [Limits, Database outage](limits.md#database-outage))',
  },
  DEMO: {
    group: 'Demo',
    unset: 'on for PGlite, off for PostgreSQL',
    description:
      'seed an empty database with a demo creator and ~240 videos, and print a demo API key at startup',
  },
  DEMO_API_KEY: {
    group: 'Demo',
    unset: 'kept in the PGlite folder (PostgreSQL: new)',
    allowed: 'a well-formed Pulse API key',
    description:
      "the demo user's key is exactly this (make one with `npm run cli -- apikey generate`); unset: kept in the embedded database's directory (`<dir>/pulse-demo-key`), so it stays the same across restarts; on PostgreSQL a fresh demo key replaces the previous one at every start",
  },
  DEMO_TRAFFIC: {
    group: 'Demo',
    description:
      'in demo mode, keep the demo videos gaining views and likes (through the normal ingest path) at their seeded rates and daily rhythm, the newest ≥ 1 view/2 s, so dashboards and live subscriptions move; `false`: off',
  },
  GRAPHIQL: {
    group: 'GraphQL and dashboards',
    description: 'GraphiQL at `GET /graphql` in a browser (on in production too)',
  },
  INTROSPECTION: {
    group: 'GraphQL and dashboards',
    description: 'schema introspection (on in production too)',
  },
  DASHBOARDS: {
    group: 'GraphQL and dashboards',
    description:
      'serve the React dashboards at `/` (built from `client/` into `client/dist` at start when missing or older than the sources, in a child process); `false`: the API only',
  },
  DASHBOARDS_OAUTH: {
    group: 'GraphQL and dashboards',
    description:
      'offer "Sign in with Pulse" (OAuth + PKCE) on the dashboards\' sign-in page, see [Dashboards](dashboards.md#sign-in-with-pulse-oauth)',
  },
  GRAPHQL_MAX_BODY_BYTES: {
    group: 'GraphQL and dashboards',
    description: 'largest /graphql request body in bytes (413 above)',
  },
  GRAPHQL_MAX_CONCURRENT_OPERATIONS: {
    group: 'GraphQL and dashboards',
    description:
      'queries and mutations executing at once; the rest wait in order, and a waiting request whose client disconnects is dropped before it reaches the database (see [Concurrency](limits.md#concurrency))',
  },
  GRAPHQL_MAX_RESPONSE_BYTES: {
    group: 'GraphQL and dashboards',
    description:
      "largest answer in bytes (a query's JSON result, each subscription event) on HTTP, SSE and WebSocket: a bigger one is replaced by 400 `QUERY_TOO_COMPLEX` (`limit: responseBytes`), so the server never buffers more than this per answer",
  },
  WS_MAX_PAYLOAD_BYTES: {
    group: 'WebSocket',
    description: 'largest WebSocket frame in bytes (the socket is closed with 1009 above)',
  },
  WS_CONNECTION_INIT_TIMEOUT_MS: {
    group: 'WebSocket',
    description:
      'a WebSocket must send `connection_init` within this time (closed with 4408 otherwise)',
  },
  WS_KEEPALIVE_MS: { group: 'WebSocket', description: 'WebSocket keep-alive ping interval' },
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: {
    group: 'WebSocket',
    description:
      'subscriptions one WebSocket may run at once; the next subscribe gets an `error` message (`RATE_LIMITED`) and the socket stays open',
  },
  WS_MAX_SUBSCRIBES_PER_WINDOW: {
    group: 'WebSocket',
    description:
      'more `subscribe` messages than this within `WS_SUBSCRIBE_WINDOW_MS` on one WebSocket (a subscribe/complete flood) close it with 1008; queries and mutations sent over the socket count too',
  },
  WS_SUBSCRIBE_WINDOW_MS: {
    group: 'WebSocket',
    description: 'the window of `WS_MAX_SUBSCRIBES_PER_WINDOW`',
  },
  WS_MAX_BUFFERED_BYTES: {
    group: 'WebSocket',
    description:
      'a WebSocket whose unsent data passes this many bytes (a client that does not read) is closed with 1013, try again later (see [Socket limits](live.md#socket-limits))',
  },
  VIRAL_WINDOW_MINUTES: {
    group: 'Notifications',
    description:
      'viral alert ([Notifications](live.md#notifications)): a video whose views in the last this many minutes reach `VIRAL_MIN_VIEWS` and `VIRAL_FACTOR` times its average per window over the `VIRAL_BASELINE_MINUTES` before; at most one per video per hour',
  },
  VIRAL_BASELINE_MINUTES: {
    group: 'Notifications',
    description: 'viral alert: the baseline before the recent window, in minutes',
  },
  VIRAL_FACTOR: {
    group: 'Notifications',
    description: "viral alert: recent views ≥ this factor × the baseline's average per window",
  },
  VIRAL_MIN_VIEWS: {
    group: 'Notifications',
    description: 'viral alert: and recent views ≥ this floor',
  },
  INGEST_MAX_BODY_BYTES: {
    group: 'Ingestion',
    description:
      'largest `POST /ingest` body in bytes (413 above; at most 10,000 events per request either way)',
  },
  INGEST_BATCH_EVENTS: {
    group: 'Ingestion',
    description: 'events written per transaction by the batching writer',
  },
  INGEST_FLUSH_INTERVAL_MS: {
    group: 'Ingestion',
    description: 'how long the first queued event waits for others to join its batch',
  },
  INGEST_MAX_QUEUED_EVENTS: {
    group: 'Ingestion',
    description:
      'events waiting to be written, at most; past it requests get 503 + `Retry-After` instead of memory',
  },
  INGEST_WRITERS: {
    group: 'Ingestion',
    unset: '1 on PGlite, 2 on PostgreSQL',
    description:
      'batch transactions in flight at once (PGlite runs one statement at a time, so more would only queue there)',
  },
  INGEST_MAX_EVENT_AGE_DAYS: {
    group: 'Ingestion',
    description:
      'events older than this many days are refused; must stay below `RETENTION_RAW_EVENTS_DAYS` (checked at start)',
  },
  INGEST_MAX_FUTURE_SECONDS: {
    group: 'Ingestion',
    description: 'events dated further ahead than this (clock skew allowance) are refused',
  },
  RETENTION_RAW_EVENTS_DAYS: {
    group: 'Retention',
    description:
      'raw event log kept this long; it is also the dedup index of event ids, so it must exceed `INGEST_MAX_EVENT_AGE_DAYS` (checked at start): an event old enough to have been pruned is refused instead of being counted again',
  },
  RETENTION_HOURLY_DAYS: {
    group: 'Retention',
    description:
      'hourly rollups (`HOUR` series and reports, days in other time zones) kept this long; 395 = 13 months, so a year-ago comparison of the last 24 hours still has hours. Daily rollups, counters and channel audience are kept forever',
  },
  RETENTION_INTERVAL_MINUTES: {
    group: 'Retention',
    description: 'how often the pruning job runs on each instance (`0` = never)',
  },
  RETENTION_BATCH_ROWS: { group: 'Retention', description: 'rows deleted per pruning statement' },
  RATE_LIMIT_ENABLED: {
    group: 'Rate and cost limits',
    description:
      "per-plan rate limits; `false` turns them off (and the `RateLimit` headers with them). The plans' limits are fixed: see [Rate limits](limits.md#rate-limits)",
  },
  RATE_LIMIT_STORE: {
    group: 'Rate and cost limits',
    unset: '`memory` (`redis` when `RATE_LIMIT_REDIS_URL` is set)',
    description:
      'where rate-limit counters live: `memory` (this instance only), `redis` or `postgres` (shared by every instance; `postgres` uses the table `pulse_rate_limits`, which the migrations create). While a shared store is down, each instance counts in memory (same limits) until it is back',
  },
  RATE_LIMIT_REDIS_URL: {
    group: 'Rate and cost limits',
    allowed: '`redis://…`, `rediss://…`',
    description: '`redis://host:6379` for shared rate limits',
  },
  COST_LIMIT_ENABLED: {
    group: 'Rate and cost limits',
    description:
      'per-plan query cost limits; `false` still measures and reports the cost in `extensions.cost` (see [Query cost](limits.md#query-cost))',
  },
  GRAPHQL_MAX_DEPTH: {
    group: 'Rate and cost limits',
    description:
      'document depth (400 `QUERY_TOO_COMPLEX`; see [Document limits](limits.md#document-limits))',
  },
  GRAPHQL_MAX_ALIASES: {
    group: 'Rate and cost limits',
    description: 'aliases in a document (400 `QUERY_TOO_COMPLEX`)',
  },
  GRAPHQL_MAX_TOKENS: {
    group: 'Rate and cost limits',
    description: 'tokens in a document (400 `QUERY_TOO_COMPLEX`)',
  },
  GRAPHQL_MAX_DIRECTIVES: {
    group: 'Rate and cost limits',
    description: 'directives in a document (400 `QUERY_TOO_COMPLEX`)',
  },
  PERSISTED_DOCUMENTS_PATH: {
    group: 'Persisted documents and usage',
    allowed: 'path of an existing file',
    description:
      'a JSON manifest `{ hash: document }` of known documents (e.g. `client/src/gql/persisted-documents.json` from `npm run codegen`)',
  },
  PERSISTED_DOCUMENTS_ONLY: {
    group: 'Persisted documents and usage',
    description:
      'who must send known documents: nobody, first-party clients, or everyone (see [Persisted documents](limits.md#persisted-documents))',
  },
  FIRST_PARTY_CLIENTS: {
    group: 'Persisted documents and usage',
    allowed: 'comma-separated names',
    description:
      'client names (`apollographql-client-name` / `x-pulse-client` header) and OAuth client ids that are first-party',
  },
  USAGE_FLUSH_INTERVAL_MS: {
    group: 'Persisted documents and usage',
    description: 'how often per-credential usage counters are written to `usage_daily`',
  },
  API_KEY_ROTATION_GRACE_HOURS: {
    group: 'Authentication',
    description:
      "how long a rotated API key's previous secret keeps working, in hours (`0`: not at all)",
  },
  OAUTH_ISSUER: {
    group: 'Authentication',
    unset: 'the built-in server at `<PUBLIC_URL>/oauth`',
    description:
      "an external issuer (exactly its `iss`, e.g. `https://login.example.com/`) whose RFC 9068 access tokens are accepted instead of the built-in server's, which is then not mounted",
  },
  OAUTH_AUDIENCE: {
    group: 'Authentication',
    unset: '`<PUBLIC_URL>/graphql`',
    description:
      "the `aud` access tokens must carry (and the built-in server's resource indicator)",
  },
  OAUTH_SIGNING_KEY: {
    group: 'Authentication',
    unset: 'generated once, kept in the database',
    allowed: 'a private JWK as JSON (RSA, or EC with crv P-256)',
    description:
      "the built-in server's private signing key as a JSON JWK (unset: an RSA key is generated at first start and kept in the database, so every instance signs and verifies the same)",
  },
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: {
    group: 'Authentication',
    description: "lifetime of the built-in server's access tokens",
  },
  OAUTH_CLOCK_TOLERANCE_SECONDS: {
    group: 'Authentication',
    description:
      "clock skew allowed when checking a token's `exp` (also when open WebSockets are closed for an expired token)",
  },
  EXPORTS_ENABLED: {
    group: 'Exports and email',
    unset: 'on (in production outside demo mode: only once `EXPORT_SIGNING_KEYS` is set)',
    description:
      'report exports and their download links; `true` in production outside demo mode requires `EXPORT_SIGNING_KEYS` (the server refuses to start without)',
  },
  EXPORT_STORAGE: {
    group: 'Exports and email',
    description:
      'where export files go: `local` (files under `EXPORT_DIR`, downloaded through Pulse) or `s3` (an S3 or S3-compatible bucket, downloaded through presigned URLs, which S3 caps at 7 days)',
  },
  EXPORT_DIR: {
    group: 'Exports and email',
    description:
      '`EXPORT_STORAGE=local`: the folder export files are written to (a file appears only once complete)',
  },
  EXPORT_SIGNING_KEYS: {
    group: 'Exports and email',
    unset: 'a random key per process (demo, development)',
    allowed: 'comma-separated keys, each ≥ 32 characters',
    description:
      'HMAC-SHA256 keys for download links: the first signs, every one verifies, so a new key goes first and the old one stays until its links have expired. Unset: a random key is made at start, with a warning (links stop working at restart and on other instances); in production outside demo mode exports stay off instead, and `EXPORTS_ENABLED=true` requires this',
  },
  S3_ENDPOINT: {
    group: 'Exports and email',
    unset: 'AWS S3',
    description:
      '`EXPORT_STORAGE=s3`: the URL of an S3-compatible server (e.g. `http://127.0.0.1:9000` for MinIO)',
  },
  S3_REGION: { group: 'Exports and email', description: '`EXPORT_STORAGE=s3`: the region' },
  S3_BUCKET: {
    group: 'Exports and email',
    unset: 'required with `EXPORT_STORAGE=s3`',
    description: '`EXPORT_STORAGE=s3`: the bucket (it must exist)',
  },
  S3_ACCESS_KEY_ID: {
    group: 'Exports and email',
    unset: "the AWS SDK's default credentials",
    description:
      '`EXPORT_STORAGE=s3`: access key id, with `S3_SECRET_ACCESS_KEY` (both or neither; neither: the AWS SDK finds credentials itself, e.g. `AWS_*` variables or an instance role)',
  },
  S3_SECRET_ACCESS_KEY: {
    group: 'Exports and email',
    unset: "the AWS SDK's default credentials",
    description: '`EXPORT_STORAGE=s3`: secret access key, with `S3_ACCESS_KEY_ID`',
  },
  S3_FORCE_PATH_STYLE: {
    group: 'Exports and email',
    unset: '`true` when `S3_ENDPOINT` is set',
    description:
      '`EXPORT_STORAGE=s3`: path-style URLs (`<endpoint>/<bucket>/<key>`, what most S3-compatible servers want) rather than `<bucket>.<endpoint>/<key>`',
  },
  S3_PREFIX: {
    group: 'Exports and email',
    unset: 'none',
    description:
      '`EXPORT_STORAGE=s3`: put before every object key (e.g. `pulse/` to share a bucket); a missing trailing `/` is added',
  },
  SMTP_URL: {
    group: 'Exports and email',
    unset: 'capture to `MAIL_CAPTURE_DIR`',
    allowed: '`smtp://…`, `smtps://…`',
    description:
      'the SMTP server for report email, `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS). Unset: nothing is sent; each message is written to `MAIL_CAPTURE_DIR` instead (see [Captured mail](cli.md#captured-mail))',
  },
  MAIL_FROM: {
    group: 'Exports and email',
    allowed: '`address` or `Name <address>`',
    description: 'the sender of report email',
  },
  MAIL_CAPTURE_DIR: {
    group: 'Exports and email',
    description:
      'without `SMTP_URL`: where each message is kept as `<id>.eml` and `<id>.json`, listed by `npm run cli -- mail list`',
  },
  WEBHOOK_CONCURRENCY: {
    group: 'Webhooks',
    description:
      'webhook attempts in flight at once on this instance; `0`: this instance delivers none (others over the same database do)',
  },
  WEBHOOK_TIMEOUT_MS: {
    group: 'Webhooks',
    description:
      'an attempt that has not answered within this long fails (and is retried on the schedule)',
  },
  WEBHOOK_POLL_INTERVAL_MS: {
    group: 'Webhooks',
    description:
      'how often an instance looks for due deliveries; events emitted on the same instance are sent at once',
  },
  WEBHOOK_ALLOW_HTTP: {
    group: 'Webhooks',
    description: 'accept plain `http://` endpoint URLs (development only; https otherwise)',
  },
  WEBHOOK_ALLOW_HOSTS: {
    group: 'Webhooks',
    unset: 'none',
    allowed: 'comma-separated host names or IP addresses',
    description:
      'hosts endpoints may reach although they are private, loopback or link-local (exact match, e.g. `127.0.0.1` for tests); keep it empty in production. See [Webhooks](webhooks.md#ssrf-protection)',
  },
  WEBHOOK_SECRET_KEY: {
    group: 'Webhooks',
    unset: 'a key generated once and kept in the database',
    allowed: '32 bytes, base64',
    description:
      'encrypts endpoint signing secrets at rest (AES-256-GCM); set it (`openssl rand -base64 32`) so a database dump alone does not reveal them. Changing it makes existing secrets unreadable: rotate every endpoint',
  },
  WEBHOOK_SECRET_ROTATION_GRACE_HOURS: {
    group: 'Webhooks',
    description:
      'after `rotateWebhookSecret`, messages are signed with the old secret too (two signatures) for this long',
  },
  WEBHOOK_RETENTION_DAYS: {
    group: 'Webhooks',
    description: 'finished deliveries (and their attempts) are deleted after this many days',
  },
  EXPORT_MAX_ROWS: {
    group: 'Exports and email',
    description:
      'rows one export file holds at most (a definition without `limit` exports up to this many)',
  },
  EXPORT_MAX_BYTES: {
    group: 'Exports and email',
    description:
      'bytes one export file may reach; past it the export fails with `EXPORT_TOO_LARGE` instead of filling the disk or memory',
  },
  EXPORT_LINK_TTL_HOURS: {
    group: 'Exports and email',
    description:
      'how long a download link works (each `downloadUrl` is a new link; at most 7 days)',
  },
  EXPORT_RETENTION_DAYS: {
    group: 'Exports and email',
    description:
      'finished export files are deleted after this many days (their rows stay, as expired)',
  },
  JOB_WORKERS: {
    group: 'Jobs',
    description:
      'report runs and exports this instance works on at once; `0` = this instance only queues them (another one works)',
  },
  JOB_HEARTBEAT_SECONDS: {
    group: 'Jobs',
    description:
      'a worker that stops beating this long (it crashed) loses its job, which another attempt then takes over (at least 10)',
  },
  JOB_RETRY_LIMIT: {
    group: 'Jobs',
    description: 'retries of a failed run or export before it is failed for good (dead-lettered)',
  },
  JOB_RETRY_DELAY_SECONDS: {
    group: 'Jobs',
    description: 'delay before the first retry; each later one doubles (with jitter)',
  },
} satisfies Record<EnvKey, EnvDoc>;
