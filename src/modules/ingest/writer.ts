import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { isDatabaseUnavailable } from '../../db/errors.js';
import type { PubSub } from '../../lib/pubsub.js';
import { applyBatch, type IngestEvent, type IngestOutcome } from './apply-batch.js';

export interface IngestWriterOptions {
  /** Events written per transaction, at most (a single larger request is written alone). */
  maxBatchEvents: number;
  /** How long the first queued event waits for others to join its batch. */
  flushIntervalMs: number;
  /** Events waiting at most; past it, submissions are refused (503) instead of buffered. */
  maxQueuedEvents: number;
  /** Batch transactions in flight at once (each on its own connection). */
  concurrency: number;
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
  private readonly workers = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
    private readonly options: IngestWriterOptions,
  ) {}

  /** Events accepted and not yet written. */
  get queued(): number {
    return this.queuedEvents;
  }

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
    this.timer = undefined;
    while (this.queue.length > 0 || this.workers.size > 0) {
      this.startWorker();
      await Promise.all(this.workers);
    }
  }

  /**
   * Starts another batch transaction after the flush interval (at once when a full batch is
   * waiting) while fewer than `concurrency` are in flight: batches form from what arrives
   * while the others write, and their transactions overlap.
   */
  private schedule() {
    if (this.timer || this.queue.length === 0 || this.workers.size >= this.options.concurrency)
      return;
    const delay =
      this.queuedEvents >= this.options.maxBatchEvents ? 0 : this.options.flushIntervalMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startWorker();
      this.schedule();
    }, delay);
  }

  private startWorker() {
    if (this.queue.length === 0 || this.workers.size >= this.options.concurrency) return;
    const worker: Promise<void> = (async () => {
      while (this.queue.length > 0) await this.write(this.takeBatch());
    })().finally(() => {
      this.workers.delete(worker);
      if (!this.stopped) this.schedule();
    });
    this.workers.add(worker);
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
      // With the database away, retrying each submission alone would only fail them later.
      if (batch.length > 1 && !isDatabaseUnavailable(error)) {
        // One submission's failure (say, its video was deleted meanwhile) must not fail the
        // others that happened to share its batch: retry each on its own.
        for (const pending of batch) await this.write([pending]);
        return;
      }
      const events = batch.reduce((sum, pending) => sum + pending.events.length, 0);
      this.logger.error({ err: error, events }, 'ingest batch failed');
      for (const pending of batch) pending.reject(error);
    }
  }
}
