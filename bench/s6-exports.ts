import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import type { PgDialect } from 'drizzle-orm/pg-core';
import { pino } from 'pino';
import type { Sql } from 'postgres';
import { openDatabase, type Db } from '../src/db/client.js';
import { queryRows } from '../src/db/raw.js';
import { channelTable, exportTable, userTable, type FileFormat } from '../src/db/schema.js';
import type { DatabaseConfig } from '../src/env.js';
import { createPulsePubSub } from '../src/lib/pubsub.js';
import type { ReportInput } from '../src/modules/analytics/report/report.compile.js';
import { prepareReport } from '../src/modules/analytics/report/report.service.js';
import { produceExport, type ExportDeps } from '../src/modules/export/export.service.js';
import { createLocalStorage } from '../src/modules/export/storage/local.js';
import { createUser } from '../src/modules/user/user.service.js';
import type { BenchContext } from './lib/context.js';
import { startNode } from './lib/proc.js';
import type { Row, ScenarioResult } from './lib/report.js';
import { median } from './lib/stats.js';

/**
 * S6: one export of a 100,000-row report (1,000 videos × 100 days, VIDEO × DATE, four metrics)
 * in each format, through the worker's path (produceExport: buildExportDocument + writeExport
 * into the local storage driver), against PostgreSQL's `COPY (<the same statement>) TO STDOUT
 * WITH CSV` into a file in the same folder. Each export runs in a child process of its own, so
 * its peak RSS (VmHWM) is its own; `--quick` exports 10,000 rows.
 */

const FORMATS: FileFormat[] = ['csv', 'xlsx', 'json', 'ndjson', 'pdf'];
const DAYS = 100;
const EMAIL = 's6-exports@pulse.test';
const RSS_TARGET_MB = 200;

type Job = FileFormat | 'copy';

interface ChildSpec {
  job: Job;
  database: DatabaseConfig;
  ownerId: string;
  input: ReportInput;
  dir: string;
}

interface Measured {
  job: Job;
  seconds: number;
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

/** The peer: COPY of the report's own statement, streamed into a file; counts its lines. */
async function copyExport(db: Db, spec: ChildSpec, file: string, settings: { now: number }) {
  const prepared = await prepareReport(
    db,
    { id: spec.ownerId, timezone: 'UTC' },
    spec.input,
    { now: settings.now, hourlyRetentionDays: 7 },
    { maxLimit: 1_000_000, defaultLimit: 1_000_000 },
  );
  const { sql: text, params } = (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(
    prepared.statement,
  );
  const statement = `copy (${inlineParams(text, params)}) to stdout with csv`;
  const client = (db as unknown as { $client: Sql | PGlite }).$client;
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  const out = createWriteStream(file);
  const count = (chunk: Buffer) => {
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
  return { seconds: (performance.now() - started) / 1000, rows, bytes };
}

/** One export, in this (child) process; prints its measurements as one JSON line. */
async function child(spec: ChildSpec): Promise<void> {
  const database = await openDatabase(spec.database);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  try {
    const now = Date.now();
    let peak = process.memoryUsage().rss;
    let heapPeak = process.memoryUsage().heapUsed;
    const baseline = peak;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peak = Math.max(peak, usage.rss);
      heapPeak = Math.max(heapPeak, usage.heapUsed);
    }, 50);
    let result: { seconds: number; rows: number; bytes: number };
    try {
      if (spec.job === 'copy') {
        result = await copyExport(database.db, spec, path.join(spec.dir, 'copy.csv'), { now });
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
        const started = performance.now();
        const done = await produceExport(
          deps,
          record!.id,
          { id: spec.ownerId, timezone: 'UTC' },
          { attempt: 0 },
        );
        result = {
          seconds: (performance.now() - started) / 1000,
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

async function runChild(spec: ChildSpec): Promise<Measured> {
  const proc = startNode('bench/s6-exports.ts', {
    args: ['--s6-child', JSON.stringify(spec)],
    env: { LOG_LEVEL: 'warn' },
  });
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  const line = proc
    .output()
    .split('\n')
    .find((l) => l.startsWith('S6RESULT '));
  if (code !== 0 || !line)
    throw new Error(`S6 ${spec.job} export exited ${code}: ${proc.output().slice(-1_500)}`);
  return JSON.parse(line.slice('S6RESULT '.length)) as Measured;
}

/** One owner with `videos` videos on one channel and DAYS days of rollups each, set-based. */
export async function seedS6(db: Db, videos: number): Promise<{ ownerId: string; rows: number }> {
  const existing = await db.select().from(userTable).where(eq(userTable.email, EMAIL));
  if (existing[0]) await db.delete(userTable).where(eq(userTable.id, existing[0].id));
  const created = await createUser(db, {
    email: EMAIL,
    name: 'S6 exports',
    plan: 'enterprise',
    timezone: 'UTC',
  });
  if (!created.ok) throw new Error(`S6 user: ${JSON.stringify(created.errors)}`);
  const ownerId = created.value.id;
  await db.insert(channelTable).values({
    ownerId,
    platform: 'youtube',
    handle: '@s6-exports',
    name: 'S6 exports',
    externalId: `s6-${ownerId}`,
  });
  const owner = sql.raw(`'${ownerId}'::uuid`);
  const n = sql.raw(String(videos));
  const days = sql.raw(String(DAYS));
  await db.execute(sql`
    with new_videos as (
      insert into videos (owner_id, title, description, status, duration_seconds, tags, published_at)
      select ${owner}, 'S6 video ' || g || ' — "quoted", with a comma', 'Seeded for S6.', 'published',
        60 + g % 600, array['bench'], current_date - ${days} - 1
      from generate_series(1, ${n}) g
      returning id, published_at
    )
    insert into publications (video_id, channel_id, owner_id, platform, platform_post_id, published_at)
    select v.id, c.id, c.owner_id, c.platform, 's6-' || v.id, v.published_at
    from new_videos v cross join channels c where c.owner_id = ${owner}`);
  await db.execute(sql`
    insert into publication_daily_rollups
      (publication_id, day, owner_id, video_id, channel_id, platform,
       views, likes, shares, comments, saves, clicks, impressions, reach, watch_seconds)
    select p.id, d.day, p.owner_id, p.video_id, p.channel_id, p.platform,
      v.views, v.views / 22, v.views / 140, v.views / 180, v.views / 90, v.views * 4 / 5,
      v.views * 11, v.views * 6, v.views * 47
    from publications p
    cross join lateral (
      select g::date as day from generate_series(current_date - ${days}, current_date - 1, interval '1 day') g
    ) d
    cross join lateral (select (1 + abs(hashtext(p.id::text || d.day::text)) % 5000)::bigint as views) v
    where p.owner_id = ${owner}`);
  await db.execute(sql`
    insert into owner_daily_rollups
      (owner_id, platform, day, views, likes, shares, comments, saves, clicks, impressions, reach, watch_seconds)
    select owner_id, platform, day, sum(views), sum(likes), sum(shares), sum(comments), sum(saves),
      sum(clicks), sum(impressions), sum(reach), sum(watch_seconds)
    from publication_daily_rollups where owner_id = ${owner}
    group by owner_id, platform, day`);
  await db.execute(sql`analyze`);
  const [count] = await queryRows<{ rows: number }>(
    db,
    sql`select count(*)::int as rows from publication_daily_rollups where owner_id = ${owner}`,
  );
  return { ownerId, rows: Number(count?.rows ?? 0) };
}

const dayOffset = (days: number) =>
  new Date(
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) -
      days * 86_400_000,
  )
    .toISOString()
    .slice(0, 10);

export async function s6Exports(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const videos = ctx.quick ? 100 : 1_000;
  const database = await ctx.db.open();
  let seeded;
  try {
    seeded = await seedS6(database.db, videos);
  } finally {
    await database.close();
  }
  const limit = videos * DAYS;
  const input: ReportInput = {
    metrics: ['views', 'likes', 'comments', 'shares'],
    dimensions: ['VIDEO', 'DATE'],
    limit,
    range: { startDate: dayOffset(DAYS), endDate: dayOffset(1) },
  };
  ctx.log(`  S6 seeded ${seeded.rows.toLocaleString('en-US')} publication-day rows`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pulse-bench-s6-'));
  const runs: Measured[][] = [];
  try {
    for (let run = 0; run < ctx.settings.runs; run++) {
      const measured: Measured[] = [];
      // COPY and CSV side by side, so that the ratio compares neighbouring moments.
      await mkdir(path.join(dir, `${run}`), { recursive: true });
      for (const job of ['copy', ...FORMATS] as Job[]) {
        const m = await runChild({
          job,
          database: ctx.db.config,
          ownerId: seeded.ownerId,
          input,
          dir: path.join(dir, `${run}`),
        });
        measured.push(m);
        ctx.log(
          `  S6 run ${run + 1} ${job}: ${m.rows.toLocaleString('en-US')} rows in ${m.seconds.toFixed(2)} s (${Math.round(m.rows / m.seconds).toLocaleString('en-US')} rows/s), ${mb(m.bytes).toFixed(1)} MB, peak RSS ${m.peakRssMb.toFixed(0)} MB (before ${m.baselineMb.toFixed(0)}, heap peak ${m.heapPeakMb.toFixed(0)})`,
        );
      }
      runs.push(measured);
      await rm(path.join(dir, `${run}`), { recursive: true, force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    const cleanup = await ctx.db.open();
    try {
      await cleanup.db.delete(userTable).where(eq(userTable.id, seeded.ownerId));
    } finally {
      await cleanup.close();
    }
  }
  const of = (job: Job) => runs.map((r) => r.find((m) => m.job === job)!);
  const rate = (job: Job) => median(of(job).map((m) => m.rows / m.seconds));
  const copyRate = rate('copy');
  const copyRows = of('copy')[0]!.rows;
  const rows: Row[] = [
    {
      metric: `CSV rows/s (${limit.toLocaleString('en-US')} rows)`,
      unit: '',
      pulse: rate('csv'),
      peer: { name: 'COPY', value: copyRate },
      ratio: rate('csv') / copyRate,
      target: '≥ 0.5× COPY',
      met: rate('csv') / copyRate >= 0.5,
    },
  ];
  for (const format of FORMATS) {
    const peak = median(of(format).map((m) => m.peakRssMb));
    rows.push(
      {
        metric: `${format.toUpperCase()} seconds`,
        unit: 's',
        pulse: median(of(format).map((m) => m.seconds)),
        ...(format === 'csv'
          ? { peer: { name: 'COPY', value: median(of('copy').map((m) => m.seconds)) } }
          : {}),
      },
      ...(format === 'csv'
        ? []
        : [{ metric: `${format.toUpperCase()} rows/s`, unit: '', pulse: rate(format) }]),
      {
        metric: `${format.toUpperCase()} peak RSS`,
        unit: 'MB',
        pulse: peak,
        target: `< ${RSS_TARGET_MB} MB`,
        met: peak < RSS_TARGET_MB,
      },
    );
  }
  rows.push({
    metric: 'COPY peak RSS',
    unit: 'MB',
    pulse: median(of('copy').map((m) => m.peakRssMb)),
  });
  const wrong = runs.flat().filter((m) => m.rows !== limit);
  const notes = [
    `${videos.toLocaleString('en-US')} videos × ${DAYS} days of publication_daily_rollups for one owner (seeded with SQL); the report { metrics: [views, likes, comments, shares], dimensions: [VIDEO, DATE], limit: ${limit.toLocaleString('en-US')} } exported through produceExport (the worker's path: buildExportDocument, writeExport, the local storage driver: temp file, fsync, rename), each format in a child process of its own (peak RSS = VmHWM, start-up included: tsx, drizzle, the database driver${ctx.db.profile === 'pglite' ? ' and PGlite with its WebAssembly memory' : ''}). Seconds run from produceExport's call to the stored file (the summary, series and platform queries included). The peer: \`COPY (<the same statement, parameters inlined>) TO STDOUT WITH CSV\`${ctx.db.profile === 'pglite' ? " (PGlite: to '/dev/blob', one blob)" : ' streamed through postgres.js'} into a file in the same folder, timed from the COPY statement on; it writes the statement's own columns (ids, dates, sums, total_rows), Pulse adds video titles (one lookup per 2,000 rows), global IDs, formatting and RFC 4180 escaping. PDF's table stops at 2,000 rows (the rest is counted), so its rows/s is not comparable.`,
  ];
  if (wrong.length)
    notes.push(
      `**Row counts differ** from ${limit}: ${wrong.map((m) => `${m.job} ${m.rows}`).join(', ')} (COPY wrote ${copyRows} lines).`,
    );
  return {
    id: 'S6',
    title: 'exports',
    profile: ctx.db.profile,
    ok: true,
    rows,
    notes,
    runs,
    seconds: (performance.now() - started) / 1000,
  };
}

if (process.argv[2] === '--s6-child' && import.meta.url === pathToFileURL(process.argv[1]!).href) {
  child(JSON.parse(process.argv[3]!) as ChildSpec).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`, () => process.exit(1));
    },
  );
}
