import type { Logger } from 'pino';
import { SingleSlotSubscriber } from '../../lib/single-slot.js';

/**
 * Live values computed per owner (the viewer's live analytics): one computation per owner per
 * tick, shared by every subscriber of that owner, never executed per subscriber.
 */
export interface OwnerSubscription<T> extends AsyncIterableIterator<T> {
  /** Settles once the first value was offered; rejects when the first computation failed. */
  readonly ready: Promise<void>;
  /** Leaves the hub at once (also what `return()` does). */
  close(): void;
  return(): Promise<IteratorResult<T>>;
}

export interface OwnerHubStats {
  /** Owners with at least one subscriber. */
  owners: number;
  /** (owner, interval) groups, i.e. timers running. */
  groups: number;
  subscribers: number;
  /** Values waiting for a slow consumer: at most one per subscriber. */
  pendingValues: number;
  /** Computations started since the hub was created. */
  computations: number;
}

export interface OwnerHub<T> {
  /** Streams the owner's value now, then once per `intervalMs` (already validated). */
  watch(ownerId: string, options: { intervalMs: number }): OwnerSubscription<T>;
  stats(): OwnerHubStats;
  /** Completes every subscriber and stops every timer. Idempotent. */
  stop(): void;
}

export interface OwnerHubOptions<T> {
  /** Computes the owner's current value; null when the owner no longer exists (streams end). */
  compute: (ownerId: string) => Promise<T | null>;
  /** A computation started less than this long ago is shared instead of repeated. */
  reuseMs: number;
  signal?: AbortSignal;
  logger?: Pick<Logger, 'error'>;
  now?: () => number;
}

class Subscriber<T> extends SingleSlotSubscriber<T, T> implements OwnerSubscription<T> {
  private last: T | undefined;
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly onLeave: (subscriber: Subscriber<T>) => void) {
    super();
  }

  // The same computation may reach a subscriber twice (its first value, then a tick).
  protected accepts(value: T) {
    return value !== this.last && value !== this.pending;
  }

  protected take(value: T): T {
    this.last = value;
    return value;
  }

  protected leave() {
    this.onLeave(this);
  }
}

class OwnerFeed<T> {
  readonly groups = new Map<number, { subscribers: Set<Subscriber<T>>; timer: NodeJS.Timeout }>();
  private latest: { value: T; startedAt: number } | undefined;
  private inflight: Promise<T | null> | undefined;

  constructor(
    readonly ownerId: string,
    private readonly options: OwnerHubOptions<T>,
    private readonly now: () => number,
    private readonly counted: () => void,
  ) {}

  /** The latest value if it is fresh enough, else the computation in flight, else a new one. */
  current(): Promise<T | null> {
    if (this.latest && this.now() - this.latest.startedAt < this.options.reuseMs)
      return Promise.resolve(this.latest.value);
    if (this.inflight) return this.inflight;
    const startedAt = this.now();
    this.counted();
    const computation = this.options
      .compute(this.ownerId)
      .then((value) => {
        if (value !== null) this.latest = { value, startedAt };
        return value;
      })
      .finally(() => {
        if (this.inflight === computation) this.inflight = undefined;
      });
    this.inflight = computation;
    return computation;
  }

  subscribers() {
    return [...this.groups.values()].flatMap((group) => [...group.subscribers]);
  }

  dispose() {
    for (const group of this.groups.values()) clearInterval(group.timer);
    this.groups.clear();
  }
}

export function createOwnerHub<T>(options: OwnerHubOptions<T>): OwnerHub<T> {
  const { logger, now = Date.now } = options;
  const feeds = new Map<string, OwnerFeed<T>>();
  const subscribers = new Set<Subscriber<T>>();
  let computations = 0;
  let stopped = false;

  function deliver(feed: OwnerFeed<T>, targets: () => Iterable<Subscriber<T>>) {
    return feed.current().then((value) => {
      if (value === null) {
        // The owner is gone: every stream of theirs ends.
        for (const subscriber of feed.subscribers()) subscriber.close();
        return;
      }
      for (const subscriber of targets()) subscriber.offer(value);
    });
  }

  function leave(subscriber: Subscriber<T>, feed: OwnerFeed<T>, intervalMs: number) {
    subscribers.delete(subscriber);
    const group = feed.groups.get(intervalMs);
    if (!group) return;
    group.subscribers.delete(subscriber);
    if (group.subscribers.size > 0) return;
    clearInterval(group.timer);
    feed.groups.delete(intervalMs);
    if (feed.groups.size === 0 && feeds.get(feed.ownerId) === feed) feeds.delete(feed.ownerId);
  }

  const hub: OwnerHub<T> = {
    watch(ownerId, { intervalMs }) {
      if (!Number.isInteger(intervalMs) || intervalMs < 1)
        throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
      let feed = feeds.get(ownerId);
      if (!feed && !stopped) {
        feed = new OwnerFeed(ownerId, options, now, () => void computations++);
        feeds.set(ownerId, feed);
      }
      const theFeed = feed;
      const subscriber = new Subscriber<T>((self) => theFeed && leave(self, theFeed, intervalMs));
      if (!theFeed) {
        subscriber.close();
        return subscriber;
      }
      let group = theFeed.groups.get(intervalMs);
      if (!group) {
        const members = new Set<Subscriber<T>>();
        const timer = setInterval(() => {
          deliver(theFeed, () => members).catch((error: unknown) =>
            logger?.error({ err: error, ownerId }, 'live owner hub: computation failed'),
          );
        }, intervalMs);
        group = { subscribers: members, timer };
        theFeed.groups.set(intervalMs, group);
      }
      group.subscribers.add(subscriber);
      subscribers.add(subscriber);
      subscriber.ready = deliver(theFeed, () => [subscriber]);
      subscriber.ready.catch(() => {}); // the caller awaits it; an unobserved failure is not a crash
      return subscriber;
    },
    stats() {
      let groups = 0;
      for (const feed of feeds.values()) groups += feed.groups.size;
      let pendingValues = 0;
      for (const subscriber of subscribers) if (subscriber.pending !== undefined) pendingValues++;
      return {
        owners: feeds.size,
        groups,
        subscribers: subscribers.size,
        pendingValues,
        computations,
      };
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const subscriber of [...subscribers]) subscriber.close();
      for (const feed of feeds.values()) feed.dispose();
      feeds.clear();
    },
  };

  if (options.signal?.aborted) hub.stop();
  else options.signal?.addEventListener('abort', () => hub.stop(), { once: true });
  return hub;
}
