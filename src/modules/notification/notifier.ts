import type { Logger } from 'pino';
import { inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { notificationTable, videoTable } from '../../db/schema.js';
import { emitWebhookEvent } from '../webhook/events.js';
import { videoPayload } from '../webhook/payloads.js';
import { raiseNotifications, type NotificationDraft } from './notification.service.js';
import type { PubSub, VideoMetricsChange, VideoProcessingChange } from '../../lib/pubsub.js';
import { ViralDetector, type ViralRule, type ViralSpike } from './viral-detector.js';

/** Lifetime view counts that raise a milestone notification when a video reaches them. */
export const VIEW_MILESTONES = [1_000, 10_000, 100_000, 1_000_000, 10_000_000] as const;

/** Drafts waiting to be stored, at most; past it the oldest are dropped (and logged). */
const MAX_PENDING = 10_000;
/** Drafts stored per statement. */
const FLUSH_BATCH = 500;
const FLUSH_ATTEMPTS = 3;

/** Milestones in (before, after]: each is crossed by exactly one commit, whatever the order. */
export function crossedMilestones(before: number, after: number): number[] {
  return VIEW_MILESTONES.filter((milestone) => before < milestone && milestone <= after);
}

const formatCount = (value: number) => value.toLocaleString('en-US');

export function milestoneDraft(change: VideoMetricsChange, milestone: number): NotificationDraft {
  return {
    ownerId: change.ownerId,
    videoId: change.videoId,
    kind: 'milestone',
    title: `${formatCount(milestone)} views`,
    body: `“{video}” passed ${formatCount(milestone)} views.`,
    data: { milestone, views: change.totals.views },
    dedupKey: `milestone:${change.videoId}:${milestone}`,
  };
}

export function viralDraft(spike: ViralSpike, rule: ViralRule): NotificationDraft {
  const ratio = spike.expected > 0 ? Math.floor(spike.views / spike.expected) : null;
  return {
    ownerId: spike.ownerId,
    videoId: spike.videoId,
    kind: 'viral',
    title: 'Going viral',
    body:
      `“{video}” got ${formatCount(spike.views)} views in the last ${rule.windowMinutes} minutes` +
      (ratio === null ? '.' : `, ${ratio}× its usual rate.`),
    data: { views: spike.views, expected: spike.expected, windowMinutes: rule.windowMinutes },
    dedupKey: `viral:${spike.videoId}:${new Date(spike.hour).toISOString()}`,
  };
}

export function processingDraft(change: VideoProcessingChange): NotificationDraft | null {
  if (change.status !== 'ready' && change.status !== 'failed') return null;
  const finished = change.status === 'ready';
  return {
    ownerId: change.ownerId,
    videoId: change.videoId,
    kind: finished ? 'processing_finished' : 'processing_failed',
    title: finished ? 'Processing finished' : 'Processing failed',
    body: finished
      ? '“{video}” is processed and ready to publish.'
      : '“{video}” could not be processed.',
    data: { status: change.status, progress: change.progress },
    dedupKey: `processing:${change.videoId}:${change.status}:${change.at}`,
  };
}

/**
 * Queues `video.views.milestone` and `video.viral` webhooks for the milestone and viral
 * notifications just stored, in their transaction: each alert is raised once (the dedupKey),
 * so each event is sent once.
 */
async function emitVideoEvents(tx: Tx, notificationIds: string[]) {
  if (notificationIds.length === 0) return;
  const n = notificationTable;
  const stored = await tx
    .select({
      ownerId: n.ownerId,
      kind: n.kind,
      data: n.data,
      videoId: n.videoId,
      createdAt: n.createdAt,
    })
    .from(n)
    .where(inArray(n.id, notificationIds));
  const videoIds = [...new Set(stored.flatMap((row) => (row.videoId ? [row.videoId] : [])))];
  if (videoIds.length === 0) return;
  const titles = new Map(
    (
      await tx
        .select({ id: videoTable.id, title: videoTable.title })
        .from(videoTable)
        .where(inArray(videoTable.id, videoIds))
    ).map((video) => [video.id, video.title]),
  );
  for (const row of stored) {
    const title = row.videoId ? titles.get(row.videoId) : undefined;
    if (title === undefined || (row.kind !== 'milestone' && row.kind !== 'viral')) continue;
    const video = videoPayload({ id: row.videoId!, title });
    const data = row.data as Record<string, number>;
    await emitWebhookEvent(tx, {
      ownerId: row.ownerId,
      scope: 'read:videos',
      occurredAt: row.createdAt,
      ...(row.kind === 'milestone'
        ? {
            type: 'video.views.milestone',
            data: { video, milestone: data['milestone'], views: data['views'] },
          }
        : {
            type: 'video.viral',
            data: {
              video,
              views: data['views'],
              expected: data['expected'],
              windowMinutes: data['windowMinutes'],
            },
          }),
    });
  }
}

export interface NotifierOptions {
  db: Db;
  pubsub: Pick<PubSub, 'subscribe' | 'publish'>;
  viral: ViralRule;
  logger?: Pick<Logger, 'error' | 'warn'>;
  /** Clock for the viral detector's warm-up, injectable for tests. */
  now?: () => number;
}

export interface Notifier {
  /** Resolves once every draft seen so far is stored (or given up on). */
  settled(): Promise<void>;
  stats(): { pending: number; trackedVideos: number; raised: number };
  /**
   * Stops listening and stores what is pending. Idempotent. Called after the ingest writer has
   * drained at shutdown, so the last commits still raise their notifications.
   */
  stop(): Promise<void>;
}

/**
 * Raises notifications from committed changes, off the request path: milestones and viral
 * spikes from `metrics:committed` (totals and deltas after each ingest commit), finished or
 * failed processing from `videos:processing`. Topic messages are folded synchronously (the
 * pub/sub's per-listener queue never grows); drafts are stored in the background, deduplicated
 * by (owner, dedupKey), and each stored one is published on `notification:created`.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { db, pubsub, viral, logger, now = Date.now } = options;
  const detector = new ViralDetector(viral, now());
  const commits = pubsub.subscribe('metrics:committed')[Symbol.asyncIterator]();
  const processing = pubsub.subscribe('videos:processing')[Symbol.asyncIterator]();
  let pending: NotificationDraft[] = [];
  let flushing: Promise<void> | undefined;
  let raised = 0;
  let stopped: Promise<void> | undefined;

  function enqueue(draft: NotificationDraft) {
    pending.push(draft);
    if (pending.length > MAX_PENDING) {
      const dropped = pending.splice(0, pending.length - MAX_PENDING);
      logger?.warn({ dropped: dropped.length }, 'notifier: too many pending notifications');
    }
    schedule();
  }

  function schedule() {
    if (flushing) return;
    flushing = flush().finally(() => {
      flushing = undefined;
      // Drafts queued while the last statement was finishing.
      if (pending.length > 0) schedule();
    });
  }

  async function store(batch: NotificationDraft[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await db.transaction(async (tx) => {
          const rows = await raiseNotifications(tx as unknown as Db, batch);
          await emitVideoEvents(
            tx,
            rows.map((row) => row.id),
          );
          return rows;
        });
        raised += stored.length;
        for (const { id, ownerId } of stored)
          pubsub.publish('notification:created', ownerId, { notificationId: id });
        return;
      } catch (error) {
        if (attempt >= FLUSH_ATTEMPTS) {
          logger?.error({ err: error, drafts: batch.length }, 'notifier: could not store');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  async function flush() {
    while (pending.length > 0) {
      const batch = pending.slice(0, FLUSH_BATCH);
      pending = pending.slice(batch.length);
      await store(batch);
    }
  }

  function onCommit({ videos }: { videos: VideoMetricsChange[] }) {
    for (const change of videos) {
      const views = change.deltas.views;
      if (!(views > 0)) continue;
      for (const milestone of crossedMilestones(change.totals.views - views, change.totals.views))
        enqueue(milestoneDraft(change, milestone));
      const spike = detector.observe(change.videoId, change.ownerId, views, Date.parse(change.at));
      if (spike) enqueue(viralDraft(spike, viral));
    }
  }

  async function consume<T>(source: AsyncIterator<T>, apply: (value: T) => void) {
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      try {
        apply(next.value);
      } catch (error) {
        logger?.error({ err: error }, 'notifier: could not handle a change');
      }
    }
  }

  void consume(commits, onCommit);
  void consume(processing, (change: VideoProcessingChange) => {
    const draft = processingDraft(change);
    if (draft) enqueue(draft);
  });

  const notifier: Notifier = {
    async settled() {
      while (flushing) await flushing;
    },
    stats: () => ({ pending: pending.length, trackedVideos: detector.size, raised }),
    stop() {
      stopped ??= (async () => {
        await Promise.all([commits.return?.(), processing.return?.()]);
        await notifier.settled();
      })();
      return stopped;
    },
  };
  return notifier;
}
