/** Complete GraphQL results (with __typename, as the server sends them) for the page mocks. */

export const videoId = (n: number) =>
  Buffer.from(`Video:00000000-0000-0000-0000-${String(n).padStart(12, '0')}`).toString('base64');

export function metricTotals(views: number, extra: Record<string, number | null> = {}) {
  return {
    __typename: 'MetricTotals',
    views,
    likes: Math.round(views / 20),
    comments: Math.round(views / 200),
    shares: Math.round(views / 300),
    saves: Math.round(views / 250),
    clicks: Math.round(views / 2),
    impressions: views * 5,
    reach: views * 3,
    watchTimeSeconds: views * 40,
    engagementRate: views ? 5.83 : null,
    ctr: views ? 10 : null,
    ...extra,
  };
}

export function overviewAnalytics({ empty = false } = {}) {
  const views = empty ? 0 : 12_345;
  const previous = empty ? 0 : 10_000;
  const comparison = (value: number, before: number) => ({
    __typename: 'MetricComparison',
    value,
    previous: before,
    changePct: before ? Math.round(((value - before) / before) * 10_000) / 100 : null,
    trend: before ? (value > before ? 'UP' : 'DOWN') : 'STABLE',
  });
  return {
    __typename: 'Analytics',
    timezone: 'Europe/Paris',
    range: { __typename: 'AnalyticsPeriod', startDate: '2026-10-25', endDate: '2026-11-21' },
    previousRange: {
      __typename: 'AnalyticsPeriod',
      startDate: '2026-09-27',
      endDate: '2026-10-24',
    },
    totals: {
      __typename: 'AnalyticsTotals',
      views: {
        __typename: 'CountComparison',
        value: views,
        previous,
        changePct: empty ? null : 23.45,
        trend: empty ? null : 'UP',
      },
      engagementRate: {
        __typename: 'RateComparison',
        value: empty ? null : 6.5,
        previous: empty ? null : 6,
        changePct: empty ? null : 8.33,
        trend: empty ? null : 'UP',
      },
      current: { __typename: 'MetricTotals', likes: empty ? 0 : 600, comments: 50, shares: 30 },
      previous: { __typename: 'MetricTotals', likes: empty ? 0 : 500, comments: 40, shares: 20 },
    },
    growth: [
      {
        __typename: 'ChannelGrowth',
        platform: 'YOUTUBE',
        startFollowers: 1000,
        endFollowers: 1100,
      },
    ],
    series: ['2026-11-19', '2026-11-20', '2026-11-21'].map((label, index) => ({
      __typename: 'SeriesBucket',
      label,
      start: `${label}T00:00:00.000Z`,
      end: new Date(Date.parse(label) + 86_400_000).toISOString(),
      values: [
        {
          __typename: 'MetricComparison',
          value: empty ? 0 : 4000 + index * 100,
          previous: empty ? 0 : 3000,
        },
      ],
    })),
    byPlatform: (['YOUTUBE', 'TIKTOK'] as const).map((platform, index) => ({
      __typename: 'PlatformBreakdown',
      platform,
      share: empty ? null : index === 0 ? 60 : 40,
      views: comparison(empty ? 0 : index === 0 ? 7407 : 4938, empty ? 0 : 5000),
      totals: metricTotals(empty ? 0 : index === 0 ? 7407 : 4938),
    })),
    topVideos: empty
      ? []
      : [1, 2].map((rank) => ({
          __typename: 'TopVideo',
          rank,
          value: 5000 / rank,
          comparison: {
            __typename: 'MetricComparison',
            value: 5000 / rank,
            previous: 4000 / rank,
            changePct: 25,
            trend: 'UP',
          },
          totals: metricTotals(5000 / rank),
          video: { __typename: 'Video', id: videoId(rank), title: `Top video ${rank}` },
        })),
  };
}

export function liveAnalytics(viewsToday: number) {
  const metric = (value: number) => ({
    __typename: 'LiveMetric',
    value,
    previous: null,
    changePct: null,
    trend: 'STABLE',
  });
  return {
    __typename: 'LiveAnalytics',
    at: '2026-11-21T20:00:00.000Z',
    viewsToday: metric(viewsToday),
    viewsLastMinute: { __typename: 'LiveMetric', value: 42 },
  };
}

export function videoRow(n: number) {
  return {
    __typename: 'Video',
    id: videoId(n),
    title: `Video number ${n}`,
    status: 'PUBLISHED',
    publishedAt: '2026-11-01T10:00:00.000Z',
    tags: ['vlog'],
    publications: [{ __typename: 'Publication', id: `pub-${n}`, platform: 'YOUTUBE' }],
    stats: { __typename: 'MetricTotals', views: 1000 * n, likes: 50 * n, engagementRate: 5.5 },
  };
}

export function videoConnection(from: number, count: number, total: number) {
  const nodes = Array.from({ length: count }, (_, index) => videoRow(from + index));
  return {
    __typename: 'VideoConnection',
    totalCount: total,
    edges: nodes.map((node) => ({ __typename: 'VideoEdge', cursor: `c${node.id}`, node })),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: from + count - 1 < total,
      endCursor: nodes.length ? `c${nodes[nodes.length - 1]!.id}` : null,
    },
  };
}

export function videoDetail(n: number) {
  return {
    __typename: 'Video',
    id: videoId(n),
    title: `Video number ${n}`,
    description: 'A description.',
    publishedAt: '2026-11-01T10:00:00.000Z',
    durationSeconds: 245,
    tags: ['vlog'],
    status: 'PUBLISHED',
    processingProgress: 100,
    stats: metricTotals(48_213),
    publications: [
      {
        __typename: 'Publication',
        id: `pub-${n}`,
        platform: 'YOUTUBE',
        url: 'https://youtube.example/watch',
        publishedAt: '2026-11-01T10:00:00.000Z',
        channel: { __typename: 'Channel', id: 'ch-1', handle: '@pulse' },
        stats: metricTotals(48_213),
      },
    ],
  };
}

export function apiKey(n: number, prefix = `pulse_key${n}abcdef`) {
  return {
    __typename: 'ApiKey',
    id: Buffer.from(`ApiKey:${n}`).toString('base64'),
    name: `Key ${n}`,
    prefix,
    scopes: ['READ_USER', 'READ_VIDEOS'],
    status: 'ACTIVE',
    lastUsedAt: null,
    createdAt: '2026-11-20T10:00:00.000Z',
    previousSecretExpiresAt: null,
  };
}

export function usage({ empty = false } = {}) {
  const days = ['2026-11-20', '2026-11-21'].map((day) => ({
    __typename: 'UsageDay',
    day,
    operations: empty ? 0 : 10,
    rejected: empty ? 0 : 1,
  }));
  return {
    __typename: 'Usage',
    from: '2026-10-23',
    to: '2026-11-21',
    totals: {
      __typename: 'UsageCounts',
      operations: empty ? 0 : 20,
      cost: empty ? 0 : 200,
      rejected: empty ? 0 : 2,
      rejectionRate: empty ? null : 10,
    },
    days,
    quota: {
      __typename: 'Quota',
      plan: 'PRO',
      costLimit: 2000,
      enforced: true,
      perMinute: {
        __typename: 'QuotaWindow',
        limit: 100,
        remaining: 99,
        resetAt: '2026-11-21T20:01:00.000Z',
      },
      perDay: {
        __typename: 'QuotaWindow',
        limit: 10_000,
        remaining: 9_980,
        resetAt: '2026-11-22T00:00:00.000Z',
      },
    },
    credentials: empty
      ? []
      : [
          {
            __typename: 'CredentialUsage',
            credential: 'api_key:1',
            kind: 'API_KEY',
            name: 'Key 1',
            prefix: 'pulse_key1abcdef',
            totals: { __typename: 'UsageCounts', operations: 20, rejected: 2 },
          },
        ],
  };
}

const slot = (n: number, videos: number, averageViews: number, averageEngagementRate: number) => ({
  __typename: 'PostingSlot',
  slot: n,
  videos,
  averageViews,
  averageEngagementRate,
});

const performer = (n: number, views: number, zScore: number) => ({
  __typename: 'VideoPerformance',
  views,
  zScore,
  engagementRate: 8.4,
  video: { __typename: 'Video', id: videoId(n), title: `Video number ${n}` },
});

function forecastOf(values: [number, number, number][], reason: string | null = null) {
  return {
    __typename: 'Forecast',
    reason,
    fittedFrom: reason ? null : '2026-09-05',
    fittedTo: reason ? null : '2026-12-02',
    model: reason
      ? null
      : {
          __typename: 'ForecastModel',
          observations: 89,
          trend: 3480.97,
          residualSd: 17829.55,
        },
    points: reason
      ? []
      : values.map(([value, lower, upper], index) => ({
          __typename: 'ForecastPoint',
          date: `2026-12-0${index + 3}`,
          value,
          lower,
          upper,
        })),
  };
}

/** The Insights page's answer: posting times, outliers, forecasts and anomalies. */
export function insights({ empty = false } = {}) {
  return {
    __typename: 'Insights',
    range: { __typename: 'AnalyticsPeriod', startDate: '2026-09-05', endDate: '2026-12-03' },
    postingTimes: {
      __typename: 'PostingTimes',
      sampleSize: empty ? 0 : 42,
      // Weekday means: (10 × 6 + 20 × 9 + 12 × 7.5) / 42 = 7.86 %; Tuesday 9 / 7.86 = 1.1×.
      bestWeekday: empty ? null : slot(2, 20, 40_000, 9),
      bestHour: empty ? null : slot(18, 5, 52_000, 10.5),
      byWeekday: empty
        ? []
        : [slot(1, 10, 20_000, 6), slot(2, 20, 40_000, 9), slot(5, 12, 30_000, 7.5)],
      byHour: empty ? [] : [slot(9, 2, 10_000, 12), slot(18, 5, 52_000, 10.5)],
    },
    performance: {
      __typename: 'PerformanceInsight',
      sampleSize: empty ? 0 : 42,
      meanViews: empty ? 0 : 30_000,
      above: empty ? [] : [performer(1, 150_000, 1.74), performer(2, 60_000, 1.02)],
      below: empty ? [] : [performer(3, 600, -2.76)],
    },
    forecast: {
      __typename: 'GrowthForecast',
      horizonDays: 3,
      views: empty
        ? forecastOf([], 'needs at least 14 complete days in the range')
        : forecastOf([
            [151_510.32, 128_660.83, 174_359.81],
            [154_991.29, 124_364.83, 185_617.75],
            [158_472.26, 121_130.43, 195_814.09],
          ]),
      followers: empty
        ? forecastOf([], 'needs at least 14 complete days in the range')
        : forecastOf([
            [31_309.37, 31_222.08, 31_396.67],
            [31_782.77, 31_627.39, 31_938.15],
            [32_256.17, 32_022.77, 32_489.56],
          ]),
    },
    anomalies: empty
      ? []
      : [
          {
            __typename: 'ViewsAnomaly',
            date: '2026-11-29',
            views: 169_365,
            expected: 64_219.5,
            sd: 29_508.62,
            zScore: 3.563,
            changePct: 163.73,
            spike: true,
          },
          {
            __typename: 'ViewsAnomaly',
            date: '2026-10-04',
            views: 1_200,
            expected: 30_000,
            sd: 8_000,
            zScore: -3.6,
            changePct: -96,
            spike: false,
          },
        ],
  };
}

export const notificationId = (n: number) => Buffer.from(`Notification:${n}`).toString('base64');

export function notification(n: number, { read = false } = {}) {
  return {
    __typename: 'Notification',
    id: notificationId(n),
    kind: 'MILESTONE',
    title: `${n},000 views`,
    body: `“Video number ${n}” passed ${n},000 views.`,
    read,
    createdAt: '2026-11-21T10:00:00.000Z',
    video: { __typename: 'Video', id: videoId(n), title: `Video number ${n}` },
  };
}

export function notificationConnection(
  nodes: ReturnType<typeof notification>[],
  total = nodes.length,
) {
  return {
    __typename: 'NotificationConnection',
    totalCount: total,
    unreadCount: nodes.filter((node) => !node.read).length,
    edges: nodes.map((node) => ({ __typename: 'NotificationEdge', node })),
  };
}

/** The onboarding check's answer for an account: its channels and first videos. */
export function onboardingAccount({
  channels = [] as string[],
  video = null as null | { status: 'DRAFT' | 'PUBLISHED'; views?: number; url?: string | null },
} = {}) {
  const node = video && {
    __typename: 'Video',
    id: videoId(1),
    title: 'My first video',
    url: video.url === undefined ? 'https://example.com/v.mp4' : video.url,
    stats: { __typename: 'MetricTotals', views: video.views ?? 0 },
    publications:
      video.status === 'PUBLISHED'
        ? [{ __typename: 'Publication', id: 'pub-1', platform: channels[0] ?? 'YOUTUBE' }]
        : [],
  };
  return {
    __typename: 'User',
    id: 'VXNlcjox',
    channels: channels.map((platform, index) => ({
      __typename: 'Channel',
      id: `channel-${index}`,
      platform,
      handle: `@pulse-${platform.toLowerCase()}`,
    })),
    mostViewed: {
      __typename: 'VideoConnection',
      totalCount: node ? 1 : 0,
      edges: node ? [{ __typename: 'VideoEdge', node }] : [],
    },
    published: {
      __typename: 'VideoConnection',
      edges:
        node && video?.status === 'PUBLISHED'
          ? [
              {
                __typename: 'VideoEdge',
                node: {
                  __typename: 'Video',
                  id: node.id,
                  title: node.title,
                  publications: node.publications,
                },
              },
            ]
          : [],
    },
  };
}
