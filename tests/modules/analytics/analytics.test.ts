import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../helpers/fixtures.js';
import {
  addDaysTo,
  createCreator,
  errorOf,
  ingest,
  localDateOf,
  query,
  startAnalyticsApp,
  type FixtureVideo,
} from '../../helpers/analytics.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let alice: TestViewer;
let bob: TestViewer;
let A: FixtureVideo;
let B: FixtureVideo;
let C: FixtureVideo;
let bobVideo: FixtureVideo;
let aliceTiktok: string;
let bobChannel: string;
const now = Date.now();
const today = localDateOf(now, 'UTC');
/** Noon UTC k days ago: safely inside that UTC day. */
const D = (k: number) => Date.parse(`${addDaysTo(today, -k)}T12:00:00Z`);
/** The same calendar date a year earlier (29 February → 28 February). */
const yearEarlier = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

beforeAll(async () => {
  t = await startAnalyticsApp();
  const a = await createCreator(t, {
    videos: [
      { platforms: ['youtube', 'tiktok'], tags: ['tips'], title: 'A' },
      { platforms: ['youtube'], tags: ['vlog'], title: 'B' },
      { platforms: ['instagram'], tags: ['tips', 'vlog'], title: 'C' },
    ],
  });
  alice = a.viewer;
  [A, B, C] = a.videos as [FixtureVideo, FixtureVideo, FixtureVideo];
  aliceTiktok = encodeId('Channel', a.channels.find((c) => c.platform === 'tiktok')!.id);
  const b = await createCreator(t, { videos: [{ platforms: ['youtube'] }] });
  bob = b.viewer;
  bobVideo = b.videos[0]!;
  bobChannel = encodeId('Channel', b.channels[0]!.id);

  const yearAgoIndex3 = Date.parse(`${addDaysTo(yearEarlier(addDaysTo(today, -6)), 3)}T12:00:00Z`);
  await ingest(t, alice.key, [
    // The last 7 days (today − 6 … today).
    { video: A, platform: 'youtube', delta: 100, at: D(1) },
    { video: A, platform: 'youtube', metric: 'LIKES', delta: 10, at: D(1) },
    { video: A, platform: 'youtube', metric: 'COMMENTS', delta: 2, at: D(2) },
    { video: A, platform: 'youtube', metric: 'SHARES', delta: 3, at: D(3) },
    { video: A, platform: 'tiktok', delta: 300, at: D(2) },
    { video: A, platform: 'tiktok', metric: 'CLICKS', delta: 30, at: D(2) },
    { video: A, platform: 'tiktok', metric: 'IMPRESSIONS', delta: 600, at: D(2) },
    { video: B, platform: 'youtube', delta: 50, at: D(5) },
    { video: B, platform: 'youtube', metric: 'LIKES', delta: 5, at: D(5) },
    { video: C, platform: 'instagram', delta: 200, at: D(6) },
    { video: C, platform: 'instagram', metric: 'LIKES', delta: 20, at: D(6) },
    // The 7 days before.
    { video: A, platform: 'youtube', delta: 200, at: D(8) },
    { video: B, platform: 'youtube', delta: 100, at: D(10) },
    { video: B, platform: 'youtube', metric: 'LIKES', delta: 6, at: D(10) },
    // Outside both.
    { video: C, platform: 'instagram', delta: 1000, at: D(20) },
    // A year earlier, on the 4th day of the compared week.
    { video: A, platform: 'youtube', delta: 40, at: yearAgoIndex3 },
  ]);
  await ingest(t, bob.key, [{ video: bobVideo, platform: 'youtube', delta: 7777, at: D(1) }]);
});
afterAll(() => t.close());

const TOTALS = /* GraphQL */ `
  query Totals(
    $range: AnalyticsRangeInput
    $compare: AnalyticsComparison!
    $filter: AnalyticsFilterInput
  ) {
    analytics(range: $range, compare: $compare, filter: $filter) {
      range {
        startDate
        endDate
        hourly
      }
      previousRange {
        startDate
        endDate
      }
      totals {
        views {
          value
          previous
          change
          changePct
          trend
        }
        likes {
          value
          previous
          change
          changePct
          trend
        }
        comments {
          value
          previous
          changePct
          trend
        }
        shares {
          value
        }
        clicks {
          value
        }
        impressions {
          value
        }
        engagementRate {
          value
          previous
          change
          changePct
          trend
        }
        ctr {
          value
          previous
          changePct
          trend
        }
      }
    }
  }
`;

const last7 = { preset: 'LAST_7_DAYS' };

describe('analytics totals', () => {
  it('equal the hand-computed fixture, with the previous period and trends', async () => {
    const data = await query(t, alice.key, TOTALS, { range: last7, compare: 'PREVIOUS_PERIOD' });
    const a = data.analytics;
    expect(a.range).toEqual({ startDate: addDaysTo(today, -6), endDate: today, hourly: false });
    expect(a.previousRange).toEqual({
      startDate: addDaysTo(today, -13),
      endDate: addDaysTo(today, -7),
    });
    expect(a.totals.views).toEqual({
      value: 650,
      previous: 300,
      change: 350,
      changePct: 116.67,
      trend: 'UP',
    });
    expect(a.totals.likes).toEqual({
      value: 35,
      previous: 6,
      change: 29,
      changePct: 483.33,
      trend: 'UP',
    });
    // From 0, change % is undefined (null) and any rise is UP.
    expect(a.totals.comments).toEqual({ value: 2, previous: 0, changePct: null, trend: 'UP' });
    expect(a.totals.shares.value).toBe(3);
    expect(a.totals.clicks.value).toBe(30);
    expect(a.totals.impressions.value).toBe(600);
    // (35 + 2 + 3) / 650 × 100 = 6.15; before: 6 / 300 × 100 = 2.
    expect(a.totals.engagementRate).toEqual({
      value: 6.15,
      previous: 2,
      change: 4.15,
      changePct: 207.5,
      trend: 'UP',
    });
    // 30 / 600 × 100; no impressions before: null rate, null change.
    expect(a.totals.ctr).toEqual({ value: 5, previous: null, changePct: null, trend: 'STABLE' });
  });

  it('without comparison, previous values and trends are null', async () => {
    const data = await query(t, alice.key, TOTALS, { range: last7, compare: 'NONE' });
    expect(data.analytics.previousRange).toBeNull();
    expect(data.analytics.totals.views).toEqual({
      value: 650,
      previous: null,
      change: null,
      changePct: null,
      trend: null,
    });
  });

  it('PREVIOUS_YEAR compares with the same dates a year earlier', async () => {
    const data = await query(t, alice.key, TOTALS, { range: last7, compare: 'PREVIOUS_YEAR' });
    expect(data.analytics.previousRange.startDate).toBe(yearEarlier(addDaysTo(today, -6)));
    expect(data.analytics.totals.views).toMatchObject({ value: 650, previous: 40, change: 610 });
  });

  it('startDate/endDate ranges include both days; ALL_TIME starts at the first data day', async () => {
    const data = await query(t, alice.key, TOTALS, {
      range: { startDate: addDaysTo(today, -20), endDate: addDaysTo(today, -8) },
      compare: 'NONE',
    });
    expect(data.analytics.totals.views.value).toBe(1000 + 200 + 100);
    const all = await query(t, alice.key, TOTALS, {
      range: { preset: 'ALL_TIME' },
      compare: 'NONE',
    });
    expect(all.analytics.totals.views.value).toBe(650 + 300 + 1000 + 40);
    expect(all.analytics.range.endDate).toBe(today);
  });
});

const SERIES = /* GraphQL */ `
  query Series(
    $range: AnalyticsRangeInput
    $interval: AnalyticsInterval!
    $compare: AnalyticsComparison!
  ) {
    analytics(range: $range, compare: $compare) {
      series(interval: $interval, metrics: [VIEWS, LIKES, ENGAGEMENT_RATE]) {
        label
        start
        end
        previousStart
        previousEnd
        values {
          metric
          value
          previous
        }
      }
    }
  }
`;

describe('analytics series', () => {
  it('DAY buckets are zero-filled, with the comparison aligned day by day', async () => {
    const data = await query(t, alice.key, SERIES, {
      range: last7,
      interval: 'DAY',
      compare: 'PREVIOUS_PERIOD',
    });
    const buckets = data.analytics.series;
    expect(buckets.map((b: any) => b.label)).toEqual(
      Array.from({ length: 7 }, (_, i) => addDaysTo(today, i - 6)),
    );
    const views = buckets.map((b: any) => b.values[0].value);
    const previous = buckets.map((b: any) => b.values[0].previous);
    expect(views).toEqual([200, 50, 0, 0, 300, 100, 0]);
    // today − 8 is the 6th day of the previous week, today − 10 the 4th.
    expect(previous).toEqual([0, 0, 0, 100, 0, 200, 0]);
    expect(buckets[0].values[2]).toEqual({ metric: 'ENGAGEMENT_RATE', value: 10, previous: null });
    expect(buckets[2].values[2].value).toBeNull();
    expect(buckets[0].start).toBe(`${addDaysTo(today, -6)}T00:00:00.000Z`);
    expect(buckets[0].previousStart).toBe(`${addDaysTo(today, -13)}T00:00:00.000Z`);
    expect(buckets[6].end).toBe(`${addDaysTo(today, 1)}T00:00:00.000Z`);
    expect(buckets[6].previousEnd).toBe(`${addDaysTo(today, -6)}T00:00:00.000Z`);
  });

  it('WEEK and MONTH buckets sum their days and are clipped to the range', async () => {
    for (const interval of ['WEEK', 'MONTH']) {
      const data = await query(t, alice.key, SERIES, {
        range: last7,
        interval,
        compare: 'PREVIOUS_PERIOD',
      });
      const buckets = data.analytics.series;
      const sum = (key: 'value' | 'previous') =>
        buckets.reduce((s: number, b: any) => s + b.values[0][key], 0);
      expect(sum('value')).toBe(650);
      expect(sum('previous')).toBe(300);
      expect(buckets[0].start).toBe(`${addDaysTo(today, -6)}T00:00:00.000Z`);
      expect(buckets.at(-1).end).toBe(`${addDaysTo(today, 1)}T00:00:00.000Z`);
      for (const b of buckets)
        expect(b.label).toMatch(interval === 'WEEK' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}$/);
    }
  });

  it('HOUR buckets cover each hour, zero-filled', async () => {
    const data = await query(t, alice.key, SERIES, {
      range: { startDate: addDaysTo(today, -2), endDate: addDaysTo(today, -1) },
      interval: 'HOUR',
      compare: 'NONE',
    });
    const buckets = data.analytics.series;
    expect(buckets).toHaveLength(48);
    expect(buckets[12].label).toBe(`${addDaysTo(today, -2)}T12:00:00+00:00`);
    expect(buckets[12].values[0].value).toBe(300);
    expect(buckets[36].values[0].value).toBe(100);
    expect(buckets.reduce((s: number, b: any) => s + b.values[0].value, 0)).toBe(400);
  });
});

const BREAKDOWN = /* GraphQL */ `
  query Breakdown($filter: AnalyticsFilterInput, $metric: AnalyticsMetric!, $first: Int!) {
    analytics(range: { preset: LAST_7_DAYS }, compare: PREVIOUS_PERIOD, filter: $filter) {
      totals {
        views {
          value
        }
      }
      byPlatform {
        platform
        share
        totals {
          views
          likes
        }
        previous {
          views
        }
        metric(metric: VIEWS) {
          trend
        }
      }
      topVideos(metric: $metric, first: $first) {
        rank
        value
        video {
          title
        }
        totals {
          views
        }
        comparison {
          previous
        }
      }
    }
  }
`;

describe('analytics breakdowns', () => {
  it('byPlatform lists every platform with shares adding up to 100', async () => {
    const data = await query(t, alice.key, BREAKDOWN, { metric: 'VIEWS', first: 10 });
    const byPlatform = data.analytics.byPlatform;
    expect(byPlatform.map((p: any) => [p.platform, p.totals.views, p.share])).toEqual([
      ['YOUTUBE', 150, 23.08],
      ['TIKTOK', 300, 46.15],
      ['INSTAGRAM', 200, 30.77],
      ['TWITTER', 0, 0],
    ]);
    expect(byPlatform.reduce((s: number, p: any) => s + p.share, 0)).toBeCloseTo(100, 10);
    expect(byPlatform[0].previous.views).toBe(300);
    expect(byPlatform[0].metric.trend).toBe('DOWN');
  });

  it('topVideos ranks by the metric over the range, with the comparison', async () => {
    const data = await query(t, alice.key, BREAKDOWN, { metric: 'VIEWS', first: 2 });
    expect(data.analytics.topVideos).toEqual([
      {
        rank: 1,
        value: 400,
        video: { title: 'A' },
        totals: { views: 400 },
        comparison: { previous: 200 },
      },
      {
        rank: 2,
        value: 200,
        video: { title: 'C' },
        totals: { views: 200 },
        comparison: { previous: 0 },
      },
    ]);
    const byRate = await query(t, alice.key, BREAKDOWN, { metric: 'ENGAGEMENT_RATE', first: 5 });
    // C: 20/200 = 10 %, B: 5/50 = 10 % (a tie, broken by id), A: 15/400 = 3.75 %.
    const [first, second, third] = byRate.analytics.topVideos;
    expect([first.value, second.value, third.value]).toEqual([10, 10, 3.75]);
    const tied = [B, C].sort((x, y) => (x.id < y.id ? -1 : 1)).map((v) => (v === B ? 'B' : 'C'));
    expect([first.video.title, second.video.title]).toEqual(tied);
  });

  it('topVideos breaks ties by id', async () => {
    const tie = await createCreator(t, {
      videos: [{ platforms: ['youtube'] }, { platforms: ['youtube'] }, { platforms: ['youtube'] }],
    });
    await ingest(
      t,
      tie.viewer.key,
      tie.videos.map((video, i) => ({
        video,
        platform: 'youtube',
        delta: i === 2 ? 5 : 9,
        at: D(1),
      })),
    );
    const data = await query(t, tie.viewer.key, BREAKDOWN, { metric: 'VIEWS', first: 3 });
    const ids = data.analytics.topVideos.map((v: any) => v.value);
    expect(ids).toEqual([9, 9, 5]);
    const order = await query(
      t,
      tie.viewer.key,
      '{ analytics(range: { preset: LAST_7_DAYS }) { topVideos(first: 3) { video { id } } } }',
    );
    const expected = [tie.videos[0]!, tie.videos[1]!]
      .sort((x, y) => (x.id < y.id ? -1 : 1))
      .map((v) => v.globalId);
    expect(order.analytics.topVideos.slice(0, 2).map((v: any) => v.video.id)).toEqual(expected);
  });

  it('filters by platform, video, channel and tag', async () => {
    const views = async (filter: object) =>
      (await query(t, alice.key, BREAKDOWN, { filter, metric: 'VIEWS', first: 10 })).analytics
        .totals.views.value;
    expect(await views({ platforms: ['YOUTUBE'] })).toBe(150);
    expect(await views({ videos: [A.globalId] })).toBe(400);
    expect(await views({ videos: [A.globalId], platforms: ['TIKTOK'] })).toBe(300);
    expect(await views({ channels: [aliceTiktok] })).toBe(300);
    expect(await views({ tags: ['vlog'] })).toBe(250);
    expect(await views({ tags: ['TIPS'] })).toBe(600);
    const filtered = await query(t, alice.key, BREAKDOWN, {
      filter: { tags: ['vlog'] },
      metric: 'VIEWS',
      first: 10,
    });
    expect(filtered.analytics.topVideos.map((v: any) => v.video.title)).toEqual(['C', 'B']);
  });

  it('an empty filter list matches nothing (never an error)', async () => {
    for (const filter of [{ platforms: [] }, { videos: [] }, { channels: [] }, { tags: [] }]) {
      const result = await query(t, alice.key, BREAKDOWN, { filter, metric: 'VIEWS', first: 10 });
      expect(result.analytics.totals.views.value).toBe(0);
      expect(result.analytics.topVideos).toEqual([]);
    }
  });
});

describe('GQL-AUTHZ-11 analytics are viewer-scoped', () => {
  it("another user's video and channel ids in filters match nothing of theirs", async () => {
    const data = await query(t, alice.key, TOTALS, {
      range: last7,
      compare: 'NONE',
      filter: { videos: [bobVideo.globalId] },
    });
    expect(data.analytics.totals.views.value).toBe(0);
    const byChannel = await query(t, alice.key, TOTALS, {
      range: last7,
      compare: 'NONE',
      filter: { channels: [bobChannel] },
    });
    expect(byChannel.analytics.totals.views.value).toBe(0);
  });

  it('each viewer sees only their own totals, top videos and report rows', async () => {
    const mine = await query(t, bob.key, TOTALS, { range: last7, compare: 'NONE' });
    expect(mine.analytics.totals.views.value).toBe(7777);
    const report = await query(
      t,
      bob.key,
      '{ analyticsReport(input: { metrics: [VIEWS], dimensions: [VIDEO] }) { rows { dimensions { value } metrics { value } } } }',
    );
    expect(report.analyticsReport.rows).toEqual([
      { dimensions: [{ value: bobVideo.globalId }], metrics: [{ value: 7777 }] },
    ]);
    const foreign = await t.graphql(
      `{ video(id: "${A.globalId}") { analytics { totals { views { value } } } } }`,
      { key: bob.key },
    );
    expect(foreign.body.data.video).toBeNull();
  });
});

describe('AUTH-SCOPE-02 analytics needs read:analytics', () => {
  it('a key without it gets 403 INSUFFICIENT_SCOPE on every analytics root field', async () => {
    const limited = await t.createViewer({ scopes: ['read:videos', 'read:user'] });
    for (const document of [
      '{ analytics { totals { views { value } } } }',
      '{ analyticsReport(input: { metrics: [VIEWS] }) { totalRows } }',
      '{ insights { postingTimes { sampleSize } } }',
    ]) {
      const response = await t.graphql(document, { key: limited.key });
      expect(response.status).toBe(403);
      expect(response.body.errors![0]!.extensions).toMatchObject({
        code: 'INSUFFICIENT_SCOPE',
        scope: 'read:analytics',
      });
    }
  });
});

describe('analytics BAD_USER_INPUT', () => {
  it.each([
    ['preset and dates together', { range: { preset: 'LAST_7_DAYS', startDate: '2024-01-01' } }],
    ['startDate without endDate', { range: { startDate: '2024-01-01' } }],
    ['endDate before startDate', { range: { startDate: '2024-02-01', endDate: '2024-01-01' } }],
    ['from after to', { range: { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } }],
    ['from without to', { range: { from: '2024-02-01T00:00:00Z' } }],
    ['over 20 years', { range: { startDate: '1990-01-01', endDate: '2024-01-01' } }],
  ])('%s', async (_name, variables) => {
    const { status, code } = await errorOf(
      t,
      alice.key,
      'query($range: AnalyticsRangeInput) { analytics(range: $range) { totals { views { value } } } }',
      variables,
    );
    expect(status).toBe(400);
    expect(code).toBe('BAD_USER_INPUT');
  });

  it('HOUR beyond hourly retention, topVideos first out of 1–100', async () => {
    const hour = await errorOf(
      t,
      alice.key,
      `{ analytics(range: { startDate: "${addDaysTo(today, -500)}", endDate: "${today}" }) { series(interval: HOUR) { label } } }`,
    );
    expect(hour.code).toBe('BAD_USER_INPUT');
    for (const first of [0, 101]) {
      const top = await errorOf(
        t,
        alice.key,
        `{ analytics { topVideos(first: ${first}) { rank } } }`,
      );
      expect(top.code).toBe('BAD_USER_INPUT');
    }
  });

  it('a malformed date or time zone is refused before execution', async () => {
    for (const variables of [
      { range: { startDate: '2024-02-30', endDate: '2024-03-01' } },
      { tz: 'Mars/Olympus' },
    ]) {
      const response = await t.graphql(
        'query($range: AnalyticsRangeInput, $tz: TimeZone) { analytics(range: $range, timezone: $tz) { timezone } }',
        { variables, key: alice.key },
      );
      expect(response.status).toBe(400);
    }
    // Accepted zones are remembered (src/builder.ts); refused ones stay refused, every time.
    for (const tz of ['UTC', 'Mars/Olympus', 'UTC', 'Mars/Olympus']) {
      const response = await t.graphql(`{ analytics(timezone: "${tz}") { timezone } }`, {
        key: alice.key,
      });
      expect(response.status).toBe(tz === 'UTC' ? 200 : 400);
      if (tz === 'UTC') expect(response.body.data.analytics.timezone).toBe('UTC');
      else expect(response.body.errors?.[0]?.message).toContain('IANA time zone');
    }
  });
});

describe('channel audience', () => {
  it('recordChannelAudience stores snapshots (write:metrics) and growth reads them', async () => {
    const record = await query(
      t,
      alice.key,
      `mutation($e: [ChannelAudienceInput!]!) { recordChannelAudience(input: { entries: $e }) { recorded userErrors { code field } } }`,
      {
        e: [
          {
            channel: aliceTiktok,
            date: addDaysTo(today, -10),
            followers: 1000,
            following: 5,
            posts: 3,
          },
          { channel: aliceTiktok, date: addDaysTo(today, -3), followers: 1100 },
          { channel: aliceTiktok, date: today, followers: 1250, posts: 4 },
        ],
      },
    );
    expect(record.recordChannelAudience).toEqual({ recorded: 3, userErrors: [] });
    const data = await query(
      t,
      alice.key,
      `{ analytics(range: { preset: LAST_7_DAYS }, filter: { platforms: [TIKTOK] }) { growth { platform startFollowers endFollowers change growthRate points { date followers following posts } } }
         me { channels { platform followers growth(range: { preset: LAST_7_DAYS }) { change growthRate } } } }`,
    );
    const [growth] = data.analytics.growth;
    expect(growth).toMatchObject({
      platform: 'TIKTOK',
      startFollowers: 1000,
      endFollowers: 1250,
      change: 250,
      growthRate: 25,
    });
    expect(growth.points).toHaveLength(7);
    expect(growth.points[3]).toEqual({
      date: addDaysTo(today, -3),
      followers: 1100,
      following: 5,
      posts: 3,
    });
    expect(growth.points[6]).toMatchObject({ followers: 1250, following: 5, posts: 4 });
    const channel = data.me.channels.find((c: any) => c.platform === 'TIKTOK');
    expect(channel).toMatchObject({ followers: 1250, growth: { change: 250, growthRate: 25 } });
  });

  it("refuses another account's channel and bad numbers, storing nothing", async () => {
    const response = await query(
      t,
      alice.key,
      `mutation($e: [ChannelAudienceInput!]!) { recordChannelAudience(input: { entries: $e }) { recorded userErrors { code field } } }`,
      {
        e: [
          { channel: aliceTiktok, followers: 1 },
          { channel: bobChannel, followers: 10 },
          { channel: aliceTiktok, date: addDaysTo(today, 5), followers: 10 },
        ],
      },
    );
    expect(response.recordChannelAudience.recorded).toBe(0);
    expect(response.recordChannelAudience.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'entries', '1', 'channel'] },
      { code: 'INVALID', field: ['input', 'entries', '2', 'date'] },
    ]);
    const noScope = await t.createViewer({ scopes: ['read:analytics'] });
    const refused = await t.graphql(
      `mutation { recordChannelAudience(input: { entries: [] }) { recorded } }`,
      { key: noScope.key },
    );
    expect(refused.body.errors![0]!.extensions!['code']).toBe('INSUFFICIENT_SCOPE');
  });
});
