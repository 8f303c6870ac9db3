import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { badUserInput } from '../../errors.js';
import { METRIC_KEYS, PLATFORMS, type MetricValues, type Platform } from '../../db/schema.js';
import { ChannelRef } from '../channel/channel.graphql.js';
import { PlatformEnum, TrendEnum } from '../common/common.graphql.js';
import { changePct, METRIC_DESCRIPTIONS, metricName, trendOf } from '../common/metric-keys.js';
import { VideoRef } from '../video/video.graphql.js';
import {
  ANALYTICS_METRICS,
  AnalyticsInputError,
  metricValue,
  type AnalyticsMetric,
} from './analytics.service.js';
import { dailyComplexity } from './analytics.cost.js';
import type { AudiencePoint, ChannelGrowth } from './audience/audience.service.js';
import { COMPARE_MODES, RANGE_PRESETS, type Period } from './storage/ranges.js';
import type { AnalyticsFilter } from './storage/rollups.js';

/** Runs a service call, turning a bad analytics question into BAD_USER_INPUT naming the field. */
export async function asUserInput<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AnalyticsInputError)
      throw badUserInput(`${error.field}: ${error.message}`, { field: error.field });
    throw error;
  }
}

export const analyticsSettings = (context: Context) => ({
  hourlyRetentionDays: context.config.retention.hourlyDays,
  now: Date.now(),
});

const presetDescriptions: Record<(typeof RANGE_PRESETS)[number], string> = {
  LAST_24_HOURS: 'The 24 whole hours ending with the current hour (hour resolution).',
  LAST_7_DAYS: 'The last 7 local days, today included.',
  LAST_28_DAYS: 'The last 28 local days, today included.',
  LAST_90_DAYS: 'The last 90 local days, today included.',
  LAST_365_DAYS: 'The last 365 local days, today included.',
  YESTERDAY: 'The local day before today.',
  WEEK_TO_DATE: 'From Monday of the current ISO week to today.',
  PREVIOUS_WEEK: 'The last whole ISO week (Monday to Sunday) before the current one.',
  MONTH_TO_DATE: 'From the 1st of the current local month to today.',
  PREVIOUS_MONTH: 'The last whole calendar month before the current one.',
  QUARTER_TO_DATE:
    'From the first day of the current calendar quarter (1 January, April, July or October) to today.',
  PREVIOUS_QUARTER: 'The last whole calendar quarter before the current one.',
  YEAR_TO_DATE: 'From 1 January of the current local year to today.',
  PREVIOUS_YEAR: 'The last whole calendar year (1 January to 31 December) before the current one.',
  ALL_TIME: 'From your first day with data to today.',
};

export const RangePresetEnum = builder.enumType('AnalyticsRangePreset', {
  description: 'A named date range, in the time zone of the question.',
  values: Object.fromEntries(
    RANGE_PRESETS.map((preset) => [preset, { description: presetDescriptions[preset] }]),
  ) as Record<(typeof RANGE_PRESETS)[number], { description: string }>,
});

export const CompareEnum = builder.enumType('AnalyticsComparison', {
  description: 'What to compare the range with.',
  values: {
    NONE: { description: 'No comparison: previous values are null.' },
    PREVIOUS_PERIOD: { description: 'The period of the same length immediately before.' },
    PREVIOUS_YEAR: {
      description: 'The same length starting on the same local date a year earlier.',
    },
  } satisfies Record<(typeof COMPARE_MODES)[number], unknown>,
});

export const IntervalEnum = builder.enumType('AnalyticsInterval', {
  description: 'Bucket size of a time series, in the time zone of the question.',
  values: {
    HOUR: {
      description:
        'Stored UTC hours (local hours in whole-hour zones; 25 on a DST fall-back day). Only within hourly retention.',
    },
    DAY: { description: 'Local calendar days (23, 24 or 25 hours long).' },
    WEEK: { description: 'ISO weeks, Monday to Sunday, clipped to the range.' },
    MONTH: { description: 'Calendar months, clipped to the range.' },
  },
});

export const metricDescriptions: Record<AnalyticsMetric, string> = {
  ...METRIC_DESCRIPTIONS,
  engagementRate: '(likes + comments + shares) / views × 100 over the summed counts.',
  ctr: 'clicks / impressions × 100 over the summed counts.',
};

export const AnalyticsMetricEnum = builder.enumType('AnalyticsMetric', {
  description: 'A metric of an analytics answer: one of the nine counts, or a derived rate.',
  values: Object.fromEntries(
    ANALYTICS_METRICS.map((metric) => [
      metric === 'ctr' ? 'CTR' : metricName(metric as (typeof METRIC_KEYS)[number]),
      { value: metric, description: metricDescriptions[metric] },
    ]),
  ) as Record<string, { value: AnalyticsMetric; description: string }>,
});

export const RangeInput = builder.inputType('AnalyticsRangeInput', {
  description:
    'A date range: exactly one of `preset`, `from` + `to`, or `startDate` + `endDate`. Omitted: LAST_28_DAYS.',
  fields: (t) => ({
    preset: t.field({ type: RangePresetEnum, description: 'A named range.' }),
    from: t.field({
      type: 'DateTime',
      description:
        'Start instant. Ranges up to 48 h are whole UTC hours (rounded outwards); longer ones whole local days.',
    }),
    to: t.field({ type: 'DateTime', description: 'End instant (exclusive).' }),
    startDate: t.field({ type: 'LocalDate', description: 'First local day (included).' }),
    endDate: t.field({ type: 'LocalDate', description: 'Last local day (included).' }),
  }),
});

export const FilterInput = builder.inputType('AnalyticsFilterInput', {
  description:
    'Narrows analytics to part of your content; every given condition must hold. Ids that are not yours match nothing.',
  fields: (t) => ({
    platforms: t.field({ type: [PlatformEnum], description: 'Only these platforms.' }),
    videos: t.globalIDList({ for: VideoRef, description: 'Only these videos (≤ 1,000).' }),
    channels: t.globalIDList({ for: ChannelRef, description: 'Only these channels (≤ 1,000).' }),
    tags: t.stringList({ description: 'Only videos with at least one of these tags.' }),
  }),
});

export const MAX_FILTER_IDS = 1_000;

export function toFilter(
  input:
    | {
        platforms?: Platform[] | null;
        videos?: { id: string }[] | null;
        channels?: { id: string }[] | null;
        tags?: string[] | null;
      }
    | null
    | undefined,
): AnalyticsFilter | null {
  if (!input) return null;
  for (const field of ['videos', 'channels', 'tags'] as const) {
    if ((input[field]?.length ?? 0) > MAX_FILTER_IDS)
      throw badUserInput(`filter.${field}: at most ${MAX_FILTER_IDS} values`, {
        field: `filter.${field}`,
      });
  }
  const unique = <T>(values: T[] | null | undefined) => (values ? [...new Set(values)] : null);
  return {
    platforms: unique(input.platforms)?.filter((p) => PLATFORMS.includes(p)) ?? null,
    videoIds: unique(input.videos?.map((v) => v.id)),
    channelIds: unique(input.channels?.map((c) => c.id)),
    tags: unique(input.tags?.map((tag) => tag.trim().toLowerCase())),
  };
}

export const PeriodRef = builder.objectRef<Period>('AnalyticsPeriod').implement({
  description: 'The exact span an answer covers.',
  fields: (t) => ({
    from: t.field({
      type: 'DateTime',
      description: 'First instant covered.',
      resolve: (p) => new Date(p.from),
    }),
    to: t.field({
      type: 'DateTime',
      description: 'End instant (exclusive).',
      resolve: (p) => new Date(p.to),
    }),
    startDate: t.field({
      type: 'LocalDate',
      description: 'Local date of the first instant.',
      resolve: (p) => p.startDate,
    }),
    endDate: t.field({
      type: 'LocalDate',
      description: 'Local date of the last instant.',
      resolve: (p) => p.endDate,
    }),
    hourly: t.boolean({
      description: 'True when answered hour by hour (ranges up to 48 h), false day by day.',
      resolve: (p) => p.resolution === 'hour',
    }),
  }),
});

/** A value with its comparison; `compared` is false when the question had no comparison. */
export interface Compared {
  metric: AnalyticsMetric;
  value: number | null;
  previous: number | null;
  compared: boolean;
}

export function compared(
  current: MetricValues,
  previous: MetricValues | null,
  metric: AnalyticsMetric,
): Compared {
  return {
    metric,
    value: metricValue(current, metric),
    previous: previous ? metricValue(previous, metric) : null,
    compared: previous !== null,
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The comparison fields shared by the three comparison types. */
function addComparisonFields(
  ref: ReturnType<typeof builder.objectRef<Compared>>,
  type: 'SafeInt' | 'Float',
) {
  builder.objectFields(ref, (t) => ({
    previous: t.field({
      type,
      nullable: true,
      description: 'Value in the comparison period; null without comparison.',
      resolve: (c) => c.previous,
    }),
    change: t.field({
      type,
      nullable: true,
      description: 'value − previous (percentage points for rates); null without comparison.',
      resolve: (c) =>
        c.value === null || c.previous === null
          ? null
          : type === 'Float'
            ? round2(c.value - c.previous)
            : c.value - c.previous,
    }),
    changePct: t.float({
      nullable: true,
      description: '(value − previous) / previous × 100, 2 decimals; null when previous is 0.',
      resolve: (c) => changePct(c.value, c.previous),
    }),
    trend: t.field({
      type: TrendEnum,
      nullable: true,
      description:
        'UP/DOWN when the change is ≥ 1 % either way, else STABLE; null without comparison.',
      resolve: (c) => (c.compared ? trendOf(c.value, c.previous) : null),
    }),
  }));
}

export const CountComparisonRef = builder.objectRef<Compared>('CountComparison');
CountComparisonRef.implement({
  description: 'A count over the range, with its comparison.',
  fields: (t) => ({
    value: t.field({
      type: 'SafeInt',
      description: 'Sum over the range.',
      resolve: (c) => c.value ?? 0,
    }),
  }),
});
addComparisonFields(CountComparisonRef, 'SafeInt');

export const RateComparisonRef = builder.objectRef<Compared>('RateComparison');
RateComparisonRef.implement({
  description: 'A rate (percent, 2 decimals) over the range, with its comparison.',
  fields: (t) => ({
    value: t.float({
      nullable: true,
      description: 'The rate over the range; null without a denominator.',
      resolve: (c) => c.value,
    }),
  }),
});
addComparisonFields(RateComparisonRef, 'Float');

export const MetricComparisonRef = builder.objectRef<Compared>('MetricComparison');
MetricComparisonRef.implement({
  description: 'One metric (count or rate), with its comparison.',
  fields: (t) => ({
    metric: t.field({
      type: AnalyticsMetricEnum,
      description: 'Which metric.',
      resolve: (c) => c.metric,
    }),
    value: t.float({
      nullable: true,
      description: 'The value; null for a rate without a denominator.',
      resolve: (c) => c.value,
    }),
  }),
});
addComparisonFields(MetricComparisonRef, 'Float');

export const AudiencePointRef = builder.objectRef<AudiencePoint>('AudiencePoint').implement({
  description: "A channel's audience on one local day (the last snapshot carried forward).",
  fields: (t) => ({
    date: t.field({ type: 'LocalDate', description: 'The day.', resolve: (p) => p.date }),
    followers: t.field({ type: 'SafeInt', description: 'Followers.', resolve: (p) => p.followers }),
    following: t.field({
      type: 'SafeInt',
      description: 'Accounts it follows.',
      resolve: (p) => p.following,
    }),
    posts: t.field({ type: 'SafeInt', description: 'Posts published.', resolve: (p) => p.posts }),
  }),
});

export const ChannelGrowthRef = builder.objectRef<ChannelGrowth>('ChannelGrowth').implement({
  description: "A channel's follower growth over a range, from its daily audience snapshots.",
  fields: (t) => ({
    channel: t.field({
      type: ChannelRef,
      description: 'The channel (its fields need `read:videos`).',
      resolve: (g) => g.channelId,
    }),
    platform: t.field({
      type: PlatformEnum,
      description: 'Its platform.',
      resolve: (g) => g.platform,
    }),
    startFollowers: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Followers at the start (last snapshot on or before the first day).',
      resolve: (g) => g.startFollowers,
    }),
    endFollowers: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Followers at the end (last snapshot on or before the last day).',
      resolve: (g) => g.endFollowers,
    }),
    change: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'endFollowers − startFollowers.',
      resolve: (g) => g.change,
    }),
    growthRate: t.float({
      nullable: true,
      description:
        'change / startFollowers × 100, 2 decimals; null when the start is 0 or unknown.',
      resolve: (g) => g.growthRate,
    }),
    points: t.field({
      type: [AudiencePointRef],
      description: 'One point per day from the first known snapshot.',
      complexity: dailyComplexity,
      resolve: (g) => g.points,
    }),
  }),
});
