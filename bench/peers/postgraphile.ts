import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort, root, sleep, track, type Child } from '../lib/proc.js';

export const PEER_DIR = path.join(root, 'bench/.peers/postgraphile');
export const PG_SCHEMA = 'bench_postgraphile';

/**
 * Installs PostGraphile v4 into its own folder (gitignored) the first time: it must never become
 * a dependency of Pulse. Throws with npm's own message when the registry can't be reached.
 */
export async function ensurePostGraphile(): Promise<string> {
  const installed = path.join(PEER_DIR, 'node_modules/postgraphile/package.json');
  if (!existsSync(installed)) {
    await mkdir(PEER_DIR, { recursive: true });
    await writeFile(
      path.join(PEER_DIR, 'package.json'),
      JSON.stringify({ name: 'pulse-bench-postgraphile-peer', private: true }) + '\n',
    );
    try {
      await promisify(execFile)(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefix', PEER_DIR, 'postgraphile@4'],
        { cwd: PEER_DIR, timeout: 300_000 },
      );
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`npm install postgraphile@4 failed: ${stderr?.trim() || String(error)}`);
    }
  }
  const { createRequire } = await import('node:module');
  const require = createRequire(path.join(PEER_DIR, 'package.json'));
  return (require('postgraphile/package.json') as { version: string }).version;
}

/**
 * The closest PostGraphile equivalent of Pulse's overview: PostGraphile exposes tables and
 * functions, and range aggregates are written the PostGraphile way, as STABLE SQL functions in
 * a schema of their own (exposed as root query fields), reading the same rollup tables Pulse
 * reads. PostGraphile compiles the whole GraphQL query into one SQL statement.
 */
const FUNCTIONS = `
create schema if not exists ${PG_SCHEMA};
create type ${PG_SCHEMA}.metric_totals as (
  views bigint, likes bigint, shares bigint, comments bigint, saves bigint,
  clicks bigint, impressions bigint, reach bigint, watch_seconds bigint);
create type ${PG_SCHEMA}.day_metrics as (day date, views bigint, likes bigint, shares bigint,
  comments bigint, saves bigint, clicks bigint, impressions bigint, reach bigint, watch_seconds bigint);
create type ${PG_SCHEMA}.platform_metrics as (platform text, views bigint, likes bigint,
  shares bigint, comments bigint, saves bigint, clicks bigint, impressions bigint, reach bigint,
  watch_seconds bigint);
create type ${PG_SCHEMA}.top_video as (video_id uuid, title text, views bigint, likes bigint,
  comments bigint, shares bigint);

create function ${PG_SCHEMA}.totals(owner uuid, from_day date, to_day date)
returns ${PG_SCHEMA}.metric_totals language sql stable as $$
  select coalesce(sum(views), 0), coalesce(sum(likes), 0), coalesce(sum(shares), 0),
    coalesce(sum(comments), 0), coalesce(sum(saves), 0), coalesce(sum(clicks), 0),
    coalesce(sum(impressions), 0), coalesce(sum(reach), 0), coalesce(sum(watch_seconds), 0)
  from public.owner_daily_rollups where owner_id = owner and day between from_day and to_day
$$;

create function ${PG_SCHEMA}.series(owner uuid, from_day date, to_day date)
returns setof ${PG_SCHEMA}.day_metrics language sql stable as $$
  select d::date, coalesce(sum(r.views), 0), coalesce(sum(r.likes), 0), coalesce(sum(r.shares), 0),
    coalesce(sum(r.comments), 0), coalesce(sum(r.saves), 0), coalesce(sum(r.clicks), 0),
    coalesce(sum(r.impressions), 0), coalesce(sum(r.reach), 0), coalesce(sum(r.watch_seconds), 0)
  from generate_series(from_day, to_day, interval '1 day') d
  left join public.owner_daily_rollups r on r.owner_id = owner and r.day = d::date
  group by d order by d
$$;

create function ${PG_SCHEMA}.by_platform(owner uuid, from_day date, to_day date)
returns setof ${PG_SCHEMA}.platform_metrics language sql stable as $$
  select platform::text, sum(views), sum(likes), sum(shares), sum(comments), sum(saves),
    sum(clicks), sum(impressions), sum(reach), sum(watch_seconds)
  from public.owner_daily_rollups where owner_id = owner and day between from_day and to_day
  group by platform order by sum(views) desc
$$;

create function ${PG_SCHEMA}.top_videos(owner uuid, from_day date, to_day date, n int)
returns setof ${PG_SCHEMA}.top_video language sql stable as $$
  select v.id, v.title, t.views, t.likes, t.comments, t.shares
  from (
    select video_id, sum(views) as views, sum(likes) as likes, sum(comments) as comments,
      sum(shares) as shares
    from public.publication_daily_rollups
    where owner_id = owner and day between from_day and to_day
    group by video_id order by sum(views) desc, video_id limit n
  ) t join public.videos v on v.id = t.video_id
  order by t.views desc, v.id
$$;
`;

export const POSTGRAPHILE_QUERY = /* GraphQL */ `
  query Overview($owner: UUID!, $from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {
    current: totals(owner: $owner, fromDay: $from, toDay: $to) {
      ...Totals
    }
    previous: totals(owner: $owner, fromDay: $prevFrom, toDay: $prevTo) {
      ...Totals
    }
    series: seriesList(owner: $owner, fromDay: $from, toDay: $to) {
      day
      views
      likes
      comments
      shares
      watchSeconds
    }
    previousSeries: seriesList(owner: $owner, fromDay: $prevFrom, toDay: $prevTo) {
      day
      views
      likes
      comments
      shares
      watchSeconds
    }
    byPlatform: byPlatformList(owner: $owner, fromDay: $from, toDay: $to) {
      platform
      views
      likes
      comments
      shares
      watchSeconds
    }
    previousByPlatform: byPlatformList(owner: $owner, fromDay: $prevFrom, toDay: $prevTo) {
      platform
      views
    }
    topVideos: topVideosList(owner: $owner, fromDay: $from, toDay: $to, n: 10) {
      videoId
      title
      views
      likes
      comments
      shares
    }
  }
  fragment Totals on MetricTotal {
    views
    likes
    shares
    comments
    saves
    clicks
    impressions
    reach
    watchSeconds
  }
`;

export async function installFunctions(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop schema if exists ${PG_SCHEMA} cascade`);
    await sql.unsafe(FUNCTIONS);
  } finally {
    await sql.end({ timeout: 2 });
  }
}

export async function startPostGraphile(url: string): Promise<{ url: string; process: Child }> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [path.join(root, 'bench/peers/postgraphile-server.mjs')], {
      cwd: PEER_DIR,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'production',
        PEER_DIR,
        PG_URL: url,
        PG_SCHEMA,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`PostGraphile exited:\n${child.output()}`);
    try {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) {
        await response.text();
        return { url: base, process: child };
      }
    } catch {
      // starting
    }
    if (Date.now() > deadline) {
      await child.stop(1_000);
      throw new Error(`PostGraphile did not answer within 60 s:\n${child.output()}`);
    }
    await sleep(100);
  }
}
