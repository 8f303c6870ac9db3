import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { BELL_PAGE_SIZE, NotificationBell } from '../../client/src/components/notification-bell.js';
import {
  MarkNotificationsReadDocument,
  NotificationBellDocument,
  NotificationBellLiveDocument,
} from '../../client/src/gql/graphql.js';
import { notification, notificationConnection, notificationId, videoId } from './fixtures.js';
import { fakeConnection, renderPage } from './render.js';

afterEach(cleanup);

const list = (connection: ReturnType<typeof notificationConnection>) => ({
  request: { query: NotificationBellDocument, variables: { first: BELL_PAGE_SIZE } },
  result: { data: { __typename: 'Query', notifications: connection } },
});

/** No live notification during the test. */
const quiet = {
  request: { query: NotificationBellLiveDocument },
  result: { data: { notificationReceived: notification(99) } },
  delay: 600_000,
};

const live = (n: number) => ({
  request: { query: NotificationBellLiveDocument },
  result: { data: { notificationReceived: notification(n) } },
});

const marked = (input: Record<string, unknown>, unreadCount: number, ids: number[] = []) => ({
  request: { query: MarkNotificationsReadDocument, variables: { input } },
  result: {
    data: {
      __typename: 'Mutation',
      markNotificationsRead: {
        __typename: 'MarkNotificationsReadPayload',
        markedCount: Math.max(ids.length, 1),
        unreadCount,
        notifications: ids.map((n) => ({
          __typename: 'Notification',
          id: notificationId(n),
          read: true,
          readAt: '2026-11-21T11:00:00.000Z',
        })),
        userErrors: [],
      },
    },
  },
});

const unreadTwo = () =>
  notificationConnection([notification(3), notification(2), notification(1, { read: true })]);

const bell = () => screen.getByRole('button', { name: /^Notifications/ });
const panel = () => screen.getByRole('region', { name: /^Notifications/ });

describe('the notifications bell', () => {
  it('says how many are unread, on the button and in a badge', async () => {
    renderPage(<NotificationBell />, { mocks: [list(unreadTwo()), quiet] });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    expect(screen.getByTestId('bell-badge').textContent).toBe('2');
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('region', { name: /^Notifications/ })).toBeNull();
  });

  it('opens a list with focus in it; Escape closes it and gives focus back', async () => {
    renderPage(<NotificationBell />, { mocks: [list(unreadTwo()), quiet] });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toContain('2 unread'));
    await userEvent.click(bell());
    expect(bell().getAttribute('aria-expanded')).toBe('true');
    expect(bell().getAttribute('aria-controls')).toBe(panel().id);
    expect(document.activeElement).toBe(panel());

    const items = within(panel()).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]!.textContent).toContain('Unread: 3,000 views');
    expect(items[0]!.textContent).toContain('“Video number 3” passed 3,000 views.');
    expect(items[0]!.textContent).toContain('Milestone');
    expect(items[2]!.textContent).not.toContain('Unread');
    expect(within(items[2]!).queryByRole('button')).toBeNull();
    expect(within(items[0]!).getByRole('link', { name: '3,000 views' }).getAttribute('href')).toBe(
      `/videos/${encodeURIComponent(videoId(3))}`,
    );

    await userEvent.tab();
    expect(document.activeElement).toBe(
      within(panel()).getByRole('button', { name: 'Mark all read' }),
    );
    await userEvent.keyboard('{Escape}');
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('region', { name: /^Notifications/ })).toBeNull();
    expect(document.activeElement).toBe(bell());
  });

  it('closes when clicking elsewhere', async () => {
    renderPage(
      <>
        <NotificationBell />
        <p>Elsewhere</p>
      </>,
      { mocks: [list(unreadTwo()), quiet] },
    );
    await waitFor(() => expect(bell().getAttribute('aria-label')).toContain('2 unread'));
    await userEvent.click(bell());
    expect(panel()).toBeTruthy();
    await userEvent.click(screen.getByText('Elsewhere'));
    expect(bell().getAttribute('aria-expanded')).toBe('false');
  });

  it('marks one notification read', async () => {
    renderPage(<NotificationBell />, {
      mocks: [list(unreadTwo()), quiet, marked({ ids: [notificationId(3)] }, 1, [3])],
    });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toContain('2 unread'));
    await userEvent.click(bell());
    await userEvent.click(
      within(panel()).getByRole('button', { name: 'Mark read: “3,000 views”' }),
    );
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 1 unread'));
    expect(screen.getByTestId('bell-badge').textContent).toBe('1');
    const items = within(panel()).getAllByRole('listitem');
    expect(items[0]!.textContent).not.toContain('Unread');
    expect(items[1]!.textContent).toContain('Unread');
    expect(within(panel()).getAllByRole('button', { name: /^Mark read: / })).toHaveLength(1);
    // The pressed button is gone: focus stays in the list, and Escape still closes it.
    expect(document.activeElement).toBe(panel());
    await userEvent.keyboard('{Escape}');
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(bell());
  });

  it('marks all read', async () => {
    renderPage(<NotificationBell />, {
      mocks: [list(unreadTwo()), quiet, marked({ all: true }, 0)],
    });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toContain('2 unread'));
    await userEvent.click(bell());
    await userEvent.click(within(panel()).getByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, no unread'));
    expect(screen.queryByTestId('bell-badge')).toBeNull();
    expect(within(panel()).queryByText(/Unread:/)).toBeNull();
    expect(
      (within(panel()).getByRole('button', { name: 'Mark all read' }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
  });

  it('adds a notification that arrives live, on top, and announces it', async () => {
    renderPage(<NotificationBell />, { mocks: [list(unreadTwo()), live(7)] });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 3 unread'));
    expect(screen.getByTestId('bell-badge').textContent).toBe('3');
    expect(screen.getByText('New notification: 7,000 views').getAttribute('role')).toBe('status');
    await userEvent.click(bell());
    const items = within(panel()).getAllByRole('listitem');
    expect(items).toHaveLength(4);
    expect(items[0]!.textContent).toContain('“Video number 7” passed 7,000 views.');
  });

  it('reads the list again after the live connection came back', async () => {
    const connection = fakeConnection('live');
    renderPage(<NotificationBell />, {
      connection,
      mocks: [
        list(unreadTwo()),
        quiet,
        list(notificationConnection([notification(4), notification(3), notification(2)])),
      ],
    });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toContain('2 unread'));
    connection.set('reconnecting');
    connection.set('live');
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 3 unread'));
  });

  it('has an empty state and an error state with a retry', async () => {
    renderPage(<NotificationBell />, {
      mocks: [
        {
          request: { query: NotificationBellDocument, variables: { first: BELL_PAGE_SIZE } },
          error: new Error('down'),
        },
        list(notificationConnection([])),
        quiet,
      ],
    });
    await userEvent.click(bell());
    const alert = await within(panel()).findByRole('alert');
    expect(alert.textContent).toContain('Could not load your notifications.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await within(panel()).findByText('No notifications yet')).toBeTruthy();
    expect(bell().getAttribute('aria-label')).toBe('Notifications, no unread');
  });
});
