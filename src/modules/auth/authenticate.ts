import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import type { Config } from '../../env.js';
import type { AuthServices } from './auth-services.js';
import type { Viewer } from './viewer.js';
import { isDatabaseUnavailable } from '../../db/errors.js';
import { databaseUnavailable, serviceUnavailable, WWW_AUTHENTICATE } from '../../errors.js';
import { findActiveApiKey, touchApiKey } from '../api-key/api-key.service.js';
import { looksLikeApiKey } from '../api-key/api-key.token.js';
import { authenticateAccessToken } from './access-token.js';
import { InvalidAccessTokenError, IssuerUnavailableError } from './resource-server.js';
import { isScope } from './scopes.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * 401 for credentials that were presented but do not work. One body and one header for every
 * cause (malformed, unknown, wrong secret, disabled, revoked, expired, bad signature…), so a
 * caller learns nothing about which part was wrong.
 */
export const invalidCredentials = () =>
  new GraphQLError('Invalid or revoked credentials.', {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: {
        status: 401,
        headers: { 'WWW-Authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"` },
      },
    },
  });

export interface AuthenticateDeps {
  db: Db;
  logger: Logger;
  config: Config;
  auth: AuthServices;
}

/**
 * Turns an Authorization header value into a viewer. Absent → null (the caller decides whether
 * anonymous access is allowed); present but not working → UNAUTHENTICATED. `pulse_…` bearer
 * tokens are API keys; anything else is an OAuth access token (a JWT). When the token issuer
 * cannot be reached and its keys are not cached, or the database is away, SERVICE_UNAVAILABLE
 * (never an acceptance, never a 500).
 */
export async function authenticate(
  services: AuthenticateDeps,
  authorization: string | null | undefined,
): Promise<Viewer | null> {
  if (authorization === null || authorization === undefined || authorization === '') return null;
  const token = BEARER.exec(authorization)?.[1];
  if (!token) throw invalidCredentials();
  try {
    if (looksLikeApiKey(token)) return await authenticateApiKey(services, token);
    return await authenticateAccessToken(services, token);
  } catch (error) {
    if (error instanceof IssuerUnavailableError) throw serviceUnavailable();
    if (error instanceof InvalidAccessTokenError) throw invalidCredentials();
    if (isDatabaseUnavailable(error)) throw databaseUnavailable();
    throw error;
  }
}

async function authenticateApiKey(services: AuthenticateDeps, token: string): Promise<Viewer> {
  const found = await findActiveApiKey(services.db, token);
  if (!found) throw invalidCredentials();
  touchApiKey(services.db, found.apiKey).catch((error: unknown) =>
    services.logger.warn({ err: error }, 'could not record API key use'),
  );
  return {
    user: found.user,
    scopes: new Set(found.apiKey.scopes.filter(isScope)),
    credential: {
      kind: 'api_key',
      id: found.apiKey.id,
      prefix: found.apiKey.prefix,
      secretHash: found.secretHash,
    },
  };
}
