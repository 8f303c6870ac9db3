import type { FragmentType } from '@apollo/client';
import { useFragment, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../apollo/errors.js';
import { useConnectionState } from '../apollo/status-context.js';
import { graphql } from '../gql/index.js';
import type { NotificationKind } from '../gql/graphql.js';
import { formatDateTime } from '../lib/format.js';

/** Notifications listed in the popover: the newest ones (the count badge covers all of them). */
export const BELL_PAGE_SIZE = 20;

export const NotificationItemFragment = graphql(`
  fragment NotificationItem_notification on Notification {
    id
    kind
    title
    body
    read
    createdAt
    video {
      id
      title
    }
  }
`);

const NotificationBellQuery = graphql(`
  query NotificationBell($first: Int!) {
    notifications(first: $first) {
      totalCount
      unreadCount
      edges {
        node {
          id
          read
          ...NotificationItem_notification
        }
      }
    }
  }
`);

// Unmasked: the bell writes the whole notification into its cached list.
const NotificationBellLive = graphql(`
  subscription NotificationBellLive {
    notificationReceived {
      id
      read
      ...NotificationItem_notification @unmask
    }
  }
`);

const MarkNotificationsRead = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      markedCount
      unreadCount
      notifications {
        id
        read
        readAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const KIND_LABELS: Record<NotificationKind, string> = {
  MILESTONE: 'Milestone',
  VIRAL: 'Going viral',
  PROCESSING_FINISHED: 'Processed',
  PROCESSING_FAILED: 'Processing failed',
  REPORT_RUN_SUCCEEDED: 'Report ready',
  REPORT_RUN_FAILED: 'Report failed',
  EXPORT_READY: 'Export ready',
  WEBHOOK_ENDPOINT_DISABLED: 'Webhook disabled',
};

/** "3 unread" for the button's name; the badge shows 99+ past 99. */
const unreadLabel = (count: number) => (count === 0 ? 'no unread' : `${count} unread`);

function NotificationItem({
  notification,
  onMarkRead,
  onNavigate,
  busy,
}: {
  notification: FragmentType<typeof NotificationItemFragment>;
  onMarkRead: (id: string) => void;
  onNavigate: () => void;
  busy: boolean;
}) {
  const { data, complete } = useFragment({
    fragment: NotificationItemFragment,
    from: notification,
  });
  if (!complete) return null;
  return (
    <li className={data.read ? 'bell-item' : 'bell-item bell-item-unread'}>
      <div className="bell-item-main">
        <p className="bell-item-title">
          {data.read ? null : (
            <>
              <span className="bell-dot" aria-hidden="true" />
              <span className="visually-hidden">Unread: </span>
            </>
          )}
          {data.video ? (
            <Link to={`/videos/${encodeURIComponent(data.video.id)}`} onClick={onNavigate}>
              {data.title}
            </Link>
          ) : (
            data.title
          )}
        </p>
        <p className="bell-item-body">{data.body}</p>
        <p className="bell-item-meta">
          <span className={`bell-kind bell-kind-${data.kind}`}>{KIND_LABELS[data.kind]}</span>{' '}
          <time dateTime={data.createdAt}>{formatDateTime(data.createdAt)}</time>
        </p>
      </div>
      {data.read ? null : (
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          onClick={() => onMarkRead(data.id)}
          aria-label={`Mark read: “${data.title}”`}
        >
          Mark read
        </button>
      )}
    </li>
  );
}

/**
 * The topbar's bell: how many notifications are unread, and a popover with the newest ones to
 * open or mark read. New ones arrive live over the dashboards' socket (`notificationReceived`);
 * after the socket was lost, the list is read again, since the subscription does not replay.
 */
export function NotificationBell() {
  const panelId = useId();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const wrapperRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const { data, error, refetch } = useQuery(NotificationBellQuery, {
    variables: { first: BELL_PAGE_SIZE },
  });
  const connection = data?.notifications;

  useSubscription(NotificationBellLive, {
    // Subscribe once the list is there, so each live notification lands on top of it.
    skip: !connection,
    onData: ({ client, data: message }) => {
      const received = message.data?.notificationReceived;
      if (!received) return;
      client.cache.updateQuery(
        { query: NotificationBellQuery, variables: { first: BELL_PAGE_SIZE } },
        (previous) => {
          if (!previous) return previous;
          const list = previous.notifications;
          if (list.edges.some((edge) => edge.node.id === received.id)) return previous;
          return {
            ...previous,
            notifications: {
              ...list,
              totalCount: list.totalCount + 1,
              unreadCount: list.unreadCount + (received.read ? 0 : 1),
              edges: [
                { __typename: 'NotificationEdge' as const, node: received },
                ...list.edges,
              ].slice(0, BELL_PAGE_SIZE),
            },
          };
        },
      );
      setAnnouncement(`New notification: ${received.title}`);
    },
  });

  // The subscription does not replay what was raised while the socket was away: read it again.
  const socket = useConnectionState();
  const lastSocket = useRef(socket);
  useEffect(() => {
    const before = lastSocket.current;
    lastSocket.current = socket;
    if (socket === 'live' && (before === 'reconnecting' || before === 'offline'))
      void refetch().catch(() => {});
  }, [socket, refetch]);

  const [markRead, { loading: marking, error: markError }] = useMutation(MarkNotificationsRead, {
    update(cache, { data: result }, { variables }) {
      const payload = result?.markNotificationsRead;
      if (!payload || payload.userErrors.length) return;
      cache.updateQuery(
        { query: NotificationBellQuery, variables: { first: BELL_PAGE_SIZE } },
        (previous) =>
          previous && {
            ...previous,
            notifications: {
              ...previous.notifications,
              unreadCount: payload.unreadCount,
              // `all: true` names no ids in its answer: every listed one is read now.
              edges: variables?.input.all
                ? previous.notifications.edges.map((edge) => ({
                    ...edge,
                    node: { ...edge.node, read: true },
                  }))
                : previous.notifications.edges,
            },
          },
      );
    },
  });

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panelRef.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    // On the document: focus may be nowhere (a button that was just removed) when Escape comes.
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const unread = connection?.unreadCount ?? 0;
  const edges = connection?.edges ?? [];
  const mark = (input: { ids: string[] } | { all: true }) =>
    void markRead({ variables: { input } }).catch(() => {});

  return (
    <div
      className="bell"
      ref={wrapperRef}
      onBlur={(event) => {
        // Tabbing out of the popover closes it; focus moving inside it does not.
        const next = event.relatedTarget as Node | null;
        if (open && next && !wrapperRef.current?.contains(next)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="button button-small bell-button"
        aria-label={`Notifications, ${connection ? unreadLabel(unread) : 'loading'}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <svg className="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path
            d="M12 3a6 6 0 0 0-6 6v3.6l-1.7 2.9A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15.5a2.5 2.5 0 0 0 5 0Z"
            fill="currentColor"
          />
        </svg>
        {unread > 0 ? (
          <span className="bell-badge" aria-hidden="true" data-testid="bell-badge">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <div
        id={panelId}
        ref={panelRef}
        className="bell-panel"
        role="region"
        aria-labelledby={titleId}
        tabIndex={-1}
        hidden={!open}
      >
        <div className="bell-header">
          <p id={titleId} className="bell-title">
            Notifications
            {connection ? <span className="muted"> · {unreadLabel(unread)}</span> : null}
          </p>
          <button
            type="button"
            className="button button-small"
            disabled={unread === 0 || marking}
            onClick={() => mark({ all: true })}
          >
            Mark all read
          </button>
        </div>
        {markError ? (
          <p className="bell-error" role="alert">
            Could not mark them read. {describeError(markError)}
          </p>
        ) : null}
        {error && !connection ? (
          <div className="bell-state" role="alert">
            <p>Could not load your notifications. {describeError(error)}</p>
            <button type="button" className="button button-small" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        ) : !connection ? (
          <p className="bell-state muted" role="status">
            Loading…
          </p>
        ) : edges.length === 0 ? (
          <div className="bell-state">
            <p className="state-title">No notifications yet</p>
            <p className="muted">
              Milestones (1,000 views and up), viral spikes and processing results appear here as
              they happen.
            </p>
          </div>
        ) : (
          <>
            <ul className="bell-list">
              {edges.map((edge) => (
                <NotificationItem
                  key={edge.node.id}
                  notification={edge.node}
                  busy={marking}
                  onMarkRead={(id) => {
                    // Its button goes away once read: keep focus in the list, not on the page.
                    panelRef.current?.focus();
                    mark({ ids: [id] });
                  }}
                  onNavigate={() => setOpen(false)}
                />
              ))}
            </ul>
            {connection.totalCount > edges.length ? (
              <p className="bell-more muted">
                The newest {edges.length} of {connection.totalCount.toLocaleString('en')}.
              </p>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
