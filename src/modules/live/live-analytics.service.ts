import { and, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  metricEventTable,
  ownerHourlyRollupTable,
  PLATFORMS,
  userTable,
  videoTable,
} from '../../db/schema.js';
import { HOUR_MS, isTimeZone, localParts, offsetAt } from '../../lib/time-zone.js';

const MINUTE_MS = 60_000;

/** One live metric: its value now and over the comparable previous window. */
export interface LiveMetricValue {
  /** null only for a rate without a denominator (engagement rate without views). */
  value: number | null;
  previous: number | null;
}

export interface LiveAnalyticsSnapshot {
  ownerId: string;
  /** When it was computed: the end of every current window. */
  at: Date;
  timeZone: string;
  /** Local midnight of today, in `timeZone`. */
  dayStart: Date;
  /** Views that occurred in the last 60 s; previous: the 60 s before. */
  viewsLastMinute: LiveMetricValue;
  /** Since local midnight; previous: yesterday from midnight up to the same time of day. */
  viewsToday: LiveMetricValue;
  engagementsToday: LiveMetricValue;
  engagementRateToday: LiveMetricValue;
  watchTimeToday: LiveMetricValue;
  videosCreatedToday: LiveMetricValue;
}

/** A usable IANA zone: the stored one, or UTC when the runtime does not know it. */
export function safeTimeZone(timeZone: string): string {
  return isTimeZone(timeZone) ? timeZone : 'UTC';
}

/**
 * The instant a local wall-clock time happens in a zone. Across a DST gap it lands just after
 * the gap; in an overlap, on one of the two candidates.
 */
export function zonedTimeToUtc(wall: number, timeZone: string): number {
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second;
}

/** Today's and yesterday's windows in the zone: local midnights and "the same time yesterday". */
export function dayWindows(now: number, timeZone: string) {
  const t = localParts(now, timeZone);
  const ms = ((now % 1000) + 1000) % 1000;
  const todayStart = zonedTimeToUtc(Date.UTC(t.year, t.month - 1, t.day), timeZone);
  const yesterdayStart = zonedTimeToUtc(Date.UTC(t.year, t.month - 1, t.day - 1), timeZone);
  const sameTimeYesterday = zonedTimeToUtc(
    Date.UTC(t.year, t.month - 1, t.day - 1, t.hour, t.minute, t.second, ms),
    timeZone,
  );
  return {
    todayStart,
    yesterdayStart,
    yesterdayEnd: Math.min(Math.max(sameTimeYesterday, yesterdayStart), todayStart),
  };
}

/**
 * The share of an hourly rollup row that falls in [start, end): rows are UTC hours, so a window
 * edge inside an hour (the same time yesterday; midnight in a zone with a half-hour offset)
 * counts that hour pro rata. The current hour's data spans only up to now.
 */
export function hourShare(hour: number, start: number, end: number, now: number): number {
  const spanEnd = Math.min(hour + HOUR_MS, now);
  if (spanEnd <= hour) return hour >= start && hour < end ? 1 : 0;
  const overlap = Math.min(spanEnd, end) - Math.max(hour, start);
  return overlap <= 0 ? 0 : Math.min(1, overlap / (spanEnd - hour));
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const rate = (part: number, whole: number) => (whole > 0 ? round2((part / whole) * 100) : null);

/**
 * The owner's live metrics at `now`, from the pre-summed hourly rollups, the event log's last two
 * minutes and the videos table: four indexed statements whatever the owner's size. Null when
 * the owner does not exist.
 */
export async function computeLiveAnalytics(
  db: Db,
  ownerId: string,
  now: Date = new Date(),
): Promise<LiveAnalyticsSnapshot | null> {
  const [owner] = await db
    .select({ timezone: userTable.timezone })
    .from(userTable)
    .where(eq(userTable.id, ownerId));
  if (!owner) return null;
  const timeZone = safeTimeZone(owner.timezone);
  const nowMs = now.getTime();
  const { todayStart, yesterdayStart, yesterdayEnd } = dayWindows(nowMs, timeZone);
  const firstHour = new Date(Math.floor(yesterdayStart / HOUR_MS) * HOUR_MS);
  const sum = (column: unknown) => sql<string>`coalesce(sum(${column}), 0)`;
  const oneMinuteAgo = new Date(nowMs - MINUTE_MS);

  const [hours, [lastMinutes], [videos]] = await Promise.all([
    db
      .select({
        hour: ownerHourlyRollupTable.hour,
        views: sum(ownerHourlyRollupTable.views),
        likes: sum(ownerHourlyRollupTable.likes),
        comments: sum(ownerHourlyRollupTable.comments),
        shares: sum(ownerHourlyRollupTable.shares),
        watchSeconds: sum(ownerHourlyRollupTable.watchSeconds),
      })
      .from(ownerHourlyRollupTable)
      .where(
        and(
          eq(ownerHourlyRollupTable.ownerId, ownerId),
          // Every platform named, so the (owner, platform, hour) key serves the hour range too.
          inArray(ownerHourlyRollupTable.platform, [...PLATFORMS]),
          gte(ownerHourlyRollupTable.hour, firstHour),
          lte(ownerHourlyRollupTable.hour, now),
        ),
      )
      .groupBy(ownerHourlyRollupTable.hour),
    db
      .select({
        current: sql<string>`coalesce(sum(${metricEventTable.delta}) filter (where ${metricEventTable.occurredAt} > ${oneMinuteAgo.toISOString()}::timestamptz), 0)`,
        previous: sql<string>`coalesce(sum(${metricEventTable.delta}) filter (where ${metricEventTable.occurredAt} <= ${oneMinuteAgo.toISOString()}::timestamptz), 0)`,
      })
      .from(metricEventTable)
      .where(
        and(
          eq(metricEventTable.ownerId, ownerId),
          eq(metricEventTable.metric, 'views'),
          gt(metricEventTable.occurredAt, new Date(nowMs - 2 * MINUTE_MS)),
          lte(metricEventTable.occurredAt, now),
        ),
      ),
    db
      .select({
        today: sql<number>`count(*) filter (where ${videoTable.createdAt} >= ${new Date(todayStart).toISOString()}::timestamptz and ${videoTable.createdAt} <= ${now.toISOString()}::timestamptz)::int`,
        yesterday: sql<number>`count(*) filter (where ${videoTable.createdAt} < ${new Date(yesterdayEnd).toISOString()}::timestamptz)::int`,
      })
      .from(videoTable)
      .where(
        and(eq(videoTable.ownerId, ownerId), gte(videoTable.createdAt, new Date(yesterdayStart))),
      ),
  ]);

  const today = { views: 0, engagements: 0, watchSeconds: 0 };
  const yesterday = { views: 0, engagements: 0, watchSeconds: 0 };
  for (const row of hours) {
    const hour = new Date(row.hour).getTime();
    const values = {
      views: Number(row.views),
      engagements: Number(row.likes) + Number(row.comments) + Number(row.shares),
      watchSeconds: Number(row.watchSeconds),
    };
    const shares = [
      [today, hourShare(hour, todayStart, nowMs + 1, nowMs)],
      [yesterday, hourShare(hour, yesterdayStart, yesterdayEnd, nowMs)],
    ] as const;
    for (const [target, share] of shares) {
      if (share === 0) continue;
      target.views += values.views * share;
      target.engagements += values.engagements * share;
      target.watchSeconds += values.watchSeconds * share;
    }
  }
  for (const totals of [today, yesterday]) {
    totals.views = Math.round(totals.views);
    totals.engagements = Math.round(totals.engagements);
    totals.watchSeconds = Math.round(totals.watchSeconds);
  }

  return {
    ownerId,
    at: now,
    timeZone,
    dayStart: new Date(todayStart),
    viewsLastMinute: {
      value: Number(lastMinutes?.current ?? 0),
      previous: Number(lastMinutes?.previous ?? 0),
    },
    viewsToday: { value: today.views, previous: yesterday.views },
    engagementsToday: { value: today.engagements, previous: yesterday.engagements },
    engagementRateToday: {
      value: rate(today.engagements, today.views),
      previous: rate(yesterday.engagements, yesterday.views),
    },
    watchTimeToday: { value: today.watchSeconds, previous: yesterday.watchSeconds },
    videosCreatedToday: {
      value: Number(videos?.today ?? 0),
      previous: Number(videos?.yesterday ?? 0),
    },
  };
}
