import type { AdapterPayload } from 'oidc-provider';
import { SCOPES } from '../scopes.js';

/** Client metadata property carrying the API scopes an app registered. */
export const API_SCOPES_PROPERTY = 'api_scopes';

/** The claim the built-in server adds to its access tokens, naming the grant behind them. */
export const GRANT_ID_CLAIM = 'grant_id';

/** The dashboards' client id: a built-in public client, never a row of oauth_apps. */
export const DASHBOARDS_CLIENT_ID = 'pulse-dashboards';
export const DASHBOARDS_CLIENT_NAME = 'Pulse dashboards';
/** The dashboards' OAuth redirect route (client/src/auth/oauth.ts CALLBACK_PATH). */
export const DASHBOARDS_CALLBACK_PATH = '/auth/callback';
/** What the dashboards ask for: every API scope (refresh tokens come with the grant type). */
export const DASHBOARDS_SCOPE = SCOPES.join(' ');

/** Built-in clients the user never consents to: they are this server's own user interface. */
export const FIRST_PARTY_CLIENT_IDS: readonly string[] = [DASHBOARDS_CLIENT_ID];
export const isFirstPartyClient = (clientId: string | undefined): boolean =>
  clientId !== undefined && FIRST_PARTY_CLIENT_IDS.includes(clientId);

/** The server's public base URL (where the dashboards live), from the built-in issuer's URL. */
export function baseUrlOfIssuer(issuer: string, oauthPath: string): string {
  const trimmed = issuer.replace(/\/+$/, '');
  return trimmed.endsWith(oauthPath) ? trimmed.slice(0, -oauthPath.length) : trimmed;
}

/**
 * The dashboards as a static oidc-provider client: public (no secret, so PKCE S256 is what binds
 * the code to the browser that asked for it), one exact redirect URI on this server, rotating
 * refresh tokens. Static clients are looked up before the adapter, so no app can shadow it.
 */
export function dashboardsClientMetadata(baseUrl: string): AdapterPayload {
  return {
    client_id: DASHBOARDS_CLIENT_ID,
    client_name: DASHBOARDS_CLIENT_NAME,
    redirect_uris: [`${baseUrl}${DASHBOARDS_CALLBACK_PATH}`],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    [API_SCOPES_PROPERTY]: SCOPES.join(' '),
  };
}
