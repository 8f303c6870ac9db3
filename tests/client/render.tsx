import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { MemoryRouter, Route, Routes, useLocation, useNavigate } from 'react-router';
import { createCache } from '../../client/src/apollo/client.js';
import type { ConnectionState, LiveConnection } from '../../client/src/apollo/connection.js';
import { ClientStatusProvider } from '../../client/src/apollo/status-context.js';
import { createSession, type Session } from '../../client/src/auth/session.js';
import { SessionProvider } from '../../client/src/auth/session-context.js';
import { defaultConfig, type DashboardsConfig } from '../../client/src/config.js';

export const TEST_KEY = `pulse_${'a'.repeat(50)}`;

/**
 * Makes the page's media queries answer as on a screen `width` px wide (happy-dom has no
 * layout); undo with `vi.unstubAllGlobals()`.
 */
export function emulateScreenWidth(width: number) {
  vi.stubGlobal('matchMedia', (query: string) => {
    const min = /\(min-width:\s*(\d+)px\)/.exec(query);
    const max = /\(max-width:\s*(\d+)px\)/.exec(query);
    const matches = (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
    return {
      matches,
      media: query,
      onchange: null,
      addEventListener: () => {},
      removeEventListener: () => {},
      addListener: () => {},
      removeListener: () => {},
      dispatchEvent: () => false,
    } satisfies MediaQueryList;
  });
}

/** The URL the page put in the address bar (filters live there), and the Back button. */
export const location = { current: '', back: () => {} };
function LocationProbe() {
  const here = useLocation();
  const navigate = useNavigate();
  location.current = here.pathname + here.search;
  location.back = () => act(() => void navigate(-1));
  return null;
}

/** A live socket whose state the test sets. */
export function fakeConnection(initial: ConnectionState = 'live') {
  let state = initial;
  const listeners = new Set<() => void>();
  const connection: LiveConnection & { set(next: ConnectionState): void } = {
    current: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      state = next;
      act(() => listeners.forEach((listener) => listener()));
    },
  };
  return connection;
}

/**
 * Renders one page as the app does: Apollo (mocked responses, the app's cache policies), a
 * signed-in session (kept in memory) and a router at `route`.
 */
export function renderPage(
  page: ReactElement,
  options: {
    mocks?: MockLink.MockedResponse[];
    route?: string;
    path?: string;
    session?: Session;
    config?: Partial<DashboardsConfig>;
    connection?: LiveConnection;
  } = {},
) {
  const session = options.session ?? createSession({ storage: undefined });
  if (!options.session) session.signIn({ kind: 'api-key', apiKey: TEST_KEY });
  const result = render(
    <MockedProvider mocks={options.mocks ?? []} cache={createCache()}>
      <SessionProvider session={session} config={{ ...defaultConfig, ...options.config }}>
        <ClientStatusProvider
          status={{
            activity: { pending: () => 0, subscribe: () => () => {} },
            connection: options.connection ?? fakeConnection(),
          }}
        >
          <MemoryRouter initialEntries={[options.route ?? '/']}>
            <LocationProbe />
            <Routes>
              <Route path={options.path ?? '*'} element={page} />
            </Routes>
          </MemoryRouter>
        </ClientStatusProvider>
      </SessionProvider>
    </MockedProvider>,
  );
  return { ...result, session };
}
