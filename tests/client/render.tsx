import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { createCache } from '../../client/src/apollo/client.js';
import { createSession, type Session } from '../../client/src/auth/session.js';
import { SessionProvider } from '../../client/src/auth/session-context.js';
import { defaultConfig, type DashboardsConfig } from '../../client/src/config.js';

export const TEST_KEY = `pulse_${'a'.repeat(50)}`;

/** The URL the page put in the address bar (filters live there). */
export const location = { current: '' };
function LocationProbe() {
  const here = useLocation();
  location.current = here.pathname + here.search;
  return null;
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
  } = {},
) {
  const session = options.session ?? createSession({ storage: undefined });
  if (!options.session) session.signIn({ kind: 'api-key', apiKey: TEST_KEY });
  const result = render(
    <MockedProvider mocks={options.mocks ?? []} cache={createCache()}>
      <SessionProvider session={session} config={{ ...defaultConfig, ...options.config }}>
        <MemoryRouter initialEntries={[options.route ?? '/']}>
          <LocationProbe />
          <Routes>
            <Route path={options.path ?? '*'} element={page} />
          </Routes>
        </MemoryRouter>
      </SessionProvider>
    </MockedProvider>,
  );
  return { ...result, session };
}
