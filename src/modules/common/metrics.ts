import { METRIC_KEYS, type MetricKey, type MetricValues } from '../../db/schema.js';

export const zeroMetrics = (): MetricValues =>
  Object.fromEntries(METRIC_KEYS.map((key) => [key, 0])) as MetricValues;

/** Picks the metric columns out of a counter or rollup row (NULLs from outer joins count as 0). */
export function pickMetrics(
  row: Partial<Record<keyof MetricValues, number | null>> | null,
): MetricValues {
  const out = zeroMetrics();
  if (row) for (const key of METRIC_KEYS) out[key] = Number(row[key] ?? 0);
  return out;
}

export function sumMetrics(rows: readonly MetricValues[]): MetricValues {
  const out = zeroMetrics();
  for (const row of rows) for (const key of METRIC_KEYS) out[key] += row[key];
  return out;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** (likes + comments + shares) / views × 100; null when there are no views. */
export const engagementRate = (m: MetricValues): number | null =>
  m.views > 0 ? round2(((m.likes + m.comments + m.shares) / m.views) * 100) : null;

/** clicks / impressions × 100; null when there are no impressions. */
export const clickThroughRate = (m: MetricValues): number | null =>
  m.impressions > 0 ? round2((m.clicks / m.impressions) * 100) : null;

/** The public (GraphQL enum, /ingest) name of a metric: watchSeconds → WATCH_SECONDS. */
export const metricName = (key: MetricKey) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const byName = new Map(METRIC_KEYS.map((key) => [metricName(key), key]));

/** Accepts VIEWS, views, WATCH_SECONDS, watch_seconds or watchSeconds. */
export const metricFromName = (name: string): MetricKey | null =>
  byName.get(name.toUpperCase()) ?? byName.get(metricName(name as MetricKey)) ?? null;
