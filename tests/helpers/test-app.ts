import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { pino } from 'pino';
import postgres from 'postgres';
import { buildApp, type App } from '../../src/app.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { loadConfig, type Config } from '../../src/env.js';
import { createApiKey } from '../../src/modules/api-key/api-key.service.js';
import type { Plan } from '../../src/db/schema.js';
import type { Scope } from '../../src/modules/auth/scopes.js';
import { createUser } from '../../src/modules/user/user.service.js';

/** 'pglite' or a PostgreSQL admin URL; set per vitest project (see vitest.config.ts). */
const target = process.env['PULSE_TEST_DATABASE'] ?? 'pglite';
export const onPostgres = target !== 'pglite';

/**
 * A database of the suite's own: an in-memory PGlite, or a fresh PostgreSQL database created
 * from TEST_DATABASE_URL and dropped afterwards, so suites never see each other's rows.
 */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!onPostgres) return { url: 'memory://', drop: async () => {} };
  const name = `pulse_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(target, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(target);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/**
 * A database another process can open too (the CLI, a spawned server): a PGlite directory on
 * disk, or a fresh PostgreSQL database; `drop` removes it.
 */
export async function createSharedDatabaseUrl(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (onPostgres) return createTestDatabaseUrl();
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { url: `file://${dir}`, drop: () => rm(dir, { recursive: true, force: true }) };
}

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: {
    data?: T;
    errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
    /** `cost` (query cost and rate-limit state), see src/modules/limits/limits.ts. */
    extensions?: Record<string, any>;
  };
}

export interface RequestOptions<TVariables> {
  variables?: TVariables;
  /** `null` sends no credentials; the default is the first viewer's key. */
  key?: string | null;
  /** The instance to ask: another one over the same database (multi-instance cases). */
  app?: App;
}

/** The options of a typed request: `variables` is required when the operation has required ones. */
export type RequestArgs<TVariables> = {} extends TVariables
  ? [options?: RequestOptions<TVariables>]
  : [options: RequestOptions<TVariables> & { variables: TVariables }];

export interface TestViewer {
  userId: string;
  key: string;
}

export interface TestApp {
  app: App;
  config: Config;
  database: Database;
  /** POSTs an operation; `key: null` sends no credentials. */
  graphql<T = any>(
    query: string,
    options?: RequestOptions<Record<string, unknown>>,
  ): Promise<GraphQLResponse<T>>;
  /**
   * POSTs a typed operation, a `graphql()` document from tests/gql (`npm run codegen`): the same
   * request as graphql(), with the variables and the data typed from the schema.
   */
  request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...[options]: RequestArgs<TVariables>
  ): Promise<GraphQLResponse<TData>>;
  /** A new user with an API key (all scopes unless given). */
  createViewer(options?: { email?: string; scopes?: Scope[]; plan?: Plan }): Promise<TestViewer>;
  /** Closes the database early (to test outages); close() still drops it. */
  closeDatabase(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The URL the app connects with, given the suite database's (fault tests add a proxy). */
  connectVia?: (url: string) => string;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const { url, drop } = await createTestDatabaseUrl();
  // Files the app writes (exports, captured mail) go to a folder of the suite's own.
  const files = await mkdtemp(join(tmpdir(), 'pulse-files-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.connectVia ? options.connectVia(url) : url,
    // Suites fire many operations from one free-tier key: per-tier rate and cost limits are off
    // unless a suite turns them on (tests/rate-limit*.test.ts, tests/limits-*.test.ts). Cost is
    // still measured and reported. Usage is written at stop() (or by the usage query), never
    // mid-test, so statement counts stay exact.
    RATE_LIMIT_ENABLED: 'false',
    COST_LIMIT_ENABLED: 'false',
    USAGE_FLUSH_INTERVAL_MS: '3600000',
    EXPORT_DIR: join(files, 'exports'),
    MAIL_CAPTURE_DIR: join(files, 'mail'),
    ...env,
  });
  const database = await openDatabase(config.database);
  await migrate(database, config.database);
  const app = buildApp({ config, database, logger: pino({ level: 'silent' }) });
  let users = 0;
  let databaseOpen = true;
  let defaultKey: string | undefined;

  const testApp: TestApp = {
    app,
    config,
    database,
    async graphql(query, options = {}) {
      const key = options.key === undefined ? defaultKey : options.key;
      const response = await (options.app ?? app).fetch('http://pulse.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query, variables: options.variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    request(document, ...[options]) {
      // graphql() answers {} for a text it has no document for: tests/gql is older than the test.
      if (!('kind' in document)) throw new Error('unknown graphql() document: run npm run codegen');
      return testApp.graphql(print(document), options as RequestOptions<Record<string, unknown>>);
    },
    async createViewer(options = {}) {
      users += 1;
      const email = options.email ?? `user${users}-${randomBytes(3).toString('hex')}@pulse.test`;
      const created = await createUser(database.db, {
        email,
        name: `User ${users}`,
        ...(options.plan ? { plan: options.plan } : {}),
      });
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      const { secret } = await createApiKey(database.db, {
        ownerId: created.value.id,
        name: 'test',
        ...(options.scopes ? { scopes: options.scopes } : {}),
      });
      defaultKey ??= secret;
      return { userId: created.value.id, key: secret };
    },
    async closeDatabase() {
      if (!databaseOpen) return;
      databaseOpen = false;
      await database.close();
    },
    async close() {
      await app.stop();
      await testApp.closeDatabase();
      await drop();
      await rm(files, { recursive: true, force: true });
    },
  };
  return testApp;
}
