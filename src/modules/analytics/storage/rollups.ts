import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { queryRows } from '../../../db/raw.js';
import { METRIC_KEYS, type MetricValues, type Platform } from '../../../db/schema.js';
import { METRIC_COLUMNS, metricColumn, pickMetrics } from '../../common/metric-keys.js';
import type { Period } from './ranges.js';
import { addDays, HOUR_MS, localDate, startOfLocalDay } from '../../../lib/time-zone.js';

/** What the viewer narrowed the data to; null = no condition. Ids are the viewer's own UUIDs. */
export interface AnalyticsFilter {
  platforms: Platform[] | null;
  videoIds: string[] | null;
  channelIds: string[] | null;
  tags: string[] | null;
}

export const NO_FILTER: AnalyticsFilter = {
  platforms: null,
  videoIds: null,
  channelIds: null,
  tags: null,
};

/** Where rollup rows come from, and how their days are keyed. */
export interface RollupSource {
  db: Db;
  ownerId: string;
  filter: AnalyticsFilter;
  /** The time zone the answer is in. */
  timeZone: string;
  /**
   * The zone the owner's daily rows are keyed in: the account time zone (the ingest path and
   * the seeders bucket days in it). Days in another zone are rebuilt from hourly rows.
   */
  storageTimeZone: string;
  /** From this instant on, hourly rows are complete (retention and history start). */
  hourlyFrom: () => Promise<number>;
}

export type Unit = 'day' | 'hour' | 'none';

export interface SumsRequest {
  /** Each window is summed on its own; rows carry the window's index. */
  windows: Period[];
  unit: Unit;
  byPlatform?: boolean;
  byVideo?: boolean;
  /** Restrict to these videos (batched per-video reads), on top of the filter. */
  videoIds?: string[];
  /** Keep only the top `limit` groups by `order` (an aggregate), largest first, ties by video. */
  rank?: { order: SQL; having?: SQL; limit: number };
}

export interface SumsRow {
  window: number;
  /** Local date (day) or epoch ms of the UTC hour (hour); null for 'none'. */
  unit: string | number | null;
  platform: Platform | null;
  videoId: string | null;
  metrics: MetricValues;
}

export interface SumsResult {
  rows: SumsRow[];
  /**
   * False when some days in another zone than the account's were older than the hourly rows:
   * those days are the account zone's days.
   */
  exactTimeZone: boolean;
}

const METRIC_SUMS = sql.raw(
  METRIC_KEYS.map((key) => `sum(${metricColumn(key)})::float8 as "${key}"`).join(', '),
);
const METRIC_FLOATS = sql.raw(
  METRIC_KEYS.map((key) => `${metricColumn(key)}::float8 as "${key}"`).join(', '),
);
/** The metric columns, as a select or insert list. */
export const METRIC_LIST = sql.raw(METRIC_COLUMNS.join(', '));

/** A parameter list for `in (…)`; an empty list becomes `null`, which matches nothing. */
export const inList = (values: readonly unknown[]) =>
  values.length === 0
    ? sql`null`
    : sql.join(
        values.map((value) => sql`${value}`),
        sql`, `,
      );

export const usesPublicationRows = (filter: AnalyticsFilter, byVideo = false) =>
  byVideo || filter.videoIds !== null || filter.channelIds !== null || filter.tags !== null;

/** Conditions for the filter on a rollup table (publication-level columns when `publication`). */
export function filterConditions(
  ownerId: string,
  filter: AnalyticsFilter,
  publication: boolean,
  videoIds?: string[],
): SQL {
  const parts: SQL[] = [sql`owner_id = ${ownerId}`];
  if (filter.platforms) parts.push(sql`platform in (${inList(filter.platforms)})`);
  if (publication) {
    if (filter.videoIds) parts.push(sql`video_id in (${inList(filter.videoIds)})`);
    if (videoIds) parts.push(sql`video_id in (${inList(videoIds)})`);
    if (filter.channelIds) parts.push(sql`channel_id in (${inList(filter.channelIds)})`);
    if (filter.tags)
      parts.push(
        sql`video_id in (select id from videos where owner_id = ${ownerId} and tags && array[${inList(filter.tags)}]::text[])`,
      );
  }
  return sql.join(parts, sql` and `);
}

/**
 * Sums rollup rows per window (and per unit, platform, video as asked) in one statement. The
 * per-owner pre-summed tables answer unless a video, channel or tag filter (or per-video
 * grouping) needs the per-publication ones.
 */
export async function sumRollups(source: RollupSource, request: SumsRequest): Promise<SumsResult> {
  const publication = usesPublicationRows(source.filter, request.byVideo);
  const tables = publication
    ? { daily: 'publication_daily_rollups', hourly: 'publication_hourly_rollups' }
    : { daily: 'owner_daily_rollups', hourly: 'owner_hourly_rollups' };
  const where = filterConditions(source.ownerId, source.filter, publication, request.videoIds);
  const platformKey = request.byPlatform ? sql`platform::text` : sql`null::text`;
  const videoKey = request.byVideo ? sql`video_id::text` : sql`null::text`;
  const otherZone = source.timeZone !== source.storageTimeZone;
  let exactTimeZone = true;
  let grouped = false;

  const fromHourly = (window: number, from: number, to: number, unit: SQL) =>
    sql`select ${sql.raw(String(window))} as w, ${unit} as unit, ${platformKey} as platform, ${videoKey} as video_id, ${METRIC_LIST}
        from ${sql.raw(tables.hourly)}
        where ${where} and hour >= ${new Date(from).toISOString()}::timestamptz and hour < ${new Date(to).toISOString()}::timestamptz`;
  const fromDaily = (window: number, start: string, end: string, unit: SQL) =>
    sql`select ${sql.raw(String(window))} as w, ${unit} as unit, ${platformKey} as platform, ${videoKey} as video_id, ${METRIC_LIST}
        from ${sql.raw(tables.daily)}
        where ${where} and day >= ${start}::date and day <= ${end}::date`;

  const parts: SQL[] = [];
  for (const [index, period] of request.windows.entries()) {
    const hourUnit =
      request.unit === 'hour'
        ? sql`(extract(epoch from hour) * 1000)::float8`
        : request.unit === 'day'
          ? sql`((hour at time zone ${source.timeZone})::date)::text`
          : sql`null::text`;
    if (request.unit === 'hour' || period.resolution === 'hour') {
      parts.push(fromHourly(index, period.from, period.to, hourUnit));
      if (request.unit !== 'hour') grouped = true;
      continue;
    }
    const dayUnit = request.unit === 'day' ? sql`day::text` : sql`null::text`;
    if (!otherZone) {
      parts.push(fromDaily(index, period.startDate, period.endDate, dayUnit));
      if (request.unit !== 'day') grouped = true;
      continue;
    }
    grouped = true;
    // Another zone's days: rebuilt from hourly rows where they exist, else the stored days.
    const firstHourlyDate = firstWholeDay(await source.hourlyFrom(), source.timeZone);
    if (period.startDate < firstHourlyDate) {
      exactTimeZone = false;
      const end = period.endDate < firstHourlyDate ? period.endDate : addDays(firstHourlyDate, -1);
      parts.push(fromDaily(index, period.startDate, end, dayUnit));
    }
    if (period.endDate >= firstHourlyDate) {
      const from = Math.max(period.from, startOfLocalDay(firstHourlyDate, source.timeZone));
      parts.push(fromHourly(index, from, period.to, hourUnit));
    }
  }
  if (parts.length === 0) return { rows: [], exactTimeZone };

  // Per-owner rows per stored day (or hour) and platform are already the answer: summing
  // thousands of them again costs more than sending them.
  const raw = !grouped && !publication && request.byPlatform && !request.rank;
  const rows = await queryRows<Record<string, unknown>>(
    source.db,
    raw
      ? sql`select w, unit, platform, video_id, ${METRIC_FLOATS} from (${sql.join(parts, sql` union all `)}) as x`
      : sql`select w, unit, platform, video_id, ${METRIC_SUMS}
        from (${sql.join(parts, sql` union all `)}) as x
        group by w, unit, platform, video_id
        ${request.rank?.having ? sql`having ${request.rank.having}` : sql``}
        ${request.rank ? sql`order by ${request.rank.order} desc nulls last, video_id limit ${request.rank.limit}` : sql``}`,
  );
  return {
    exactTimeZone,
    rows: rows.map((row) => {
      const metrics = pickMetrics(row);
      const unit = row['unit'];
      return {
        window: Number(row['w']),
        unit:
          unit === null || unit === undefined
            ? null
            : request.unit === 'hour'
              ? Number(unit)
              : String(unit),
        platform: (row['platform'] as Platform | null) ?? null,
        videoId: (row['video_id'] as string | null) ?? null,
        metrics,
      };
    }),
  };
}

/** The first local date that starts at or after an instant. */
export function firstWholeDay(instant: number, timeZone: string): string {
  const date = localDate(instant, timeZone);
  return startOfLocalDay(date, timeZone) < instant ? addDays(date, 1) : date;
}

/** The first local date with data for the owner (ALL_TIME starts there), or null. */
export async function firstDataDate(db: Db, ownerId: string): Promise<string | null> {
  const [row] = await queryRows<{ day: string | null }>(
    db,
    sql`select min(day)::text as day from owner_daily_rollups where owner_id = ${ownerId}`,
  );
  return row?.day ?? null;
}

/**
 * From when the owner's hourly rows are complete: the later of the retention cutoff and their
 * first hourly row (seeded history may carry hourly rows for recent weeks only).
 */
export async function hourlyCoverageStart(
  db: Db,
  ownerId: string,
  now: number,
  retentionDays: number,
): Promise<number> {
  const [row] = await queryRows<{ first: number | null }>(
    db,
    sql`select (extract(epoch from min(hour)) * 1000)::float8 as first from (
          select (select min(hour) from owner_hourly_rollups h where h.owner_id = ${ownerId} and h.platform = p) as hour
          from unnest(enum_range(null::platform)) as p
        ) x`,
  );
  const cutoff = Math.ceil((now - retentionDays * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const first = row?.first == null ? now : Number(row.first);
  return Math.max(cutoff, first);
}
