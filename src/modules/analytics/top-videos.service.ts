import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/raw.js';
import type { MetricKey, MetricValues } from '../../db/schema.js';
import { zeroMetrics } from '../common/metric-keys.js';
import {
  isRate,
  memo,
  metricValue,
  type AnalyticsMetric,
  type AnalyticsView,
} from './analytics.service.js';
import { periodDays } from './storage/ranges.js';
import { metricColumn } from '../common/metric-keys.js';
import { sumRollups } from './storage/rollups.js';

export interface TopVideo {
  rank: number;
  videoId: string;
  current: MetricValues;
  previous: MetricValues | null;
  value: number | null;
}

const orderExpression = (metric: AnalyticsMetric) => {
  if (metric === 'engagementRate')
    return sql`(sum(likes) + sum(comments) + sum(shares))::float8 / nullif(sum(views), 0)`;
  if (metric === 'ctr') return sql`sum(clicks)::float8 / nullif(sum(impressions), 0)`;
  return sql`sum(${sql.raw(metricColumn(metric))})`;
};

const rankRequest = (metric: AnalyticsMetric, first: number) => ({
  order: orderExpression(metric),
  limit: first,
  ...(metric === 'engagementRate'
    ? { having: sql`sum(views) > 0` }
    : metric === 'ctr'
      ? { having: sql`sum(impressions) > 0` }
      : {}),
});

const MAX_CANDIDATES = 2_000;
const FIRST_CANDIDATES = (first: number) => 2 * first + 10;

/**
 * The top `first` videos by a count over the range. Summing every video's daily rows over a long
 * range is what makes top content slow, so for long unfiltered ranges the ranking first looks
 * only at the videos with the highest lifetime totals: a video's range sum can never exceed its
 * lifetime counter, so once the k-th best range sum among the candidates beats the lifetime total
 * of every video left out, the answer is exact. Otherwise it widens, then falls back to summing
 * everything.
 */
async function rankVideos(view: AnalyticsView, metric: AnalyticsMetric, first: number) {
  const { source, period } = view;
  const filter = source.filter;
  const direct = async () =>
    (
      await sumRollups(source, {
        windows: [period],
        unit: 'none',
        byVideo: true,
        rank: rankRequest(metric, first),
      })
    ).rows;
  if (
    isRate(metric) ||
    filter.videoIds ||
    filter.channelIds ||
    filter.tags ||
    period.resolution === 'hour' ||
    periodDays(period) <= 31
  )
    return direct();
  const column = sql.raw(metricColumn(metric));
  const lifetime = await queryRows<{ id: string; value: number }>(
    source.db,
    sql`select video_id::text as id, ${column}::float8 as value from video_counters
        where owner_id = ${source.ownerId} order by ${column} desc, video_id limit ${MAX_CANDIDATES + 1}`,
  );
  for (let size = FIRST_CANDIDATES(first); ; size *= 4) {
    if (size >= MAX_CANDIDATES && lifetime.length > MAX_CANDIDATES) return direct();
    const candidates = lifetime.slice(0, size);
    const { rows } = await sumRollups(source, {
      windows: [period],
      unit: 'none',
      byVideo: true,
      videoIds: candidates.map((c) => c.id),
      rank: rankRequest(metric, first),
    });
    const left = lifetime[size];
    if (!left) return rows; // every video with data was a candidate
    const kth = rows.length >= first ? rows[first - 1]!.metrics[metric as MetricKey] : -1;
    if (Number(left.value) < kth) return rows;
  }
}

/**
 * The best videos in the range by a metric; ties broken by video id so pages are stable. Rates
 * rank only videos that have a denominator (views or impressions).
 */
export function topVideos(
  view: AnalyticsView,
  metric: AnalyticsMetric,
  first: number,
): Promise<TopVideo[]> {
  return memo(view, `top:${metric}:${first}`, async () => {
    const rows = await rankVideos(view, metric, first);
    const ids = rows.map((row) => row.videoId!);
    const previous =
      view.previous && ids.length > 0
        ? (
            await sumRollups(view.source, {
              windows: [view.previous],
              unit: 'none',
              byVideo: true,
              videoIds: ids,
            })
          ).rows
        : [];
    return rows.map((row, index) => ({
      rank: index + 1,
      videoId: row.videoId!,
      current: row.metrics,
      previous: view.previous
        ? (previous.find((p) => p.videoId === row.videoId)?.metrics ?? zeroMetrics())
        : null,
      value: metricValue(row.metrics, metric),
    }));
  });
}
