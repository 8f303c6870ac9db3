import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  metricEventTable,
  ownerHourlyRollupTable,
  userTable,
  videoTable,
  type Platform,
} from '../../../src/db/schema.js';
import { changePct, trendOf } from '../../../src/modules/common/metric-keys.js';
import {
  ANALYTICS_DEFAULT_INTERVAL_MS,
  ANALYTICS_MIN_INTERVAL_MS,
} from '../../../src/modules/live/live-analytics.graphql.js';
import {
  computeLiveAnalytics,
  dayWindows,
  hourShare,
} from '../../../src/modules/live/live-analytics.service.js';
import { createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { seedAccounts } from '../../helpers/seed.js';
import { rawSocket, sseClient, take, wsClient } from '../../helpers/live.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('change and trend (PRODUCT.md definitions)', () => {
  it('changePct = (current − previous) / previous × 100, null when previous is 0', () => {
    expect(changePct(150, 100)).toBe(50);
    expect(changePct(50, 100)).toBe(-50);
    expect(changePct(1, 3)).toBe(-66.67);
    expect(changePct(5, 0)).toBeNull();
    expect(changePct(null, 3)).toBeNull();
    expect(changePct(3, null)).toBeNull();
  });

  it('trend is UP/DOWN at |change| ≥ 1 %, else STABLE; from 0 any rise is UP', () => {
    expect(trendOf(101, 100)).toBe('up');
    expect(trendOf(100.99, 100)).toBe('stable');
    expect(trendOf(99, 100)).toBe('down');
    expect(trendOf(99.01, 100)).toBe('stable');
    expect(trendOf(100, 100)).toBe('stable');
    expect(trendOf(3, 0)).toBe('up');
    expect(trendOf(0, 0)).toBe('stable');
    expect(trendOf(null, 5)).toBe('stable');
  });
});

describe('live analytics windows', () => {
  it('today starts at local midnight; previous is yesterday up to the same wall-clock time', () => {
    const now = at('2026-03-10T15:20:30.250Z').getTime();
    expect(dayWindows(now, 'UTC')).toEqual({
      todayStart: at('2026-03-10T00:00:00Z').getTime(),
      yesterdayStart: at('2026-03-09T00:00:00Z').getTime(),
      yesterdayEnd: at('2026-03-09T15:20:30.250Z').getTime(),
    });
    // +05:30: days start at 18:30 UTC.
    expect(dayWindows(now, 'Asia/Kolkata')).toEqual({
      todayStart: at('2026-03-09T18:30:00Z').getTime(),
      yesterdayStart: at('2026-03-08T18:30:00Z').getTime(),
      yesterdayEnd: at('2026-03-09T15:20:30.250Z').getTime(),
    });
  });

  it('follows daylight saving time: the day after the switch compares wall-clock to wall-clock', () => {
    // New York moved to EDT (UTC−4) on 2026-03-08 at 02:00 local.
    const now = at('2026-03-09T16:00:00Z').getTime(); // 12:00 EDT
    expect(dayWindows(now, 'America/New_York')).toEqual({
      todayStart: at('2026-03-09T04:00:00Z').getTime(),
      yesterdayStart: at('2026-03-08T05:00:00Z').getTime(), // midnight EST
      yesterdayEnd: at('2026-03-08T16:00:00Z').getTime(), // 12:00 EDT
    });
  });

  it('an hourly row counts pro rata where a window edge cuts its hour', () => {
    const hour = at('2026-03-09T15:00:00Z').getTime();
    const now = at('2026-03-10T15:20:00Z').getTime();
    expect(hourShare(hour, 0, hour + 20 * 60_000, now)).toBeCloseTo(1 / 3);
    expect(hourShare(hour, hour + 30 * 60_000, now, now)).toBeCloseTo(0.5);
    expect(hourShare(hour, hour + HOUR, now, now)).toBe(0);
    // The current hour's data spans only up to now: whole when the window reaches now.
    const current = at('2026-03-10T15:00:00Z').getTime();
    expect(hourShare(current, current - HOUR, now + 1, now)).toBe(1);
  });
});

let t: TestApp;
let baseUrl: string;
let alice: TestViewer;
let bob: TestViewer;

beforeAll(async () => {
  // Rate limits have their own suite; these tests open several operations.
  t = await startTestApp({ RATE_LIMIT_ENABLED: 'false' });
  baseUrl = (await t.app.start()).url;
  ({ alice, bob } = await seedAccounts(t, {
    alice: { channels: ['youtube'] },
    bob: { channels: ['youtube'] },
  }));
});
afterAll(() => t.close());

async function newOwner(timezone: string) {
  const viewer = await t.createViewer();
  await t.database.db.update(userTable).set({ timezone }).where(eq(userTable.id, viewer.userId));
  return viewer;
}

const rollup = (ownerId: string, platform: Platform, hour: string, values: object) =>
  t.database.db
    .insert(ownerHourlyRollupTable)
    .values({ ownerId, platform, hour: at(hour), ...values });

describe('computeLiveAnalytics', () => {
  it('sums the rollups of today and of yesterday up to the same time, pro rata at the edges, per owner only', async () => {
    const owner = await newOwner('UTC');
    const now = at('2026-03-10T15:20:00Z');
    await rollup(owner.userId, 'youtube', '2026-03-10T15:00:00Z', {
      views: 100,
      likes: 10,
      comments: 5,
      shares: 5,
      watchSeconds: 1000,
    });
    await rollup(owner.userId, 'tiktok', '2026-03-10T15:00:00Z', { views: 20, likes: 2 });
    await rollup(owner.userId, 'tiktok', '2026-03-10T00:00:00Z', { views: 30 });
    await rollup(owner.userId, 'youtube', '2026-03-10T16:00:00Z', { views: 5 }); // future hour
    await rollup(owner.userId, 'youtube', '2026-03-09T23:00:00Z', { views: 999 }); // yesterday, later
    await rollup(owner.userId, 'youtube', '2026-03-09T15:00:00Z', { views: 60, likes: 3 }); // 20 of 60 min
    await rollup(owner.userId, 'instagram', '2026-03-09T03:00:00Z', { views: 40, likes: 4 });
    await rollup(owner.userId, 'youtube', '2026-03-08T23:00:00Z', { views: 777 }); // before yesterday
    // Another owner's rows never count.
    await rollup(bob.userId, 'youtube', '2026-03-10T15:00:00Z', { views: 5000 });

    const snapshot = await computeLiveAnalytics(t.database.db, owner.userId, now);
    expect(snapshot).toMatchObject({
      ownerId: owner.userId,
      timeZone: 'UTC',
      dayStart: at('2026-03-10T00:00:00Z'),
      viewsToday: { value: 150, previous: 60 },
      engagementsToday: { value: 22, previous: 5 },
      engagementRateToday: { value: 14.67, previous: 8.33 },
      watchTimeToday: { value: 1000, previous: 0 },
      viewsLastMinute: { value: 0, previous: 0 },
      videosCreatedToday: { value: 0, previous: 0 },
    });
  });

  it('counts days in the owner time zone, with half-hour offsets pro rata', async () => {
    const owner = await newOwner('Asia/Kolkata');
    const now = at('2026-03-10T15:20:00Z'); // 20:50 in Kolkata; the day began at 18:30 UTC
    await rollup(owner.userId, 'youtube', '2026-03-09T18:00:00Z', { views: 100 }); // half today
    await rollup(owner.userId, 'youtube', '2026-03-10T10:00:00Z', { views: 7 });
    await rollup(owner.userId, 'youtube', '2026-03-08T18:00:00Z', { views: 10 }); // half yesterday
    await rollup(owner.userId, 'youtube', '2026-03-09T15:00:00Z', { views: 30 }); // 20 of 60 min
    const snapshot = await computeLiveAnalytics(t.database.db, owner.userId, now);
    expect(snapshot).toMatchObject({
      timeZone: 'Asia/Kolkata',
      dayStart: at('2026-03-09T18:30:00Z'),
      viewsToday: { value: 57, previous: 15 },
      engagementRateToday: { value: 0, previous: 0 },
    });
  });

  it('views of the last minute come from the event log by occurredAt; videos created from the videos table', async () => {
    const owner = await newOwner('UTC');
    // The events need a publication to point at; whose it is does not matter to the sum.
    const { publications } = await createPublishedVideo(t.database.db, bob.userId);
    const publicationId = publications[0]!.id;
    const now = at('2026-03-10T15:20:00Z');
    const event = (id: string, secondsAgo: number, delta: number, metric = 'views' as const) => ({
      ownerId: owner.userId,
      eventId: id,
      publicationId,
      metric,
      delta,
      occurredAt: new Date(now.getTime() - secondsAgo * 1000),
    });
    await t.database.db.insert(metricEventTable).values([
      event('a', 0, 4),
      event('b', 30, 3),
      event('c', 60, 2), // exactly a minute ago: the previous minute
      event('d', 90, 5),
      event('e', 150, 100), // older than two minutes
      event('f', -60, 1000), // dated in the future
      { ...event('g', 10, 50), metric: 'likes' as const },
    ]);
    const created = (iso: string) => ({ ownerId: owner.userId, title: iso, createdAt: at(iso) });
    await t.database.db.insert(videoTable).values([
      created('2026-03-10T00:00:00Z'),
      created('2026-03-10T15:00:00Z'),
      created('2026-03-09T10:00:00Z'),
      created('2026-03-09T15:19:59Z'),
      created('2026-03-09T18:00:00Z'), // yesterday, after the same time of day
      created('2026-03-08T12:00:00Z'),
    ]);
    const snapshot = await computeLiveAnalytics(t.database.db, owner.userId, now);
    expect(snapshot).toMatchObject({
      viewsLastMinute: { value: 7, previous: 7 },
      videosCreatedToday: { value: 2, previous: 2 },
    });
  });

  it('is null for an owner that does not exist', async () => {
    expect(
      await computeLiveAnalytics(t.database.db, '00000000-0000-4000-8000-000000000000'),
    ).toBeNull();
  });
});

const LIVE = `subscription($interval: Int) {
  analyticsUpdated(intervalMs: $interval) {
    viewsLastMinute { value previous changePct trend }
    viewsToday { value previous changePct trend }
    engagementsToday { value previous changePct trend }
    engagementRateToday { value previous changePct trend }
    watchTimeToday { value }
    videosCreatedToday { value previous trend }
    timeZone
    dayStartedAt
    at
  }
}`;

interface LiveMetric {
  value: number | null;
  previous: number | null;
  changePct: number | null;
  trend: 'UP' | 'DOWN' | 'STABLE';
}
interface LiveAnalytics {
  viewsLastMinute: LiveMetric;
  viewsToday: LiveMetric;
  engagementsToday: LiveMetric;
  videosCreatedToday: LiveMetric;
  timeZone: string;
  at: string;
}
const analyticsOf = (result: { data?: unknown }) =>
  (result.data as { analyticsUpdated: LiveAnalytics }).analyticsUpdated;

async function recordViews(viewer: TestViewer, videoId: string, views: number, likes = 0) {
  const events = [
    { id: `v-${Math.random()}`, video: videoId, metric: 'VIEWS', delta: views },
    ...(likes ? [{ id: `l-${Math.random()}`, video: videoId, metric: 'LIKES', delta: likes }] : []),
  ];
  const response = await t.graphql(
    'mutation($events: [MetricEventInput!]!) { recordMetrics(input: { events: $events }) { accepted } }',
    { variables: { events }, key: viewer.key },
  );
  expect(response.body.data.recordMetrics.accepted).toBe(events.length);
}

const hubIsIdle = () => t.app.services.analyticsHub.stats().owners === 0;

describe('analyticsUpdated', () => {
  it('sends the live metrics at once, then every interval, computed once per tick for all of the owner’s subscribers (graphql-ws and SSE)', async () => {
    expect(ANALYTICS_DEFAULT_INTERVAL_MS).toBe(5000);
    const { video } = await createPublishedVideo(t.database.db, alice.userId);
    const videoId = encodeId('Video', video.id);

    const ws = [wsClient(baseUrl, alice.key), wsClient(baseUrl, alice.key)];
    const sse = sseClient(baseUrl, alice.key);
    const streams = [
      ...ws.map((client) => client.iterate({ query: LIVE, variables: { interval: 1000 } })),
      sse.iterate({ query: LIVE, variables: { interval: 1000 } }),
    ];
    const nexts = streams.map((stream) => take(stream));
    const firsts = (await Promise.all(nexts.map((next) => next()))).map(analyticsOf);
    for (const first of firsts) {
      expect(first).toMatchObject({
        timeZone: 'UTC',
        viewsToday: { value: 0, previous: 0, changePct: null, trend: 'STABLE' },
        engagementRateToday: { value: null, previous: null, changePct: null, trend: 'STABLE' },
        videosCreatedToday: { value: 1 },
      });
    }
    expect(t.app.services.analyticsHub.stats()).toMatchObject({
      owners: 1,
      groups: 1,
      subscribers: 3,
    });

    await recordViews(alice, videoId, 120, 6);
    // Bob's traffic is not Alice's.
    const bobVideo = await createPublishedVideo(t.database.db, bob.userId);
    await recordViews(bob, encodeId('Video', bobVideo.video.id), 999);

    // Ticks keep coming once per interval; wait for the one that saw the commit.
    const updates = await Promise.all(
      nexts.map(async (next) => {
        for (;;) {
          const update = analyticsOf(await next());
          if (update.viewsToday.value !== 0) return update;
        }
      }),
    );
    for (const update of updates) {
      expect(update).toMatchObject({
        viewsToday: { value: 120, trend: 'UP' },
        viewsLastMinute: { value: 120, previous: 0, changePct: null, trend: 'UP' },
        engagementsToday: { value: 6 },
        engagementRateToday: { value: 5 },
      });
    }
    // One computation per tick, shared: every subscriber got the same one.
    expect(new Set(updates.map((update) => update.at)).size).toBe(1);

    await Promise.all(streams.map((stream) => stream.return?.()));
    await Promise.all(ws.map((client) => client.dispose()));
    sse.dispose();
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('WS-SCOPE-03: without read:analytics, or with an interval out of range → error message; the socket stays open', async () => {
    const limited = await t.createViewer({ scopes: ['read:videos'] });
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${limited.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    raw.send({ id: 'scope', type: 'subscribe', payload: { query: LIVE } });
    const scope = await raw.next((m) => m.id === 'scope');
    expect(scope.type).toBe('error');
    expect(scope.payload[0].extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:analytics',
    });
    raw.socket.close(1000);

    const own = await rawSocket(baseUrl);
    own.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await own.next((m) => m.type === 'connection_ack');
    for (const [id, interval] of [
      ['fast', ANALYTICS_MIN_INTERVAL_MS - 1],
      ['slow', 300_001],
    ] as const) {
      own.send({ id, type: 'subscribe', payload: { query: LIVE, variables: { interval } } });
      const refused = await own.next((m) => m.id === id);
      expect(refused.type).toBe('error');
      expect(refused.payload[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    own.send({ id: 'ok', type: 'subscribe', payload: { query: LIVE } });
    expect((await own.next((m) => m.id === 'ok')).type).toBe('next');
    own.socket.close(1000);
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('WS-SSE-08: the same authentication and scope rules over SSE', async () => {
    const post = (key: string | null) =>
      fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query: LIVE }),
      });
    expect((await post(null)).status).toBe(401);
    const limited = await t.createViewer({ scopes: ['read:videos'] });
    const text = await (await post(limited.key)).text();
    expect(text).toContain('INSUFFICIENT_SCOPE');
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('completes live analytics streams when the server stops', async () => {
    const own = await startTestApp({ RATE_LIMIT_ENABLED: 'false' });
    try {
      const { url } = await own.app.start();
      const viewer = await own.createViewer();
      const client = sseClient(url, viewer.key);
      const stream = client.iterate({ query: LIVE, variables: { interval: 1000 } });
      await take(stream)();
      expect(own.app.services.analyticsHub.stats().subscribers).toBe(1);
      await own.app.stop();
      expect((await stream.next()).done).toBe(true);
      expect(own.app.services.analyticsHub.stats()).toMatchObject({ owners: 0, subscribers: 0 });
    } finally {
      await own.close();
    }
  });
});
