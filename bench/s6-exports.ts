import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import { queryRows } from '../src/db/raw.js';
import { channelTable, userTable, type FileFormat } from '../src/db/schema.js';
import type { ReportInput } from '../src/modules/analytics/report/report.compile.js';
import { createUser } from '../src/modules/user/user.service.js';
import type { BenchContext } from './lib/context.js';
import { startNode } from './lib/proc.js';
import { summarizeProfiles } from './lib/profile.js';
import type { Row, ScenarioResult } from './lib/report.js';
import { median } from './lib/stats.js';
// Types only: importing a value would run the child's main in this process.
import type { ChildSpec, Job, Measured } from './s6-child.js';

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
const mb = (bytes: number) => bytes / 1024 / 1024;

async function runChild(spec: ChildSpec, nodeArgs: string[]): Promise<Measured> {
  const proc = startNode('bench/s6-child.ts', {
    nodeArgs,
    args: [JSON.stringify(spec)],
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
async function seedS6(db: Db, videos: number): Promise<{ ownerId: string; rows: number }> {
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

/** With --cpu-prof: each job's children write their profiles to a folder of their own. */
function profileArgs(ctx: BenchContext, job: Job): { nodeArgs: string[]; dir: string | null } {
  const base = ctx.pulseNodeArgs.find((a) => a.startsWith('--cpu-prof-dir='))?.split('=')[1];
  if (!base) return { nodeArgs: [], dir: null };
  const dir = path.join(base, job);
  return { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], dir };
}

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
  // COPY and CSV side by side, so that their ratio compares neighbouring moments.
  // The cursor alone is a diagnostic (where CSV's time goes): full runs only.
  const jobs: Job[] = [
    'copy',
    'csv',
    ...(ctx.quick ? [] : (['cursor'] as const)),
    ...FORMATS.filter((f) => f !== 'csv'),
  ];
  const runs: Measured[][] = [];
  try {
    for (let run = 0; run < ctx.settings.runs; run++) {
      const measured: Measured[] = [];
      const runDir = path.join(dir, `${run}`);
      await mkdir(runDir, { recursive: true });
      for (const job of jobs) {
        const spec = { job, database: ctx.db.config, ownerId: seeded.ownerId, input, dir: runDir };
        const m = await runChild(spec, profileArgs(ctx, job).nodeArgs);
        measured.push(m);
        ctx.log(
          `  S6 run ${run + 1} ${job}: ${m.rows.toLocaleString('en-US')} rows in ${m.seconds.toFixed(2)} s (first after ${m.firstRowSeconds?.toFixed(2) ?? '—'} s; ${Math.round(m.rows / m.seconds).toLocaleString('en-US')} rows/s), ${mb(m.bytes).toFixed(1)} MB, peak RSS ${m.peakRssMb.toFixed(0)} MB (${m.baselineMb.toFixed(0)} before, heap peak ${m.heapPeakMb.toFixed(0)})`,
        );
      }
      runs.push(measured);
      await rm(runDir, { recursive: true, force: true });
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
  for (const job of jobs) {
    const profiled = profileArgs(ctx, job).dir;
    if (profiled) await summarizeProfiles(profiled, `${ctx.db.profile} S6 ${job}`, ctx.log);
  }

  const of = (job: Job) => runs.map((r) => r.find((m) => m.job === job)!);
  const med = (job: Job, pick: (m: Measured) => number) => median(of(job).map(pick));
  const rate = (job: Job) => med(job, (m) => m.rows / m.seconds);
  const copyRate = rate('copy');
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
    const name = format.toUpperCase();
    const peak = med(format, (m) => m.peakRssMb);
    rows.push(
      { metric: `${name} seconds`, unit: 's', pulse: med(format, (m) => m.seconds) },
      ...(format === 'csv' ? [] : [{ metric: `${name} rows/s`, unit: '', pulse: rate(format) }]),
      {
        metric: `${name} peak RSS`,
        unit: 'MB',
        pulse: peak,
        target: `< ${RSS_TARGET_MB} MB`,
        met: peak < RSS_TARGET_MB,
      },
    );
  }
  rows.push(
    { metric: 'COPY seconds', unit: 's', pulse: med('copy', (m) => m.seconds) },
    { metric: 'COPY peak RSS', unit: 'MB', pulse: med('copy', (m) => m.peakRssMb) },
    ...(jobs.includes('cursor')
      ? [{ metric: "the export's cursor alone, rows/s", unit: '', pulse: rate('cursor') }]
      : []),
  );
  const memory = jobs
    .map(
      (job) =>
        `${job} ${med(job, (m) => m.baselineMb).toFixed(0)} → ${med(job, (m) => m.peakRssMb).toFixed(0)} MB (heap peak ${med(job, (m) => m.heapPeakMb).toFixed(0)} MB)`,
    )
    .join('; ');
  const db = ctx.db.profile;
  const notes = [
    `${videos.toLocaleString('en-US')} videos × ${DAYS} days of publication_daily_rollups for one owner (seeded with SQL); the report { metrics: [views, likes, comments, shares], dimensions: [VIDEO, DATE], limit: ${limit.toLocaleString('en-US')} } exported through produceExport (the worker's path: buildExportDocument, writeExport, the local storage driver), each export in a child process of its own (\`node --import tsx\`, as \`npm start\` runs). Seconds run from produceExport's call to the stored file (the summary, series and platform queries included). The peer: \`COPY (<the same statement, parameters inlined>) TO STDOUT WITH CSV\`${db === 'pglite' ? " (PGlite: to '/dev/blob', one blob)" : ' streamed through postgres.js'} into a file in the same folder, timed from the COPY statement on; it writes the statement's own columns, while Pulse adds video titles (one lookup per 2,000 rows), global IDs and formatting. "The export's cursor alone" fetches the same statement through src/db/cursor.ts (2,000 rows a fetch) and drops the rows. PDF's table stops at 2,000 rows (the rest is counted), so its rows/s is not comparable.`,
    `RSS before the export → peak (VmHWM, the whole process): ${memory}. Before the export a child already holds Node, tsx, drizzle, postgres.js and PGlite's module${db === 'pglite' ? ', and the open PGlite database' : ''}.`,
  ];
  if (runs.flat().some((m) => m.rows !== limit))
    notes.push(
      `**Row counts differ** from ${limit}: ${runs
        .flat()
        .map((m) => `${m.job} ${m.rows}`)
        .join(', ')}.`,
    );
  return {
    id: 'S6',
    title: 'exports',
    profile: db,
    ok: true,
    rows,
    notes,
    runs,
    seconds: (performance.now() - started) / 1000,
  };
}
