import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationTable } from '../../../src/db/schema.js';
import {
  createNotifier,
  crossedMilestones,
  VIEW_MILESTONES,
} from '../../../src/modules/notification/notifier.js';
import { createPulsePubSub, type VideoMetricsChange } from '../../../src/lib/pubsub.js';
import { ViralDetector } from '../../../src/modules/notification/viral-detector.js';
import { zeroMetrics } from '../../../src/modules/common/metric-keys.js';
import { raiseNotifications } from '../../../src/modules/notification/notification.service.js';
import { createVideo } from '../../../src/modules/video/video.service.js';
import { createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { seedAccount, seedAccounts, type SeededAccount } from '../../helpers/seed.js';
import { rawSocket, sseClient, take, wsClient } from '../../helpers/live.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-05-01T10:00:00Z');
const rule = { windowMinutes: 5, baselineMinutes: 60, factor: 5, minViews: 1000 };

describe('milestones', () => {
  it('a commit crosses the milestones in (views before, views after]', () => {
    expect(VIEW_MILESTONES).toEqual([1_000, 10_000, 100_000, 1_000_000, 10_000_000]);
    expect(crossedMilestones(990, 1005)).toEqual([1000]);
    expect(crossedMilestones(999, 1000)).toEqual([1000]);
    expect(crossedMilestones(1000, 1500)).toEqual([]);
    expect(crossedMilestones(9_990, 100_010)).toEqual([10_000, 100_000]);
    expect(crossedMilestones(0, 0)).toEqual([]);
  });
});

describe('viral detector', () => {
  const warm = () => new ViralDetector(rule, T0 - 2 * 60 * MINUTE);

  it('fires when the last 5 minutes reach 5× the average 5 minutes of the hour before, and at least the floor', () => {
    const detector = warm();
    // A steady 20 views a minute for the hour before: 100 per 5 minutes expected.
    for (let minute = 64; minute >= 5; minute--)
      expect(detector.observe('v', 'o', 20, T0 - minute * MINUTE)).toBeNull();
    // 499 in the window is under 5 × 100 and under the floor.
    expect(detector.observe('v', 'o', 499, T0 - 4 * MINUTE)).toBeNull();
    // 1,001 in the window: ≥ 1000 and ≥ 500 → a spike.
    expect(detector.observe('v', 'o', 502, T0)).toEqual({
      videoId: 'v',
      ownerId: 'o',
      views: 1001,
      expected: 100,
      hour: T0,
    });
    // At most one per video per UTC hour...
    expect(detector.observe('v', 'o', 5000, T0 + 10 * MINUTE)).toBeNull();
    // ...and again in the next hour if it still holds.
    expect(detector.observe('v', 'o', 5000, T0 + 60 * MINUTE)).toMatchObject({
      hour: T0 + 60 * MINUTE,
    });
  });

  it('a high baseline needs a proportionally higher spike; the floor holds for quiet videos', () => {
    const detector = warm();
    for (let minute = 64; minute >= 5; minute--)
      detector.observe('busy', 'o', 600, T0 - minute * MINUTE);
    // 3,000 per 5 minutes is its normal rate: 14,999 is under 5×.
    expect(detector.observe('busy', 'o', 14_999, T0)).toBeNull();
    expect(detector.observe('busy', 'o', 1, T0)).toMatchObject({ views: 15_000, expected: 3000 });
    // A video with no history: the floor alone decides.
    expect(detector.observe('new', 'o', 999, T0)).toBeNull();
    expect(detector.observe('new', 'o', 1, T0 + MINUTE)).toMatchObject({
      views: 1000,
      expected: 0,
    });
  });

  it('judges nothing until it has watched a full window + baseline (a restart is not silence)', () => {
    const detector = new ViralDetector(rule, T0);
    expect(detector.observe('v', 'o', 50_000, T0 + 64 * MINUTE)).toBeNull();
    expect(detector.observe('v', 'o', 50_000, T0 + 65 * MINUTE)).toMatchObject({
      views: 100_000,
    });
  });

  it('forgets videos without views in the last window + baseline (bounded memory)', () => {
    const detector = warm();
    for (let i = 0; i < 100; i++) detector.observe(`v${i}`, 'o', 1, T0);
    expect(detector.size).toBe(100);
    detector.observe('later', 'o', 1, T0 + 64 * MINUTE);
    expect(detector.size).toBe(101);
    detector.observe('later', 'o', 1, T0 + 65 * MINUTE);
    expect(detector.size).toBe(1);
  });
});

let t: TestApp;
let baseUrl: string;
let alice: TestViewer;
let bob: TestViewer;

beforeAll(async () => {
  // Rate limits have their own suite; these tests send many operations.
  t = await startTestApp({ RATE_LIMIT_ENABLED: 'false' });
  baseUrl = (await t.app.start()).url;
  ({ alice, bob } = await seedAccounts(t, {
    alice: { channels: ['youtube'] },
    bob: { channels: ['youtube'] },
  }));
});
afterAll(() => t.close());

/** Streams the server counts as running (WebSocket and SSE), from /metrics. */
async function activeSubscriptions() {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/pulse_active_subscriptions (\d+)/.exec(text)?.[1] ?? NaN);
}

const RECEIVED = `subscription {
  notificationReceived { id kind title body milestone read video { id } }
}`;

async function recordViews(
  viewer: TestViewer,
  videoId: string,
  views: number,
  id = `e-${Math.random()}`,
) {
  const response = await t.graphql(
    'mutation($events: [MetricEventInput!]!) { recordMetrics(input: { events: $events }) { accepted duplicates } }',
    {
      variables: { events: [{ id, video: videoId, metric: 'VIEWS', delta: views }] },
      key: viewer.key,
    },
  );
  return response.body.data.recordMetrics as { accepted: number; duplicates: number };
}

const rowsOf = (
  ownerId: string,
  kind?: 'milestone' | 'viral' | 'processing_finished' | 'processing_failed',
) =>
  t.database.db
    .select()
    .from(notificationTable)
    .where(
      and(
        eq(notificationTable.ownerId, ownerId),
        kind ? eq(notificationTable.kind, kind) : undefined,
      ),
    );

async function viewsVideo(ownerId: string, views: number) {
  const { video } = await createPublishedVideo(t.database.db, ownerId, {
    title: `At ${views}`,
    counters: { youtube: { views } },
  });
  return { id: video.id, globalId: encodeId('Video', video.id) };
}

describe('notifications raised from committed changes', () => {
  it('a video crossing 1,000 views raises one MILESTONE notification, stored and pushed over graphql-ws and SSE', async () => {
    const video = await viewsVideo(alice.userId, 990);
    const before = await activeSubscriptions();
    const ws = wsClient(baseUrl, alice.key);
    const sse = sseClient(baseUrl, alice.key);
    const wsStream = ws.iterate({ query: RECEIVED });
    const sseStream = sse.iterate({ query: RECEIVED });
    // Bob listens too: he must get nothing of Alice's.
    const bobClient = wsClient(baseUrl, bob.key);
    const bobStream = bobClient.iterate({ query: RECEIVED });
    // Subscriptions are live once the server lists them.
    await expect.poll(activeSubscriptions).toBe(before + 3);

    expect(await recordViews(alice, video.globalId, 5)).toMatchObject({ accepted: 1 });
    expect(await recordViews(alice, video.globalId, 10)).toMatchObject({ accepted: 1 }); // 1,005
    const [fromWs, fromSse] = await Promise.all([take(wsStream)(), take(sseStream)()]);
    for (const message of [fromWs, fromSse]) {
      expect(message.data?.notificationReceived).toMatchObject({
        kind: 'MILESTONE',
        title: '1,000 views',
        body: '“At 990” passed 1,000 views.',
        milestone: 1000,
        read: false,
        video: { id: video.globalId },
      });
    }
    await recordViews(alice, video.globalId, 100); // crosses nothing
    await t.app.services.notifier.settled();
    const rows = await rowsOf(alice.userId, 'milestone');
    expect(rows.filter((row) => row.videoId === video.id)).toHaveLength(1);
    expect(rows[0]).toMatchObject({ dedupKey: `milestone:${video.id}:1000`, readAt: null });

    const bobNext = bobStream.next();
    const nothing = await Promise.race([
      bobNext,
      new Promise((resolve) => setTimeout(() => resolve('nothing'), 300)),
    ]);
    expect(nothing).toBe('nothing');
    await Promise.all([wsStream.return?.(), sseStream.return?.(), bobStream.return?.()]);
    await Promise.all([ws.dispose(), bobClient.dispose()]);
    sse.dispose();
  });

  it('one commit crossing several milestones raises each; concurrent commits around a milestone raise it exactly once', async () => {
    const big = await viewsVideo(alice.userId, 9_990);
    await recordViews(alice, big.globalId, 90_020); // → 100,010
    const hot = await viewsVideo(alice.userId, 980);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => recordViews(alice, hot.globalId, 1, `hot-${i}`)),
    );
    expect(results.every((result) => result.accepted === 1)).toBe(true);
    await t.app.services.notifier.settled();
    const rows = await rowsOf(alice.userId, 'milestone');
    expect(
      rows
        .filter((row) => row.videoId === big.id)
        .map((row) => row.data['milestone'])
        .sort(),
    ).toEqual([10_000, 100_000]);
    expect(rows.filter((row) => row.videoId === hot.id).map((row) => row.dedupKey)).toEqual([
      `milestone:${hot.id}:1000`,
    ]);
  });

  it('the same alert raised twice (two instances hearing one change) is stored and published once', async () => {
    const video = await viewsVideo(alice.userId, 0);
    const created: string[] = [];
    const listener = t.app.services.pubsub.subscribe('notification:created', alice.userId);
    void (async () => {
      for await (const { notificationId } of listener) created.push(notificationId);
    })();
    // A second notifier on the same database and topics, as another instance would run.
    const other = createNotifier({ db: t.database.db, pubsub: t.app.services.pubsub, viral: rule });
    const change: VideoMetricsChange = {
      videoId: video.id,
      ownerId: alice.userId,
      totals: { ...zeroMetrics(), views: 1000 },
      deltas: { ...zeroMetrics(), views: 1000 },
      at: new Date().toISOString(),
    };
    t.app.services.pubsub.publish('metrics:committed', { videos: [change] });
    await expect.poll(() => created.length).toBe(1);
    await Promise.all([t.app.services.notifier.settled(), other.settled()]);
    expect(created).toHaveLength(1);
    expect((await rowsOf(alice.userId)).filter((row) => row.videoId === video.id)).toHaveLength(1);
    expect(
      await raiseNotifications(t.database.db, [
        {
          ownerId: alice.userId,
          videoId: video.id,
          kind: 'milestone',
          title: 'again',
          body: '',
          data: {},
          dedupKey: `milestone:${video.id}:1000`,
        },
      ]),
    ).toEqual([]);
    await other.stop();
    await listener.return();
  });

  it('a viral spike raises one VIRAL notification per video per hour', async () => {
    const video = await viewsVideo(alice.userId, 5_000_000); // milestones out of the way
    // A notifier whose clock says it has watched for two hours, fed by its own topic, publishing
    // into the app's so subscribers see what it raises.
    const feed = createPulsePubSub();
    const notifier = createNotifier({
      db: t.database.db,
      pubsub: { subscribe: feed.subscribe, publish: t.app.services.pubsub.publish },
      viral: rule,
      now: () => T0 - 2 * 60 * MINUTE,
    });
    const before = await activeSubscriptions();
    const client = wsClient(baseUrl, alice.key);
    const stream = client.iterate({ query: RECEIVED });
    await expect.poll(activeSubscriptions).toBe(before + 1);
    let total = 5_000_000;
    const commit = (views: number, at: number) => {
      total += views;
      feed.publish('metrics:committed', {
        videos: [
          {
            videoId: video.id,
            ownerId: alice.userId,
            totals: { ...zeroMetrics(), views: total },
            deltas: { ...zeroMetrics(), views },
            at: new Date(at).toISOString(),
          },
        ],
      });
    };
    // 10 views a minute over the baseline hour before T0 + 1 min: 50 expected per 5 minutes.
    for (let minute = 63; minute >= 4; minute--) commit(10, T0 - minute * MINUTE);
    commit(2_000, T0 + MINUTE);
    commit(3_000, T0 + 2 * MINUTE); // same hour: no second alert
    const message = await take(stream)();
    expect(message.data?.notificationReceived).toMatchObject({
      kind: 'VIRAL',
      title: 'Going viral',
      body: '“At 5000000” got 2,000 views in the last 5 minutes, 40× its usual rate.',
      video: { id: video.globalId },
    });
    await notifier.settled();
    const rows = (await rowsOf(alice.userId, 'viral')).filter((row) => row.videoId === video.id);
    expect(rows.map((row) => row.dedupKey)).toEqual([
      `viral:${video.id}:${new Date(T0).toISOString()}`,
    ]);
    await notifier.stop();
    await stream.return?.();
    await client.dispose();
  });

  it('finishing or failing processing raises PROCESSING_FINISHED / PROCESSING_FAILED', async () => {
    const before = await activeSubscriptions();
    const client = wsClient(baseUrl, alice.key);
    const stream = client.iterate({ query: RECEIVED });
    const next = take(stream);
    const draft = async (title: string) => {
      const created = await createVideo(t.database.db, alice.userId, { title });
      if (!created.ok) throw new Error('fixture');
      return encodeId('Video', created.value.id);
    };
    const report = (id: string, status: string) =>
      t.graphql(
        'mutation($id: ID!, $status: VideoStatus!) { updateVideoProcessing(input: { id: $id, status: $status }) { userErrors { code } } }',
        { variables: { id, status }, key: alice.key },
      );
    await expect.poll(activeSubscriptions).toBe(before + 1);
    const good = await draft('Good cut');
    await report(good, 'PROCESSING');
    await report(good, 'READY');
    expect((await next()).data?.notificationReceived).toMatchObject({
      kind: 'PROCESSING_FINISHED',
      body: '“Good cut” is processed and ready to publish.',
      video: { id: good },
    });
    const bad = await draft('Bad cut');
    await report(bad, 'PROCESSING');
    await report(bad, 'FAILED');
    expect((await next()).data?.notificationReceived).toMatchObject({
      kind: 'PROCESSING_FAILED',
      video: { id: bad },
    });
    // Processing again and finishing again is a new event, so a new notification.
    await report(good, 'PROCESSING');
    await report(good, 'READY');
    expect((await next()).data?.notificationReceived).toMatchObject({
      kind: 'PROCESSING_FINISHED',
      video: { id: good },
    });
    await stream.return?.();
    await client.dispose();
  });

  it('WS-SCOPE-03: notificationReceived needs read:user (error message, socket open)', async () => {
    const limited = await t.createViewer({ scopes: ['read:videos'] });
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${limited.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    raw.send({ id: 'n', type: 'subscribe', payload: { query: RECEIVED } });
    const refused = await raw.next((m) => m.id === 'n');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:user',
    });
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close(1000);
  });
});

const LIST = `query($first: Int, $after: String, $last: Int, $before: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, last: $last, before: $before, unreadOnly: $unreadOnly) {
    totalCount
    unreadCount
    edges { cursor node { id title read readAt createdAt } }
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}`;

const MARK = `mutation($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    notifications { id read }
    markedCount
    unreadCount
    userErrors { field code }
  }
}`;

describe('notifications query and markNotificationsRead', () => {
  let carol: SeededAccount;
  let ids: string[] = [];

  beforeAll(async () => {
    carol = await seedAccount(t, { channels: ['youtube'], videos: [{}] });
    const video = carol.videos[0]!;
    // Five notifications; two share a timestamp (the id breaks the tie).
    const times = [
      '2026-05-01T10:00:00Z',
      '2026-05-01T11:00:00Z',
      '2026-05-01T11:00:00Z',
      '2026-05-01T12:00:00Z',
      '2026-05-01T13:00:00Z',
    ];
    const rows = await t.database.db
      .insert(notificationTable)
      .values(
        times.map((time, i) => ({
          ownerId: carol.userId,
          kind: 'milestone' as const,
          title: `n${i}`,
          videoId: video.id,
          dedupKey: `test:${i}`,
          createdAt: new Date(time),
        })),
      )
      .returning();
    ids = rows.map((row) => encodeId('Notification', row.id));
  });

  const list = (variables: Record<string, unknown>, key = carol.key) =>
    t.graphql(LIST, { variables, key });

  it('pages newest first with keyset cursors, totalCount and unreadCount; last/before walk back', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await list({ first: 2, after })).body.data.notifications;
      expect(page.totalCount).toBe(5);
      expect(page.unreadCount).toBe(5);
      seen.push(...page.edges.map((edge: any) => edge.node.title));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(seen[0]).toBe('n4');
    expect(seen[4]).toBe('n0');
    expect(new Set(seen).size).toBe(5);

    const tail = (await list({ last: 2 })).body.data.notifications;
    expect(tail.edges.map((edge: any) => edge.node.title)).toEqual(seen.slice(3));
    const before = (await list({ last: 2, before: tail.pageInfo.startCursor })).body.data
      .notifications;
    expect(before.edges.map((edge: any) => edge.node.title)).toEqual(seen.slice(1, 3));

    const bad = await list({ first: 101 });
    expect(bad.status).toBe(400);
    const cursor = await list({ first: 2, after: 'nope' });
    expect(cursor.body.errors![0]!.extensions!['code']).toBe('BAD_USER_INPUT');
  });

  it('marks given ids read (all must be yours), or all; unreadOnly and unreadCount follow', async () => {
    const mark = (input: Record<string, unknown>, key = carol.key) =>
      t.graphql(MARK, { variables: { input }, key });

    const first = (await mark({ ids: [ids[0], ids[1]] })).body.data.markNotificationsRead;
    expect(first).toMatchObject({ markedCount: 2, unreadCount: 3, userErrors: [] });
    expect(first.notifications).toEqual([
      { id: ids[0], read: true },
      { id: ids[1], read: true },
    ]);
    // Idempotent: already read stays read, counted as nothing new.
    expect((await mark({ ids: [ids[0]] })).body.data.markNotificationsRead.markedCount).toBe(0);

    const unread = (await list({ first: 10, unreadOnly: true })).body.data.notifications;
    expect(unread.totalCount).toBe(3);
    expect(unread.unreadCount).toBe(3);
    expect(unread.edges.every((edge: any) => !edge.node.read)).toBe(true);

    // Someone else's notification: nothing changes, a typed error names it.
    const aliceRow = (await rowsOf(alice.userId))[0]!;
    const foreign = (await mark({ ids: [ids[2], encodeId('Notification', aliceRow.id)] })).body.data
      .markNotificationsRead;
    expect(foreign).toMatchObject({
      markedCount: 0,
      unreadCount: 3,
      userErrors: [{ field: ['input', 'ids', '1'], code: 'NOT_FOUND' }],
    });
    for (const input of [{}, { all: false }, { ids: [] }, { ids: [ids[2]], all: true }])
      expect((await mark(input)).body.data.markNotificationsRead.userErrors[0].code).toBe(
        'INVALID',
      );

    expect((await mark({ all: true })).body.data.markNotificationsRead).toMatchObject({
      markedCount: 3,
      unreadCount: 0,
    });
    expect((await list({ first: 10, unreadOnly: true })).body.data.notifications.totalCount).toBe(
      0,
    );
  });

  it('AUTH-SCOPE-02: reading needs read:user, marking needs write:user; another user sees none of them', async () => {
    const noUser = await t.createViewer({ scopes: ['read:videos'] });
    const read = await list({ first: 5 }, noUser.key);
    expect(read.status).toBe(403);
    expect(read.body.errors![0]!.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:user',
    });
    const readOnly = await t.createViewer({ scopes: ['read:user'] });
    const write = await t.graphql(MARK, { variables: { input: { all: true } }, key: readOnly.key });
    expect(write.body.errors![0]!.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'write:user',
    });
    const theirs = (await list({ first: 5 }, bob.key)).body.data.notifications;
    expect(theirs.edges.map((edge: any) => edge.node.id)).not.toContain(ids[0]);
    const node = await t.graphql('query($id: ID!) { node(id: $id) { id } }', {
      variables: { id: ids[0] },
      key: bob.key,
    });
    expect(node.body.data.node).toBeNull();
  });
});
