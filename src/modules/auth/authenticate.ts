import type { AppServices, Viewer } from '../../context.js';
import { unauthenticated } from '../../errors.js';
import { findActiveApiKey, touchApiKey } from '../api-key/api-key.service.js';
import { isScope } from './scopes.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Turns an Authorization header value into a viewer. Absent → null (the caller decides whether
 * anonymous access is allowed); present but not a valid, active key → UNAUTHENTICATED. Every
 * failure answers the same, so a caller cannot tell an unknown key from a wrong secret.
 */
export async function authenticate(
  services: Pick<AppServices, 'db' | 'logger'>,
  authorization: string | null | undefined,
): Promise<Viewer | null> {
  if (authorization === null || authorization === undefined || authorization === '') return null;
  const token = BEARER.exec(authorization)?.[1];
  const found = token ? await findActiveApiKey(services.db, token) : null;
  if (!found) throw unauthenticated('Invalid or revoked credentials.');
  touchApiKey(services.db, found.apiKey).catch((error: unknown) =>
    services.logger.warn({ err: error }, 'could not record API key use'),
  );
  return {
    user: found.user,
    scopes: new Set(found.apiKey.scopes.filter(isScope)),
    credential: { kind: 'api_key', id: found.apiKey.id, prefix: found.apiKey.prefix },
  };
}
