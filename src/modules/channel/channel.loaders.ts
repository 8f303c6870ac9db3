import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { channelTable, type Channel } from '../../db/schema.js';

/** Channels by id, restricted to the viewer's own; missing or foreign ids are simply absent. */
export const loadChannelsByIds = (db: Db, viewerId: string, ids: readonly string[]) =>
  db
    .select()
    .from(channelTable)
    .where(and(inArray(channelTable.id, [...ids]), eq(channelTable.ownerId, viewerId)));

/** Each owner's channels, in key order; a user can only ask for their own (one key). */
export async function loadChannelsByOwnerIds(
  db: Db,
  ownerIds: readonly string[],
): Promise<Channel[][]> {
  const rows = await db
    .select()
    .from(channelTable)
    .where(inArray(channelTable.ownerId, [...ownerIds]))
    .orderBy(asc(channelTable.platform), asc(channelTable.createdAt));
  return ownerIds.map((ownerId) => rows.filter((row) => row.ownerId === ownerId));
}
