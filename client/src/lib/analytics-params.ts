import type {
  AnalyticsComparison,
  AnalyticsInterval,
  AnalyticsMetric,
  AnalyticsRangePreset,
  Platform,
} from '../gql/graphql.js';
import { PLATFORM_LABELS } from './format.js';
import { readList, readOne, useUrlState } from './url-state.js';

// The presets the analytics pages offer (the Reports builder offers every one).
export const RANGE_LABELS: Partial<Record<AnalyticsRangePreset, string>> = {
  LAST_24_HOURS: 'Last 24 hours',
  LAST_7_DAYS: 'Last 7 days',
  LAST_28_DAYS: 'Last 28 days',
  LAST_90_DAYS: 'Last 90 days',
  LAST_365_DAYS: 'Last 365 days',
  MONTH_TO_DATE: 'Month to date',
  YEAR_TO_DATE: 'Year to date',
  ALL_TIME: 'All time',
};

export const COMPARE_LABELS: Record<AnalyticsComparison, string> = {
  PREVIOUS_PERIOD: 'Previous period',
  PREVIOUS_YEAR: 'Same period last year',
  NONE: 'No comparison',
};

export const CHART_METRICS = {
  VIEWS: 'Views',
  LIKES: 'Likes',
  COMMENTS: 'Comments',
  SHARES: 'Shares',
  WATCH_SECONDS: 'Watch time (s)',
  ENGAGEMENT_RATE: 'Engagement rate',
} as const satisfies Partial<Record<AnalyticsMetric, string>>;
export type ChartMetric = keyof typeof CHART_METRICS;

const PRESETS = Object.keys(RANGE_LABELS) as AnalyticsRangePreset[];
const COMPARISONS = Object.keys(COMPARE_LABELS) as AnalyticsComparison[];
const PLATFORMS = Object.keys(PLATFORM_LABELS) as Platform[];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export const DEFAULT_PRESET: AnalyticsRangePreset = 'LAST_28_DAYS';
export const DEFAULT_COMPARE: AnalyticsComparison = 'PREVIOUS_PERIOD';

/** Buckets a reader can take in: hours for a day, days up to a quarter, then weeks, months. */
export function intervalFor(preset: AnalyticsRangePreset | null, days: number): AnalyticsInterval {
  if (preset === 'LAST_24_HOURS') return 'HOUR';
  if (preset === 'ALL_TIME') return 'MONTH';
  if (preset === 'LAST_365_DAYS' || preset === 'YEAR_TO_DATE') return 'WEEK';
  return days > 120 ? 'WEEK' : 'DAY';
}

/**
 * The analytics question a page asks, read from (and written to) the URL:
 * `?range=LAST_90_DAYS&compare=PREVIOUS_YEAR&platform=YOUTUBE&tag=vlog&metric=LIKES`, or a custom
 * `?from=2026-01-01&to=2026-03-31`.
 */
export function useAnalyticsParams() {
  const [params, update] = useUrlState();
  const from = params.get('from');
  const to = params.get('to');
  const custom = from !== null && to !== null && DATE.test(from) && DATE.test(to) && from <= to;
  const preset = custom ? null : readOne(params.get('range'), PRESETS, DEFAULT_PRESET);
  const compare = readOne(params.get('compare'), COMPARISONS, DEFAULT_COMPARE);
  const platforms = readList(params.get('platform'), PLATFORMS);
  const tag = (params.get('tag') ?? '').trim().toLowerCase();
  const metric = readOne(
    params.get('metric'),
    Object.keys(CHART_METRICS) as ChartMetric[],
    'VIEWS',
  );
  const days = custom ? (Date.parse(to!) - Date.parse(from!)) / DAY_MS + 1 : 0;

  const range = custom ? { startDate: from!, endDate: to! } : { preset: preset! };
  const filter =
    platforms.length || tag
      ? { ...(platforms.length ? { platforms } : {}), ...(tag ? { tags: [tag] } : {}) }
      : null;

  return {
    preset,
    custom: custom ? { from: from!, to: to! } : null,
    compare,
    platforms,
    tag,
    metric,
    interval: intervalFor(preset, days),
    variables: { range, compare, filter },
    update,
  };
}
