import type { Logger } from 'pino';
import type { Db } from './db/client.js';
import type { User } from './db/schema.js';
import type { Config } from './env.js';
import type { PubSub } from './live/pubsub.js';
import type { Scope } from './modules/auth/scopes.js';

/** Who is calling: resolved once per request (HTTP) or per connection (WebSocket). */
export interface Viewer {
  user: User;
  scopes: ReadonlySet<Scope>;
  credential: { kind: 'api_key'; id: string; prefix: string };
}

/** Long-lived dependencies shared by every request. */
export interface AppServices {
  config: Config;
  db: Db;
  logger: Logger;
  pubsub: PubSub;
  /** Aborted when the server begins shutting down, so live streams can complete. */
  shutdownSignal: AbortSignal;
}

export interface Context extends AppServices {
  viewer: Viewer | null;
}
