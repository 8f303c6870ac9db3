import type { Logger } from 'pino';
import type { Db } from './db/client.js';
import type { User } from './db/schema.js';
import type { Config } from './env.js';
import type { IngestWriter } from './ingest/writer.js';
import type { LiveHub } from './live/hub.js';
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
  /** Live fan-out of video metrics to subscribers, coalesced per video and interval. */
  liveHub: LiveHub;
  /** The batching writer every metric event goes through. */
  ingest: IngestWriter;
  /** Aborted when the server begins shutting down, so live streams can complete. */
  shutdownSignal: AbortSignal;
}

export interface Context extends AppServices {
  viewer: Viewer | null;
}
