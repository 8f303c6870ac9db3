import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoCounterTable } from '../../../src/db/schema.js';
import { pickMetrics, zeroMetrics } from '../../../src/modules/common/metric-keys.js';
import { createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { seedAccount, seedAccounts, type SeededVideo } from '../../helpers/seed.js';
import { rawSocket, sseClient, take, wsClient } from '../../helpers/live.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let baseUrl: string;
let alice: TestViewer;
let aliceVideo: SeededVideo;
let otherVideo: SeededVideo;
let bobVideo: SeededVideo;

const WATCH = `subscription($id: ID!, $interval: Int) {
  videoViewsUpdated(videoId: $id, minIntervalMs: $interval) {
    video { id title stats { views likes } }
    views
    delta
    viewsPerMinute
    at
  }
}`;

const withViews = (views: number) => ({ counters: { youtube: { views, likes: 3 } } });

async function video(ownerId: string, views: number) {
  const { video } = await createPublishedVideo(t.database.db, ownerId, withViews(views));
  return { id: video.id, globalId: encodeId('Video', video.id) };
}

/**
 * What the ingest writer does for one committed batch: bump the counters, then publish the
 * change. Returns the event so tests can publish it again (late, out of order).
 */
async function commitViews(videoId: string, views: number) {
  const [row] = await t.database.db
    .update(videoCounterTable)
    .set({ views: sql`${videoCounterTable.views} + ${views}` })
    .where(eq(videoCounterTable.videoId, videoId))
    .returning();
  return {
    videoId,
    ownerId: row!.ownerId,
    totals: pickMetrics(row!),
    deltas: { ...zeroMetrics(), views },
    at: new Date().toISOString(),
  };
}

const publish = (change: Awaited<ReturnType<typeof commitViews>>) =>
  t.app.services.pubsub.publish('video:metrics', change.videoId, change);

async function ingest(videoId: string, views: number) {
  publish(await commitViews(videoId, views));
}

/** Resolves with the next value, or 'quiet' when none comes within `ms` (generous bounds only). */
async function nextWithin<T>(next: Promise<T>, ms: number): Promise<T | 'quiet'> {
  let timer: NodeJS.Timeout | undefined;
  const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), ms)));
  try {
    return await Promise.race([next, quiet]);
  } finally {
    clearTimeout(timer);
  }
}

interface VideoViews {
  video: { id: string; title: string; stats: { views: number; likes: number } };
  views: number;
  delta: number;
  viewsPerMinute: number;
  at: string;
}

/** The videoViewsUpdated payload of a client result. */
const viewsOf = (result: { data?: unknown }) =>
  (result.data as { videoViewsUpdated: VideoViews }).videoViewsUpdated;

const hubIsIdle = () => t.app.services.liveHub.stats().videos === 0;

// Rate limits (free tier: 10 operations a minute) have their own suite; these tests count messages.
const env = { RATE_LIMIT_ENABLED: 'false' };

beforeAll(async () => {
  t = await startTestApp(env);
  baseUrl = (await t.app.start()).url;
  const accounts = await seedAccounts(t, {
    alice: { channels: ['youtube'], videos: [withViews(1000), withViews(10)] },
    bob: { channels: ['youtube'], videos: [withViews(77)] },
  });
  ({ alice } = accounts);
  [aliceVideo, otherVideo] = accounts.alice.videos as [SeededVideo, SeededVideo];
  bobVideo = accounts.bob.videos[0]!;
});
afterAll(() => t.close());

describe('videoViewsUpdated over graphql-ws', () => {
  it('sends the current committed count first, then coalesced updates: 10 batches in one interval → one message with the final total', async () => {
    const client = wsClient(baseUrl, alice.key);
    const stream = client.iterate({
      query: WATCH,
      variables: { id: aliceVideo.globalId, interval: 200 },
    });
    const next = take(stream);
    const first = viewsOf(await next());
    const start = first.views;
    expect(first).toMatchObject({
      video: { id: aliceVideo.globalId, stats: { views: start, likes: 3 } },
      delta: 0,
      viewsPerMinute: 0,
    });
    expect(start).toBeGreaterThanOrEqual(1000);
    expect(Date.parse(first.at)).not.toBeNaN();

    // Ten committed batches, published back to back: well within one 200 ms interval.
    const changes = [];
    for (let i = 0; i < 10; i++) changes.push(await commitViews(aliceVideo.id, 5));
    changes.forEach(publish);
    const update = viewsOf(await next());
    expect(update).toMatchObject({
      views: start + 50,
      delta: 50,
      viewsPerMinute: 50,
      video: { id: aliceVideo.globalId, stats: { views: start + 50 } },
    });

    // Only one message for the burst; a stale total published late sends nothing either.
    const pending = next();
    publish(changes[3]!);
    expect(await nextWithin(pending, 600)).toBe('quiet');

    await ingest(aliceVideo.id, 1);
    const after = (await pending) as Awaited<ReturnType<typeof next>>;
    expect(after.data?.videoViewsUpdated).toMatchObject({ views: start + 51, delta: 1 });
    await stream.return?.();
    await client.dispose();
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('two subscribers of the same video share one feed and see the same counts', async () => {
    const one = wsClient(baseUrl, alice.key);
    const two = wsClient(baseUrl, alice.key);
    const streams = [one, two].map((client) =>
      client.iterate({ query: WATCH, variables: { id: otherVideo.globalId, interval: 100 } }),
    );
    const nexts = streams.map((stream) => take(stream));
    const [a, b] = await Promise.all(nexts.map((next) => next()));
    expect(viewsOf(a!).views).toBe(viewsOf(b!).views);
    const start = viewsOf(a!).views;
    expect(t.app.services.liveHub.stats()).toMatchObject({ videos: 1, groups: 1, subscribers: 2 });

    await ingest(otherVideo.id, 4);
    await ingest(otherVideo.id, 6);
    const updates = await Promise.all(nexts.map((next) => next()));
    for (const update of updates)
      expect(update.data?.videoViewsUpdated).toMatchObject({ views: start + 10, delta: 10 });

    await Promise.all(streams.map((stream) => stream.return?.()));
    await Promise.all([one.dispose(), two.dispose()]);
    // The hub lets go of the video once its last subscriber has left.
    await expect.poll(hubIsIdle).toBe(true);
  });

  it("WS-SCOPE-03: another user's video or a missing scope → error message; the socket's other subscriptions keep flowing", async () => {
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    raw.send({
      id: 'mine',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: aliceVideo.globalId, interval: 100 } },
    });
    const first = await raw.next((m) => m.id === 'mine' && m.type === 'next');
    const start = first.payload.data.videoViewsUpdated.views;

    raw.send({
      id: 'foreign',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: bobVideo.globalId } },
    });
    const foreign = await raw.next((m) => m.id === 'foreign');
    expect(foreign.type).toBe('error');
    expect(foreign.payload[0].extensions.code).toBe('NOT_FOUND');
    expect(JSON.stringify(foreign)).not.toContain('77');

    await ingest(aliceVideo.id, 2);
    const update = await raw.next(
      (m) => m.id === 'mine' && m.type === 'next' && m.payload.data.videoViewsUpdated.delta > 0,
    );
    expect(update.payload.data.videoViewsUpdated.views).toBe(start + 2);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close(1000);

    const limited = await t.createViewer({ scopes: ['read:user'] });
    const other = await rawSocket(baseUrl);
    other.send({ type: 'connection_init', payload: { authorization: `Bearer ${limited.key}` } });
    await other.next((m) => m.type === 'connection_ack');
    other.send({
      id: 'scope',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: aliceVideo.globalId } },
    });
    const scope = await other.next((m) => m.id === 'scope');
    expect(scope.type).toBe('error');
    expect(scope.payload[0].extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:videos',
    });
    other.send({ id: 'me', type: 'subscribe', payload: { query: '{ me { id } }' } });
    expect((await other.next((m) => m.id === 'me')).type).toBe('next');
    other.socket.close(1000);
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('minIntervalMs below 100 or above 60000 → BAD_USER_INPUT error message, socket open', async () => {
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    for (const [id, interval] of [
      ['fast', 99],
      ['zero', 0],
      ['slow', 60_001],
    ] as const) {
      raw.send({
        id,
        type: 'subscribe',
        payload: { query: WATCH, variables: { id: aliceVideo.globalId, interval } },
      });
      const refused = await raw.next((m) => m.id === id);
      expect(refused.type).toBe('error');
      expect(refused.payload[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    raw.send({
      id: 'edge',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: aliceVideo.globalId, interval: 100 } },
    });
    expect((await raw.next((m) => m.id === 'edge')).type).toBe('next');
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close(1000);
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('WS-CAP-05: the subscription over the per-socket cap gets an error, the socket stays open, and a completed one frees its slot', async () => {
    const cap = t.config.limits.wsMaxSubscriptionsPerSocket;
    expect(cap).toBe(20);
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    const subscribe = (id: string) =>
      raw.send({
        id,
        type: 'subscribe',
        payload: { query: WATCH, variables: { id: aliceVideo.globalId, interval: 1000 } },
      });
    // Refused subscriptions do not count.
    raw.send({
      id: 'refused',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: bobVideo.globalId } },
    });
    expect((await raw.next((m) => m.id === 'refused')).type).toBe('error');
    for (let i = 0; i < cap; i++) subscribe(`s${i}`);
    for (let i = 0; i < cap; i++) await raw.next((m) => m.id === `s${i}` && m.type === 'next');

    subscribe('over');
    const over = await raw.next((m) => m.id === 'over');
    expect(over.type).toBe('error');
    expect(over.payload[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: cap });
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);

    // Queries and mutations are not subscriptions: they still run at the cap.
    raw.send({ id: 'query', type: 'subscribe', payload: { query: '{ me { id } }' } });
    expect((await raw.next((m) => m.id === 'query')).type).toBe('next');

    // Only operations still running count: complete one, and a new subscription fits again.
    raw.send({ id: 's0', type: 'complete' });
    subscribe('again');
    expect((await raw.next((m) => m.id === 'again')).type).toBe('next');
    subscribe('over2');
    expect((await raw.next((m) => m.id === 'over2')).type).toBe('error');

    // Every running subscription still streams.
    await ingest(aliceVideo.id, 1);
    for (const id of ['again', ...Array.from({ length: cap - 1 }, (_, i) => `s${i + 1}`)])
      await raw.next(
        (m) => m.id === id && m.type === 'next' && m.payload.data.videoViewsUpdated.delta === 1,
      );
    expect(t.app.services.liveHub.stats()).toMatchObject({
      videos: 1,
      groups: 1,
      subscribers: cap,
    });
    raw.socket.close(1000);
    await expect.poll(hubIsIdle).toBe(true);
  });
});

describe('videoViewsUpdated over SSE', () => {
  it('WS-SSE-08: streams the same subscription over Server-Sent Events', async () => {
    const client = sseClient(baseUrl, alice.key);
    const stream = client.iterate({
      query: WATCH,
      variables: { id: aliceVideo.globalId, interval: 100 },
    });
    const next = take(stream);
    try {
      const first = viewsOf(await next());
      expect(first.delta).toBe(0);
      await ingest(aliceVideo.id, 3);
      await ingest(aliceVideo.id, 4);
      // One message when both commits fall within the interval, two on a slow machine: either
      // way the deltas add up and the count only grows.
      let latest = viewsOf(await next());
      let deltas = latest.delta;
      while (latest.views < first.views + 7) {
        const following = viewsOf(await next());
        expect(following.views).toBeGreaterThan(latest.views);
        latest = following;
        deltas += latest.delta;
      }
      expect(latest.views).toBe(first.views + 7);
      expect(deltas).toBe(7);
    } finally {
      await stream.return?.();
      client.dispose();
    }
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('WS-SSE-08: applies the same authentication, ownership and argument rules', async () => {
    const post = (variables: Record<string, unknown>, key: string | null = alice.key) =>
      fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query: WATCH, variables }),
      });
    expect((await post({ id: aliceVideo.globalId }, null)).status).toBe(401);
    const foreign = await (await post({ id: bobVideo.globalId })).text();
    expect(foreign).toContain('NOT_FOUND');
    expect(foreign).not.toContain('77');
    const fast = await (await post({ id: aliceVideo.globalId, interval: 50 })).text();
    expect(fast).toContain('BAD_USER_INPUT');
    await expect.poll(hubIsIdle).toBe(true);
  });
});

describe('videoViewsUpdated when the video is deleted', () => {
  const deleteVideo = (globalId: string) =>
    t.graphql(
      'mutation($id: ID!) { deleteVideo(input: { id: $id }) { deletedVideoId userErrors { code } } }',
      { variables: { id: globalId }, key: alice.key },
    );

  it('completes the stream over graphql-ws (a `complete` message) and the hub lets go of it', async () => {
    const doomed = await video(alice.userId, 5);
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    for (const id of ['a', 'b'])
      raw.send({
        id,
        type: 'subscribe',
        payload: { query: WATCH, variables: { id: doomed.globalId, interval: 100 } },
      });
    // Another video's stream on the same socket is unaffected.
    raw.send({
      id: 'other',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: otherVideo.globalId, interval: 100 } },
    });
    for (const id of ['a', 'b', 'other']) await raw.next((m) => m.id === id && m.type === 'next');

    expect((await deleteVideo(doomed.globalId)).body.data.deleteVideo.userErrors).toEqual([]);
    for (const id of ['a', 'b']) await raw.next((m) => m.id === id && m.type === 'complete');
    await expect.poll(() => t.app.services.liveHub.stats()).toMatchObject({ videos: 1 });

    await ingest(otherVideo.id, 2);
    const update = await raw.next(
      (m) => m.id === 'other' && m.type === 'next' && m.payload.data.videoViewsUpdated.delta > 0,
    );
    expect(update.payload.data.videoViewsUpdated.delta).toBe(2);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close(1000);
    await expect.poll(hubIsIdle).toBe(true);
  });

  it('completes the stream over SSE', async () => {
    const doomed = await video(alice.userId, 9);
    const client = sseClient(baseUrl, alice.key);
    const stream = client.iterate({
      query: WATCH,
      variables: { id: doomed.globalId, interval: 100 },
    });
    expect(viewsOf(await take(stream)()).views).toBe(9);
    await deleteVideo(doomed.globalId);
    expect((await stream.next()).done).toBe(true);
    client.dispose();
    await expect.poll(hubIsIdle).toBe(true);
  });
});

describe('videoViewsUpdated on shutdown', () => {
  it('completes live view streams when the server stops', async () => {
    const own = await startTestApp(env);
    try {
      const { url } = await own.app.start();
      const viewer = await seedAccount(own, { channels: ['youtube'], videos: [{}] });
      const sse = sseClient(url, viewer.key);
      const stream = sse.iterate({
        query: WATCH,
        variables: { id: viewer.videos[0]!.globalId, interval: 100 },
      });
      await take(stream)();
      expect(own.app.services.liveHub.stats().subscribers).toBe(1);
      await own.app.stop();
      expect((await stream.next()).done).toBe(true);
      expect(own.app.services.liveHub.stats().videos).toBe(0);
    } finally {
      await own.close();
    }
  });
});
