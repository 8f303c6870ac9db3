import { METRIC_KEYS, type MetricKey, type MetricValues } from '../../db/schema.js';

/**
 * A literal rather than built from METRIC_KEYS: every row of a series or rollup read makes one,
 * and V8 gives literals a fixed shape (Object.fromEntries objects are slow dictionaries).
 * MetricValues makes the compiler insist on every metric.
 */
export const zeroMetrics = (): MetricValues => ({
  views: 0,
  likes: 0,
  shares: 0,
  comments: 0,
  saves: 0,
  clicks: 0,
  impressions: 0,
  reach: 0,
  watchSeconds: 0,
});

/** What each metric counts: the one text the schema's enums and fields describe it with. */
export const METRIC_DESCRIPTIONS: Readonly<Record<MetricKey, string>> = {
  views: 'Views.',
  likes: 'Likes.',
  shares: 'Shares, reposts and retweets.',
  comments: 'Comments and replies.',
  saves: 'Saves and bookmarks.',
  clicks: 'Clicks on the content.',
  impressions: 'Times the content was shown.',
  reach:
    'Accounts reached, as each platform counts them per publication and day; a sum over days or publications is not a count of unique accounts.',
  watchSeconds: 'Watch time, in seconds.',
};

/** Each metric's SQL column (watchSeconds → watch_seconds), worked out once: writers ask per row. */
const METRIC_COLUMN = Object.fromEntries(
  METRIC_KEYS.map((key) => [key, key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
) as Record<MetricKey, string>;

export const metricColumn = (key: MetricKey): string => METRIC_COLUMN[key];

/** Every metric column, in METRIC_KEYS order. */
export const METRIC_COLUMNS: readonly string[] = METRIC_KEYS.map(metricColumn);

/** Picks the metric columns out of a counter or rollup row (NULLs from outer joins count as 0). */
export function pickMetrics(
  row: Partial<Record<keyof MetricValues, number | null>> | null,
): MetricValues {
  const out = zeroMetrics();
  if (row) for (const key of METRIC_KEYS) out[key] = Number(row[key] ?? 0);
  return out;
}

/** Adds source into target, metric by metric (an absent source adds nothing). */
export function addMetrics(target: MetricValues, source: MetricValues | undefined) {
  if (source) for (const key of METRIC_KEYS) target[key] += source[key];
}

export function sumMetrics(rows: readonly MetricValues[]): MetricValues {
  const out = zeroMetrics();
  for (const row of rows) addMetrics(out, row);
  return out;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** (likes + comments + shares) / views × 100; null when there are no views. */
export const engagementRate = (m: MetricValues): number | null =>
  m.views > 0 ? round2(((m.likes + m.comments + m.shares) / m.views) * 100) : null;

/** clicks / impressions × 100; null when there are no impressions. */
export const clickThroughRate = (m: MetricValues): number | null =>
  m.impressions > 0 ? round2((m.clicks / m.impressions) * 100) : null;

export type Trend = 'up' | 'down' | 'stable';

/** (current − previous) / previous × 100, rounded to 2 decimals; null when previous is 0 or unknown. */
export function changePct(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return round2(((current - previous) / previous) * 100);
}

/**
 * UP or DOWN when the change is at least 1 % either way, else STABLE. From a previous value of
 * 0 (change undefined) any rise is UP; an unknown value on either side is STABLE.
 */
export function trendOf(current: number | null, previous: number | null): Trend {
  if (current === null || previous === null) return 'stable';
  if (previous === 0) return current > 0 ? 'up' : current < 0 ? 'down' : 'stable';
  const change = ((current - previous) / previous) * 100;
  return change >= 1 ? 'up' : change <= -1 ? 'down' : 'stable';
}

/** The public (GraphQL enum, /ingest) name of a metric: watchSeconds → WATCH_SECONDS. */
export const metricName = (key: MetricKey) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const byName = new Map(METRIC_KEYS.map((key) => [metricName(key), key]));

/** Accepts VIEWS, views, WATCH_SECONDS, watch_seconds or watchSeconds. */
export const metricFromName = (name: string): MetricKey | null =>
  byName.get(name.toUpperCase()) ?? byName.get(metricName(name as MetricKey)) ?? null;
