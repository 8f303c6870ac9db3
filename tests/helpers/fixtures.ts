import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import {
  channelTable,
  METRIC_KEYS,
  PLATFORMS,
  publicationCounterTable,
  publicationTable,
  videoCounterTable,
  type MetricValues,
  type Platform,
} from '../../src/db/schema.js';
import { zeroMetrics } from '../../src/modules/common/metric-keys.js';
import {
  createVideo,
  publishVideo,
  type CreateVideoInput,
} from '../../src/modules/video/video.service.js';

export const encodeId = (type: string, id: string) =>
  Buffer.from(`${type}:${id}`).toString('base64');

/** One channel per platform for the user. */
export async function createChannels(
  db: Db,
  ownerId: string,
  platforms: readonly Platform[] = PLATFORMS,
) {
  return db
    .insert(channelTable)
    .values(
      platforms.map((platform) => ({
        ownerId,
        platform,
        handle: `@${platform}-${ownerId.slice(0, 6)}`,
        name: `${platform} channel`,
        externalId: `${platform}-${ownerId}`,
      })),
    )
    .returning();
}

/**
 * A published video whose publications carry the given counters, written the way the ingest
 * path keeps them: per publication, and summed per video.
 */
export async function createPublishedVideo(
  db: Db,
  ownerId: string,
  input: Partial<CreateVideoInput> & {
    counters?: Partial<Record<Platform, Partial<MetricValues>>>;
  } = {},
) {
  const { counters = { youtube: {} }, ...videoInput } = input;
  const created = await createVideo(db, ownerId, {
    title: 'A video',
    url: 'https://media.pulse.test/v.mp4',
    ...videoInput,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const platforms = Object.keys(counters) as Platform[];
  const published = await publishVideo(db, ownerId, created.value.id, { platforms });
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  const publications = await db
    .select()
    .from(publicationTable)
    .where(eq(publicationTable.videoId, created.value.id));
  const total = zeroMetrics();
  for (const publication of publications) {
    const values = { ...zeroMetrics(), ...counters[publication.platform] };
    for (const key of METRIC_KEYS) total[key] += values[key];
    await db.insert(publicationCounterTable).values({ publicationId: publication.id, ...values });
  }
  await db.insert(videoCounterTable).values({ videoId: created.value.id, ownerId, ...total });
  return { video: published.value, publications };
}

export async function countRows(db: Db, table: string): Promise<number> {
  const rows = await db.execute(sql.raw(`select count(*)::int as count from ${table}`));
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
    count: number;
  }[];
  return Number(list[0]?.count ?? 0);
}
