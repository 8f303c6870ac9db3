import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CreateApiKeyDocument,
  DeveloperPageDocument,
  RevokeApiKeyDocument,
} from '../../client/src/gql/graphql.js';
import { ALL_SCOPES } from '../../client/src/lib/scopes.js';
import { DeveloperPage } from '../../client/src/pages/developer-page.js';
import { apiKey, usage } from './fixtures.js';
import { emulateScreenWidth, renderPage, TEST_KEY } from './render.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const developer = (keys: unknown[], { empty = false } = {}) => ({
  request: { query: DeveloperPageDocument },
  result: {
    data: {
      __typename: 'Query',
      me: { __typename: 'User', id: 'VXNlcjox', email: 'ada@pulse.test', plan: 'PRO' },
      apiKeys: keys,
      myApps: [],
      installedApps: [],
      usage: usage({ empty }),
    },
  },
});

const SECRET = `pulse_${'s'.repeat(50)}`;

describe('Developer page', () => {
  it('shows a loading state first', () => {
    renderPage(<DeveloperPage />, { mocks: [{ ...developer([]), delay: 60_000 }] });
    expect(screen.getByRole('status', { name: 'Loading your developer settings' })).toBeTruthy();
  });

  it('shows an error with a retry', async () => {
    renderPage(<DeveloperPage />, {
      mocks: [
        { request: { query: DeveloperPageDocument }, error: new Error('down') },
        developer([]),
      ],
    });
    const alert = await screen.findByRole('alert');
    // The page keeps its title (its h1) while it cannot show its content.
    expect(screen.getByRole('heading', { level: 1, name: 'Developer' })).toBeTruthy();
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'API keys' })).toBeTruthy();
  });

  it('shows empty states without keys, usage or apps', async () => {
    renderPage(<DeveloperPage />, { mocks: [developer([], { empty: true })] });
    expect(await screen.findByText('No API keys yet')).toBeTruthy();
    expect(screen.getByText('No API calls in these 30 days')).toBeTruthy();
    expect(screen.getByText('You have not registered an app')).toBeTruthy();
  });

  it('lists keys, marks the session’s own, and shows usage and quota', async () => {
    renderPage(<DeveloperPage />, {
      mocks: [developer([apiKey(1, TEST_KEY.slice(0, 18)), apiKey(2)])],
    });
    const table = await screen.findByRole('region', { name: 'API keys table' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('this session');
    expect(rows[2]!.textContent).not.toContain('this session');
    expect(screen.getByText('99 of 100 left')).toBeTruthy();
  });

  it('on a phone, shows each key as a card with every fact and action', async () => {
    emulateScreenWidth(375);
    const revoked = { ...apiKey(3), status: 'REVOKED' };
    const used = {
      ...apiKey(2),
      scopes: ['READ_ANALYTICS', 'MANAGE_WEBHOOKS'],
      status: 'DISABLED',
      lastUsedAt: '2026-11-21T09:30:00.000Z',
    };
    renderPage(<DeveloperPage />, {
      mocks: [developer([apiKey(1, TEST_KEY.slice(0, 18)), used, revoked])],
    });
    const list = await screen.findByRole('list', { name: 'API keys' });
    // No table to scroll sideways on a phone.
    expect(screen.queryByRole('region', { name: 'API keys table' })).toBeNull();
    expect(within(list.closest('section')!).queryByRole('table')).toBeNull();
    const cards = within(list)
      .getAllByRole('listitem')
      .filter((item) => item.parentElement === list);
    expect(cards).toHaveLength(3);

    const first = within(cards[0]!).getByRole('article', { name: /^Key 1/ });
    expect(within(first).getByRole('heading', { level: 3 }).textContent).toBe('Key 1 this session');
    expect(first.textContent).toContain(`${TEST_KEY.slice(0, 18)}…`);
    const scopes = within(first)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(scopes).toEqual(['read:user', 'read:videos']);
    expect(within(first).getByText('Active')).toBeTruthy();
    expect(within(first).getByText('Never')).toBeTruthy();
    for (const action of ['Rotate', 'Disable', 'Revoke'])
      expect(within(first).getByRole('button', { name: `${action} Key 1` })).toBeTruthy();

    const second = within(cards[1]!).getByRole('article', { name: 'Key 2' });
    expect(
      within(second)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['read:analytics', 'manage:webhooks']);
    expect(within(second).getByText('Disabled')).toBeTruthy();
    expect(within(second).queryByText('Never')).toBeNull();
    expect(
      (within(second).getByRole('button', { name: 'Rotate Key 2' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(within(second).getByRole('button', { name: 'Enable Key 2' })).toBeTruthy();

    const third = within(cards[2]!).getByRole('article', { name: 'Key 3' });
    expect(within(third).getByText('Revoked')).toBeTruthy();
    expect(within(third).queryAllByRole('button')).toHaveLength(0);
  });

  it('asks before revoking a key from its card on a phone', async () => {
    emulateScreenWidth(375);
    renderPage(<DeveloperPage />, {
      mocks: [
        developer([apiKey(2)]),
        {
          request: { query: RevokeApiKeyDocument, variables: { id: apiKey(2).id } },
          result: {
            data: {
              __typename: 'Mutation',
              revokeApiKey: {
                __typename: 'RevokeApiKeyPayload',
                apiKey: { __typename: 'ApiKey', id: apiKey(2).id },
                userErrors: [],
              },
            },
          },
        },
        developer([]),
      ],
    });
    const card = await screen.findByRole('article', { name: 'Key 2' });
    await userEvent.click(within(card).getByRole('button', { name: 'Revoke Key 2' }));
    await userEvent.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yes, revoke' }),
    );
    expect(await screen.findByText('No API keys yet')).toBeTruthy();
  });

  it('creates a key and shows its secret exactly once', async () => {
    renderPage(<DeveloperPage />, {
      mocks: [
        developer([apiKey(1)]),
        {
          request: {
            query: CreateApiKeyDocument,
            variables: { input: { name: 'CI', scopes: ALL_SCOPES } },
          },
          result: {
            data: {
              __typename: 'Mutation',
              createApiKey: {
                __typename: 'CreateApiKeyPayload',
                secret: SECRET,
                apiKey: { __typename: 'ApiKey', id: apiKey(3).id, name: 'CI' },
                userErrors: [],
              },
            },
          },
        },
        developer([apiKey(3, SECRET.slice(0, 18)), apiKey(1)]),
      ],
    });
    await screen.findByRole('heading', { name: 'API keys' });
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Give the key a name');

    await userEvent.type(screen.getByLabelText('New key name'), 'CI');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const secret = await screen.findByTestId('secret-value');
    expect(secret.textContent).toBe(SECRET);
    expect(document.body.textContent!.split(SECRET)).toHaveLength(2);
    await waitFor(() =>
      expect(
        within(screen.getByRole('region', { name: 'API keys table' })).getAllByRole('row'),
      ).toHaveLength(3),
    );

    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('secret-value')).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
    // The list shows only the public prefix.
    expect(document.body.textContent).toContain(`${SECRET.slice(0, 18)}…`);
  });

  it('asks before revoking a key', async () => {
    renderPage(<DeveloperPage />, {
      mocks: [
        developer([apiKey(2)]),
        {
          request: { query: RevokeApiKeyDocument, variables: { id: apiKey(2).id } },
          result: {
            data: {
              __typename: 'Mutation',
              revokeApiKey: {
                __typename: 'RevokeApiKeyPayload',
                apiKey: { __typename: 'ApiKey', id: apiKey(2).id },
                userErrors: [],
              },
            },
          },
        },
        developer([]),
      ],
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Key 2' }));
    const confirm = screen.getByRole('alertdialog');
    expect(confirm.textContent).toContain('cannot be undone');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Yes, revoke' }));
    expect(await screen.findByText('No API keys yet')).toBeTruthy();
  });
});
