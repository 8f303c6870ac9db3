import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/raw.js';
import { changePct } from '../../common/metric-keys.js';
import type { AnalyticsView } from '../analytics.service.js';
import { channelGrowth } from '../audience/audience.service.js';
import {
  fitHolt,
  holtForecast,
  summarize,
  zScore,
  type HoltFit,
  type Summary,
} from './forecast.js';
import { addDays, localDate } from '../../../lib/time-zone.js';

/** Days after publication that measure a video's launch (so old and new videos compare fairly). */
export const LAUNCH_DAYS = 7;
/** A posting slot needs this many videos before it can be called the best. */
export const MIN_SLOT_SAMPLE = 3;
/** Anomalies compare a day with this many days before it. */
export const ANOMALY_WINDOW_DAYS = 28;
const MIN_ANOMALY_HISTORY = 14;
const MIN_FORECAST_DAYS = 14;
export const MAX_FORECAST_DAYS = 90;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface LaunchStats {
  videoId: string;
  publishedAt: number;
  weekday: number;
  hour: number;
  views: number;
  engagements: number;
  /** (likes + comments + shares) / views × 100 over the launch days; null without views. */
  engagementRate: number | null;
}

/**
 * Each video published in the range (and at least LAUNCH_DAYS old), with its sums over its
 * first LAUNCH_DAYS days and its local publishing weekday (1 = Monday) and hour.
 */
export function launches(view: AnalyticsView): Promise<LaunchStats[]> {
  const { source, period, settings } = view;
  const key = 'launches';
  let cached = view.memo.get(key) as Promise<LaunchStats[]> | undefined;
  if (cached) return cached;
  const matured = Math.min(period.to, settings.now - LAUNCH_DAYS * 86_400_000);
  cached = queryRows<{
    id: string;
    published: number;
    weekday: number;
    hour: number;
    views: number | null;
    engagements: number | null;
  }>(
    source.db,
    sql`select v.id::text as id, (extract(epoch from v.published_at) * 1000)::float8 as published,
          extract(isodow from v.published_at at time zone ${source.timeZone})::int as weekday,
          extract(hour from v.published_at at time zone ${source.timeZone})::int as hour,
          sum(r.views)::float8 as views, sum(r.likes + r.comments + r.shares)::float8 as engagements
        from videos v
        left join publication_daily_rollups r on r.video_id = v.id and r.owner_id = ${source.ownerId}
          and r.day >= (v.published_at at time zone ${source.storageTimeZone})::date
          and r.day < (v.published_at at time zone ${source.storageTimeZone})::date + ${LAUNCH_DAYS}::int
        where v.owner_id = ${source.ownerId} and v.published_at >= ${new Date(period.from).toISOString()}::timestamptz
          and v.published_at < ${new Date(matured).toISOString()}::timestamptz
        group by v.id, v.published_at order by v.published_at, v.id`,
  ).then((rows) =>
    rows.map((row) => {
      const views = Number(row.views ?? 0);
      const engagements = Number(row.engagements ?? 0);
      return {
        videoId: row.id,
        publishedAt: Number(row.published),
        weekday: Number(row.weekday),
        hour: Number(row.hour),
        views,
        engagements,
        engagementRate: views > 0 ? (engagements / views) * 100 : null,
      };
    }),
  );
  view.memo.set(key, cached);
  return cached;
}

export interface PostingSlot {
  /** Weekday 1–7 (Monday = 1) or hour 0–23. */
  slot: number;
  videos: number;
  /** Mean of the videos' launch engagement rates (videos without views left out). */
  averageEngagementRate: number | null;
  averageViews: number;
}

function slots(items: LaunchStats[], key: (item: LaunchStats) => number): PostingSlot[] {
  const groups = new Map<number, LaunchStats[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([slot, group]) => {
      const rates = group.map((g) => g.engagementRate).filter((r): r is number => r !== null);
      return {
        slot,
        videos: group.length,
        averageEngagementRate: rates.length ? round(summarize(rates).mean) : null,
        averageViews: round(summarize(group.map((g) => g.views)).mean),
      };
    });
}

/** The slot with the highest average engagement among those with enough videos. */
const best = (list: PostingSlot[]) =>
  list
    .filter((s) => s.videos >= MIN_SLOT_SAMPLE && s.averageEngagementRate !== null)
    .sort((a, b) => b.averageEngagementRate! - a.averageEngagementRate! || a.slot - b.slot)[0] ??
  null;

export async function postingTimes(view: AnalyticsView) {
  const items = await launches(view);
  const byWeekday = slots(items, (i) => i.weekday);
  const byHour = slots(items, (i) => i.hour);
  return {
    sampleSize: items.length,
    byWeekday,
    byHour,
    bestWeekday: best(byWeekday),
    bestHour: best(byHour),
  };
}

export interface Outlier {
  videoId: string;
  views: number;
  engagementRate: number | null;
  /** z-score of log10(1 + launch views) among the sample. */
  z: number;
}

/**
 * Videos whose launch views stand out from the viewer's own: z-scores of log10(1 + views) over
 * the first LAUNCH_DAYS days (views are heavy-tailed; on the log scale one hit does not hide
 * everything else). |z| ≥ threshold counts as above or below average.
 */
export async function performance(view: AnalyticsView, threshold: number) {
  const items = await launches(view);
  const logs = items.map((i) => Math.log10(1 + i.views));
  const summary = summarize(logs);
  const scored = items
    .map((item, index) => ({ item, z: zScore(logs[index]!, summary) }))
    .filter((s): s is { item: LaunchStats; z: number } => s.z !== null)
    .map(({ item, z }) => ({
      videoId: item.videoId,
      views: item.views,
      engagementRate: item.engagementRate === null ? null : round(item.engagementRate),
      z: round(z, 3),
    }));
  return {
    sampleSize: summary.n,
    meanViews: round(summarize(items.map((i) => i.views)).mean),
    meanLogViews: round(summary.mean, 4),
    sdLogViews: round(summary.sd, 4),
    above: scored.filter((s) => s.z >= threshold).sort((a, b) => b.z - a.z || cmp(a, b)),
    below: scored.filter((s) => s.z <= -threshold).sort((a, b) => a.z - b.z || cmp(a, b)),
  };
}

const cmp = (a: Outlier, b: Outlier) => (a.videoId < b.videoId ? -1 : 1);

/** Daily views of the whole account from `start` to `end` (inclusive), zero-filled. */
async function dailyViews(view: AnalyticsView, start: string, end: string) {
  const rows = await queryRows<{ day: string; views: number }>(
    view.source.db,
    sql`select day::text as day, sum(views)::float8 as views from owner_daily_rollups
        where owner_id = ${view.source.ownerId} and day >= ${start}::date and day <= ${end}::date
        group by day`,
  );
  const byDay = new Map(rows.map((r) => [r.day, Number(r.views)]));
  const out: { date: string; value: number }[] = [];
  for (let date = start; date <= end; date = addDays(date, 1))
    out.push({ date, value: byDay.get(date) ?? 0 });
  return out;
}

export interface Forecast {
  fit: HoltFit | null;
  /** Why there is no forecast. */
  reason: string | null;
  fittedFrom: string | null;
  fittedTo: string | null;
  points: { date: string; value: number; lower: number; upper: number }[];
}

function forecastSeries(
  series: { date: string; value: number }[],
  horizon: number,
  lastComplete: string,
): Forecast {
  const complete = series.filter((p) => p.date <= lastComplete);
  if (complete.length < MIN_FORECAST_DAYS)
    return {
      fit: null,
      reason: `needs at least ${MIN_FORECAST_DAYS} complete days in the range`,
      fittedFrom: null,
      fittedTo: null,
      points: [],
    };
  const fit = fitHolt(complete.map((p) => p.value))!;
  return {
    fit,
    reason: null,
    fittedFrom: complete[0]!.date,
    fittedTo: complete.at(-1)!.date,
    points: holtForecast(fit, horizon).map((p) => ({
      date: addDays(complete.at(-1)!.date, p.step),
      value: round(p.value),
      lower: round(p.lower),
      upper: round(p.upper),
    })),
  };
}

/**
 * Forecasts of daily views and of total followers for the next `horizon` days: Holt's linear
 * trend fitted on the range's complete days (today, still running, is left out), with 80 %
 * prediction intervals.
 */
export async function forecasts(view: AnalyticsView, horizon: number) {
  const { period, source, settings } = view;
  const lastComplete = addDays(localDate(settings.now, source.storageTimeZone), -1);
  const views = await dailyViews(view, period.startDate, period.endDate);
  const growth = await channelGrowth(source.db, source.ownerId, period.startDate, period.endDate);
  const followers = new Map<string, number>();
  for (const channel of growth)
    for (const point of channel.points)
      followers.set(point.date, (followers.get(point.date) ?? 0) + point.followers);
  return {
    horizonDays: horizon,
    views: forecastSeries(views, horizon, lastComplete),
    followers: forecastSeries(
      [...followers.entries()]
        .map(([date, value]) => ({ date, value }))
        .sort((a, b) => (a.date < b.date ? -1 : 1)),
      horizon,
      lastComplete,
    ),
  };
}

export interface Anomaly {
  date: string;
  views: number;
  expected: number;
  sd: number;
  z: number;
  changePct: number | null;
}

/**
 * Complete days in the range whose account views are |z| ≥ threshold away from the mean of the
 * ANOMALY_WINDOW_DAYS days before them (at least 14 days since the first day with views, with
 * some spread), newest first.
 */
export async function anomalies(view: AnalyticsView, threshold: number): Promise<Anomaly[]> {
  const { period, settings, source } = view;
  // Today is still running: its partial count is no anomaly.
  const lastComplete = addDays(localDate(settings.now, source.storageTimeZone), -1);
  const end = period.endDate < lastComplete ? period.endDate : lastComplete;
  const series = await dailyViews(view, addDays(period.startDate, -ANOMALY_WINDOW_DAYS), end);
  const first = series.findIndex((p) => p.value > 0);
  const found: Anomaly[] = [];
  series.forEach((point, index) => {
    if (point.date < period.startDate) return;
    const from = Math.max(first < 0 ? index : first, index - ANOMALY_WINDOW_DAYS);
    const history = series.slice(from, index).map((p) => p.value);
    if (history.length < MIN_ANOMALY_HISTORY) return;
    const summary: Summary = summarize(history);
    const z = zScore(point.value, summary);
    if (z !== null && Math.abs(z) >= threshold)
      found.push({
        date: point.date,
        views: point.value,
        expected: round(summary.mean),
        sd: round(summary.sd),
        z: round(z, 3),
        changePct: changePct(point.value, summary.mean),
      });
  });
  return found.reverse();
}
