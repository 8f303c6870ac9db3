import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPulseClient } from '../../client/src/apollo/client.js';
import { App } from '../../client/src/app.js';
import { createSession } from '../../client/src/auth/session.js';
import { defaultConfig } from '../../client/src/config.js';
import { CreateApiKeyDocument } from '../../client/src/gql/graphql.js';
import { videoConnection, videoId } from './fixtures.js';
import { TEST_KEY } from './render.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const graphqlResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/graphql-response+json; charset=utf-8' },
  });

/** What the server answers a key it no longer accepts (src/modules/auth/authenticate.ts). */
const refused = () =>
  graphqlResponse(401, {
    errors: [
      { message: 'Invalid or revoked credentials.', extensions: { code: 'UNAUTHENTICATED' } },
    ],
  });

/** The topbar's notification bell asks on every page; answered apart from the page's requests. */
const isBellQuery = (init: RequestInit | undefined) =>
  typeof init?.body === 'string' && JSON.parse(init.body).operationName === 'NotificationBell';
const noNotifications = () =>
  graphqlResponse(200, {
    data: {
      __typename: 'Query',
      notifications: {
        __typename: 'NotificationConnection',
        totalCount: 0,
        unreadCount: 0,
        edges: [],
      },
    },
  });

/** The whole app as main.tsx builds it (real links, real cache), at `path`, over `fetch`. */
function renderApp(path: string, fetch: (request: RequestInfo | URL) => Promise<Response>) {
  vi.stubGlobal(
    'fetch',
    vi.fn((request: RequestInfo | URL, init?: RequestInit) =>
      isBellQuery(init) ? Promise.resolve(noNotifications()) : fetch(request),
    ),
  );
  const session = createSession({ storage: undefined });
  session.signIn({ kind: 'api-key', apiKey: TEST_KEY });
  const client = createPulseClient({ session, baseUrl: 'http://pulse.test' });
  render(
    <App
      session={session}
      config={defaultConfig}
      client={client}
      onSignOut={() => session.signOut('user')}
      router={(children) => <MemoryRouter initialEntries={[path]}>{children}</MemoryRouter>}
    />,
  );
  return { session, client };
}

describe('a refused credential', () => {
  it.each(['/content', '/developer', `/videos/${encodeURIComponent(videoId(7))}`])(
    'signs out from %s instead of offering to try again',
    async (path) => {
      const { session } = renderApp(path, async () => refused());
      // The page's code loads first (lazy): allow for a cold import.
      expect(
        await screen.findByText(/The server refused your credentials/, {}, { timeout: 10_000 }),
      ).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
      expect(session.lastSignOut()).toBe('rejected');
    },
  );

  it('signs out when a mutation is refused, but not on a late refusal of an older key', async () => {
    const answers: ((response: Response) => void)[] = [];
    const { session, client } = renderApp(
      '/content',
      () => new Promise<Response>((resolve) => answers.push(resolve)),
    );
    await waitFor(() => expect(answers).toHaveLength(1));
    // The key is rotated while the page's query is on its way: its refusal signs nobody out.
    const rotated = { kind: 'api-key' as const, apiKey: `pulse_${'b'.repeat(50)}` };
    session.signIn(rotated);
    answers[0]!(refused());
    expect(await screen.findByText(/credentials were refused/)).toBeTruthy();
    expect(session.current()).toBe(rotated);

    const mutation = client.apollo
      .mutate({ mutation: CreateApiKeyDocument, variables: { input: { name: 'x', scopes: [] } } })
      .catch(() => null);
    await waitFor(() => expect(answers).toHaveLength(2));
    answers[1]!(refused());
    await mutation;
    expect(session.current()).toBeNull();
    expect(session.lastSignOut()).toBe('rejected');
  });
});

describe('feedback while the server answers', () => {
  it('shows a progress bar while a page loads, and removes it once the answer is there', async () => {
    let answer!: (response: Response) => void;
    renderApp('/content', () => new Promise<Response>((resolve) => (answer = resolve)));
    expect(await screen.findByRole('progressbar', { name: 'Loading' })).toBeTruthy();
    answer(
      graphqlResponse(200, { data: { __typename: 'Query', videos: videoConnection(1, 2, 2) } }),
    );
    expect(await screen.findByRole('link', { name: 'Video number 1' })).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
