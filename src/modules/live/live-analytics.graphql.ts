import { builder } from '../../builder.js';
import { badUserInput } from '../../errors.js';
import { TrendEnum } from '../common/common.graphql.js';
import { changePct, trendOf } from '../common/metric-keys.js';
import type { LiveAnalyticsSnapshot, LiveMetricValue } from './live-analytics.service.js';

export const ANALYTICS_MIN_INTERVAL_MS = 1000;
export const ANALYTICS_MAX_INTERVAL_MS = 300_000;
export const ANALYTICS_DEFAULT_INTERVAL_MS = 5000;

const LiveMetricRef = builder.objectRef<LiveMetricValue>('LiveMetric').implement({
  description:
    'A live metric over its current window, compared with the comparable previous window (stated on each field of LiveAnalytics).',
  fields: (t) => ({
    value: t.float({
      nullable: true,
      description:
        'The value over the current window; null only for a rate without a denominator (no views).',
      resolve: (metric) => metric.value,
    }),
    previous: t.float({
      nullable: true,
      description: 'The value over the previous window; null like `value`.',
      resolve: (metric) => metric.previous,
    }),
    changePct: t.float({
      nullable: true,
      description:
        '(value − previous) / previous × 100, rounded to 2 decimals; null when previous is 0 or null.',
      resolve: (metric) => changePct(metric.value, metric.previous),
    }),
    trend: t.field({
      type: TrendEnum,
      description: 'UP or DOWN when the change is at least 1 % either way, else STABLE.',
      resolve: (metric) => trendOf(metric.value, metric.previous),
    }),
  }),
});

const todayNote =
  'since local midnight in your time zone (`timeZone`); previous: yesterday from midnight up to the same time of day (read from hourly rollups: the hour containing that time counts pro rata).';

const LiveAnalyticsRef = builder.objectRef<LiveAnalyticsSnapshot>('LiveAnalytics').implement({
  description:
    'Your live metrics, as sent by `analyticsUpdated`: computed once per tick for all of your subscribers, across all your content and platforms.',
  fields: (t) => ({
    viewsLastMinute: t.field({
      type: LiveMetricRef,
      description:
        'Views that occurred (by event `occurredAt`) in the last 60 seconds; previous: the 60 seconds before.',
      resolve: (snapshot) => snapshot.viewsLastMinute,
    }),
    viewsToday: t.field({
      type: LiveMetricRef,
      description: `Views ${todayNote}`,
      resolve: (snapshot) => snapshot.viewsToday,
    }),
    engagementsToday: t.field({
      type: LiveMetricRef,
      description: `Likes + comments + shares ${todayNote}`,
      resolve: (snapshot) => snapshot.engagementsToday,
    }),
    engagementRateToday: t.field({
      type: LiveMetricRef,
      description: `Engagement rate, (likes + comments + shares) / views × 100 (2 decimals), ${todayNote}`,
      resolve: (snapshot) => snapshot.engagementRateToday,
    }),
    watchTimeToday: t.field({
      type: LiveMetricRef,
      description: `Watch time in seconds ${todayNote}`,
      resolve: (snapshot) => snapshot.watchTimeToday,
    }),
    videosCreatedToday: t.field({
      type: LiveMetricRef,
      description:
        'Videos created since local midnight in your time zone; previous: created yesterday from midnight up to the same time of day.',
      resolve: (snapshot) => snapshot.videosCreatedToday,
    }),
    timeZone: t.field({
      type: 'TimeZone',
      description: 'The IANA time zone "today" is computed in (your profile time zone).',
      resolve: (snapshot) => snapshot.timeZone,
    }),
    dayStartedAt: t.field({
      type: 'DateTime',
      description: 'Local midnight of today in `timeZone`.',
      resolve: (snapshot) => snapshot.dayStart,
    }),
    at: t.field({
      type: 'DateTime',
      description: 'When these values were computed: the end of every current window.',
      resolve: (snapshot) => snapshot.at,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  analyticsUpdated: t.withAuth({ scope: 'read:analytics' }).field({
    type: LiveAnalyticsRef,
    description: `Your live metrics now, then again every \`intervalMs\`, each with its previous window, change and trend. A slow client only ever gets the newest values. Needs \`read:analytics\`.`,
    args: {
      intervalMs: t.arg.int({
        defaultValue: ANALYTICS_DEFAULT_INTERVAL_MS,
        description: `Time between two updates, in milliseconds (${ANALYTICS_MIN_INTERVAL_MS}–${ANALYTICS_MAX_INTERVAL_MS}).`,
      }),
    },
    subscribe: async (_root, { intervalMs }, context) => {
      const interval = intervalMs ?? ANALYTICS_DEFAULT_INTERVAL_MS;
      if (interval < ANALYTICS_MIN_INTERVAL_MS || interval > ANALYTICS_MAX_INTERVAL_MS) {
        throw badUserInput(
          `intervalMs must be between ${ANALYTICS_MIN_INTERVAL_MS} and ${ANALYTICS_MAX_INTERVAL_MS}.`,
          { argumentName: 'intervalMs' },
        );
      }
      const subscription = context.analyticsHub.watch(context.viewer.user.id, {
        intervalMs: interval,
      });
      try {
        await subscription.ready;
        return subscription;
      } catch (error) {
        subscription.close();
        throw error;
      }
    },
    resolve: (snapshot) => snapshot,
  }),
}));
