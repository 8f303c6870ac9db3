import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { publicationTable, videoTable } from '../db/schema.js';
import type { IngestEvent } from './apply-batch.js';
import type { IngestWriter } from './writer.js';

const TRENDING_VIDEOS = 10;

/**
 * Demo mode only: keeps the demo creator's newest videos gaining views and likes through the
 * normal ingest path, so dashboards and live subscriptions move on a fresh `npm start`.
 */
export async function startDemoTraffic(options: {
  db: Db;
  ingest: IngestWriter;
  logger: Logger;
  ownerId: string;
  intervalMs: number;
  signal: AbortSignal;
}): Promise<void> {
  const { db, ingest, logger, ownerId, signal } = options;
  const publications = await db
    .select({
      publicationId: publicationTable.id,
      videoId: publicationTable.videoId,
      channelId: publicationTable.channelId,
      platform: publicationTable.platform,
    })
    .from(publicationTable)
    .innerJoin(videoTable, eq(videoTable.id, publicationTable.videoId))
    .where(and(eq(publicationTable.ownerId, ownerId), isNotNull(videoTable.publishedAt)))
    .orderBy(desc(videoTable.publishedAt));
  const trendingVideos = [...new Set(publications.map((p) => p.videoId))].slice(0, TRENDING_VIDEOS);
  const targets = publications.filter((p) => trendingVideos.includes(p.videoId));
  if (targets.length === 0) return;

  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    const now = new Date();
    const events: IngestEvent[] = targets.flatMap((target, index) => {
      const views = 1 + Math.floor(Math.random() * 30);
      const base = { ownerId, ...target, total: null, occurredAt: now };
      const id = `demo-traffic-${now.getTime()}-${tick}-${index}`;
      return [
        { ...base, eventId: `${id}-v`, metric: 'views' as const, delta: views },
        {
          ...base,
          eventId: `${id}-l`,
          metric: 'likes' as const,
          delta: Math.round(views * Math.random() * 0.1),
        },
      ];
    });
    ingest
      .submit(events)
      .catch((error: unknown) => logger.warn({ err: error }, 'demo traffic batch refused'));
  }, options.intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
