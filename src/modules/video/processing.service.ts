import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { videoTable, type VideoStatus } from '../../db/schema.js';
import {
  publishProcessingChange,
  type PubSub,
  type VideoProcessingChange,
} from '../../lib/pubsub.js';
import { fail, ok, userError, type MutationResult } from '../common/user-error.js';
import { emitWebhookEvent } from '../webhook/events.js';
import { videoPayload } from '../webhook/payloads.js';
import { loadVideosByIds, type VideoWithStats } from './video.loaders.js';

/** The states a processing report may set; DRAFT and PUBLISHED belong to other mutations. */
export const PROCESSING_TARGETS = ['processing', 'ready', 'failed'] as const;
export type ProcessingTarget = (typeof PROCESSING_TARGETS)[number];

/**
 * Allowed transitions, target ← sources. Processing starts from a draft, and restarts from
 * ready (re-encode) or failed (retry); only a running job finishes or fails. A published video
 * is never sent back to processing.
 */
export const PROCESSING_TRANSITIONS: Record<ProcessingTarget, readonly VideoStatus[]> = {
  processing: ['draft', 'processing', 'ready', 'failed'],
  ready: ['processing'],
  failed: ['processing'],
};

export interface ProcessingUpdate {
  status: VideoStatus;
  /** 0–100; omitted: unchanged while processing, 0 when starting, 100 when ready. */
  progress?: number | null;
}

const isTarget = (status: VideoStatus): status is ProcessingTarget =>
  (PROCESSING_TARGETS as readonly string[]).includes(status);

/**
 * Applies a transcoder's report with one conditional UPDATE (the transition and the "progress
 * never goes down while processing" rule are checked in SQL, on the locked row), so concurrent
 * reports cannot interleave into an invalid state. On refusal, reads the row once to say why.
 * Announces the committed change to the video's subscribers and the notifier; finishing or
 * failing queues a `video.processing.completed` / `.failed` webhook in the same transaction.
 */
export async function updateVideoProcessing(
  db: Db,
  pubsub: Pick<PubSub, 'publish'>,
  ownerId: string,
  id: string,
  input: ProcessingUpdate,
): Promise<MutationResult<VideoWithStats>> {
  const { status } = input;
  const progress = input.progress ?? null;
  if (!isTarget(status)) {
    return fail(
      userError(
        ['input', 'status'],
        'INVALID',
        'Report PROCESSING, READY or FAILED; publish with publishVideo.',
      ),
    );
  }
  if (progress !== null && (!Number.isInteger(progress) || progress < 0 || progress > 100))
    return fail(userError(['input', 'progress'], 'INVALID', 'must be between 0 and 100'));
  if (status === 'ready' && progress !== null && progress !== 100)
    return fail(userError(['input', 'progress'], 'INVALID', 'a READY video is at 100'));

  const v = videoTable;
  const next =
    status === 'ready'
      ? sql`100`
      : status === 'failed'
        ? sql`coalesce(${progress}::int, ${v.processingProgress})`
        : sql`coalesce(${progress}::int, case when ${v.status} = 'processing' then ${v.processingProgress} else 0 end)`;
  const updated = await db.transaction(async (tx) => {
    const rows = await tx
      .update(v)
      .set({
        status,
        processingProgress: next,
        // Statement time under the row lock: successive reports of one video get increasing times.
        updatedAt: sql`clock_timestamp()`,
      })
      .where(
        and(
          eq(v.id, id),
          eq(v.ownerId, ownerId),
          inArray(v.status, [...PROCESSING_TRANSITIONS[status]]),
          status === 'processing' && progress !== null
            ? sql`not (${v.status} = 'processing' and ${v.processingProgress} > ${progress}::int)`
            : undefined,
        ),
      )
      .returning();
    const video = rows[0];
    if (video && (video.status === 'ready' || video.status === 'failed')) {
      // The same fields as the videoProcessingStatus subscription sends.
      await emitWebhookEvent(tx, {
        ownerId,
        type: video.status === 'ready' ? 'video.processing.completed' : 'video.processing.failed',
        scope: 'read:videos',
        occurredAt: video.updatedAt,
        data: {
          video: videoPayload(video),
          status: video.status.toUpperCase(),
          progress: video.processingProgress,
          at: video.updatedAt.toISOString(),
        },
      });
    }
    return rows;
  });
  const [video] = await loadVideosByIds(db, ownerId, [id]);
  if (!video) return fail(userError(['input', 'id'], 'NOT_FOUND', 'Video not found.'));
  // The row as this update left it (a later report may already have changed it again).
  if (updated[0]) {
    const changed = { ...updated[0], stats: video.stats };
    publishProcessingChange(pubsub, processingChangeOf(changed));
    return ok(changed);
  }
  if (!PROCESSING_TRANSITIONS[status].includes(video.status)) {
    return fail(
      userError(
        ['input', 'status'],
        'INVALID_STATUS',
        `A ${video.status} video cannot become ${status}.`,
      ),
    );
  }
  return fail(
    userError(
      ['input', 'progress'],
      'INVALID',
      `progress cannot go down while processing (it is at ${video.processingProgress}).`,
    ),
  );
}

/** The processing state of a video, as published on the `video:processing` topics. */
export function processingChangeOf(video: {
  id: string;
  ownerId: string;
  status: VideoStatus;
  processingProgress: number;
  updatedAt: Date;
}): VideoProcessingChange {
  return {
    videoId: video.id,
    ownerId: video.ownerId,
    status: video.status,
    progress: video.processingProgress,
    at: video.updatedAt.toISOString(),
  };
}
