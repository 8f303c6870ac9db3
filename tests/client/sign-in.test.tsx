import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { createSession } from '../../client/src/auth/session.js';
import { SignInPage } from '../../client/src/auth/sign-in-page.js';
import { SignInCheckDocument } from '../../client/src/gql/graphql.js';
import { renderPage, TEST_KEY } from './render.js';

afterEach(cleanup);

describe('sign-in page', () => {
  it('refuses a string that is not a Pulse key, without asking the server', async () => {
    const session = createSession({ storage: undefined });
    renderPage(<SignInPage />, { session });
    await userEvent.type(screen.getByLabelText('API key'), 'not-a-key');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('not a Pulse API key');
    expect(screen.getByLabelText('API key').getAttribute('aria-invalid')).toBe('true');
    expect(session.current()).toBeNull();
  });

  it('signs in with a key the server accepts', async () => {
    const session = createSession({ storage: undefined });
    renderPage(<SignInPage />, {
      session,
      mocks: [
        {
          request: { query: SignInCheckDocument },
          result: {
            data: { __typename: 'Query', me: { __typename: 'User', id: 'VXNlcjox', name: 'Ada' } },
          },
        },
      ],
    });
    await userEvent.type(screen.getByLabelText('API key'), TEST_KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(session.current()).toEqual({ kind: 'api-key', apiKey: TEST_KEY }));
  });

  it('says so when the server refuses the key', async () => {
    const session = createSession({ storage: undefined });
    renderPage(<SignInPage />, {
      session,
      mocks: [
        {
          request: { query: SignInCheckDocument },
          result: {
            errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }],
          },
        },
      ],
    });
    await userEvent.type(screen.getByLabelText('API key'), TEST_KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('does not know this key');
    expect(session.current()).toBeNull();
  });

  it('offers “Sign in with Pulse” when the server runs OAuth here, the key as a fallback', () => {
    const issuer = `${globalThis.location.origin}/oauth`;
    const oauth = { issuer, clientId: 'pulse-dashboards', scope: 'read:user' };
    renderPage(<SignInPage />, {
      session: createSession({ storage: undefined }),
      config: { oauth },
    });
    expect(screen.getByRole('button', { name: 'Sign in with Pulse' })).toBeTruthy();
    expect(screen.getByLabelText('API key')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    cleanup();
    // From another origin the callback could not come back here: only the key is offered.
    renderPage(<SignInPage />, {
      session: createSession({ storage: undefined }),
      config: { oauth: { ...oauth, issuer: 'https://elsewhere.example/oauth' } },
    });
    expect(screen.queryByRole('button', { name: 'Sign in with Pulse' })).toBeNull();
  });

  it('pre-fills the demo key in demo mode', () => {
    renderPage(<SignInPage />, {
      session: createSession({ storage: undefined }),
      config: { demoApiKey: TEST_KEY },
    });
    expect((screen.getByLabelText('API key') as HTMLInputElement).value).toBe(TEST_KEY);
  });
});
