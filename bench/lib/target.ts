import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import type { DatabaseConfig } from '../../src/env.js';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
import { createApiKey } from '../../src/modules/api-key/api-key.service.js';
import { createUser } from '../../src/modules/user/user.service.js';
import { channelTable, PLATFORMS } from '../../src/db/schema.js';
import { freePort, onInterrupt, startNode, waitForOk, type Child } from './proc.js';

export type Profile = 'postgres' | 'pglite';

/** Where bench databases are created; any database of the local PostgreSQL works as admin. */
export const ADMIN_URL =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A database of the bench's own: a fresh PostgreSQL database (pulse_bench_<random>) or a PGlite
 * data directory in a temporary folder; `drop` removes it.
 */
export interface BenchDatabase {
  profile: Profile;
  /** DATABASE_URL for Pulse: postgres://… or file://<dir>. */
  url: string;
  /** PGlite only: the data directory. */
  dir?: string;
  config: DatabaseConfig;
  /** A copy of this database (PGlite: a copied directory; PostgreSQL: a new database from it). */
  clone(): Promise<BenchDatabase>;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

const pgConfig = (url: string): DatabaseConfig => ({
  kind: 'postgres',
  url,
  poolSize: 10,
  acquireTimeoutMs: 5000,
  statementTimeoutMs: 30_000,
});

export async function createBenchDatabase(profile: Profile): Promise<BenchDatabase> {
  if (profile === 'pglite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pulse-bench-pglite-'));
    return pgliteDatabase(dir);
  }
  const name = `pulse_bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  return postgresDatabase(name);
}

function postgresDatabase(name: string): BenchDatabase {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const config = pgConfig(url.toString());
  const forget = onInterrupt(() => drop());
  async function drop() {
    forget();
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await admin.end({ timeout: 2 });
    }
  }
  return {
    profile: 'postgres',
    url: url.toString(),
    config,
    async clone() {
      const copy = `pulse_bench_${randomBytes(5).toString('hex')}`;
      const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database "${copy}" template "${name}"`);
      } finally {
        await admin.end({ timeout: 2 });
      }
      return postgresDatabase(copy);
    },
    open: () => openDatabase(config),
    drop,
  };
}

function pgliteDatabase(dir: string): BenchDatabase {
  const config: DatabaseConfig = { kind: 'pglite', dataDir: dir };
  const forget = onInterrupt(() => rm(dir, { recursive: true, force: true }));
  return {
    profile: 'pglite',
    url: `file://${dir}`,
    dir,
    config,
    async clone() {
      const copy = await mkdtemp(path.join(os.tmpdir(), 'pulse-bench-pglite-'));
      await cp(dir, copy, { recursive: true });
      return pgliteDatabase(copy);
    },
    open: () => openDatabase(config),
    drop: () => {
      forget();
      return rm(dir, { recursive: true, force: true });
    },
  };
}

/** The bench's creator. */
export const BENCH_EMAIL = 'bench@pulse.test';

export interface Prepared {
  ownerId: string;
  apiKey: string;
}

/**
 * Migrates and creates the bench's creator: a `pro` user in UTC with an all-scopes API key and one
 * channel per platform (videos come from benchSeed). Independent of the demo data on purpose: the
 * bench must measure the same data whatever the demo seeding becomes.
 */
export async function prepareBenchDatabase(target: BenchDatabase): Promise<Prepared> {
  const database = await target.open();
  try {
    await migrate(database, target.config);
    const created = await createUser(database.db, {
      email: BENCH_EMAIL,
      name: 'Bench Creator',
      plan: 'pro',
      timezone: 'UTC',
    });
    if (!created.ok) throw new Error(`bench user: ${JSON.stringify(created.errors)}`);
    const ownerId = created.value.id;
    const apiKey = generateApiKey();
    await createApiKey(database.db, { ownerId, name: 'bench', secret: apiKey });
    await database.db.insert(channelTable).values(
      PLATFORMS.map((platform) => ({
        ownerId,
        platform,
        handle: `@bench-${platform}`,
        name: `Bench on ${platform}`,
        externalId: `bench-${platform}-${ownerId}`,
        followers: 10_000,
      })),
    );
    return { ownerId, apiKey };
  } finally {
    await database.close();
  }
}

/**
 * Environment that keeps the server's own protections from refusing the bench's load (it
 * measures throughput, not the limits): limits far above what the scenarios send.
 */
export const BENCH_SERVER_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DEMO_TRAFFIC: 'false',
  GRAPHIQL: 'false',
  INGEST_MAX_QUEUED_EVENTS: '1000000',
  DATABASE_STATEMENT_TIMEOUT_MS: '30000',
  // Per-key request quotas would refuse a load test within a second; they are measured by their
  // own tests. (Unknown keys are ignored by src/env.ts, so this also works before they exist.)
  RATE_LIMIT_ENABLED: 'false',
  // A retention pass during a measurement would be noise; retention is not what is measured.
  RETENTION_INTERVAL_MINUTES: '0',
};

export interface PulseServer {
  url: string;
  process: Child;
  /** Milliseconds from spawn to the first 200 on /ready. */
  readyMs: number;
}

/** Starts `node --import tsx src/main.ts` (what `npm start` runs) on a free port. */
export async function startPulse(
  target: BenchDatabase,
  prepared: Prepared | null,
  options: { env?: Record<string, string>; nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<PulseServer> {
  const port = await freePort();
  const child = startNode('src/main.ts', {
    nodeArgs: options.nodeArgs ?? [],
    env: {
      ...BENCH_SERVER_ENV,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: target.url,
      DEMO: 'false',
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await waitForOk(`${url}/ready`, options.readyTimeoutMs ?? 120_000, child);
    return { url, process: child, readyMs };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}

/** POSTs a GraphQL operation to a running server and returns its JSON body. */
export async function graphql<T = any>(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as any;
}

/**
 * Waits until no statement runs in the bench database (two quiet polls in a row), at most `maxMs`;
 * resolves false if it stayed busy. A server can look idle while PostgreSQL still works through
 * the statements its pool queued during an overload, which would slow whoever is measured next.
 * PGlite runs inside the server, whose own idleness (waitIdle) covers it.
 */
export async function waitDatabaseIdle(target: BenchDatabase, maxMs: number): Promise<boolean> {
  if (target.profile !== 'postgres') return true;
  const name = decodeURIComponent(new URL(target.url).pathname.slice(1));
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const deadline = performance.now() + maxMs;
    let quiet = 0;
    while (quiet < 2) {
      const [row] = await admin<{ busy: number }[]>`
        select count(*)::int as busy from pg_stat_activity
        where datname = ${name} and state <> 'idle' and pid <> pg_backend_pid()`;
      quiet = row!.busy === 0 ? quiet + 1 : 0;
      if (quiet < 2) {
        if (performance.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return true;
  } finally {
    await admin.end({ timeout: 2 });
  }
}
