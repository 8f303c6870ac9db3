import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { Db } from '../../db/client.js';
import type { WebhookConfig } from '../../env.js';
import type { PubSub } from '../../lib/pubsub.js';
import { outboxDepth } from './delivery.service.js';
import type { EndpointDeps } from './endpoint.service.js';
import { SecretBox } from './secrets.js';
import { createEgressAgent, type EgressPolicy } from './ssrf.js';
import { watchThresholds } from './threshold.service.js';
import { createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './worker.js';

/** The long-lived webhook parts of one app instance (AppServices.webhooks). */
export interface WebhookServices extends EndpointDeps {
  config: WebhookConfig;
  /** Delivers the outbox (idle when WEBHOOK_CONCURRENCY=0). */
  worker: WebhookWorker;
  /**
   * Deliveries waiting (in total, and due now) for /ready and /metrics; read at most once a
   * second, null when the database did not answer.
   */
  depth(): Promise<{ pending: number; due: number } | null>;
  /** Lets attempts in flight finish and closes the outbound connections. */
  stop(): Promise<void>;
}

export function createWebhookServices(deps: {
  config: WebhookConfig;
  db: Db;
  logger: Logger;
  /**
   * Committed ingest batches, for the `metrics.threshold` rules, and where a disabled endpoint's
   * notification is announced; none: rules are not evaluated, nothing is announced live.
   */
  pubsub?: Pick<PubSub, 'subscribe' | 'publish'>;
  /** Options for the worker only (tests: a fake clock, no timers, announcements without rules). */
  worker?: Pick<WebhookWorkerOptions, 'now' | 'autoStart' | 'pubsub'>;
}): WebhookServices {
  const { config, db, logger } = deps;
  const policy: EgressPolicy = { allowHttp: config.allowHttp, allowHosts: config.allowHosts };
  let opened: Promise<SecretBox> | undefined;
  const box = () =>
    (opened ??= SecretBox.open(db, config.secretKey).catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
  const dispatcher: Agent = createEgressAgent(policy, {
    connectTimeoutMs: Math.min(config.timeoutMs, 10_000),
    // Per origin: many endpoints often share one host (an app's, or a receiver's).
    connections: Math.max(1, config.concurrency),
  });
  const worker = createWebhookWorker({
    db,
    box,
    dispatcher,
    policy,
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    pollIntervalMs: config.pollIntervalMs,
    retentionMs: config.retentionMs,
    logger,
    pubsub: deps.pubsub,
    ...deps.worker,
  });
  const thresholds = deps.pubsub ? watchThresholds({ db, pubsub: deps.pubsub, logger }) : undefined;
  let depth: { at: number; value: Promise<{ pending: number; due: number } | null> } | undefined;
  return {
    config,
    db,
    box,
    policy,
    worker,
    depth() {
      if (!depth || Date.now() - depth.at > 1000) {
        depth = { at: Date.now(), value: outboxDepth(db).catch(() => null) };
      }
      return depth.value;
    },
    async stop() {
      await thresholds?.stop();
      await worker.stop();
      await dispatcher.close();
    },
  };
}
