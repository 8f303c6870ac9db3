import type { HttpRoute } from '../server/http.js';
import type { Config } from '../env.js';
import {
  DASHBOARDS_CLIENT_ID,
  DASHBOARDS_SCOPE,
} from '../modules/auth/oauth-server/first-party.js';
import { createDashboardsRoute, type DashboardsPublicConfig } from './static.js';

export { ensureDashboardsBuilt } from './build.js';

/** The built-in authorization server, as far as the dashboards need it. */
export interface DashboardsAuthorizationServer {
  /** Undefined until the server's public URL is known. */
  issuer(): string | undefined;
}

/**
 * What the browser may know about this server; never anything secret outside demo mode. OAuth
 * sign-in is offered when the built-in authorization server runs (not with OAUTH_ISSUER, whose
 * server knows nothing of the dashboards' client).
 */
export function publicConfig(
  config: Config,
  authorizationServer?: DashboardsAuthorizationServer | null,
): DashboardsPublicConfig {
  const issuer = config.dashboards.oauth ? authorizationServer?.issuer() : undefined;
  return {
    demoApiKey: config.demo.enabled ? (config.demo.apiKey ?? null) : null,
    oauth: issuer ? { issuer, clientId: DASHBOARDS_CLIENT_ID, scope: DASHBOARDS_SCOPE } : null,
    // Then the dashboards send document hashes; the manifest must be client/src/gql's.
    persistedDocuments: config.protection.persistedDocuments.path !== undefined,
  };
}

/** The dashboards' HTTP route (static files, SPA routes, config), or none when DASHBOARDS=false. */
export function dashboardsRoutes(
  config: Config,
  authorizationServer?: DashboardsAuthorizationServer | null,
): HttpRoute[] {
  return config.dashboards.enabled
    ? [createDashboardsRoute({ publicConfig: () => publicConfig(config, authorizationServer) })]
    : [];
}
