import { createContextCache } from '@pothos/core';
import { signedIn } from '../auth/viewer.js';
import DataLoader from 'dataloader';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { ChannelRef } from '../channel/channel.graphql.js';
import { sumMetrics } from '../common/metric-keys.js';
import { VideoRef } from '../video/video.graphql.js';
import { PlatformBreakdownRef, SeriesBucketRef, TotalsRef } from './analytics.graphql.js';
import { seriesComplexity } from './analytics.cost.js';
import { growthByChannel, platformTotalsByVideo, seriesByVideo } from './analytics.loaders.js';
import { createAnalyticsView, type AnalyticsView } from './analytics.service.js';
import {
  analyticsSettings,
  AnalyticsMetricEnum,
  asUserInput,
  ChannelGrowthRef,
  CompareEnum,
  IntervalEnum,
  PeriodRef,
  RangeInput,
} from './analytics-types.graphql.js';
import type { CompareMode, RangeInput as RangeArgs } from './storage/ranges.js';

/**
 * Per request: one analytics view per distinct (range, compare), shared by every parent object
 * asking the same question, and one DataLoader per (question, part) batching all parents.
 */
const requestCache = createContextCache((_context: Context) => ({
  views: new Map<string, Promise<AnalyticsView>>(),
  loaders: new Map<string, DataLoader<string, unknown>>(),
}));

function sharedView(
  context: Context,
  args: { range?: RangeArgs | null; compare?: CompareMode | null },
): Promise<{ key: string; view: AnalyticsView }> {
  const key = JSON.stringify([args.range ?? null, args.compare ?? 'NONE']);
  const cache = requestCache(context);
  let view = cache.views.get(key);
  if (!view) {
    view = asUserInput(() =>
      createAnalyticsView(
        context.db,
        signedIn(context).user,
        { range: args.range, compare: args.compare },
        analyticsSettings(context),
      ),
    );
    cache.views.set(key, view);
  }
  return view.then((resolved) => ({ key, view: resolved }));
}

function loader<T>(
  context: Context,
  key: string,
  batch: (ids: readonly string[]) => Promise<T[]>,
): DataLoader<string, T> {
  const { loaders } = requestCache(context);
  let found = loaders.get(key) as DataLoader<string, T> | undefined;
  if (!found) {
    found = new DataLoader<string, T>(batch);
    loaders.set(key, found as DataLoader<string, unknown>);
  }
  return found;
}

interface VideoAnalyticsParent {
  videoId: string;
  key: string;
  view: AnalyticsView;
}

const platformsOf = (context: Context, parent: VideoAnalyticsParent) =>
  loader(context, `video-platforms:${parent.key}`, (ids) =>
    platformTotalsByVideo(parent.view, ids),
  ).load(parent.videoId);

const VideoAnalyticsRef = builder.objectRef<VideoAnalyticsParent>('VideoAnalytics').implement({
  description:
    "One video's analytics over a range, in your account's time zone. Batched: a page of videos costs the same few statements as one. Needs `read:analytics`.",
  authScopes: { scope: 'read:analytics' },
  fields: (t) => ({
    range: t.field({
      type: PeriodRef,
      description: 'The range covered.',
      resolve: (p) => p.view.period,
    }),
    previousRange: t.field({
      type: PeriodRef,
      nullable: true,
      description: 'The comparison period; null without comparison.',
      resolve: (p) => p.view.previous,
    }),
    totals: t.field({
      type: TotalsRef,
      description: "The video's totals with comparison and trend, plus engagement rate and CTR.",
      resolve: async (parent, _args, context) => {
        const platforms = await platformsOf(context, parent);
        return {
          current: sumMetrics(platforms.map((p) => p.current)),
          previous: parent.view.previous ? sumMetrics(platforms.map((p) => p.previous!)) : null,
        };
      },
    }),
    byPlatform: t.field({
      type: [PlatformBreakdownRef],
      description: 'Each platform the video has data on in either period, with its share.',
      resolve: async (parent, _args, context) => {
        const all = await platformsOf(context, parent);
        return all.map((platform) => ({ ...platform, all }));
      },
    }),
    series: t.field({
      type: [SeriesBucketRef],
      description:
        'A zero-filled time series of the video (same rules and cost as Analytics.series).',
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
      resolve: (parent, { interval, metrics }, context) =>
        asUserInput(async () => {
          const buckets = await loader(context, `video-series:${parent.key}:${interval}`, (ids) =>
            seriesByVideo(parent.view, interval, ids),
          ).load(parent.videoId);
          return buckets.map((bucket) => ({ ...bucket, metrics }));
        }),
    }),
  }),
});

builder.objectField(VideoRef, 'analytics', (t) =>
  t.withAuth({ scope: 'read:analytics' }).field({
    type: VideoAnalyticsRef,
    description: "This video's analytics over a range. Needs `read:analytics`.",
    args: {
      range: t.arg({ type: RangeInput, description: 'The range (default LAST_28_DAYS).' }),
      compare: t.arg({
        type: CompareEnum,
        required: true,
        defaultValue: 'NONE',
        description: 'Comparison period (default NONE).',
      }),
    },
    resolve: async (video, args, context) => ({
      videoId: video.id,
      ...(await sharedView(context, args)),
    }),
  }),
);

builder.objectField(ChannelRef, 'growth', (t) =>
  t.withAuth({ scope: 'read:analytics' }).field({
    type: ChannelGrowthRef,
    description:
      "Followers over a range from the channel's daily audience snapshots, with growth rate. Needs `read:analytics`.",
    args: {
      range: t.arg({ type: RangeInput, description: 'The range (default LAST_28_DAYS).' }),
    },
    resolve: async (channel, args, context) => {
      const { key, view } = await sharedView(context, { range: args.range });
      const growth = await loader(context, `channel-growth:${key}`, (ids) =>
        growthByChannel(view, ids),
      ).load(channel.id);
      return (
        growth ?? {
          channelId: channel.id,
          platform: channel.platform,
          startFollowers: null,
          endFollowers: null,
          change: null,
          growthRate: null,
          points: [],
        }
      );
    },
  }),
);
