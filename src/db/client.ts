import { mkdir } from 'node:fs/promises';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { DatabaseConfig } from '../env.js';
import { createConnectionGuard } from './connection-guard.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; services accept `Db | Tx` where they can run inside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  readonly kind: DatabaseConfig['kind'];
  readonly db: Db;
  /** SQL statements executed so far, for /metrics and the batching tests. */
  readonly stats: { statements: number };
  ping(): Promise<void>;
  close(): Promise<void>;
}

const drizzleOptions = (stats: { statements: number }) => ({
  schema,
  casing: 'snake_case' as const,
  logger: { logQuery: () => void stats.statements++ },
});

async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Loaded only here: PGlite's module alone holds ~50 MB, which a PostgreSQL deployment never uses.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir ? { dataDir } : {});
  const stats = { statements: 0 };
  const db = drizzlePglite({ client, ...drizzleOptions(stats) }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    stats,
    ping: async () => void (await client.query('select 1')),
    close: () => client.close(),
  };
}

function openPostgres(config: Extract<DatabaseConfig, { kind: 'postgres' }>): Database {
  const client = postgres(config.url, {
    max: config.poolSize,
    // postgres.js has no pool-queue timeout (it pipelines onto busy connections); the closest
    // bound it offers is on establishing a connection, which is what an outage makes slow.
    connect_timeout: Math.ceil(config.acquireTimeoutMs / 1000),
    // Its default backoff grows to 20 s between attempts after repeated failures, and queries
    // wait for it. The connection guard already spaces out attempts on a database that is away.
    backoff: (retries: number) => Math.min(0.02 * 2 ** retries, 0.2),
    // `socket` is documented but missing from postgres.js's types.
    ...({
      socket: createConnectionGuard({
        silenceMs: config.statementTimeoutMs + config.acquireTimeoutMs,
        probeIntervalMs: 500,
      }),
    } as object),
    idle_timeout: 60,
    max_lifetime: 30 * 60,
    onnotice: () => {},
    connection: {
      statement_timeout: config.statementTimeoutMs,
      application_name: 'pulse',
    },
  });
  const stats = { statements: 0 };
  const db = drizzlePostgres({ client, ...drizzleOptions(stats) }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    stats,
    ping: async () => void (await client`select 1`),
    close: () => client.end({ timeout: 5 }),
  };
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config);
}

/** True when the database has no users yet (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await db.select({ id: schema.userTable.id }).from(schema.userTable).limit(1);
  return rows.length === 0;
}
