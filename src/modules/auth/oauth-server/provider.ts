import { eq } from 'drizzle-orm';
import type Provider from 'oidc-provider';
import type { ClientInstance, TokenInstance } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { userTable } from '../../../db/schema.js';
import { FIRST_PARTY_ONLY_SCOPES, isScope } from '../scopes.js';
import { clientSecretMatches } from '../../oauth-app/oauth-app.service.js';
import { storeAdapterFactory } from './adapter.js';
import {
  API_SCOPES_PROPERTY,
  dashboardsClientMetadata,
  GRANT_ID_CLAIM,
  isFirstPartyClient,
} from './first-party.js';
import type { ServerSecrets } from './keys.js';
import { errorPage, PAGE_HEADERS, renderPage } from './views.js';

const DAY = 86_400;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * DAY;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ProviderOptions {
  issuer: string;
  /** The resource indicator and `aud` of every access token: this API. */
  audience: string;
  db: Db;
  logger: Logger;
  secrets: ServerSecrets;
  accessTokenTtlSeconds: number;
  /** Path of the interaction pages, under which `/<uid>` is appended. */
  interactionPath: string;
  /** The server's public base URL, where the dashboards (the built-in public client) live. */
  baseUrl: string;
}

interface GrantContext {
  oidc: {
    client?: ClientInstance;
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    params?: Record<string, unknown>;
    result?: { consent?: { grantId?: string } };
    provider: Provider;
  };
}

let loaded: Promise<typeof import('oidc-provider')> | undefined;

/**
 * Imports oidc-provider on first use. Its import-time notices (it warns about any runtime older
 * than Node 22 LTS; it works on Node 20) go to the structured log instead of raw stderr.
 */
function loadOidcProvider(logger: Logger): Promise<typeof import('oidc-provider')> {
  loaded ??= (async () => {
    const { warn, info } = console;
    const toLog =
      (level: 'warn' | 'info', original: typeof console.warn) =>
      (...args: unknown[]) => {
        const message = String(args[0] ?? '');
        if (message.startsWith('oidc-provider '))
          logger[level]({ source: 'oidc-provider' }, message);
        else original(...args);
      };
    console.warn = toLog('warn', warn);
    console.info = toLog('info', info);
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
      console.info = info;
    }
  })();
  return loaded;
}

/**
 * oidc-provider's default grant lookup, except that a first-party client gets what it asks for
 * (within its registered scopes) without a consent page: it is this server's own user interface,
 * so there is no third party to consent to. The user still signs in.
 */
async function loadGrant(ctx: GrantContext, audience: string) {
  const { client, session, params, result, provider } = ctx.oidc;
  if (!client || !session) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!isFirstPartyClient(client.clientId) || !session.accountId) return existing;
  const grant =
    existing ?? new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  const requested = String(params?.['scope'] ?? '').split(' ');
  const registered = new Set(registeredScopes(client));
  const oidcScopes = requested.filter((scope) => scope === 'openid' || scope === 'offline_access');
  const apiScopes = requested.filter((scope) => registered.has(scope));
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  if (apiScopes.length) grant.addResourceScope(audience, apiScopes.join(' '));
  await grant.save();
  return grant;
}

/**
 * The API scopes an app registered, which are all its tokens can ever carry. A third-party app
 * never gets a first-party-only scope, whatever its row says.
 */
export const registeredScopes = (client: ClientInstance): string[] =>
  String(client[API_SCOPES_PROPERTY] ?? '')
    .split(' ')
    .filter(isScope)
    .filter((scope) => isFirstPartyClient(client.clientId) || !FIRST_PARTY_ONLY_SCOPES.has(scope));

/**
 * oidc-provider configured as a plain OAuth 2.0 authorization server for this API: authorization
 * code with PKCE (S256) only, confidential clients (client_secret_basic) from the app
 * marketplace, RFC 9068 JWT access tokens for one resource (this API, the default resource
 * indicator), rotating refresh tokens and revocation. OpenID Connect's `openid` scope works (an
 * ID token with `sub`) but userinfo, dynamic registration, DPoP and logout are off.
 */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  const { default: Provider, errors } = await loadOidcProvider(options.logger);
  const { audience, db, secrets } = options;
  const provider = new Provider(options.issuer, {
    adapter: storeAdapterFactory(db),
    clients: [dashboardsClientMetadata(options.baseUrl)],
    jwks: { keys: [secrets.signingKey] },
    cookies: {
      keys: secrets.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    async findAccount(_ctx: unknown, sub: string) {
      if (!UUID.test(sub)) return undefined;
      const [user] = await db
        .select({ id: userTable.id })
        .from(userTable)
        .where(eq(userTable.id, sub));
      return user ? { accountId: user.id, claims: async () => ({ sub: user.id }) } : undefined;
    },
    claims: { openid: ['sub'] },
    scopes: ['openid', 'offline_access'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    // 'none' is for the built-in dashboards client only: apps always get client_secret_basic.
    clientAuthMethods: ['client_secret_basic', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: secrets.signingKey.alg,
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    loadExistingGrant: (ctx: GrantContext) => loadGrant(ctx, audience),
    extraClientMetadata: { properties: [API_SCOPES_PROPERTY], validator() {} },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: ClientInstance, token: TokenInstance) =>
          token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx: unknown, indicator: string, client: ClientInstance) {
          if (indicator !== audience) throw new errors.InvalidTarget();
          return {
            scope: registeredScopes(client).join(' '),
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenTtlSeconds,
            jwt: { sign: { alg: secrets.signingKey.alg } },
          };
        },
      },
    },
    // The resource server checks this grant still exists, which is how revoking a refresh token
    // or uninstalling the app also stops the (otherwise stateless) JWT access tokens.
    extraTokenClaims: async (_ctx: unknown, token: TokenInstance) =>
      token.kind === 'AccessToken' && token.grantId
        ? { [GRANT_ID_CLAIM]: token.grantId }
        : undefined,
    issueRefreshToken: async (_ctx: unknown, client: ClientInstance) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: REFRESH_TOKEN_TTL_SECONDS,
      Session: 14 * DAY,
      // Outlives refresh tokens: the install, not the grant, is what users revoke.
      Grant: 365 * DAY,
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) =>
        `${options.interactionPath}/${interaction.uid}`,
    },
    // The dashboards post to the token endpoint from the page they are served on, and browsers
    // send an Origin header even on same-origin posts; no other origin and no other client may.
    clientBasedCORS: (_ctx: unknown, origin: string, client: ClientInstance) =>
      isFirstPartyClient(client.clientId) && origin === new URL(options.baseUrl).origin,
    async renderError(
      ctx: { type: string; body: unknown; set(headers: Record<string, string>): void },
      out: { error?: string; error_description?: string },
    ) {
      ctx.set({ ...PAGE_HEADERS });
      ctx.type = 'html';
      const description = out.error_description ?? 'The request could not be processed.';
      ctx.body = renderPage(
        'Error',
        errorPage(out.error ? `${description} (${out.error})` : description),
      );
    },
  });
  // Hash at rest: the provider compares client secrets through this method only.
  provider.Client.prototype.compareClientSecret = function (this: ClientInstance, actual: string) {
    return typeof this.clientSecret === 'string' && clientSecretMatches(this.clientSecret, actual);
  };
  // URLs are built from X-Forwarded-Host/-Proto, which the mounting route sets from the issuer.
  provider.proxy = true;
  provider.on('server_error', (_ctx: unknown, error: unknown) =>
    options.logger.error({ err: error }, 'authorization server error'),
  );
  return provider;
}
