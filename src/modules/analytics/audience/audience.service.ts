import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { queryRows } from '../../../db/raw.js';
import type { Platform } from '../../../db/schema.js';
import { changePct } from '../../common/metric-keys.js';
import type { MutationResult, UserErrorData } from '../../common/user-error.js';
import { inList } from '../storage/rollups.js';
import { addDays, isCalendarDate, localDate } from '../../../lib/time-zone.js';

export interface AudiencePoint {
  date: string;
  followers: number;
  following: number;
  posts: number;
}

export interface ChannelGrowth {
  channelId: string;
  platform: Platform;
  /** Followers at the start of the range: the last snapshot on or before its first day. */
  startFollowers: number | null;
  endFollowers: number | null;
  change: number | null;
  /** change / startFollowers × 100; null when the start is unknown or 0. */
  growthRate: number | null;
  /** One point per day from the first known snapshot, the last snapshot carried forward. */
  points: AudiencePoint[];
}

/**
 * Followers per channel over local dates `startDate`…`endDate`, for the owner's channels (all,
 * or the given ones). Snapshots are daily and dated in the account's zone; days without one
 * carry the previous day's numbers.
 */
export async function channelGrowth(
  db: Db,
  ownerId: string,
  startDate: string,
  endDate: string,
  options: { channelIds?: string[] | null; platforms?: Platform[] | null } = {},
): Promise<ChannelGrowth[]> {
  const conditions = [sql`c.owner_id = ${ownerId}`];
  if (options.channelIds) conditions.push(sql`c.id in (${inList(options.channelIds)})`);
  if (options.platforms) conditions.push(sql`c.platform in (${inList(options.platforms)})`);
  const where = sql.join(conditions, sql` and `);
  const rows = await queryRows<{
    channel_id: string;
    platform: Platform;
    day: string | null;
    followers: number | null;
    following: number | null;
    posts: number | null;
  }>(
    db,
    sql`select c.id::text as channel_id, c.platform::text as platform, a.day::text as day,
          a.followers::float8 as followers, a.following::float8 as following, a.posts::float8 as posts
        from channels c
        left join lateral (
          (select day, followers, following, posts from channel_audience_daily
            where channel_id = c.id and day < ${startDate}::date order by day desc limit 1)
          union all
          (select day, followers, following, posts from channel_audience_daily
            where channel_id = c.id and day >= ${startDate}::date and day <= ${endDate}::date)
        ) a on true
        where ${where}
        order by c.platform, c.created_at, c.id, a.day`,
  );
  const channels = new Map<string, { platform: Platform; snapshots: AudiencePoint[] }>();
  for (const row of rows) {
    let channel = channels.get(row.channel_id);
    if (!channel) {
      channel = { platform: row.platform, snapshots: [] };
      channels.set(row.channel_id, channel);
    }
    if (row.day !== null)
      channel.snapshots.push({
        date: row.day,
        followers: Number(row.followers),
        following: Number(row.following),
        posts: Number(row.posts),
      });
  }
  return [...channels].map(([channelId, { platform, snapshots }]) => {
    const points: AudiencePoint[] = [];
    let last: AudiencePoint | undefined;
    let next = 0;
    for (let date = startDate; date <= endDate; date = addDays(date, 1)) {
      while (next < snapshots.length && snapshots[next]!.date <= date) last = snapshots[next++];
      if (last) points.push({ ...last, date });
    }
    const start = points[0]?.followers ?? null;
    const end = points.at(-1)?.followers ?? null;
    return {
      channelId,
      platform,
      startFollowers: start,
      endFollowers: end,
      change: start === null || end === null ? null : end - start,
      growthRate: changePct(end, start),
      points,
    };
  });
}

export interface AudienceEntry {
  channelId: string | null;
  date: string | null;
  followers: number;
  following: number | null;
  posts: number | null;
}

export const MAX_AUDIENCE_ENTRIES = 1_000;

/**
 * Stores daily audience snapshots (one row per channel and day; a later write for the same day
 * replaces it) and moves each channel's `followers` to its newest snapshot. All or nothing.
 */
export async function recordChannelAudience(
  db: Db,
  owner: { id: string; timezone: string },
  entries: AudienceEntry[],
  now = Date.now(),
): Promise<MutationResult<{ recorded: number }>> {
  const errors: UserErrorData[] = [];
  const problem = (index: number, field: string, message: string, code: UserErrorData['code']) =>
    errors.push({ field: ['input', 'entries', String(index), field], message, code });
  const today = localDate(now, owner.timezone);
  if (entries.length > MAX_AUDIENCE_ENTRIES)
    errors.push({
      field: ['input', 'entries'],
      message: `at most ${MAX_AUDIENCE_ENTRIES} entries per call`,
      code: 'INVALID',
    });
  const ids = [...new Set(entries.map((e) => e.channelId).filter((id): id is string => !!id))];
  const owned = ids.length
    ? await queryRows<{ id: string; platform: Platform }>(
        db,
        sql`select id::text as id, platform::text as platform from channels where owner_id = ${owner.id} and id in (${inList(ids)})`,
      )
    : [];
  const platformOf = new Map(owned.map((row) => [row.id, row.platform]));
  entries.forEach((entry, index) => {
    if (!entry.channelId || !platformOf.has(entry.channelId))
      problem(index, 'channel', 'no such channel', 'NOT_FOUND');
    const date = entry.date ?? today;
    if (!isCalendarDate(date)) problem(index, 'date', 'must be a date (YYYY-MM-DD)', 'INVALID');
    else if (date > addDays(today, 1)) problem(index, 'date', 'is in the future', 'INVALID');
    for (const field of ['followers', 'following', 'posts'] as const) {
      const value = entry[field];
      if (value !== null && (!Number.isSafeInteger(value) || value < 0))
        problem(index, field, 'must be a non-negative integer', 'INVALID');
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  if (entries.length === 0) return { ok: true, value: { recorded: 0 } };

  const payload = entries
    .map((entry) => ({
      channel_id: entry.channelId!,
      day: entry.date ?? today,
      owner_id: owner.id,
      platform: platformOf.get(entry.channelId!),
      followers: entry.followers,
      following: entry.following,
      posts: entry.posts,
    }))
    .sort((a, b) => (a.channel_id + a.day).localeCompare(b.channel_id + b.day)); // stable: later wins
  // Omitted numbers carry an earlier entry of the same call; the first ones the stored rows.
  payload.forEach((row, index) => {
    const before = payload[index - 1];
    if (before?.channel_id !== row.channel_id) return;
    row.following ??= before.following;
    row.posts ??= before.posts;
  });
  await db.transaction(async (tx) => {
    // Omitted following/posts carry the channel's latest earlier (or same-day) numbers.
    await tx.execute(sql`
      with x as (
        select distinct on (channel_id, day) *
        from json_to_recordset(${JSON.stringify(payload.map((row, i) => ({ ...row, i })))}::json)
          as x(channel_id uuid, day date, owner_id uuid, platform text, followers bigint, following bigint, posts bigint, i int)
        order by channel_id, day, i desc
      )
      insert into channel_audience_daily (channel_id, day, owner_id, platform, followers, following, posts)
      select x.channel_id, x.day, x.owner_id, x.platform::platform, x.followers,
        coalesce(x.following, before.following, 0), coalesce(x.posts, before.posts, 0)
      from x left join lateral (
        select following, posts from channel_audience_daily a
        where a.channel_id = x.channel_id and a.day <= x.day order by a.day desc limit 1
      ) before on true
      order by x.channel_id, x.day
      on conflict (channel_id, day) do update set
        followers = excluded.followers, following = excluded.following, posts = excluded.posts`);
    await tx.execute(sql`
      update channels c set followers = latest.followers, updated_at = now()
      from (
        select distinct on (channel_id) channel_id, followers from channel_audience_daily
        where channel_id in (${inList(ids)}) order by channel_id, day desc
      ) latest
      where c.id = latest.channel_id`);
  });
  return { ok: true, value: { recorded: entries.length } };
}
