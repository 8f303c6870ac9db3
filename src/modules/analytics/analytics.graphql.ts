import { builder } from '../../builder.js';
import { badUserInput } from '../../errors.js';
import { METRIC_KEYS, type MetricKey } from '../../db/schema.js';
import { MetricTotalsRef, PlatformEnum } from '../common/common.graphql.js';
import { MetricEnum } from '../ingest/ingest.graphql.js';
import { VideoRef } from '../video/video.graphql.js';
import {
  createAnalyticsView,
  isExactTimeZone,
  platformTotals,
  series,
  totals,
  type AnalyticsMetric,
  type AnalyticsView,
  type PlatformTotals,
  type SeriesBucket,
  type Totals,
} from './analytics.service.js';
import {
  analyticsSettings,
  AnalyticsMetricEnum,
  asUserInput,
  ChannelGrowthRef,
  CompareEnum,
  compared,
  CountComparisonRef,
  FilterInput,
  IntervalEnum,
  MetricComparisonRef,
  PeriodRef,
  RangeInput,
  RateComparisonRef,
  toFilter,
} from './analytics-types.graphql.js';
import { seriesComplexity, seriesValuesComplexity } from './analytics.cost.js';
import { channelGrowth } from './audience/audience.service.js';
import { MAX_SERIES_BUCKETS } from './storage/ranges.js';
import { topVideos, type TopVideo } from './top-videos.service.js';

export const TotalsRef = builder.objectRef<Totals>('AnalyticsTotals').implement({
  description: 'Sums over the range (and the comparison period), with the derived rates.',
  fields: (t) => ({
    ...Object.fromEntries(
      METRIC_KEYS.map((key) => [
        key === 'watchSeconds' ? 'watchTimeSeconds' : key,
        t.field({
          type: CountComparisonRef,
          description: `${key === 'watchSeconds' ? 'Watch time, in seconds' : key[0]!.toUpperCase() + key.slice(1)}, summed.`,
          resolve: (totals) => compared(totals.current, totals.previous, key),
        }),
      ]),
    ),
    engagementRate: t.field({
      type: RateComparisonRef,
      description: '(likes + comments + shares) / views × 100 over the range.',
      resolve: (totals) => compared(totals.current, totals.previous, 'engagementRate'),
    }),
    ctr: t.field({
      type: RateComparisonRef,
      description: 'clicks / impressions × 100 over the range.',
      resolve: (totals) => compared(totals.current, totals.previous, 'ctr'),
    }),
    current: t.field({
      type: MetricTotalsRef,
      description: 'All sums over the range, as plain numbers.',
      resolve: (totals) => totals.current,
    }),
    previous: t.field({
      type: MetricTotalsRef,
      nullable: true,
      description: 'All sums over the comparison period; null without comparison.',
      resolve: (totals) => totals.previous,
    }),
  }),
});

type Bucket = SeriesBucket & { metrics: AnalyticsMetric[] };

export const SeriesBucketRef = builder.objectRef<Bucket>('SeriesBucket').implement({
  description:
    'One bucket of a time series. Buckets are zero-filled; bucket i is compared with the same units (days or hours) of the comparison period, in order.',
  fields: (t) => ({
    label: t.exposeString('label', {
      description:
        'The bucket in the time zone: `2024-03-31` (DAY; WEEK: its Monday), `2024-03` (MONTH), `2024-03-31T03:00:00+02:00` (HOUR).',
    }),
    start: t.field({
      type: 'DateTime',
      description: 'First instant (clipped to the range).',
      resolve: (b) => new Date(b.start),
    }),
    end: t.field({
      type: 'DateTime',
      description: 'End instant, exclusive (clipped to the range).',
      resolve: (b) => new Date(b.end),
    }),
    previousStart: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'First instant of the aligned comparison bucket; null without comparison.',
      resolve: (b) => (b.previousStart === null ? null : new Date(b.previousStart)),
    }),
    previousEnd: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'End of the aligned comparison bucket; null without comparison.',
      resolve: (b) => (b.previousEnd === null ? null : new Date(b.previousEnd)),
    }),
    values: t.field({
      type: [MetricComparisonRef],
      description: 'One value per requested metric, in the order asked.',
      complexity: seriesValuesComplexity,
      resolve: (b) => b.metrics.map((metric) => compared(b.current, b.previous, metric)),
    }),
  }),
});

type Breakdown = PlatformTotals & { all: PlatformTotals[] };

/** Shares in percent with 2 decimals that add up to exactly 100 (largest remainder). */
export function shares(values: number[]): (number | null)[] {
  const total = values.reduce((a, b) => a + b, 0);
  if (total <= 0) return values.map(() => null);
  const raw = values.map((value) => (value / total) * 10_000);
  const floors = raw.map(Math.floor);
  let left = 10_000 - floors.reduce((a, b) => a + b, 0);
  const order = raw
    .map((value, index) => ({ index, rest: value - floors[index]! }))
    .sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index]! += 1;
    left -= 1;
  }
  return floors.map((value) => value / 100);
}

export const PlatformBreakdownRef = builder.objectRef<Breakdown>('PlatformBreakdown').implement({
  description: "One platform's part of the range.",
  fields: (t) => ({
    platform: t.field({
      type: PlatformEnum,
      description: 'The platform.',
      resolve: (b) => b.platform,
    }),
    totals: t.field({
      type: MetricTotalsRef,
      description: 'Sums on this platform over the range.',
      resolve: (b) => b.current,
    }),
    previous: t.field({
      type: MetricTotalsRef,
      nullable: true,
      description: 'Sums on this platform over the comparison period; null without comparison.',
      resolve: (b) => b.previous,
    }),
    share: t.float({
      nullable: true,
      description:
        "This platform's share of the metric's total, in percent (2 decimals; the platforms add up to exactly 100); null when the total is 0.",
      args: {
        metric: t.arg({
          type: MetricEnum,
          defaultValue: 'views',
          required: true,
          description: 'Which count (default VIEWS).',
        }),
      },
      resolve: (b, { metric }) =>
        shares(b.all.map((p) => p.current[metric as MetricKey]))[b.all.indexOf(b)] ?? null,
    }),
    metric: t.field({
      type: MetricComparisonRef,
      description: 'One metric on this platform, with its comparison.',
      args: {
        metric: t.arg({
          type: AnalyticsMetricEnum,
          required: true,
          defaultValue: 'views',
          description: 'Which metric (default VIEWS).',
        }),
      },
      resolve: (b, { metric }) => compared(b.current, b.previous, metric),
    }),
  }),
});

const TopVideoRef = builder
  .objectRef<TopVideo & { metric: AnalyticsMetric }>('TopVideo')
  .implement({
    description: 'A video ranked by a metric over the range.',
    fields: (t) => ({
      rank: t.exposeInt('rank', { description: '1 for the best.' }),
      video: t.field({
        type: VideoRef,
        description: 'The video (its fields need `read:videos`).',
        resolve: (v) => v.videoId,
      }),
      value: t.float({
        nullable: true,
        description: 'The ranking metric over the range.',
        resolve: (v) => v.value,
      }),
      comparison: t.field({
        type: MetricComparisonRef,
        description: 'The ranking metric with its comparison.',
        resolve: (v) => compared(v.current, v.previous, v.metric),
      }),
      totals: t.field({
        type: MetricTotalsRef,
        description: "The video's sums over the range.",
        resolve: (v) => v.current,
      }),
    }),
  });

export const MAX_TOP_VIDEOS = 100;

export const AnalyticsRef = builder.objectRef<AnalyticsView>('Analytics').implement({
  description:
    'Analytics over a range of your content, in a time zone, optionally compared with an earlier period. Each part is computed only when selected. Needs `read:analytics`.',
  authScopes: { scope: 'read:analytics' },
  fields: (t) => ({
    timezone: t.field({
      type: 'TimeZone',
      description: 'The IANA time zone of days, weeks, months and labels.',
      resolve: (view) => view.source.timeZone,
    }),
    range: t.field({
      type: PeriodRef,
      description: 'The range covered.',
      resolve: (v) => v.period,
    }),
    previousRange: t.field({
      type: PeriodRef,
      nullable: true,
      description: 'The comparison period; null without comparison.',
      resolve: (view) => view.previous,
    }),
    compare: t.field({
      type: CompareEnum,
      description: 'The comparison.',
      resolve: (v) => v.compare,
    }),
    exactTimezone: t.boolean({
      description:
        "False when the time zone differs from your account's and part of the range is older than the hourly rollups: those days are your account zone's days.",
      resolve: (view) => isExactTimeZone(view),
    }),
    totals: t.field({
      type: TotalsRef,
      description: 'Totals per metric with comparison and trend, plus engagement rate and CTR.',
      resolve: (view) => totals(view),
    }),
    series: t.field({
      type: [SeriesBucketRef],
      description: `A zero-filled time series: at most ${MAX_SERIES_BUCKETS.toLocaleString('en-US')} buckets (longer ranges need a coarser interval) and HOUR only within hourly retention, else BAD_USER_INPUT. Costs one per value (buckets × metrics).`,
      complexity: seriesComplexity,
      args: {
        interval: t.arg({
          type: IntervalEnum,
          required: true,
          defaultValue: 'DAY',
          description: 'Bucket size (default DAY).',
        }),
        metrics: t.arg({
          type: [AnalyticsMetricEnum],
          required: true,
          defaultValue: ['views'],
          description: 'Metrics per bucket (default [VIEWS]).',
        }),
      },
      resolve: (view, { interval, metrics }) =>
        asUserInput(async () =>
          (await series(view, interval)).map((bucket) => ({ ...bucket, metrics })),
        ),
    }),
    byPlatform: t.field({
      type: [PlatformBreakdownRef],
      description: 'Each platform (of the filter; all by default) with its sums and share.',
      resolve: async (view) => {
        const all = await platformTotals(view);
        return all.map((platform) => Object.assign(platform, { all }));
      },
    }),
    topVideos: t.field({
      type: [TopVideoRef],
      description: 'The best videos over the range by a metric; ties by id.',
      args: {
        metric: t.arg({
          type: AnalyticsMetricEnum,
          required: true,
          defaultValue: 'views',
          description: 'Ranking metric (default VIEWS).',
        }),
        first: t.arg.int({
          required: true,
          defaultValue: 10,
          description: `How many (1–${MAX_TOP_VIDEOS}, default 10).`,
        }),
      },
      resolve: async (view, { metric, first }) => {
        if (first < 1 || first > MAX_TOP_VIDEOS)
          throw badUserInput(`first must be between 1 and ${MAX_TOP_VIDEOS}`, { field: 'first' });
        return (await topVideos(view, metric, first)).map((video) => ({ ...video, metric }));
      },
    }),
    growth: t.field({
      type: [ChannelGrowthRef],
      description: 'Followers per channel over the range, with growth rate.',
      resolve: (view) =>
        channelGrowth(
          view.source.db,
          view.source.ownerId,
          view.period.startDate,
          view.period.endDate,
          {
            channelIds: view.source.filter.channelIds,
            platforms: view.source.filter.platforms,
          },
        ),
    }),
  }),
});

builder.queryFields((t) => ({
  analytics: t.withAuth({ scope: 'read:analytics' }).field({
    type: AnalyticsRef,
    description:
      'Totals, series, platform breakdown, top videos and growth over a range of your content. Needs `read:analytics`.',
    args: {
      range: t.arg({ type: RangeInput, description: 'The range (default LAST_28_DAYS).' }),
      compare: t.arg({
        type: CompareEnum,
        required: true,
        defaultValue: 'NONE',
        description: 'Comparison period (default NONE).',
      }),
      filter: t.arg({ type: FilterInput, description: 'Which content to include (default all).' }),
      timezone: t.arg({
        type: 'TimeZone',
        description: "IANA time zone for days and labels (default: your account's).",
      }),
    },
    resolve: (_root, args, context) =>
      asUserInput(() =>
        createAnalyticsView(
          context.db,
          context.viewer.user,
          {
            range: args.range,
            compare: args.compare,
            filter: toFilter(args.filter),
            timeZone: args.timezone,
          },
          analyticsSettings(context),
        ),
      ),
  }),
}));
