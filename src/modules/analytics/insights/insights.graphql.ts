import { builder } from '../../../builder.js';
import { badUserInput } from '../../../errors.js';
import { VideoRef } from '../../video/video.graphql.js';
import { createAnalyticsView, type AnalyticsView } from '../analytics.service.js';
import {
  analyticsSettings,
  asUserInput,
  PeriodRef,
  RangeInput,
} from '../analytics-types.graphql.js';
import type { HoltFit } from './forecast.js';
import {
  ANOMALY_WINDOW_DAYS,
  anomalies,
  forecasts,
  LAUNCH_DAYS,
  MAX_FORECAST_DAYS,
  MIN_SLOT_SAMPLE,
  performance,
  postingTimes,
  type Anomaly,
  type Forecast,
  type Outlier,
  type PostingSlot,
} from './insights.service.js';

const PostingSlotRef = builder.objectRef<PostingSlot>('PostingSlot').implement({
  description: 'Videos first published in one weekday or hour slot, and how they launched.',
  fields: (t) => ({
    slot: t.exposeInt('slot', {
      description: 'ISO weekday 1 (Monday) – 7, or local hour 0–23.',
    }),
    videos: t.exposeInt('videos', { description: 'Sample size: videos published in the slot.' }),
    averageEngagementRate: t.float({
      nullable: true,
      description: `Mean launch engagement rate (first ${LAUNCH_DAYS} days), percent.`,
      resolve: (s) => s.averageEngagementRate,
    }),
    averageViews: t.float({
      description: `Mean views in the first ${LAUNCH_DAYS} days.`,
      resolve: (s) => s.averageViews,
    }),
  }),
});

type Posting = Awaited<ReturnType<typeof postingTimes>>;

const PostingTimesRef = builder.objectRef<Posting>('PostingTimes').implement({
  description: `When your videos launch best: videos first published in the range (at least ${LAUNCH_DAYS} days ago), grouped by local weekday and hour of publication, by mean engagement rate over their first ${LAUNCH_DAYS} days.`,
  fields: (t) => ({
    sampleSize: t.exposeInt('sampleSize', { description: 'Videos considered.' }),
    bestWeekday: t.field({
      type: PostingSlotRef,
      nullable: true,
      description: `The weekday with the highest mean engagement among those with ≥ ${MIN_SLOT_SAMPLE} videos.`,
      resolve: (p) => p.bestWeekday,
    }),
    bestHour: t.field({
      type: PostingSlotRef,
      nullable: true,
      description: `The hour with the highest mean engagement among those with ≥ ${MIN_SLOT_SAMPLE} videos.`,
      resolve: (p) => p.bestHour,
    }),
    byWeekday: t.field({
      type: [PostingSlotRef],
      description: 'Every weekday with videos.',
      resolve: (p) => p.byWeekday,
    }),
    byHour: t.field({
      type: [PostingSlotRef],
      description: 'Every hour with videos.',
      resolve: (p) => p.byHour,
    }),
  }),
});

const OutlierRef = builder.objectRef<Outlier>('VideoPerformance').implement({
  description: "A video's launch compared with your own average.",
  fields: (t) => ({
    video: t.field({
      type: VideoRef,
      description: 'The video (its fields need `read:videos`).',
      resolve: (o) => o.videoId,
    }),
    views: t.float({
      description: `Views in its first ${LAUNCH_DAYS} days.`,
      resolve: (o) => o.views,
    }),
    engagementRate: t.float({
      nullable: true,
      description: 'Its launch engagement rate, percent.',
      resolve: (o) => o.engagementRate,
    }),
    zScore: t.float({
      description: 'z-score of log10(1 + views) among the sample.',
      resolve: (o) => o.z,
    }),
  }),
});

type Performance = Awaited<ReturnType<typeof performance>>;

const PerformanceRef = builder.objectRef<Performance>('PerformanceInsight').implement({
  description: `Videos launching above or below your average: z-scores of log10(1 + views in the first ${LAUNCH_DAYS} days) over the videos first published in the range.`,
  fields: (t) => ({
    sampleSize: t.exposeInt('sampleSize', { description: 'Videos compared.' }),
    meanViews: t.float({ description: 'Mean launch views.', resolve: (p) => p.meanViews }),
    meanLogViews: t.float({
      description: 'Mean of log10(1 + views).',
      resolve: (p) => p.meanLogViews,
    }),
    sdLogViews: t.float({
      description: 'Sample standard deviation of log10(1 + views).',
      resolve: (p) => p.sdLogViews,
    }),
    above: t.field({
      type: [OutlierRef],
      description: 'z ≥ threshold, highest first.',
      resolve: (p) => p.above,
    }),
    below: t.field({
      type: [OutlierRef],
      description: 'z ≤ −threshold, lowest first.',
      resolve: (p) => p.below,
    }),
  }),
});

const ForecastPointRef = builder.objectRef<Forecast['points'][number]>('ForecastPoint').implement({
  description: 'A forecast day with its 80 % prediction interval.',
  fields: (t) => ({
    date: t.field({ type: 'LocalDate', description: 'The day.', resolve: (p) => p.date }),
    value: t.float({ description: 'Point forecast.', resolve: (p) => p.value }),
    lower: t.float({
      description: 'Lower bound of the 80 % interval (≥ 0).',
      resolve: (p) => p.lower,
    }),
    upper: t.float({ description: 'Upper bound of the 80 % interval.', resolve: (p) => p.upper }),
  }),
});

const ForecastModelRef = builder.objectRef<HoltFit>('ForecastModel').implement({
  description:
    "Holt's linear trend (double exponential smoothing), α and β chosen by least one-step-ahead squared error on a 0.05 grid.",
  fields: (t) => ({
    alpha: t.float({ description: 'Level smoothing.', resolve: (m) => m.alpha }),
    beta: t.float({ description: 'Trend smoothing.', resolve: (m) => m.beta }),
    level: t.float({ description: 'Level after the last day.', resolve: (m) => m.level }),
    trend: t.float({ description: 'Trend per day after the last day.', resolve: (m) => m.trend }),
    residualSd: t.float({
      description: 'Standard deviation of the one-step-ahead errors.',
      resolve: (m) => m.residualSd,
    }),
    observations: t.exposeInt('observations', { description: 'Days fitted.' }),
  }),
});

const ForecastRef = builder.objectRef<Forecast>('Forecast').implement({
  description: 'A daily forecast, or why there is none.',
  fields: (t) => ({
    model: t.field({
      type: ForecastModelRef,
      nullable: true,
      description: 'The fitted model; null when there was too little data.',
      resolve: (f) => f.fit,
    }),
    reason: t.string({
      nullable: true,
      description: 'Why there is no forecast; null when there is one.',
      resolve: (f) => f.reason,
    }),
    fittedFrom: t.field({
      type: 'LocalDate',
      nullable: true,
      description: 'First day fitted.',
      resolve: (f) => f.fittedFrom,
    }),
    fittedTo: t.field({
      type: 'LocalDate',
      nullable: true,
      description: 'Last day fitted (yesterday at the latest).',
      resolve: (f) => f.fittedTo,
    }),
    points: t.field({
      type: [ForecastPointRef],
      description: 'One point per day after fittedTo.',
      resolve: (f) => f.points,
    }),
  }),
});

type Forecasts = Awaited<ReturnType<typeof forecasts>>;

const GrowthForecastRef = builder.objectRef<Forecasts>('GrowthForecast').implement({
  description: 'Forecasts of daily views and of total followers.',
  fields: (t) => ({
    horizonDays: t.exposeInt('horizonDays', { description: 'Days forecast.' }),
    views: t.field({ type: ForecastRef, description: 'Daily views.', resolve: (f) => f.views }),
    followers: t.field({
      type: ForecastRef,
      description: 'Followers summed over your channels.',
      resolve: (f) => f.followers,
    }),
  }),
});

const AnomalyRef = builder.objectRef<Anomaly>('ViewsAnomaly').implement({
  description: `A day whose views stand out from the ${ANOMALY_WINDOW_DAYS} days before it.`,
  fields: (t) => ({
    date: t.field({ type: 'LocalDate', description: 'The day.', resolve: (a) => a.date }),
    views: t.float({ description: 'Views that day.', resolve: (a) => a.views }),
    expected: t.float({ description: 'Mean of the days before.', resolve: (a) => a.expected }),
    sd: t.float({ description: 'Their standard deviation.', resolve: (a) => a.sd }),
    zScore: t.float({ description: '(views − expected) / sd.', resolve: (a) => a.z }),
    changePct: t.float({
      nullable: true,
      description: '(views − expected) / expected × 100.',
      resolve: (a) => a.changePct,
    }),
    spike: t.boolean({
      description: 'True above expectation, false below.',
      resolve: (a) => a.z > 0,
    }),
  }),
});

const InsightsRef = builder.objectRef<AnalyticsView>('Insights').implement({
  description:
    'Statements about your content with the numbers behind them. Needs `read:analytics`.',
  authScopes: { scope: 'read:analytics' },
  fields: (t) => ({
    range: t.field({ type: PeriodRef, description: 'The range.', resolve: (v) => v.period }),
    postingTimes: t.field({
      type: PostingTimesRef,
      description: 'Best weekday and hour to publish.',
      resolve: (view) => postingTimes(view),
    }),
    performance: t.field({
      type: PerformanceRef,
      description: 'Videos above and below your own average.',
      args: {
        threshold: t.arg.float({
          required: true,
          defaultValue: 1,
          description: '|z| from which a video counts as above/below (default 1).',
        }),
      },
      resolve: (view, { threshold }) => {
        if (!(threshold > 0))
          throw badUserInput('threshold must be above 0', { field: 'threshold' });
        return performance(view, threshold);
      },
    }),
    forecast: t.field({
      type: GrowthForecastRef,
      description: 'Views and followers over the next days, with 80 % intervals.',
      args: {
        days: t.arg.int({
          required: true,
          defaultValue: 28,
          description: `Horizon in days (1–${MAX_FORECAST_DAYS}, default 28).`,
        }),
      },
      resolve: (view, { days }) => {
        if (days < 1 || days > MAX_FORECAST_DAYS)
          throw badUserInput(`days must be between 1 and ${MAX_FORECAST_DAYS}`, { field: 'days' });
        return forecasts(view, days);
      },
    }),
    anomalies: t.field({
      type: [AnomalyRef],
      description: `Days in the range whose views are |z| ≥ threshold from the previous ${ANOMALY_WINDOW_DAYS} days, newest first.`,
      args: {
        threshold: t.arg.float({
          required: true,
          defaultValue: 3,
          description: '|z| threshold (default 3).',
        }),
      },
      resolve: (view, { threshold }) => {
        if (!(threshold > 0))
          throw badUserInput('threshold must be above 0', { field: 'threshold' });
        return anomalies(view, threshold);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  insights: t.withAuth({ scope: 'read:analytics' }).field({
    type: InsightsRef,
    description:
      'Best posting times, videos above/below your average, growth forecasts and anomalies over a range. Needs `read:analytics`.',
    args: {
      range: t.arg({ type: RangeInput, description: 'The range (default LAST_90_DAYS).' }),
      timezone: t.arg({
        type: 'TimeZone',
        description: "Time zone of weekdays and hours (default: your account's).",
      }),
    },
    resolve: (_root, args, context) =>
      asUserInput(() =>
        createAnalyticsView(
          context.db,
          context.viewer.user,
          { range: args.range ?? { preset: 'LAST_90_DAYS' }, timeZone: args.timezone },
          analyticsSettings(context),
        ),
      ),
  }),
}));
