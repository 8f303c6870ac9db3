import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { signedIn } from '../auth/viewer.js';
import { Repeater } from 'graphql-yoga';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { NOTIFICATION_KINDS, type Notification } from '../../db/schema.js';
import { listenNow } from '../../lib/listen.js';
import { UserErrorRef } from '../common/common.graphql.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import type { MutationResult } from '../common/user-error.js';
import { VideoRef } from '../video/video.graphql.js';
import {
  countNotifications,
  listNotifications,
  loadNotificationsByIds,
  markNotificationsRead,
  MAX_MARK_IDS,
  type MarkReadResult,
  type NotificationListRow,
} from './notification.service.js';

const kindDescriptions: Record<(typeof NOTIFICATION_KINDS)[number], string> = {
  milestone: 'A video reached a lifetime view milestone (1K, 10K, 100K, 1M, 10M).',
  viral: 'A video is getting views far above its recent rate.',
  processing_finished: 'A video finished processing and is ready to publish.',
  processing_failed: 'A video could not be processed.',
  report_run_succeeded: 'A scheduled report ran; its files are ready to download.',
  report_run_failed: 'A scheduled report could not run (after its retries).',
  export_ready: 'An export finished and can be downloaded.',
  webhook_endpoint_disabled: 'A webhook endpoint was disabled after failing for too long.',
};

const NotificationKindEnum = builder.enumType('NotificationKind', {
  description: 'What a notification is about.',
  values: Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [
      kind.toUpperCase(),
      { value: kind, description: kindDescriptions[kind] },
    ]),
  ) as Record<
    Uppercase<(typeof NOTIFICATION_KINDS)[number]>,
    { value: (typeof NOTIFICATION_KINDS)[number]; description: string }
  >,
});

export const NotificationRef = builder.loadableNodeRef('Notification', {
  id: { resolve: (notification: Notification) => notification.id },
  sort: (notification) => notification.id,
  load: (ids: string[], context: Context) =>
    loadNotificationsByIds(context.db, signedIn(context).user.id, ids),
});

const numberIn = (data: Record<string, unknown>, key: string) =>
  typeof data[key] === 'number' ? (data[key] as number) : null;

NotificationRef.implement({
  description: 'Something that happened to your content. Needs `read:user`.',
  authScopes: { scope: 'read:user' },
  fields: (t) => ({
    kind: t.expose('kind', { type: NotificationKindEnum, description: 'What it is about.' }),
    title: t.exposeString('title', { description: 'Short headline, e.g. "10,000 views".' }),
    body: t.exposeString('body', { description: 'One sentence naming the video.' }),
    video: t.field({
      type: VideoRef,
      nullable: true,
      description: 'The video it concerns (needs `read:videos`).',
      resolve: (notification) => notification.videoId,
    }),
    milestone: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'For MILESTONE: the view count reached; null otherwise.',
      resolve: (notification) =>
        notification.kind === 'milestone' ? numberIn(notification.data, 'milestone') : null,
    }),
    read: t.boolean({
      description: 'Whether it was marked read.',
      resolve: (notification) => notification.readAt !== null,
    }),
    readAt: t.expose('readAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was first marked read; null while unread.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was raised.' }),
  }),
});

type NotificationConnectionShape = {
  totalCount: () => Promise<number>;
  unreadCount: () => Promise<number>;
};

const NotificationConnection = builder.connectionObject({
  type: NotificationRef,
  name: 'NotificationConnection',
  description: 'A page of notifications, newest first.',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many notifications match (`unreadOnly` respected), across all pages.',
      resolve: (connection) => (connection as unknown as NotificationConnectionShape).totalCount(),
    }),
    unreadCount: t.int({
      description: 'How many of your notifications are unread, whatever the filter.',
      resolve: (connection) => (connection as unknown as NotificationConnectionShape).unreadCount(),
    }),
  }),
});

const ORDER = 'notifications:created_at:desc';

builder.queryFields((t) => ({
  notifications: t.connection(
    {
      type: NotificationRef,
      description:
        'Your notifications, newest first (keyset cursors: stable while new ones arrive). `first`/`last` accept 1–100 (default 20). Needs `read:user`.',
      authScopes: { scope: 'read:user' },
      args: {
        unreadOnly: t.arg.boolean({
          defaultValue: false,
          description: 'Only those not yet marked read.',
        }),
      },
      resolve: async (_root, args, context) => {
        const ownerId = signedIn(context).user.id;
        const unreadOnly = args.unreadOnly ?? false;
        const { maxPageSize, defaultPageSize } = context.config.limits;
        const connection = await resolveCursorConnection(
          {
            args,
            defaultSize: defaultPageSize,
            maxSize: maxPageSize,
            toCursor: (row: NotificationListRow) =>
              encodeCursor({ order: ORDER, key: row.sortKey, id: row.id }),
          },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            listNotifications(context.db, ownerId, {
              unreadOnly,
              after: decodeCursor(after, ORDER, 'timestamptz'),
              before: decodeCursor(before, ORDER, 'timestamptz'),
              limit,
              inverted,
            }),
        );
        return {
          ...connection,
          totalCount: () => countNotifications(context.db, ownerId, unreadOnly),
          unreadCount: () => countNotifications(context.db, ownerId, true),
        };
      },
    },
    NotificationConnection,
  ),
}));

const MarkNotificationsReadInput = builder.inputType('MarkNotificationsReadInput', {
  description: 'Which notifications to mark read: either `ids` or `all: true`.',
  fields: (t) => ({
    ids: t.globalIDList({
      for: NotificationRef,
      description: `Notifications to mark read (1–${MAX_MARK_IDS}); every one must be yours, else nothing changes.`,
    }),
    all: t.boolean({ description: 'Mark every unread notification read.' }),
  }),
});

const MarkNotificationsReadPayload = builder
  .objectRef<MutationResult<MarkReadResult>>('MarkNotificationsReadPayload')
  .implement({
    description: 'Result of markNotificationsRead.',
    fields: (t) => ({
      notifications: t.field({
        type: [NotificationRef],
        description: 'The notifications named by `ids`, now read; empty for `all` or on error.',
        resolve: (result) => (result.ok ? result.value.notifications : []),
      }),
      markedCount: t.int({
        description: 'How many went from unread to read.',
        resolve: (result) => (result.ok ? result.value.marked : 0),
      }),
      unreadCount: t.int({
        description: 'How many of your notifications are still unread.',
        resolve: (_result, _args, context) =>
          countNotifications(context.db, signedIn(context).user.id, true),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why nothing was marked; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

builder.mutationFields((t) => ({
  markNotificationsRead: t.withAuth({ scope: 'write:user' }).field({
    type: MarkNotificationsReadPayload,
    description: 'Marks notifications read: the given `ids`, or `all: true`. Needs `write:user`.',
    args: {
      input: t.arg({
        type: MarkNotificationsReadInput,
        required: true,
        description: 'Which notifications.',
      }),
    },
    resolve: (_root, { input }, context) =>
      markNotificationsRead(context.db, context.viewer.user.id, {
        ids: input.ids?.map((id) => id.id) ?? null,
        all: input.all ?? null,
      }),
  }),
}));

builder.subscriptionFields((t) => ({
  notificationReceived: t.withAuth({ scope: 'read:user' }).field({
    type: NotificationRef,
    description:
      'Each notification raised for you from now on (milestones, viral alerts, processing results); past ones are in `notifications`. Needs `read:user`.',
    subscribe: (_root, _args, context) => {
      const created = listenNow([
        context.pubsub.subscribe('notification:created', context.viewer.user.id),
      ]);
      return new Repeater<string>(async (push, stop) => {
        const shutdown = () => stop();
        context.shutdownSignal.addEventListener('abort', shutdown, { once: true });
        if (context.shutdownSignal.aborted) shutdown();
        void stop.then(() => {
          context.shutdownSignal.removeEventListener('abort', shutdown);
          return created.return?.();
        });
        for await (const { notificationId } of created) await push(notificationId);
        stop();
      });
    },
    // The loader reads it for this viewer only: a notification of someone else never resolves.
    resolve: (notificationId) => notificationId,
  }),
}));
