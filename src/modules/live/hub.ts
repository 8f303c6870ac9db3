import type { Logger } from 'pino';
import type { MetricValues } from '../../db/schema.js';
import type { PubSub, VideoMetricsChange } from '../../lib/pubsub.js';
import { SingleSlotSubscriber } from '../../lib/single-slot.js';

/** Bounds of a subscriber's `minIntervalMs`; the GraphQL layer reports values outside them. */
export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 60_000;
export const DEFAULT_INTERVAL_MS = 1000;

/** `viewsPerMinute` sums the view deltas of the last minute, kept in one-second buckets. */
const WINDOW_BUCKETS = 60;
const BUCKET_MS = 1000;

/**
 * One coalesced value of a video, computed once per (video, interval) tick and shared by every
 * subscriber of that group: never copied or recomputed per subscriber.
 */
export interface ViewsTick {
  readonly videoId: string;
  /** Lifetime views after the latest commit the hub has seen. */
  readonly views: number;
  /** All lifetime totals of that commit. */
  readonly totals: Readonly<MetricValues>;
  /** Views added over the last 60 s as observed by this hub (see `ViewsWindow`). */
  readonly viewsPerMinute: number;
  /** Commit time of the latest batch included (or read time, for a subscriber's first value). */
  readonly at: Date;
}

/** What one subscriber receives: the shared tick plus what it saw before (for its own delta). */
export interface LiveViewsMessage {
  readonly tick: ViewsTick;
  /** Views in this subscriber's previous message; null for its first message. */
  readonly previousViews: number | null;
}

export interface LiveViewsSubscription extends AsyncIterableIterator<LiveViewsMessage> {
  /**
   * Offers the committed value read when subscribing, so the first message is the current count
   * even if no batch arrives. Ignored when a newer value is already pending or sent.
   */
  seed(totals: MetricValues, at: Date): void;
  /** Leaves the hub at once (also what `return()` does). */
  close(): void;
  /** Takes effect at once, even while `next()` waits (unlike an async generator's). */
  return(): Promise<IteratorResult<LiveViewsMessage>>;
}

export interface LiveHubStats {
  /** Videos with at least one subscriber (= pub/sub subscriptions held). */
  videos: number;
  /** (video, interval) groups, i.e. timers that may run. */
  groups: number;
  subscribers: number;
  /** Values waiting for a slow consumer: at most one per subscriber. */
  pendingValues: number;
}

export interface LiveHub {
  /** Watches a video's views; `minIntervalMs` must already be within the bounds above. */
  watch(videoId: string, options: { minIntervalMs: number }): LiveViewsSubscription;
  /** Current `viewsPerMinute` of a watched video (0 when nobody watches it). */
  viewsPerMinute(videoId: string): number;
  stats(): LiveHubStats;
  /** Completes every subscriber and drops every pub/sub subscription. Idempotent. */
  stop(): void;
}

export interface LiveHubOptions {
  pubsub: Pick<PubSub, 'subscribe'>;
  /** Aborting it stops the hub (the app's shutdown signal). */
  signal?: AbortSignal;
  logger?: Pick<Logger, 'error'>;
  /** Clock for the views window, injectable for tests. */
  now?: () => number;
}

/**
 * Sliding one-minute sum of view deltas in 60 one-second buckets: constant memory whatever the
 * event rate. A bucket is counted while it is among the last 60 whole seconds, so the window
 * spans 59–60 s. It only knows deltas seen since the hub started watching the video, so it
 * starts at 0 and fills up over the first minute.
 */
class ViewsWindow {
  private readonly sums = new Float64Array(WINDOW_BUCKETS);
  private readonly seconds = new Float64Array(WINDOW_BUCKETS).fill(-Infinity);

  add(nowMs: number, views: number) {
    if (!(views > 0)) return;
    const second = Math.floor(nowMs / BUCKET_MS);
    const slot = second % WINDOW_BUCKETS;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.sums[slot] = 0;
    }
    this.sums[slot]! += views;
  }

  total(nowMs: number): number {
    const second = Math.floor(nowMs / BUCKET_MS);
    let total = 0;
    for (let slot = 0; slot < WINDOW_BUCKETS; slot++) {
      const bucket = this.seconds[slot]!;
      if (bucket > second - WINDOW_BUCKETS && bucket <= second) total += this.sums[slot]!;
    }
    return total;
  }
}

class Subscriber
  extends SingleSlotSubscriber<ViewsTick, LiveViewsMessage>
  implements LiveViewsSubscription
{
  private lastSentViews: number | null = null;

  constructor(
    readonly videoId: string,
    private readonly onLeave: (subscriber: Subscriber) => void,
    private readonly currentViewsPerMinute: () => number,
  ) {
    super();
  }

  /** Keeps the value if it is higher than anything pending or sent. */
  protected accepts(tick: ViewsTick) {
    const floor = this.pending?.views ?? this.lastSentViews;
    return floor === null || tick.views > floor;
  }

  seed(totals: MetricValues, at: Date) {
    this.offer({
      videoId: this.videoId,
      views: totals.views,
      totals,
      viewsPerMinute: this.currentViewsPerMinute(),
      at,
    });
  }

  protected take(tick: ViewsTick): LiveViewsMessage {
    const message = { tick, previousViews: this.lastSentViews };
    this.lastSentViews = tick.views;
    return message;
  }

  protected leave() {
    this.onLeave(this);
  }
}

/** Subscribers of one video that chose the same interval: one timer, one tick object. */
class IntervalGroup {
  readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly snapshot: () => ViewsTick | undefined,
  ) {}

  /**
   * Trailing throttle: the first change after a quiet period starts the timer and the tick
   * carries whatever is latest when it fires, so a burst becomes one message and two ticks are
   * always at least `intervalMs` apart.
   */
  changed() {
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  private flush() {
    this.timer = undefined;
    const tick = this.snapshot();
    if (!tick) return;
    for (const subscriber of this.subscribers) subscriber.offer(tick);
  }

  dispose() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Everything the hub holds for one watched video; exists only while it has subscribers. */
class VideoFeed {
  readonly groups = new Map<number, IntervalGroup>();
  latest: { totals: MetricValues; at: Date } | undefined;
  readonly window = new ViewsWindow();
  private readonly source: AsyncIterator<VideoMetricsChange>;
  private readonly changes: AsyncIterator<{ deleted: boolean }>;

  constructor(
    readonly videoId: string,
    pubsub: Pick<PubSub, 'subscribe'>,
    private readonly now: () => number,
    logger: Pick<Logger, 'error'> | undefined,
  ) {
    this.source = pubsub.subscribe('video:metrics', videoId)[Symbol.asyncIterator]();
    this.changes = pubsub.subscribe('video:changed', videoId)[Symbol.asyncIterator]();
    const failed = (error: unknown) =>
      logger?.error({ err: error, videoId }, 'live hub: video feed failed');
    void this.consume().catch(failed);
    void this.watchDeletion().catch(failed);
  }

  private async consume() {
    for (;;) {
      const next = await this.source.next();
      if (next.done) return;
      this.apply(next.value);
    }
  }

  /** A deleted video's streams complete: its subscribers leave, which disposes the feed. */
  private async watchDeletion() {
    for (;;) {
      const next = await this.changes.next();
      if (next.done) return;
      if (!next.value.deleted) continue;
      for (const group of [...this.groups.values()])
        for (const subscriber of [...group.subscribers]) subscriber.close();
      return;
    }
  }

  private apply(change: VideoMetricsChange) {
    this.window.add(this.now(), change.deltas.views);
    // Batches may be published out of order (several writers): the highest total wins.
    if (this.latest && change.totals.views < this.latest.totals.views) return;
    this.latest = { totals: change.totals, at: new Date(change.at) };
    for (const group of this.groups.values()) group.changed();
  }

  viewsPerMinute() {
    return this.window.total(this.now());
  }

  snapshot(): ViewsTick | undefined {
    if (!this.latest) return undefined;
    return Object.freeze({
      videoId: this.videoId,
      views: this.latest.totals.views,
      totals: this.latest.totals,
      viewsPerMinute: this.viewsPerMinute(),
      at: this.latest.at,
    });
  }

  dispose() {
    for (const group of this.groups.values()) group.dispose();
    this.groups.clear();
    void this.source.return?.();
    void this.changes.return?.();
  }
}

/**
 * The live fan-out hub: one pub/sub subscription per watched video (plus one for its deletion)
 * whatever its number of subscribers, coalesced per (video, interval), with a single-slot buffer
 * per subscriber. A deleted video's subscribers complete.
 */
export function createLiveHub({ pubsub, signal, logger, now = Date.now }: LiveHubOptions): LiveHub {
  const feeds = new Map<string, VideoFeed>();
  const subscribers = new Set<Subscriber>();
  let stopped = false;

  function leave(subscriber: Subscriber, group: IntervalGroup, feed: VideoFeed, interval: number) {
    subscribers.delete(subscriber);
    group.subscribers.delete(subscriber);
    if (group.subscribers.size > 0) return;
    group.dispose();
    feed.groups.delete(interval);
    if (feed.groups.size > 0) return;
    feed.dispose();
    if (feeds.get(feed.videoId) === feed) feeds.delete(feed.videoId);
  }

  const hub: LiveHub = {
    watch(videoId, { minIntervalMs }) {
      if (!Number.isInteger(minIntervalMs) || minIntervalMs < 1)
        throw new RangeError(`minIntervalMs must be a positive integer, got ${minIntervalMs}`);
      if (stopped) {
        const finished = new Subscriber(
          videoId,
          () => {},
          () => 0,
        );
        finished.close();
        return finished;
      }
      let feed = feeds.get(videoId);
      if (!feed) {
        feed = new VideoFeed(videoId, pubsub, now, logger);
        feeds.set(videoId, feed);
      }
      const theFeed = feed;
      let group = theFeed.groups.get(minIntervalMs);
      if (!group) {
        group = new IntervalGroup(minIntervalMs, () => theFeed.snapshot());
        theFeed.groups.set(minIntervalMs, group);
      }
      const theGroup = group;
      const subscriber = new Subscriber(
        videoId,
        (self) => leave(self, theGroup, theFeed, minIntervalMs),
        () => theFeed.viewsPerMinute(),
      );
      theGroup.subscribers.add(subscriber);
      subscribers.add(subscriber);
      return subscriber;
    },
    viewsPerMinute: (videoId) => feeds.get(videoId)?.viewsPerMinute() ?? 0,
    stats() {
      let groups = 0;
      for (const feed of feeds.values()) groups += feed.groups.size;
      let pendingValues = 0;
      for (const subscriber of subscribers) if (subscriber.pending) pendingValues += 1;
      return { videos: feeds.size, groups, subscribers: subscribers.size, pendingValues };
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const subscriber of [...subscribers]) subscriber.close();
      for (const feed of feeds.values()) feed.dispose();
      feeds.clear();
    },
  };

  if (signal?.aborted) hub.stop();
  else signal?.addEventListener('abort', () => hub.stop(), { once: true });
  return hub;
}
