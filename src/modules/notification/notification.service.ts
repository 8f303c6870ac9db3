import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import { notificationTable, type Notification, type NotificationKind } from '../../db/schema.js';
import type { PubSub } from '../../lib/pubsub.js';
import type { Keyset } from '../common/pagination.js';
import { fail, ok, userError, validateInput, type MutationResult } from '../common/user-error.js';

/** A notification to raise; stored only if its dedupKey is new for the owner. */
export interface NotificationDraft {
  ownerId: string;
  videoId: string;
  kind: NotificationKind;
  title: string;
  /** `{video}` is replaced by the video's title when stored. */
  body: string;
  data: Record<string, unknown>;
  dedupKey: string;
}

/**
 * Stores the drafts in one statement. A dedupKey the owner already has, or a video that no
 * longer exists (or is not the owner's), stores nothing; returns what was stored.
 */
export async function raiseNotifications(
  db: Db,
  drafts: readonly NotificationDraft[],
): Promise<{ id: string; ownerId: string }[]> {
  if (drafts.length === 0) return [];
  const rows = drafts.map((draft) => ({
    owner_id: draft.ownerId,
    video_id: draft.videoId,
    kind: draft.kind,
    title: draft.title,
    body: draft.body,
    data: draft.data,
    dedup_key: draft.dedupKey,
  }));
  const inserted = await queryRows<{ id: string; owner_id: string }>(
    db,
    sql`
      insert into notifications (owner_id, kind, title, body, video_id, data, dedup_key)
      select x.owner_id, x.kind::notification_kind, x.title, replace(x.body, '{video}', v.title),
        x.video_id, x.data, x.dedup_key
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as x(owner_id uuid, video_id uuid, kind text, title text, body text, data jsonb, dedup_key text)
      join videos v on v.id = x.video_id and v.owner_id = x.owner_id
      on conflict (owner_id, dedup_key) do nothing
      returning id, owner_id`,
  );
  return inserted.map((row) => ({ id: row.id, ownerId: row.owner_id }));
}

/** A notification about the account rather than a video (reports, exports, webhooks). */
export interface AccountNotificationDraft {
  ownerId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  dedupKey: string;
}

/**
 * Stores one account notification (a repeated dedupKey stores nothing) and announces it to the
 * owner's `notificationAdded` subscribers; returns its id when stored.
 */
export async function raiseAccountNotification(
  db: Db,
  pubsub: Pick<PubSub, 'publish'>,
  draft: AccountNotificationDraft,
): Promise<string | null> {
  const [row] = await db
    .insert(notificationTable)
    .values(draft)
    .onConflictDoNothing({ target: [notificationTable.ownerId, notificationTable.dedupKey] })
    .returning({ id: notificationTable.id });
  if (row) pubsub.publish('notification:created', draft.ownerId, { notificationId: row.id });
  return row?.id ?? null;
}

/** Notifications by id, restricted to the viewer's own. */
export function loadNotificationsByIds(
  db: Db,
  viewerId: string,
  ids: readonly string[],
): Promise<Notification[]> {
  return db
    .select()
    .from(notificationTable)
    .where(and(inArray(notificationTable.id, [...ids]), eq(notificationTable.ownerId, viewerId)));
}

export interface NotificationPage {
  unreadOnly: boolean;
  after?: Keyset;
  before?: Keyset;
  limit: number;
  /** Fetch from the end (for `last`); rows come back in reverse order. */
  inverted: boolean;
}

export type NotificationListRow = Notification & { sortKey: string };

const n = notificationTable;

function conditions(ownerId: string, unreadOnly: boolean): SQL[] {
  const where: SQL[] = [eq(n.ownerId, ownerId)];
  if (unreadOnly) where.push(isNull(n.readAt));
  return where;
}

/** Newest first, keyset-paginated on (created_at, id), the owner's index order. */
export async function listNotifications(
  db: Db,
  ownerId: string,
  page: NotificationPage,
): Promise<NotificationListRow[]> {
  const where = conditions(ownerId, page.unreadOnly);
  const keyset = (keyset: Keyset, older: boolean) =>
    sql`(${n.createdAt}, ${n.id}) ${sql.raw(older ? '<' : '>')} (cast(${keyset.key} as timestamptz), cast(${keyset.id} as uuid))`;
  if (page.after) where.push(keyset(page.after, true));
  if (page.before) where.push(keyset(page.before, false));
  const order = page.inverted ? asc : desc;
  const rows = await db
    .select({ notification: n, sortKey: sql<string>`(${n.createdAt})::text` })
    .from(n)
    .where(and(...where))
    .orderBy(order(n.createdAt), order(n.id))
    .limit(page.limit);
  return rows.map((row) => ({ ...row.notification, sortKey: row.sortKey }));
}

export async function countNotifications(
  db: Db,
  ownerId: string,
  unreadOnly: boolean,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(n)
    .where(and(...conditions(ownerId, unreadOnly)));
  return Number(row?.count ?? 0);
}

export const MAX_MARK_IDS = 100;

const markInput = z
  .object({
    ids: z.array(z.string()).max(MAX_MARK_IDS, `at most ${MAX_MARK_IDS} ids`).optional(),
    all: z.boolean().optional(),
  })
  .refine((input) => (input.all === true) !== (input.ids !== undefined && input.ids.length > 0), {
    message: 'give either ids (1–100) or all: true',
  });

export interface MarkReadResult {
  /** The notifications named by `ids`, as they are now; empty for `all`. */
  notifications: Notification[];
  /** How many went from unread to read. */
  marked: number;
}

/**
 * Marks notifications read: the given ones (all must be the viewer's, else nothing changes), or
 * every unread one. Already-read ones keep their first read time.
 */
export async function markNotificationsRead(
  db: Db,
  ownerId: string,
  input: { ids?: string[] | null; all?: boolean | null },
): Promise<MutationResult<MarkReadResult>> {
  const valid = validateInput(markInput, {
    ids: input.ids ?? undefined,
    all: input.all ?? undefined,
  });
  if (!valid.ok) return valid;
  const now = new Date();
  if (valid.value.all) {
    const marked = await db
      .update(n)
      .set({ readAt: now })
      .where(and(eq(n.ownerId, ownerId), isNull(n.readAt)))
      .returning({ id: n.id });
    return ok({ notifications: [], marked: marked.length });
  }
  const ids = [...new Set(valid.value.ids)];
  const found = await loadNotificationsByIds(db, ownerId, ids);
  const known = new Set(found.map((notification) => notification.id));
  const missing = (valid.value.ids ?? []).flatMap((id, index) =>
    known.has(id)
      ? []
      : [userError(['input', 'ids', String(index)], 'NOT_FOUND', 'Notification not found.')],
  );
  if (missing.length > 0) return fail(...missing);
  const marked = await db
    .update(n)
    .set({ readAt: now })
    .where(and(eq(n.ownerId, ownerId), inArray(n.id, ids), isNull(n.readAt)))
    .returning({ id: n.id });
  const byId = new Map(
    (await loadNotificationsByIds(db, ownerId, ids)).map((row) => [row.id, row]),
  );
  return ok({
    notifications: ids.flatMap((id) => byId.get(id) ?? []),
    marked: marked.length,
  });
}
