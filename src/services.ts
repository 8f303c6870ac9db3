import type { Logger } from 'pino';
import type { Db } from './db/client.js';
import type { Config } from './env.js';
import { createPulsePubSub, type PubSub } from './lib/pubsub.js';
import { createAuthServices, type AuthServices } from './modules/auth/auth-services.js';
import { IngestWriter } from './modules/ingest/writer.js';
import { createLimits, type LimitsService } from './modules/limits/limits.js';
import { createSocketGuard, type SocketGuard } from './modules/limits/socket-guard.js';
import { createLiveHub, type LiveHub } from './modules/live/hub.js';
import {
  computeLiveAnalytics,
  type LiveAnalyticsSnapshot,
} from './modules/live/live-analytics.service.js';
import { createOwnerHub, type OwnerHub } from './modules/live/owner-hub.js';
import { createNotifier, type Notifier } from './modules/notification/notifier.js';
import { createWebhookServices, type WebhookServices } from './modules/webhook/webhook.services.js';
import { createJobQueue, type JobQueue } from './lib/job-queue.js';
import { createExportServices, type ExportServices } from './modules/export/export.services.js';
import { announceExport } from './modules/report/reporting.events.js';
import {
  createReportingServices,
  type ReportingServices,
} from './modules/report/reporting.services.js';
import type { Plugin } from 'graphql-yoga';

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
  /** Rate limits, query cost, persisted documents and usage counters (src/modules/limits). */
  limits: LimitsService;
  /** Credentials: OAuth token validation, the authorization server, open streams per credential. */
  auth: AuthServices;
  /** Webhook endpoints' secrets and egress rules, and the worker delivering the outbox. */
  webhooks: WebhookServices;
  /** The durable job queue (pg-boss) that report runs and exports go through. */
  jobs: JobQueue;
  /** Export files: the worker, storage, signed links (src/modules/export). */
  exports: ExportServices;
  /** Saved reports' runs, schedules and mail (src/modules/report). */
  reporting: ReportingServices;
}

/** A live-analytics computation this recent is shared by any subscriber or tick of the owner. */
const ANALYTICS_REUSE_MS = 1000;

export interface Services {
  services: AppServices;
  /** The yoga plugins that enforce the limits (persisted documents, armor, cost, rate). */
  limitPlugins: Plugin[];
  /** Records the URL the server answers on, for links in exports and emails. */
  listening(url: string): void;
  /** Tells every live stream to complete: the first step of shutting down. */
  beginShutdown(): void;
  /** Writes what requests queued and stops the background work; call once requests are done. */
  stop(): Promise<void>;
}

export function createServices(deps: { config: Config; db: Db; logger: Logger }): Services {
  const { config, db, logger } = deps;
  const shutdown = new AbortController();
  const signal = shutdown.signal;
  const pubsub = createPulsePubSub();
  const limits = createLimits({ config, db, logger });
  let publicUrl = config.publicUrl ?? `http://localhost:${config.port || 4000}`;
  const jobs = createJobQueue({
    db,
    database: config.database,
    config: config.jobs,
    logger: logger.child({ component: 'jobs' }),
  });
  const exports: ExportServices = createExportServices({
    config,
    db,
    pubsub,
    jobs,
    logger: logger.child({ component: 'exports' }),
    publicUrl: () => publicUrl,
    onFinished: (tx, record) => announceExport(tx, exports.settings, record),
  });
  const services: AppServices = {
    config,
    db,
    logger,
    pubsub,
    liveHub: createLiveHub({ pubsub, signal, logger: logger.child({ component: 'live-hub' }) }),
    ingest: new IngestWriter(db, pubsub, logger.child({ component: 'ingest' }), {
      maxBatchEvents: config.ingest.batchEvents,
      flushIntervalMs: config.ingest.flushIntervalMs,
      maxQueuedEvents: config.ingest.maxQueuedEvents,
      concurrency: config.ingest.writers,
    }),
    shutdownSignal: signal,
    auth: createAuthServices({ config, db, logger, signal }),
    limits: limits.service,
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
    webhooks: createWebhookServices({
      config: config.webhooks,
      db,
      pubsub,
      logger: logger.child({ component: 'webhooks' }),
    }),
    jobs,
    exports,
    reporting: createReportingServices({
      config,
      exports,
      logger: logger.child({ component: 'reports' }),
    }),
  };
  return {
    services,
    limitPlugins: limits.plugins,
    listening: (url) => void (publicUrl = config.publicUrl ?? url),
    beginShutdown: () => shutdown.abort(),
    async stop() {
      await services.ingest.stop();
      await limits.service.stop();
      await services.notifier.stop();
      await services.reporting.stop();
      await services.exports.stop();
      // Running jobs finish (or are retried elsewhere) before the database closes.
      await jobs.stop();
      // Last: the notifier's final commits may have queued deliveries.
      await services.webhooks.stop();
    },
  };
}
