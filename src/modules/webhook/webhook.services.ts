import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { Db } from '../../db/client.js';
import type { WebhookConfig } from '../../env.js';
import type { EndpointDeps } from './endpoint.service.js';
import { SecretBox } from './secrets.js';
import { createEgressAgent, type EgressPolicy } from './ssrf.js';
import { createWebhookWorker, type WebhookWorker } from './worker.js';

/** The long-lived webhook parts of one app instance (AppServices.webhooks). */
export interface WebhookServices extends EndpointDeps {
  config: WebhookConfig;
  /** Delivers the outbox (idle when WEBHOOK_CONCURRENCY=0). */
  worker: WebhookWorker;
  /** Lets attempts in flight finish and closes the outbound connections. */
  stop(): Promise<void>;
}

export function createWebhookServices(deps: {
  config: WebhookConfig;
  db: Db;
  logger: Logger;
  /** Options for the worker only (tests: a fake clock, no timers). */
  worker?: { now?: () => Date; autoStart?: boolean };
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
    ...deps.worker,
  });
  return {
    config,
    db,
    box,
    policy,
    worker,
    async stop() {
      await worker.stop();
      await dispatcher.close();
    },
  };
}
