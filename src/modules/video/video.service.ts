import { and, asc, desc, eq, gte, ilike, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import {
  channelTable,
  PLATFORMS,
  publicationTable,
  videoCounterTable,
  videoTable,
  type Platform,
  type VideoStatus,
} from '../../db/schema.js';
import { pickMetrics } from '../common/metric-keys.js';
import type { CursorKeyType, Keyset } from '../common/pagination.js';
import { fail, ok, userError, validateInput, type MutationResult } from '../common/user-error.js';
import type { PubSub } from '../../lib/pubsub.js';
import { emitWebhookEvent } from '../webhook/events.js';
import { videoPayload } from '../webhook/payloads.js';
import { processingChangeOf } from './processing.service.js';
import { loadVideosByIds, metricsOf, type VideoWithStats } from './video.loaders.js';

export const VIDEO_ORDER_FIELDS = [
  'PUBLISHED_AT',
  'CREATED_AT',
  'VIEWS',
  'LIKES',
  'ENGAGEMENT_RATE',
  'TITLE',
] as const;
export type VideoOrderField = (typeof VIDEO_ORDER_FIELDS)[number];

export interface VideoFilter {
  platforms?: Platform[] | null;
  status?: VideoStatus[] | null;
  search?: string | null;
  tags?: string[] | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
}

export interface VideoPage {
  filter: VideoFilter;
  orderBy: { field: VideoOrderField; direction: 'asc' | 'desc' };
  after?: Keyset;
  before?: Keyset;
  /** Rows to fetch (page size + 1, so the caller can tell whether there is more). */
  limit: number;
  /** Fetch from the end (for `last`); rows come back in reverse order. */
  inverted: boolean;
}

export type VideoListRow = VideoWithStats & { sortKey: string };

const vc = videoCounterTable;
/** Each ordering: its SQL expression and the type its cursor text is cast back to. */
const ORDERINGS: Record<VideoOrderField, { expression: SQL; type: CursorKeyType }> = {
  // Unpublished videos sort as the oldest; matches the expression index on videos.
  PUBLISHED_AT: {
    expression: sql`coalesce(${videoTable.publishedAt}, '-infinity'::timestamptz)`,
    type: 'timestamptz',
  },
  CREATED_AT: { expression: sql`${videoTable.createdAt}`, type: 'timestamptz' },
  TITLE: { expression: sql`${videoTable.title}`, type: 'text' },
  VIEWS: { expression: sql`coalesce(${vc.views}, 0)`, type: 'bigint' },
  LIKES: { expression: sql`coalesce(${vc.likes}, 0)`, type: 'bigint' },
  ENGAGEMENT_RATE: {
    expression: sql`coalesce((${vc.likes} + ${vc.comments} + ${vc.shares})::float8 / nullif(${vc.views}, 0), 0)`,
    type: 'float8',
  },
};

/** The type of an ordering's cursor key, so a cursor is checked before it is cast. */
export const videoOrderKeyType = (field: VideoOrderField): CursorKeyType => ORDERINGS[field].type;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterConditions(ownerId: string, filter: VideoFilter): SQL[] {
  const conditions: SQL[] = [eq(videoTable.ownerId, ownerId)];
  if (filter.status?.length) conditions.push(inArray(videoTable.status, filter.status));
  if (filter.search?.trim()) {
    conditions.push(ilike(videoTable.title, `%${escapeLike(filter.search.trim())}%`));
  }
  if (filter.tags?.length) {
    conditions.push(
      sql`${videoTable.tags} && ${sql.param(filter.tags.map((tag) => tag.toLowerCase()))}::text[]`,
    );
  }
  if (filter.publishedAfter) conditions.push(gte(videoTable.publishedAt, filter.publishedAfter));
  if (filter.publishedBefore) conditions.push(lt(videoTable.publishedAt, filter.publishedBefore));
  if (filter.platforms?.length) {
    conditions.push(
      sql`exists (select 1 from ${publicationTable} where ${publicationTable.videoId} = ${videoTable.id} and ${inArray(publicationTable.platform, filter.platforms)})`,
    );
  }
  return conditions;
}

function keysetCondition(field: VideoOrderField, keyset: Keyset, greater: boolean): SQL {
  const { expression, type } = ORDERINGS[field];
  const operator = sql.raw(greater ? '>' : '<');
  return sql`(${expression}, ${videoTable.id}) ${operator} (cast(${keyset.key} as ${sql.raw(type)}), cast(${keyset.id} as uuid))`;
}

/** One page of the owner's videos, keyset-paginated and stable under ties (id breaks them). */
export async function listVideos(
  db: Db,
  ownerId: string,
  page: VideoPage,
): Promise<VideoListRow[]> {
  const { field, direction } = page.orderBy;
  const ascending = direction === 'asc';
  const conditions = filterConditions(ownerId, page.filter);
  if (page.after) conditions.push(keysetCondition(field, page.after, ascending));
  if (page.before) conditions.push(keysetCondition(field, page.before, !ascending));
  const scanAscending = ascending !== page.inverted;
  const order = scanAscending ? asc : desc;
  const { expression } = ORDERINGS[field];
  const rows = await db
    .select({
      video: videoTable,
      stats: metricsOf(videoCounterTable),
      sortKey: sql<string>`(${expression})::text`,
    })
    .from(videoTable)
    .leftJoin(videoCounterTable, eq(videoCounterTable.videoId, videoTable.id))
    .where(and(...conditions))
    .orderBy(order(expression), order(videoTable.id))
    .limit(page.limit);
  return rows.map((row) => ({ ...row.video, stats: pickMetrics(row.stats), sortKey: row.sortKey }));
}

export async function countVideos(db: Db, ownerId: string, filter: VideoFilter): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(videoTable)
    .where(and(...filterConditions(ownerId, filter)));
  return Number(row?.count ?? 0);
}

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048, 'must be at most 2048 characters');
const tag = z
  .string()
  .trim()
  .min(1, 'tags must not be empty')
  .max(50, 'tags must be at most 50 characters')
  .transform((value) => value.toLowerCase());

const videoFields = {
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().max(5000, 'must be at most 5000 characters'),
  url: httpUrl.nullable(),
  thumbnailUrl: httpUrl.nullable(),
  durationSeconds: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(7 * 24 * 3600)
    .nullable(),
  tags: z
    .array(tag)
    .max(30, 'at most 30 tags')
    .transform((tags) => [...new Set(tags)]),
};

const createVideoInput = z.object({
  ...videoFields,
  description: videoFields.description.default(''),
  url: videoFields.url.optional(),
  thumbnailUrl: videoFields.thumbnailUrl.optional(),
  durationSeconds: videoFields.durationSeconds.optional(),
  tags: videoFields.tags.default([]),
});
const updateVideoInput = z.object(videoFields).partial();

export type CreateVideoInput = z.input<typeof createVideoInput>;
export type UpdateVideoInput = z.input<typeof updateVideoInput>;

const videoNotFound = () =>
  fail<VideoWithStats>(userError(['input', 'id'], 'NOT_FOUND', 'Video not found.'));

async function reload(
  db: Db,
  ownerId: string,
  id: string,
): Promise<MutationResult<VideoWithStats>> {
  const [video] = await loadVideosByIds(db, ownerId, [id]);
  return video ? ok(video) : videoNotFound();
}

export async function createVideo(
  db: Db,
  ownerId: string,
  input: CreateVideoInput,
): Promise<MutationResult<VideoWithStats>> {
  const valid = validateInput(createVideoInput, input);
  if (!valid.ok) return valid;
  const [video] = await db
    .insert(videoTable)
    .values({ ...valid.value, ownerId })
    .returning();
  return ok({ ...video!, stats: pickMetrics(null) });
}

/** Tells the video's live subscribers it changed; call once the change is committed. */
function announceChange(pubsub: Pick<PubSub, 'publish'>, videoId: string, deleted = false) {
  pubsub.publish('video:changed', videoId, { videoId, deleted });
}

/** Changes a video and tells its live subscribers. */
export async function updateVideo(
  db: Db,
  pubsub: Pick<PubSub, 'publish'>,
  ownerId: string,
  id: string,
  input: UpdateVideoInput,
): Promise<MutationResult<VideoWithStats>> {
  const valid = validateInput(updateVideoInput, input);
  if (!valid.ok) return valid;
  const updated = await db
    .update(videoTable)
    .set({ ...valid.value, updatedAt: new Date() })
    .where(and(eq(videoTable.id, id), eq(videoTable.ownerId, ownerId)))
    .returning({ id: videoTable.id });
  if (!updated.length) return videoNotFound();
  const result = await reload(db, ownerId, id);
  if (result.ok) announceChange(pubsub, id);
  return result;
}

/**
 * Deletes a video (its publications and metrics go with it), queues `video.deleted` webhooks in
 * the same transaction, and tells its live subscribers.
 */
export async function deleteVideo(
  db: Db,
  pubsub: Pick<PubSub, 'publish'>,
  ownerId: string,
  id: string,
): Promise<MutationResult<string>> {
  const deleted = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(videoTable)
      .where(and(eq(videoTable.id, id), eq(videoTable.ownerId, ownerId)))
      .returning({ id: videoTable.id, title: videoTable.title });
    if (rows[0]) {
      await emitWebhookEvent(tx, {
        ownerId,
        type: 'video.deleted',
        scope: 'read:videos',
        data: { video: videoPayload(rows[0]) },
      });
    }
    return rows;
  });
  if (!deleted.length) return fail(userError(['input', 'id'], 'NOT_FOUND', 'Video not found.'));
  announceChange(pubsub, id, true);
  return ok(id);
}

const publishInput = z.object({
  platforms: z
    .array(z.enum(PLATFORMS))
    .min(1, 'name at least one platform')
    .transform((platforms) => [...new Set(platforms)]),
});

/**
 * Publishes a video to platforms, on the owner's channel for each (the oldest, when there are
 * several). Idempotent: platforms it is already on are left as they are. New platforms queue a
 * `video.published` webhook in the same transaction. With `pubsub`, tells the video's
 * subscribers and server-side consumers (the notifier); seeding passes none.
 */
export async function publishVideo(
  db: Db,
  ownerId: string,
  id: string,
  input: { platforms: Platform[] },
  pubsub?: Pick<PubSub, 'publish'>,
): Promise<MutationResult<VideoWithStats>> {
  const valid = validateInput(publishInput, input);
  if (!valid.ok) return valid;
  const { platforms } = valid.value;
  const outcome = await db.transaction(async (tx) => {
    const [video] = await tx
      .select()
      .from(videoTable)
      .where(and(eq(videoTable.id, id), eq(videoTable.ownerId, ownerId)))
      .for('update');
    if (!video) return videoNotFound();
    if (video.status === 'processing' || video.status === 'failed') {
      return fail<VideoWithStats>(
        userError(
          ['input', 'id'],
          'INVALID_STATUS',
          `A ${video.status} video cannot be published.`,
        ),
      );
    }
    if (!video.url) {
      return fail<VideoWithStats>(
        userError(['input', 'id'], 'INVALID', 'Set the video url before publishing it.'),
      );
    }
    const channels = await tx
      .select({ id: channelTable.id, platform: channelTable.platform })
      .from(channelTable)
      .where(and(eq(channelTable.ownerId, ownerId), inArray(channelTable.platform, platforms)))
      .orderBy(asc(channelTable.createdAt));
    const channelFor = new Map<Platform, string>();
    for (const channel of channels)
      if (!channelFor.has(channel.platform)) channelFor.set(channel.platform, channel.id);
    const missing = platforms.flatMap((platform, index) =>
      channelFor.has(platform)
        ? []
        : [
            userError(
              ['input', 'platforms', String(index)],
              'NO_CHANNEL',
              `Connect a ${platform} channel first.`,
            ),
          ],
    );
    if (missing.length) return fail<VideoWithStats>(...missing);
    const now = new Date();
    const added = await tx
      .insert(publicationTable)
      .values(
        platforms.map((platform) => ({
          videoId: id,
          ownerId,
          platform,
          channelId: channelFor.get(platform)!,
          publishedAt: now,
        })),
      )
      .onConflictDoNothing({ target: [publicationTable.videoId, publicationTable.platform] })
      .returning({ platform: publicationTable.platform });
    await tx
      .update(videoTable)
      .set({
        status: 'published',
        publishedAt: sql`coalesce(${videoTable.publishedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(eq(videoTable.id, id));
    if (added.length > 0) {
      await emitWebhookEvent(tx, {
        ownerId,
        type: 'video.published',
        scope: 'read:videos',
        occurredAt: now,
        data: {
          video: videoPayload(video),
          platforms: added.map((row) => row.platform.toUpperCase()),
          publishedAt: now.toISOString(),
        },
      });
    }
    return ok(null);
  });
  if (!outcome.ok) return outcome;
  const result = await reload(db, ownerId, id);
  if (pubsub && result.ok) {
    announceChange(pubsub, id);
    pubsub.publish('videos:processing', processingChangeOf(result.value));
  }
  return result;
}
