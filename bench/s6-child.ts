import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDialect } from 'drizzle-orm/pg-core';
import { pino } from 'pino';
import type { Sql } from 'postgres';
import { openDatabase, type Db } from '../src/db/client.js';
import { streamRows } from '../src/db/cursor.js';
import { exportTable, type FileFormat } from '../src/db/schema.js';
import type { DatabaseConfig } from '../src/env.js';
import { createPulsePubSub } from '../src/lib/pubsub.js';
import type { ReportInput } from '../src/modules/analytics/report/report.compile.js';
import { prepareReport } from '../src/modules/analytics/report/report.service.js';
import { produceExport, type ExportDeps } from '../src/modules/export/export.service.js';
import { createLocalStorage } from '../src/modules/export/storage/local.js';

/**
 * S6's child process (bench/s6-exports.ts starts one per export, so that each peak RSS is its
 * own): `node --import tsx bench/s6-child.ts '<ChildSpec as JSON>'` runs one job and prints
 * `S6RESULT <Measured as JSON>`.
 */

/** A format through produceExport; COPY (the peer); the report's cursor alone (a diagnostic). */
export type Job = FileFormat | 'copy' | 'cursor';

export interface ChildSpec {
  job: Job;
  database: DatabaseConfig;
  ownerId: string;
  input: ReportInput;
  dir: string;
}

export interface Measured {
  job: Job;
  seconds: number;
  /** Until the first chunk of rows was written (exports: the summary queries and the sort). */
  firstRowSeconds: number | null;
  rows: number;
  bytes: number;
  /** VmHWM: the child's peak resident set, start-up included. */
  peakRssMb: number;
  /** The highest of process.memoryUsage().rss sampled every 50 ms during the export. */
  sampledPeakMb: number;
  /** RSS just before the export started (modules loaded, database open). */
  baselineMb: number;
  heapPeakMb: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** The process's peak resident set so far (Linux); NaN elsewhere. */
function vmHwmMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The report statement as text PostgreSQL's COPY accepts: COPY takes no parameters. */
export function inlineParams(text: string, params: unknown[]): string {
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return String(value);
    if (value instanceof Date) return `'${value.toISOString()}'`;
    if (Array.isArray(value)) return `array[${value.map(literal).join(', ')}]`;
    return `'${String(value).replaceAll("'", "''")}'`;
  };
  return text.replace(/\$(\d+)\b/g, (_, n: string) => literal(params[Number(n) - 1]));
}

const prepare = (db: Db, spec: ChildSpec) =>
  prepareReport(
    db,
    { id: spec.ownerId, timezone: 'UTC' },
    spec.input,
    { now: Date.now(), hourlyRetentionDays: 7 },
    { maxLimit: 1_000_000, defaultLimit: 1_000_000 },
  );

type Timed = { seconds: number; firstRowSeconds: number | null; rows: number; bytes: number };

/** The peer: COPY of the report's own statement, streamed into a file; counts its lines. */
async function copyExport(db: Db, spec: ChildSpec, file: string): Promise<Timed> {
  const prepared = await prepare(db, spec);
  const { sql: text, params } = (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(
    prepared.statement,
  );
  const statement = `copy (${inlineParams(text, params)}) to stdout with csv`;
  const client = (db as unknown as { $client: Sql | PGlite }).$client;
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  let firstRowSeconds: number | null = null;
  const out = createWriteStream(file);
  const count = (chunk: Buffer) => {
    firstRowSeconds ??= (performance.now() - started) / 1000;
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows += 1;
  };
  if ('unsafe' in client) {
    const readable = await client.unsafe(statement).readable();
    for await (const chunk of readable as AsyncIterable<Buffer>) {
      count(chunk);
      if (!out.write(chunk))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } else {
    // PGlite has no COPY TO STDOUT stream: its COPY writes one blob.
    const result = await client.query(statement.replace(/to stdout/, "to '/dev/blob'"));
    const chunk = Buffer.from(await result.blob!.arrayBuffer());
    count(chunk);
    out.write(chunk);
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(resolve);
  });
  return { seconds: (performance.now() - started) / 1000, firstRowSeconds, rows, bytes };
}

/** The diagnostic: the export's own cursor over the statement, rows fetched and dropped. */
async function cursorOnly(db: Db, spec: ChildSpec): Promise<Timed> {
  const prepared = await prepare(db, spec);
  const started = performance.now();
  let firstRowSeconds: number | null = null;
  let rows = 0;
  for await (const chunk of streamRows(db, prepared.statement)) {
    firstRowSeconds ??= (performance.now() - started) / 1000;
    rows += chunk.length;
  }
  return { seconds: (performance.now() - started) / 1000, firstRowSeconds, rows, bytes: 0 };
}

/** One export, in this (child) process; prints its measurements as one JSON line. */
async function child(spec: ChildSpec): Promise<void> {
  const database = await openDatabase(spec.database);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  try {
    let peak = process.memoryUsage().rss;
    let heapPeak = process.memoryUsage().heapUsed;
    const baseline = peak;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peak = Math.max(peak, usage.rss);
      heapPeak = Math.max(heapPeak, usage.heapUsed);
    }, 50);
    let result: Timed;
    try {
      if (spec.job === 'copy') {
        result = await copyExport(database.db, spec, path.join(spec.dir, 'copy.csv'));
      } else if (spec.job === 'cursor') {
        result = await cursorOnly(database.db, spec);
      } else {
        const deps: ExportDeps = {
          db: database.db,
          pubsub: createPulsePubSub(),
          storage: createLocalStorage({ dir: spec.dir }, logger),
          settings: {
            maxRows: 1_000_000,
            maxBytes: 4 * 1024 ** 3,
            linkTtlMs: 86_400_000,
            retentionMs: 86_400_000,
            signingKeys: ['s6-bench-signing-key-s6-bench-signing-key'],
            publicUrl: () => 'http://127.0.0.1:4000',
            hourlyRetentionDays: 7,
          },
          logger,
        };
        const [record] = await database.db
          .insert(exportTable)
          .values({
            ownerId: spec.ownerId,
            format: spec.job,
            title: 'S6 export',
            definition: spec.input as unknown as Record<string, unknown>,
          })
          .returning();
        // A server loads a format's writer on its first export of that format and keeps it: load
        // it before the clock starts, as COPY's driver is loaded before its own.
        await import(
          `../src/modules/export/format/${spec.job === 'ndjson' ? 'json' : spec.job}.js`
        );
        const started = performance.now();
        let firstRowSeconds: number | null = null;
        const done = await produceExport(
          deps,
          record!.id,
          { id: spec.ownerId, timezone: 'UTC' },
          {
            attempt: 0,
            onProgress: () => (firstRowSeconds ??= (performance.now() - started) / 1000),
          },
        );
        result = {
          seconds: (performance.now() - started) / 1000,
          firstRowSeconds,
          rows: done.rows ?? 0,
          bytes: done.bytes ?? 0,
        };
        if (done.status !== 'succeeded') throw new Error(`export ${done.status}: ${done.error}`);
      }
    } finally {
      clearInterval(sampler);
    }
    const measured: Measured = {
      job: spec.job,
      ...result,
      peakRssMb: vmHwmMb(),
      sampledPeakMb: mb(Math.max(peak, process.memoryUsage().rss)),
      baselineMb: mb(baseline),
      heapPeakMb: mb(heapPeak),
    };
    process.stdout.write(`S6RESULT ${JSON.stringify(measured)}\n`);
  } finally {
    await database.close();
  }
}

child(JSON.parse(process.argv[2]!) as ChildSpec).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`, () => process.exit(1));
  },
);
