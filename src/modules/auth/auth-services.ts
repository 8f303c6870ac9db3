import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import type { Config } from '../../env.js';
import { AuthorizationServer, OAUTH_PATH } from './oauth-server/server.js';
import { AccessTokenVerifier } from './resource-server.js';
import { SCOPES } from './scopes.js';
import { CredentialSessions } from './socket-sessions.js';

export interface AuthServices {
  /** Validates OAuth access tokens (the resource server). */
  tokens: AccessTokenVerifier;
  /** Open WebSockets and SSE streams by credential, ended when it stops working. */
  sessions: CredentialSessions;
  /** The built-in authorization server; null when OAUTH_ISSUER names an external one. */
  builtIn: AuthorizationServer | null;
  /** Non-GraphQL routes: /oauth/… and the OAuth metadata documents. */
  route(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Called once the HTTP server listens, with its base URL (unless PUBLIC_URL fixed it). */
  listening(baseUrl: string): void;
}

export function createAuthServices(deps: {
  config: Config;
  db: Db;
  logger: Logger;
  signal: AbortSignal;
}): AuthServices {
  const { config, db, signal } = deps;
  const logger = deps.logger.child({ component: 'auth' });
  const oauth = config.auth.oauth;
  let baseUrl = config.publicUrl?.replace(/\/+$/, '');
  const issuer = () => oauth.issuer ?? (baseUrl ? `${baseUrl}${OAUTH_PATH}` : undefined);
  const audience = () => oauth.audience ?? (baseUrl ? `${baseUrl}/graphql` : undefined);

  const builtIn = oauth.issuer
    ? null
    : new AuthorizationServer({
        db,
        logger,
        issuer,
        audience,
        signingKey: oauth.signingKey,
        accessTokenTtlSeconds: oauth.accessTokenTtlSeconds,
        demo: config.demo.enabled,
        signal,
      });
  const tokens = new AccessTokenVerifier(
    { issuer, audience, ...(builtIn ? { localJwks: () => builtIn.publicJwks() } : {}) },
    { clockToleranceSeconds: oauth.clockToleranceSeconds, logger },
  );
  const sessions = new CredentialSessions({
    db,
    logger,
    clockToleranceMs: oauth.clockToleranceSeconds * 1000,
  });
  sessions.start(signal);

  return {
    tokens,
    sessions,
    builtIn,
    async route(req, res) {
      if (req.url?.split('?')[0] === '/.well-known/oauth-protected-resource') {
        // RFC 9728: tells clients which authorization server issues tokens for this API.
        const resource = audience();
        const server = issuer();
        if (!resource || !server) return false;
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
        res.end(
          JSON.stringify({
            resource,
            authorization_servers: [server],
            scopes_supported: SCOPES,
            bearer_methods_supported: ['header'],
          }),
        );
        return true;
      }
      return builtIn ? builtIn.route(req, res) : false;
    },
    listening(url) {
      baseUrl ??= url.replace(/\/+$/, '');
    },
  };
}
