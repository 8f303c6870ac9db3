import { and, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  METRIC_KEYS,
  publicationCounterTable,
  publicationTable,
  videoCounterTable,
  videoTable,
  type MetricValues,
  type Publication,
  type Video,
} from '../../db/schema.js';
import { pickMetrics } from '../common/metric-keys.js';

export type VideoWithStats = Video & { stats: MetricValues };
export type PublicationWithStats = Publication & { stats: MetricValues };

/** Selection of the metric columns of a counter table, for `select({ ..., stats: ... })`. */
export function metricsOf<T extends typeof videoCounterTable | typeof publicationCounterTable>(
  table: T,
) {
  const columns = getTableColumns(table) as Record<string, unknown>;
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, columns[key]])) as {
    [K in (typeof METRIC_KEYS)[number]]: T['_']['columns'][K];
  };
}

/** Videos by id with their totals, restricted to the viewer's own. */
export async function loadVideosByIds(
  db: Db,
  viewerId: string,
  ids: readonly string[],
): Promise<VideoWithStats[]> {
  const rows = await db
    .select({ video: videoTable, stats: metricsOf(videoCounterTable) })
    .from(videoTable)
    .leftJoin(videoCounterTable, eq(videoCounterTable.videoId, videoTable.id))
    .where(and(inArray(videoTable.id, [...ids]), eq(videoTable.ownerId, viewerId)));
  return rows.map((row) => ({ ...row.video, stats: pickMetrics(row.stats) }));
}

const selectPublications = (db: Db) =>
  db
    .select({ publication: publicationTable, stats: metricsOf(publicationCounterTable) })
    .from(publicationTable)
    .leftJoin(
      publicationCounterTable,
      eq(publicationCounterTable.publicationId, publicationTable.id),
    );

const toPublication = (row: { publication: Publication; stats: Partial<MetricValues> | null }) => ({
  ...row.publication,
  stats: pickMetrics(row.stats),
});

/** Publications by id with their counters, restricted to the viewer's own. */
export async function loadPublicationsByIds(
  db: Db,
  viewerId: string,
  ids: readonly string[],
): Promise<PublicationWithStats[]> {
  const rows = await selectPublications(db).where(
    and(inArray(publicationTable.id, [...ids]), eq(publicationTable.ownerId, viewerId)),
  );
  return rows.map(toPublication);
}

/** Each video's publications with their counters, in key order, ordered by platform. */
export async function loadPublicationsByVideoIds(
  db: Db,
  viewerId: string,
  videoIds: readonly string[],
): Promise<PublicationWithStats[][]> {
  const rows = await selectPublications(db)
    .where(
      and(inArray(publicationTable.videoId, [...videoIds]), eq(publicationTable.ownerId, viewerId)),
    )
    .orderBy(publicationTable.platform);
  const byVideo = new Map<string, PublicationWithStats[]>();
  for (const row of rows) {
    const list = byVideo.get(row.publication.videoId) ?? [];
    list.push(toPublication(row));
    byVideo.set(row.publication.videoId, list);
  }
  return videoIds.map((id) => byVideo.get(id) ?? []);
}
