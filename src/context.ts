import type { Logger } from 'pino';
import type { Db } from './db/client.js';
import type { User } from './db/schema.js';
import type { Config } from './env.js';
import type { IngestWriter } from './modules/ingest/writer.js';
import type { LiveHub } from './modules/live/hub.js';
import type { Notifier } from './modules/notification/notifier.js';
import type { OwnerHub } from './modules/live/owner-hub.js';
import type { PubSub } from './lib/pubsub.js';
import type { LimitsService } from './modules/limits/limits.js';
import type { SocketGuard } from './modules/limits/socket-guard.js';
import type { AuthServices } from './modules/auth/auth-services.js';
import type { Credential } from './modules/auth/credential.js';
import type { Scope } from './modules/auth/scopes.js';
import type { LiveAnalyticsSnapshot } from './modules/live/live-analytics.service.js';

/** Who is calling: resolved once per request (HTTP) or per connection (WebSocket). */
export interface Viewer {
  user: User;
  scopes: ReadonlySet<Scope>;
  credential: Credential;
}

/** Long-lived dependencies shared by every request. */
export interface AppServices {
  config: Config;
  db: Db;
  logger: Logger;
  pubsub: PubSub;
  /** Live fan-out of video metrics to subscribers, coalesced per video and interval. */
  liveHub: LiveHub;
  /** Live analytics per owner, computed once per tick for all of the owner's subscribers. */
  analyticsHub: OwnerHub<LiveAnalyticsSnapshot>;
  /** Raises notifications (milestones, viral spikes, processing results) from committed changes. */
  notifier: Notifier;
  /** Per-WebSocket flood (1008) and slow-consumer (1013) protection. */
  socketGuard: SocketGuard;
  /** The batching writer every metric event goes through. */
  ingest: IngestWriter;
  /** Aborted when the server begins shutting down, so live streams can complete. */
  shutdownSignal: AbortSignal;
  /** Rate limits, query cost, persisted documents and usage counters (src/modules/limits/limits.ts). */
  limits: LimitsService;
  /** Credentials: OAuth token validation, the authorization server, open streams per credential. */
  auth: AuthServices;
}

export interface Context extends AppServices {
  viewer: Viewer | null;
}
