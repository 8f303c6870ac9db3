import * as oauth from 'oauth4webapi';
import type { Credential } from './credential.js';
import type { Refresher } from './session.js';

/**
 * OAuth 2.0 authorization code + PKCE against the server's own authorization server (issuer
 * `<origin>/oauth`), for when the dashboards sign in as a first-party public client instead of
 * with a pasted API key. oauth4webapi does the protocol checks (state, issuer, token response).
 */
export interface OAuthSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

const PENDING_KEY = 'pulse.oauth.pending';
export const CALLBACK_PATH = '/auth/callback';

type PendingSignIn = { verifier: string; state: string; returnTo: string };

const redirectUri = () => `${globalThis.location.origin}${CALLBACK_PATH}`;

function options(issuer: URL) {
  // A local server answers over http; anything else must be https.
  return issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
}

const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

export function discover(settings: OAuthSettings) {
  const issuer = new URL(settings.issuer);
  let found = discovered.get(issuer.href);
  if (!found) {
    found = oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', ...options(issuer) })
      .then((response) => oauth.processDiscoveryResponse(issuer, response));
    found.catch(() => discovered.delete(issuer.href));
    discovered.set(issuer.href, found);
  }
  return found;
}

/** Sends the browser to the authorization server's consent page. */
export async function startOAuthSignIn(settings: OAuthSettings, returnTo: string) {
  const server = await discover(settings);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const pending: PendingSignIn = { verifier, state, returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(server.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: settings.scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  globalThis.location.assign(url.href);
}

function toCredential(
  settings: OAuthSettings,
  tokens: oauth.TokenEndpointResponse,
  previousRefreshToken: string | null,
): Credential {
  return {
    kind: 'oauth',
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? previousRefreshToken,
    expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
    issuer: settings.issuer,
    clientId: settings.clientId,
  };
}

/** Finishes the flow on the callback page: checks state, exchanges the code for tokens. */
export async function completeOAuthSignIn(settings: OAuthSettings, callbackUrl: URL) {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) throw new Error('No sign-in was started from this tab.');
  const pending = JSON.parse(raw) as PendingSignIn;
  const server = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  const params = oauth.validateAuthResponse(server, client, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    options(new URL(settings.issuer)),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(server, client, response);
  return { credential: toCredential(settings, tokens, null), returnTo: pending.returnTo };
}

export function oauthRefresher(settings: OAuthSettings): Refresher {
  return async (credential) => {
    const server = await discover(settings);
    const client: oauth.Client = { client_id: settings.clientId };
    const response = await oauth.refreshTokenGrantRequest(
      server,
      client,
      oauth.None(),
      credential.refreshToken!,
      options(new URL(settings.issuer)),
    );
    const tokens = await oauth.processRefreshTokenResponse(server, client, response);
    return toCredential(settings, tokens, credential.refreshToken);
  };
}

/** Best effort: a revoked refresh token cannot mint new access tokens after sign-out. */
export async function revokeOAuth(settings: OAuthSettings, credential: Credential) {
  if (credential.kind !== 'oauth' || !credential.refreshToken) return;
  try {
    const server = await discover(settings);
    const response = await oauth.revocationRequest(
      server,
      { client_id: settings.clientId },
      oauth.None(),
      credential.refreshToken,
      options(new URL(settings.issuer)),
    );
    await oauth.processRevocationResponse(response);
  } catch {
    // The access token expires on its own; nothing else to do.
  }
}
