import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLiveHub, type LiveViewsMessage } from '../../../src/modules/live/hub.js';
import { createPulsePubSub, type PubSub } from '../../../src/lib/pubsub.js';
import { zeroMetrics } from '../../../src/modules/common/metric-keys.js';

const VIDEO = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

/** A pub/sub that counts topic subscriptions opened and closed, as the hub sees it. */
function countingPubSub() {
  const inner = createPulsePubSub();
  const counts = { opened: 0, closed: 0 };
  const pubsub: Pick<PubSub, 'subscribe'> = {
    subscribe: ((...args: Parameters<PubSub['subscribe']>) => {
      counts.opened += 1;
      const source = inner.subscribe(...args);
      const close = source.return.bind(source);
      source.return = (value?: unknown) => {
        counts.closed += 1;
        return close(value as never);
      };
      return source;
    }) as PubSub['subscribe'],
  };
  return { inner, pubsub, counts };
}

let totals = new Map<string, number>();

/** What the ingest writer publishes after a commit that added `views` to the video. */
function commit(pubsub: PubSub, videoId: string, views: number) {
  const total = (totals.get(videoId) ?? 0) + views;
  totals.set(videoId, total);
  publishTotal(pubsub, videoId, total, views);
}

function publishTotal(pubsub: PubSub, videoId: string, total: number, delta: number) {
  pubsub.publish('video:metrics', videoId, {
    videoId,
    ownerId: 'owner',
    totals: { ...zeroMetrics(), views: total },
    deltas: { ...zeroMetrics(), views: delta },
    at: new Date().toISOString(),
  });
}

/** Resolves with the next message, or 'nothing' if none is ready once pending work has run. */
async function poll(iterator: AsyncIterator<LiveViewsMessage>) {
  const next = iterator.next();
  const result = await Promise.race([
    next,
    vi.advanceTimersByTimeAsync(0).then(() => 'nothing' as const),
  ]);
  return { result, next };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  totals = new Map();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('live hub', () => {
  it('subscribes to the pub/sub topics once per video (metrics and deletion) and unsubscribes when the last subscriber leaves', async () => {
    const { pubsub, counts } = countingPubSub();
    const hub = createLiveHub({ pubsub });
    const a = hub.watch(VIDEO, { minIntervalMs: 100 });
    const b = hub.watch(VIDEO, { minIntervalMs: 100 });
    const c = hub.watch(VIDEO, { minIntervalMs: 250 });
    const d = hub.watch(OTHER, { minIntervalMs: 100 });
    expect(counts.opened).toBe(4);
    expect(hub.stats()).toMatchObject({ videos: 2, groups: 3, subscribers: 4 });

    await a.return();
    await b.return();
    expect(hub.stats()).toMatchObject({ videos: 2, groups: 2, subscribers: 2 });
    expect(counts.closed).toBe(0);
    c.close();
    expect(counts.closed).toBe(2);
    expect(hub.stats()).toMatchObject({ videos: 1, groups: 1, subscribers: 1 });
    d.close();
    expect(counts.closed).toBe(4);
    expect(hub.stats()).toEqual({ videos: 0, groups: 0, subscribers: 0, pendingValues: 0 });
  });

  it('return() ends a subscriber at once, even while it waits for a value', async () => {
    const { inner } = countingPubSub();
    const hub = createLiveHub({ pubsub: inner });
    const sub = hub.watch(VIDEO, { minIntervalMs: 100 });
    const waiting = sub.next();
    await sub.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(hub.stats().videos).toBe(0);
  });

  it('coalesces a burst into one tick per interval carrying the latest total, one shared object per group', async () => {
    const { inner } = countingPubSub();
    const hub = createLiveHub({ pubsub: inner });
    const a = hub.watch(VIDEO, { minIntervalMs: 200 });
    const b = hub.watch(VIDEO, { minIntervalMs: 200 });
    const slow = hub.watch(VIDEO, { minIntervalMs: 1000 });
    a.seed({ ...zeroMetrics(), views: 0 }, new Date());
    b.seed({ ...zeroMetrics(), views: 0 }, new Date());
    expect((await a.next()).value?.tick.views).toBe(0);
    expect((await b.next()).value?.tick.views).toBe(0);

    for (let i = 0; i < 10; i++) commit(inner, VIDEO, 5);
    await vi.advanceTimersByTimeAsync(199);
    const early = await poll(a);
    expect(early.result).toBe('nothing');
    await vi.advanceTimersByTimeAsync(1);
    const fromA = (await early.next).value!;
    const fromB = (await b.next()).value!;
    expect(fromA.tick.views).toBe(50);
    expect(fromA.previousViews).toBe(0);
    // One computed payload per (video, interval) tick, shared by the group's subscribers.
    expect(fromB.tick).toBe(fromA.tick);
    expect(Object.isFrozen(fromA.tick)).toBe(true);

    // Nothing more within the interval, nor after it when nothing changed.
    const { result, next } = await poll(a);
    expect(result).toBe('nothing');
    await vi.advanceTimersByTimeAsync(1000);
    expect((await poll(b)).result).toBe('nothing');

    // The 1000 ms group got its own single tick with the same final value.
    expect((await slow.next()).value?.tick.views).toBe(50);

    commit(inner, VIDEO, 7);
    await vi.advanceTimersByTimeAsync(200);
    expect((await next).value).toMatchObject({ tick: { views: 57 }, previousViews: 50 });
    hub.stop();
  });

  it('never sends a total lower than (or equal to) the last one sent', async () => {
    const { inner } = countingPubSub();
    const hub = createLiveHub({ pubsub: inner });
    const sub = hub.watch(VIDEO, { minIntervalMs: 100 });
    sub.seed({ ...zeroMetrics(), views: 500 }, new Date());
    expect((await sub.next()).value?.tick.views).toBe(500);

    // A batch published late by another writer, and one that changed no views.
    publishTotal(inner, VIDEO, 480, 3);
    await vi.advanceTimersByTimeAsync(150);
    publishTotal(inner, VIDEO, 500, 0);
    await vi.advanceTimersByTimeAsync(150);
    const { result, next } = await poll(sub);
    expect(result).toBe('nothing');

    publishTotal(inner, VIDEO, 510, 10);
    publishTotal(inner, VIDEO, 505, 2); // out of order within the interval: the highest wins
    await vi.advanceTimersByTimeAsync(100);
    expect((await next).value).toMatchObject({ tick: { views: 510 }, previousViews: 500 });

    // A seed older than what the hub already holds is ignored too.
    const late = hub.watch(VIDEO, { minIntervalMs: 100 });
    publishTotal(inner, VIDEO, 520, 10);
    await vi.advanceTimersByTimeAsync(100);
    late.seed({ ...zeroMetrics(), views: 515 }, new Date());
    expect((await late.next()).value).toMatchObject({ tick: { views: 520 }, previousViews: null });
    hub.stop();
  });

  it('WS-SLOW-07: a subscriber that stops reading holds only the latest value; others are unaffected', async () => {
    const { inner } = countingPubSub();
    const hub = createLiveHub({ pubsub: inner });
    const reader = hub.watch(VIDEO, { minIntervalMs: 100 });
    const paused = hub.watch(VIDEO, { minIntervalMs: 100 });

    const seen: number[] = [];
    for (let tick = 0; tick < 200; tick++) {
      commit(inner, VIDEO, 1);
      commit(inner, VIDEO, 1);
      const next = reader.next();
      await vi.advanceTimersByTimeAsync(100);
      seen.push((await next).value!.tick.views);
      // Bounded: one pending value at most for the paused subscriber, never a queue.
      expect(hub.stats().pendingValues).toBe(1);
    }
    expect(seen).toHaveLength(200);
    expect(seen.at(-1)).toBe(400);

    const latest = await paused.next();
    expect(latest.value).toMatchObject({ tick: { views: 400 }, previousViews: null });
    expect(hub.stats().pendingValues).toBe(0);
    // Nothing else was kept for it.
    expect((await poll(paused)).result).toBe('nothing');
    hub.stop();
  });

  it('viewsPerMinute sums the view deltas of the last 60 seconds', async () => {
    const { inner } = countingPubSub();
    const hub = createLiveHub({ pubsub: inner });
    const sub = hub.watch(VIDEO, { minIntervalMs: 100 });
    expect(hub.viewsPerMinute(VIDEO)).toBe(0);

    commit(inner, VIDEO, 100);
    await vi.advanceTimersByTimeAsync(30_000);
    commit(inner, VIDEO, 50);
    await vi.advanceTimersByTimeAsync(100);
    expect(hub.viewsPerMinute(VIDEO)).toBe(150);
    expect((await sub.next()).value?.tick.viewsPerMinute).toBe(150);

    await vi.advanceTimersByTimeAsync(31_000); // the first batch is now over a minute old
    expect(hub.viewsPerMinute(VIDEO)).toBe(50);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(hub.viewsPerMinute(VIDEO)).toBe(0);
    expect(hub.viewsPerMinute(OTHER)).toBe(0);

    // The first message of a new subscriber carries the current rate too.
    commit(inner, VIDEO, 7);
    await vi.advanceTimersByTimeAsync(0);
    const late = hub.watch(VIDEO, { minIntervalMs: 100 });
    late.seed({ ...zeroMetrics(), views: 157 }, new Date());
    expect((await late.next()).value?.tick.viewsPerMinute).toBe(7);
    hub.stop();
  });

  it('stops with its signal: subscribers complete, topics are released, later watches end at once', async () => {
    const { pubsub, counts } = countingPubSub();
    const shutdown = new AbortController();
    const hub = createLiveHub({ pubsub, signal: shutdown.signal });
    const waiting = hub.watch(VIDEO, { minIntervalMs: 100 });
    const withValue = hub.watch(OTHER, { minIntervalMs: 100 });
    withValue.seed(zeroMetrics(), new Date());
    const pending = waiting.next();

    shutdown.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect((await withValue.next()).done).toBe(true);
    expect(counts.closed).toBe(4);
    expect(hub.stats()).toEqual({ videos: 0, groups: 0, subscribers: 0, pendingValues: 0 });
    expect((await hub.watch(VIDEO, { minIntervalMs: 100 }).next()).done).toBe(true);
    expect(counts.opened).toBe(4);
  });

  it("completes a deleted video's subscribers, even one waiting for a value, and lets go of the video", async () => {
    const { inner, pubsub, counts } = countingPubSub();
    const hub = createLiveHub({ pubsub });
    const waiting = hub.watch(VIDEO, { minIntervalMs: 100 });
    const other = hub.watch(VIDEO, { minIntervalMs: 250 });
    const unrelated = hub.watch(OTHER, { minIntervalMs: 100 });
    other.seed({ ...zeroMetrics(), views: 3 }, new Date());
    const pending = waiting.next();

    // An edit is not a deletion.
    inner.publish('video:changed', VIDEO, { videoId: VIDEO, deleted: false });
    const stillOpen = await Promise.race([
      pending,
      vi.advanceTimersByTimeAsync(0).then(() => 'open' as const),
    ]);
    expect(stillOpen).toBe('open');

    inner.publish('video:changed', VIDEO, { videoId: VIDEO, deleted: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect((await other.next()).done).toBe(true);
    expect(hub.stats()).toMatchObject({ videos: 1, subscribers: 1 });
    expect(counts.closed).toBe(2);

    commit(inner, OTHER, 4);
    await vi.advanceTimersByTimeAsync(100);
    expect((await unrelated.next()).value?.tick.views).toBe(4);
    hub.stop();
  });
});
