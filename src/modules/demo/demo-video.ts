import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { publicationTable, userTable, videoTable, type Platform } from '../../db/schema.js';
import { DEMO_EMAIL } from './demo.service.js';

export interface DemoVideo {
  /** The video's row id (a UUID; GraphQL callers encode it as a `Video` global ID). */
  id: string;
  title: string;
  /** The platforms it is published on, in a stable order. */
  platforms: Platform[];
}

/**
 * The demo creator's newest published video: the one demo traffic moves the most, used by the
 * preloaded GraphiQL tab and the commands the startup log prints. Null without the demo user.
 */
export async function newestDemoVideo(db: Db): Promise<DemoVideo | null> {
  const [video] = await db
    .select({ id: videoTable.id, title: videoTable.title })
    .from(videoTable)
    .innerJoin(userTable, eq(userTable.id, videoTable.ownerId))
    .where(and(eq(userTable.email, DEMO_EMAIL), isNotNull(videoTable.publishedAt)))
    .orderBy(desc(videoTable.publishedAt), desc(videoTable.id))
    .limit(1);
  if (!video) return null;
  const publications = await db
    .select({ platform: publicationTable.platform })
    .from(publicationTable)
    .where(eq(publicationTable.videoId, video.id))
    .orderBy(asc(publicationTable.platform));
  return { ...video, platforms: publications.map((publication) => publication.platform) };
}
