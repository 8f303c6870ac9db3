import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import {
  addDays,
  DAY_MS,
  floorHour,
  HOUR_MS,
  localDate,
  startOfLocalDay,
} from '../../lib/time-zone.js';
import {
  ADD,
  DIURNAL,
  METRIC_COLUMNS,
  METRIC_SELECT,
  PLATFORM_MIX,
  paramsFor,
  paramsTable,
  SUMS,
  viewsExpression,
  type HistoryPublication,
} from './history-model.js';

export { prng } from './history-model.js';

/** A publication to give history to, with the knobs that shape its curve. */
export interface HistoryOptions {
  ownerId: string;
  /** The owner's account zone: daily rows are keyed by its local days. */
  timeZone: string;
  /** Days of daily history, ending today (local). */
  days: number;
  /** The most recent days are also written hour by hour (0 = none). */
  hourlyDays: number;
  now?: number;
  /**
   * Feed platforms' posts fade within weeks (X within days), as they do; off, every publication
   * keeps a slowly decaying daily tail (dense rows: the worst case, for benchmarks).
   */
  fadingTails?: boolean;
  /** Publications per statement; smaller = finer progress. */
  chunkSize?: number;
  onProgress?: (rows: number) => void;
}

/**
 * Writes realistic history for freshly created publications, set-based (generate_series in the
 * database; only the few parameters per publication cross the wire): per-publication daily rows
 * for the whole span (hourly rows for the last `hourlyDays`, whose days are the sums of their
 * hours), the per-owner pre-sums, lifetime counters and channel audience — all consistent.
 * Returns the number of rows written.
 */
export async function writeHistory(
  db: Db,
  publications: HistoryPublication[],
  options: HistoryOptions,
  random: () => number = Math.random,
): Promise<number> {
  const now = options.now ?? Date.now();
  const tz = options.timeZone;
  const today = localDate(now, tz);
  const firstDay = addDays(today, 1 - options.days);
  const hourlyDays = Math.min(options.hourlyDays, options.days);
  const firstHourlyDay = addDays(today, 1 - hourlyDays);
  const hourlyFrom = Math.ceil(startOfLocalDay(firstHourlyDay, tz) / HOUR_MS) * HOUR_MS;
  const lastHour = floorHour(now);
  const lastDailyOnly = hourlyDays > 0 ? addDays(firstHourlyDay, -1) : today;
  const span = { from: startOfLocalDay(firstDay, tz) - 30 * DAY_MS, to: now };
  const diurnal = sql.raw(`(array[${DIURNAL.join(',')}]::float8[])`);
  let written = 0;
  const chunkSize = options.chunkSize ?? 100;
  const skipTriggers = await canSkipTriggers(db);

  for (let offset = 0; offset < publications.length; offset += chunkSize) {
    const chunk = publications.slice(offset, offset + chunkSize);
    const params = paramsFor(chunk, firstDay, tz, random, span, options.fadingTails ?? false);
    // One transaction per chunk of publications; the pre-sums follow at the end.
    await db.transaction(async (tx) => {
      if (skipTriggers) await tx.execute(sql`set local session_replication_role = replica`);
      const ids = sql.join(
        chunk.map((p) => sql`${p.publicationId}`),
        sql`, `,
      );
      // Days before the hourly window: one row per publication and local day since publication.
      const dailyOnly = await queryRows<{ n: number }>(
        tx,
        sql`with inserted as (
          insert into publication_daily_rollups (publication_id, day, owner_id, video_id, channel_id, platform, ${sql.raw(METRIC_COLUMNS)})
          select p.publication_id, d.day, ${options.ownerId}::uuid, p.video_id, p.channel_id, p.platform::platform, ${METRIC_SELECT}
          from ${paramsTable(params)}
          cross join lateral (
            select g::date as day from generate_series(p.start_day, ${lastDailyOnly}::date, interval '1 day') g
          ) d
          cross join lateral (select ${viewsExpression(
            sql`(extract(epoch from d.day::timestamp)::float8 * 1000 + 43200000)`,
            sql`extract(dow from d.day)::int`,
            sql`24`,
          )} as views) v
          where v.views > 0
          returning 1
        ) select count(*)::int as n from inserted`,
      );
      written += Number(dailyOnly[0]?.n ?? 0);

      if (hourlyDays > 0) {
        // The hourly window: one row per publication and UTC hour since publication.
        const hourly = await queryRows<{ n: number }>(
          tx,
          sql`with inserted as (
            insert into publication_hourly_rollups (publication_id, hour, owner_id, video_id, channel_id, platform, ${sql.raw(METRIC_COLUMNS)})
            select p.publication_id, h.hour, ${options.ownerId}::uuid, p.video_id, p.channel_id, p.platform::platform, ${METRIC_SELECT}
            from ${paramsTable(params)}
            cross join lateral (
              select g as hour, (g at time zone ${tz}) as local
              from generate_series(
                greatest(${new Date(hourlyFrom).toISOString()}::timestamptz, date_trunc('hour', to_timestamp(p.published_ms / 1000.0)) + interval '1 hour'),
                ${new Date(lastHour).toISOString()}::timestamptz, interval '1 hour') g
            ) h
            cross join lateral (select ${viewsExpression(
              sql`(extract(epoch from h.hour)::float8 * 1000)`,
              sql`extract(dow from h.local)::int`,
              sql`(${diurnal}[extract(hour from h.local)::int + 1] / ${sql.raw(String(DIURNAL.reduce((a, b) => a + b, 0) / 24))})`,
            )} as views) v
            where v.views > 0
            returning 1
          ) select count(*)::int as n from inserted`,
        );
        written += Number(hourly[0]?.n ?? 0);
        // Their days are exactly the sums of their hours.
        const days = await queryRows<{ n: number }>(
          tx,
          sql`with inserted as (
            insert into publication_daily_rollups (publication_id, day, owner_id, video_id, channel_id, platform, ${sql.raw(METRIC_COLUMNS)})
            select publication_id, (hour at time zone ${tz})::date, owner_id, video_id, channel_id, platform, ${SUMS}
            from publication_hourly_rollups
            where publication_id in (${ids})
            group by 1, 2, 3, 4, 5, 6
            on conflict (publication_id, day) do update set ${ADD('publication_daily_rollups')}
            returning 1
          ) select count(*)::int as n from inserted`,
        );
        written += Number(days[0]?.n ?? 0);
      }
    });
    options.onProgress?.(written);
  }

  // The pre-sums and lifetime totals of everything written, added once at the end.
  const all = sql`(select value::uuid from json_array_elements_text(${JSON.stringify(
    publications.map((p) => p.publicationId),
  )}::json))`;
  await db.transaction(async (tx) => {
    if (skipTriggers) await tx.execute(sql`set local session_replication_role = replica`);
    if (hourlyDays > 0)
      await tx.execute(sql`
        insert into owner_hourly_rollups (owner_id, platform, hour, ${sql.raw(METRIC_COLUMNS)})
        select owner_id, platform, hour, ${SUMS} from publication_hourly_rollups
        where owner_id = ${options.ownerId} and publication_id in ${all}
        group by owner_id, platform, hour order by 1, 2, 3
        on conflict (owner_id, platform, hour) do update set ${ADD('owner_hourly_rollups')}`);
    await tx.execute(sql`
      insert into owner_daily_rollups (owner_id, platform, day, ${sql.raw(METRIC_COLUMNS)})
      select owner_id, platform, day, ${SUMS} from publication_daily_rollups
      where owner_id = ${options.ownerId} and publication_id in ${all}
      group by owner_id, platform, day order by 1, 2, 3
      on conflict (owner_id, platform, day) do update set ${ADD('owner_daily_rollups')}`);
    await tx.execute(sql`
      insert into publication_counters (publication_id, ${sql.raw(METRIC_COLUMNS)})
      select publication_id, ${SUMS} from publication_daily_rollups
      where owner_id = ${options.ownerId} and publication_id in ${all}
      group by publication_id order by 1
      on conflict (publication_id) do update set ${ADD('publication_counters')}, updated_at = now()`);
    // Video totals are the sums of their publications' counters.
    await tx.execute(sql`
      insert into video_counters (video_id, owner_id, ${sql.raw(METRIC_COLUMNS)})
      select p.video_id, p.owner_id, ${sql.raw(
        METRIC_COLUMNS.split(', ')
          .map((c) => `sum(c.${c})`)
          .join(', '),
      )}
      from publications p join publication_counters c on c.publication_id = p.id
      where p.video_id in (select video_id from publications where id in ${all})
      group by p.video_id, p.owner_id order by 1
      on conflict (video_id) do update set ${sql.raw(
        METRIC_COLUMNS.split(', ')
          .map((c) => `${c} = excluded.${c}`)
          .join(', '),
      )}, updated_at = now()`);
  });
  written += await writeAudience(db, options.ownerId, firstDay, today, tz);
  // Fresh statistics, so the first queries plan for the real row counts.
  await db.execute(
    sql`analyze publication_daily_rollups, publication_hourly_rollups, owner_daily_rollups, owner_hourly_rollups, publication_counters, video_counters, channel_audience_daily, publications, videos`,
  );
  options.onProgress?.(written);
  return written;
}

/**
 * Bulk loads skip the per-row foreign-key triggers when the role may (superusers: PGlite, a
 * local PostgreSQL): every row written references rows created just before, and the checks
 * cost two thirds of the insert time on PostgreSQL.
 */
async function canSkipTriggers(db: Db | Tx): Promise<boolean> {
  const [row] = await queryRows<{ superuser: boolean }>(
    db,
    sql`select rolsuper as superuser from pg_roles where rolname = current_user`,
  );
  return row?.superuser === true;
}

/**
 * One audience snapshot per channel and day: followers grow with the channel's daily views
 * (a platform-specific follow rate, a little churn), posts count its publications so far.
 */
async function writeAudience(
  db: Db,
  ownerId: string,
  firstDay: string,
  today: string,
  timeZone: string,
): Promise<number> {
  const follow = sql.raw(
    `case c.platform ${Object.entries(PLATFORM_MIX)
      .map(([platform, mix]) => `when '${platform}' then ${mix.follow}`)
      .join(' ')} end`,
  );
  const rows = await queryRows<{ n: number }>(
    db,
    sql`with days as (
        select c.id as channel_id, c.platform, d::date as day,
          coalesce(o.views, 0) * ${follow} * (0.6 + 0.8 * random()) as gained,
          coalesce(o.views, 0) * ${follow} * 0.15 * random() as lost
        from channels c
        cross join generate_series(${firstDay}::date, ${today}::date, interval '1 day') d
        left join owner_daily_rollups o on o.owner_id = c.owner_id and o.platform = c.platform and o.day = d::date
        where c.owner_id = ${ownerId}
      ), posts as (
        select channel_id, (published_at at time zone ${timeZone})::date as day, count(*) as n
        from publications where owner_id = ${ownerId} group by 1, 2
      ), inserted as (
        insert into channel_audience_daily (channel_id, day, owner_id, platform, followers, following, posts)
        select d.channel_id, d.day, ${ownerId}::uuid, d.platform,
          (200 + floor(sum(d.gained - d.lost) over w))::bigint,
          (50 + floor(extract(epoch from d.day::timestamp - ${firstDay}::date::timestamp) / 86400 / 9))::bigint,
          coalesce((select sum(n) from posts where posts.channel_id = d.channel_id and posts.day <= d.day), 0)::bigint
        from days d
        window w as (partition by d.channel_id order by d.day)
        on conflict (channel_id, day) do update set
          followers = excluded.followers, following = excluded.following, posts = excluded.posts
        returning 1
      ) select count(*)::int as n from inserted`,
  );
  await db.execute(sql`
    update channels c set followers = a.followers
    from (select distinct on (channel_id) channel_id, followers from channel_audience_daily
          where owner_id = ${ownerId} order by channel_id, day desc) a
    where c.id = a.channel_id`);
  return Number(rows[0]?.n ?? 0);
}
