import { ApolloProvider } from '@apollo/client/react';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import type { PulseClient } from './apollo/client.js';
import { ClientStatusProvider } from './apollo/status-context.js';
import { OAuthCallbackPage } from './auth/oauth-callback-page.js';
import { CALLBACK_PATH } from './auth/oauth.js';
import type { Session } from './auth/session.js';
import { SessionProvider, useSession } from './auth/session-context.js';
import { SignInPage } from './auth/sign-in-page.js';
import { Layout } from './components/layout.js';
import { Skeleton } from './components/states.js';
import type { DashboardsConfig } from './config.js';
import { NotFoundPage } from './pages/not-found-page.js';

// Each page (and Recharts with the pages that chart) loads when first visited, so the sign-in
// page and the first page come up without the code of the others.
const OverviewPage = lazy(() =>
  import('./pages/overview-page.js').then((module) => ({ default: module.OverviewPage })),
);
const ContentPage = lazy(() =>
  import('./pages/content-page.js').then((module) => ({ default: module.ContentPage })),
);
const VideoPage = lazy(() =>
  import('./pages/video-page.js').then((module) => ({ default: module.VideoPage })),
);
const InsightsPage = lazy(() =>
  import('./pages/insights-page.js').then((module) => ({ default: module.InsightsPage })),
);
const ReportsPage = lazy(() =>
  import('./pages/reports-page.js').then((module) => ({ default: module.ReportsPage })),
);
const DeveloperPage = lazy(() =>
  import('./pages/developer-page.js').then((module) => ({ default: module.DeveloperPage })),
);

/** Every page of the signed-in dashboards, inside the layout. */
export function DashboardRoutes() {
  return (
    <Suspense fallback={<Skeleton lines={4} label="Loading the page" />}>
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="content" element={<ContentPage />} />
        <Route path="videos/:id" element={<VideoPage />} />
        <Route path="insights" element={<InsightsPage />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route path="developer" element={<DeveloperPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}

/** Signed out, any URL shows the sign-in form and stays put, so deep links survive sign-in. */
export function AppRoutes({ onSignOut }: { onSignOut: () => void }) {
  const { credential } = useSession();
  return (
    <Routes>
      <Route path={CALLBACK_PATH} element={<OAuthCallbackPage />} />
      <Route
        path="*"
        element={
          credential ? (
            <Layout onSignOut={onSignOut}>
              <DashboardRoutes />
            </Layout>
          ) : (
            <SignInPage />
          )
        }
      />
    </Routes>
  );
}

export function App({
  session,
  config,
  client,
  onSignOut,
  router = (children) => <BrowserRouter>{children}</BrowserRouter>,
}: {
  session: Session;
  config: DashboardsConfig;
  client: PulseClient;
  onSignOut: () => void;
  router?: (children: ReactNode) => ReactNode;
}) {
  return (
    <SessionProvider session={session} config={config}>
      <ApolloProvider client={client.apollo}>
        <ClientStatusProvider status={client}>
          {router(<AppRoutes onSignOut={onSignOut} />)}
        </ClientStatusProvider>
      </ApolloProvider>
    </SessionProvider>
  );
}
