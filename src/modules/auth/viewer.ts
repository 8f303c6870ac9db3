import { unauthenticated } from '../../errors.js';
import type { User } from '../../db/schema.js';
import type { Credential } from './credential.js';
import type { Scope } from './scopes.js';

/** Who is calling: resolved once per request (HTTP) or per connection (WebSocket). */
export interface Viewer {
  user: User;
  scopes: ReadonlySet<Scope>;
  credential: Credential;
}

/**
 * The viewer of a field whose auth scopes (on the type or the field) already required one. For
 * the places `t.withAuth` cannot narrow: type-level scopes, connections, loaders.
 */
export function signedIn(context: { viewer: Viewer | null }): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}
