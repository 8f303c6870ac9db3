import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { queryRows } from '../../src/db/raw.js';

/**
 * Multi-year history for the dashboard scenario, written straight into the read model with
 * set-based SQL: videos up to `videos` (each published on the owner's four channels), daily
 * rollups per publication from its publication day (at most `days` back) to today, the
 * per-owner × platform daily rollups summed from them, and lifetime counters equal to the sums.
 *
 * Used until `npm run seed` (the analytics issue's CLI) exists; the numbers are deterministic
 * (hash-based), so two runs seed the same data.
 */
export async function benchSeed(
  db: Db,
  ownerId: string,
  options: { videos: number; days: number },
): Promise<{ videos: number; publications: number; dailyRows: number }> {
  if (!/^[0-9a-f-]{36}$/i.test(ownerId)) throw new Error(`bad owner id ${ownerId}`);
  const owner = sql.raw(`'${ownerId}'::uuid`);
  const days = sql.raw(String(Math.floor(options.days)));
  const [existing] = await queryRows<{ count: number }>(
    db,
    sql`select count(*)::int as count from videos where owner_id = ${owner}`,
  );
  const missing = Math.max(0, options.videos - Number(existing?.count ?? 0));
  if (missing > 0) {
    const n = sql.raw(String(missing));
    await db.execute(sql`
      with new_videos as (
        insert into videos (owner_id, title, description, status, duration_seconds, tags, created_at, updated_at, published_at)
        select ${owner}, 'Bench video ' || g, 'Seeded for the benchmark.', 'published', 30 + (g * 37) % 1200,
          array['bench', (array['tutorial','vlog','review','tips'])[1 + g % 4]],
          now() - (g * ${days} / ${n}) * interval '1 day' - interval '1 hour',
          now() - (g * ${days} / ${n}) * interval '1 day' - interval '1 hour',
          now() - (g * ${days} / ${n}) * interval '1 day'
        from generate_series(1, ${n}) g
        returning id, published_at
      )
      insert into publications (video_id, channel_id, owner_id, platform, platform_post_id, published_at)
      select v.id, c.id, c.owner_id, c.platform, 'bench-' || c.platform || '-' || v.id, v.published_at
      from new_videos v cross join channels c where c.owner_id = ${owner}`);
  }
  // Views per day decay with the post's age, with a deterministic hash-based jitter.
  await db.execute(sql`
    insert into publication_daily_rollups
      (publication_id, day, owner_id, video_id, channel_id, platform,
       views, likes, shares, comments, saves, clicks, impressions, reach, watch_seconds)
    select p.id, d.day, p.owner_id, p.video_id, p.channel_id, p.platform,
      v.views, v.views / 22, v.views / 140, v.views / 180, v.views / 90, v.views * 4 / 5,
      v.views * 11, v.views * 6, v.views * 47
    from publications p
    cross join lateral (
      select g::date as day from generate_series(
        greatest(p.published_at::date, current_date - ${days}), current_date, interval '1 day') g
    ) d
    cross join lateral (
      select (1 + abs(hashtext(p.id::text || d.day::text)) % 40
        + 20000 / (3 + (d.day - p.published_at::date)))::bigint as views
    ) v
    where p.owner_id = ${owner}
    on conflict do nothing`);
  await db.execute(sql`delete from owner_daily_rollups where owner_id = ${owner}`);
  await db.execute(sql`
    insert into owner_daily_rollups
      (owner_id, platform, day, views, likes, shares, comments, saves, clicks, impressions, reach, watch_seconds)
    select owner_id, platform, day, sum(views), sum(likes), sum(shares), sum(comments), sum(saves),
      sum(clicks), sum(impressions), sum(reach), sum(watch_seconds)
    from publication_daily_rollups where owner_id = ${owner}
    group by owner_id, platform, day`);
  const metrics = sql.raw(
    'views, likes, shares, comments, saves, clicks, impressions, reach, watch_seconds',
  );
  const sums = sql.raw(
    'sum(views), sum(likes), sum(shares), sum(comments), sum(saves), sum(clicks), sum(impressions), sum(reach), sum(watch_seconds)',
  );
  const excluded = sql.raw(
    [
      'views',
      'likes',
      'shares',
      'comments',
      'saves',
      'clicks',
      'impressions',
      'reach',
      'watch_seconds',
    ]
      .map((c) => `${c} = excluded.${c}`)
      .join(', '),
  );
  await db.execute(sql`
    insert into publication_counters (publication_id, ${metrics})
    select publication_id, ${sums} from publication_daily_rollups where owner_id = ${owner}
    group by publication_id
    on conflict (publication_id) do update set ${excluded}`);
  await db.execute(sql`
    insert into video_counters (video_id, owner_id, ${metrics})
    select video_id, owner_id, ${sums} from publication_daily_rollups where owner_id = ${owner}
    group by video_id, owner_id
    on conflict (video_id) do update set ${excluded}`);
  await db.execute(sql`analyze`);
  const [counts] = await queryRows<{ videos: number; publications: number; daily: number }>(
    db,
    sql`select
      (select count(*)::int from videos where owner_id = ${owner}) as videos,
      (select count(*)::int from publications where owner_id = ${owner}) as publications,
      (select count(*)::int from publication_daily_rollups where owner_id = ${owner}) as daily`,
  );
  return {
    videos: counts?.videos ?? 0,
    publications: counts?.publications ?? 0,
    dailyRows: counts?.daily ?? 0,
  };
}
