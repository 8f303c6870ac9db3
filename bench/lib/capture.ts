import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { pino } from 'pino';
import postgres from 'postgres';
import { buildApp } from '../../src/app.js';
import type { Database, Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import { loadConfig } from '../../src/env.js';
import type { BenchDatabase } from './target.js';

export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

/**
 * Runs one GraphQL request through Pulse in-process (the same buildApp the server uses) with a
 * drizzle logger that records every statement, so a peer can replay exactly the SQL the
 * service ran for it — whatever the analytics module's internals are at the time.
 */
export async function captureStatements(
  target: BenchDatabase,
  request: { query: string; variables?: Record<string, unknown>; key: string },
): Promise<{ statements: CapturedStatement[]; response: unknown }> {
  const statements: CapturedStatement[] = [];
  const stats = { statements: 0 };
  const logger = {
    logQuery(query: string, params: unknown[]) {
      stats.statements += 1;
      statements.push({ sql: query, params });
    },
  };
  const options = { schema, casing: 'snake_case' as const, logger };
  let database: Database;
  if (target.profile === 'pglite') {
    const client = await PGlite.create({ dataDir: target.dir! });
    database = {
      kind: 'pglite',
      db: drizzlePglite({ client, ...options }) as unknown as Db,
      stats,
      ping: async () => void (await client.query('select 1')),
      close: () => client.close(),
    };
  } else {
    const client = postgres(target.url, { max: 2, onnotice: () => {} });
    database = {
      kind: 'postgres',
      db: drizzlePostgres({ client, ...options }) as unknown as Db,
      stats,
      ping: async () => void (await client`select 1`),
      close: () => client.end({ timeout: 2 }),
    };
  }
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: target.url,
    DEMO: 'false',
  });
  const app = buildApp({ config, database, logger: pino({ level: 'silent' }) });
  try {
    const send = () =>
      app.fetch('http://pulse.bench/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${request.key}`,
        },
        body: JSON.stringify({ query: request.query, variables: request.variables ?? {} }),
      });
    await (await send()).text(); // the first use of a key records it (once a minute)
    await new Promise((resolve) => setTimeout(resolve, 50));
    statements.length = 0;
    const response = (await (await send()).json()) as { errors?: unknown[] };
    if (response.errors) throw new Error(`capture: ${JSON.stringify(response.errors)}`);
    return { statements: [...statements], response };
  } finally {
    await app.stop();
    await database.close();
  }
}

/**
 * Median time of each captured statement run alone (sequentially, `repeats` times): where the
 * database's share of a request goes. Runs before any server holds a PGlite directory.
 */
export async function timeStatements(
  target: BenchDatabase,
  statements: CapturedStatement[],
  repeats = 5,
): Promise<{ sql: string; ms: number; rows: number }[]> {
  let run: (text: string, params: unknown[]) => Promise<unknown[]>;
  let close: () => Promise<unknown>;
  if (target.profile === 'pglite') {
    const client = await PGlite.create({ dataDir: target.dir! });
    run = async (text, params) => (await client.query(text, params)).rows;
    close = () => client.close();
  } else {
    const client = postgres(target.url, { max: 1, onnotice: () => {} });
    run = (text, params) => client.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
    close = () => client.end({ timeout: 2 });
  }
  try {
    const timings = [];
    for (const statement of statements) {
      const samples: number[] = [];
      let rows = 0;
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        rows = (await run(statement.sql, statement.params)).length;
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      timings.push({
        sql: statement.sql.replace(/\s+/g, ' ').trim(),
        ms: samples[Math.floor(samples.length / 2)]!,
        rows,
      });
    }
    return timings;
  } finally {
    await close();
  }
}
