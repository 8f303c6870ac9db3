import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import type { Config } from '../../env.js';
import { computeLiveAnalytics, type LiveAnalyticsSnapshot } from './live-analytics.service.js';
import { createNotifier, type Notifier } from '../notification/notifier.js';
import { createOwnerHub, type OwnerHub } from './owner-hub.js';
import type { PubSub } from '../../lib/pubsub.js';
import { createSocketGuard, type SocketGuard } from '../limits/socket-guard.js';

/** A live-analytics computation this recent is shared by any subscriber or tick of the owner. */
export const ANALYTICS_REUSE_MS = 1000;

/** The live parts of the app beyond the views hub: owner analytics, notifier, socket guard. */
export function createLiveServices(deps: {
  config: Config;
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  signal: AbortSignal;
}): {
  analyticsHub: OwnerHub<LiveAnalyticsSnapshot>;
  notifier: Notifier;
  socketGuard: SocketGuard;
} {
  const { config, db, pubsub, logger, signal } = deps;
  return {
    analyticsHub: createOwnerHub({
      compute: (ownerId) => computeLiveAnalytics(db, ownerId),
      reuseMs: ANALYTICS_REUSE_MS,
      signal,
      logger: logger.child({ component: 'analytics-hub' }),
    }),
    notifier: createNotifier({
      db,
      pubsub,
      viral: config.viral,
      logger: logger.child({ component: 'notifier' }),
    }),
    socketGuard: createSocketGuard({
      maxSubscribes: config.limits.wsMaxSubscribesPerWindow,
      windowMs: config.limits.wsSubscribeWindowMs,
      maxBufferedBytes: config.limits.wsMaxBufferedBytes,
      logger: logger.child({ component: 'socket-guard' }),
    }),
  };
}
