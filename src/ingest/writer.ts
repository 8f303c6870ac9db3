import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { PubSub } from '../live/pubsub.js';
import { applyBatch, type IngestEvent, type IngestOutcome } from './apply-batch.js';

export interface IngestWriterOptions {
  /** Events written per transaction, at most (a single larger request is written alone). */
  maxBatchEvents: number;
  /** How long the first queued event waits for others to join its batch. */
  flushIntervalMs: number;
  /** Events waiting at most; past it, submissions are refused (503) instead of buffered. */
  maxQueuedEvents: number;
}

/** The queue is full: the caller should answer 503 with Retry-After. */
export class IngestOverloadedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('The ingest queue is full; retry later.');
    this.name = 'IngestOverloadedError';
  }
}

/** The writer is stopping; nothing new is accepted. */
export class IngestStoppedError extends Error {
  constructor() {
    super('The ingest writer is shutting down.');
    this.name = 'IngestStoppedError';
  }
}

interface Pending {
  events: IngestEvent[];
  resolve: (outcomes: IngestOutcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Micro-batches submissions into single transactions (see applyBatch). A submission resolves
 * only after its batch committed, so an acknowledgement always means "stored"; a failure means
 * nothing of that submission's batch was stored and the client may retry with the same ids.
 */
export class IngestWriter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
    private readonly options: IngestWriterOptions,
  ) {}

  submit(events: IngestEvent[]): Promise<IngestOutcome[]> {
    if (this.stopped) return Promise.reject(new IngestStoppedError());
    if (events.length === 0) return Promise.resolve([]);
    if (this.queuedEvents > 0 && this.queuedEvents + events.length > this.options.maxQueuedEvents) {
      return Promise.reject(new IngestOverloadedError(1));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queuedEvents += events.length;
      this.schedule();
    });
  }

  /** Stops accepting and waits for everything already acknowledged-to-be to be written. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.queue.length > 0 || this.flushing) await (this.flushing ?? this.flush());
  }

  private schedule() {
    if (this.flushing || this.timer) return;
    const delay =
      this.queuedEvents >= this.options.maxBatchEvents ? 0 : this.options.flushIntervalMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delay);
  }

  private flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0 && !this.stopped) this.schedule();
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      await this.write(batch);
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let size = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && size + next.events.length > this.options.maxBatchEvents) break;
      batch.push(this.queue.shift()!);
      size += next.events.length;
    }
    this.queuedEvents -= size;
    return batch;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const result = await applyBatch(
        this.db,
        batch.flatMap((pending) => pending.events),
      );
      let offset = 0;
      for (const pending of batch) {
        pending.resolve(result.outcomes.slice(offset, offset + pending.events.length));
        offset += pending.events.length;
      }
      const at = new Date().toISOString();
      const videos = result.videos.map((video) => ({ ...video, at }));
      for (const video of videos) this.pubsub.publish('video:metrics', video.videoId, video);
      if (videos.length > 0) this.pubsub.publish('metrics:committed', { videos });
    } catch (error) {
      if (batch.length > 1) {
        // One submission's failure (say, its video was deleted meanwhile) must not fail the
        // others that happened to share its batch: retry each on its own.
        for (const pending of batch) await this.write([pending]);
        return;
      }
      this.logger.error({ err: error, events: batch[0]!.events.length }, 'ingest batch failed');
      batch[0]!.reject(error);
    }
  }
}
