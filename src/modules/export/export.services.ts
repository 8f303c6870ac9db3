import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/client.js';
import type { ExportRecord } from '../../db/schema.js';
import type { Config } from '../../env.js';
import type { JobQueue } from '../../lib/job-queue.js';
import type { PubSub } from '../../lib/pubsub.js';
import { resolveSigningKeys } from '../../lib/signed-link.js';
import { defineExportJobs } from './export.jobs.js';
import { sweepExpiredExports, type ExportDeps } from './export.service.js';
import { createExportStorage } from './storage/index.js';

export type ExportServices = ExportDeps & {
  jobs: JobQueue;
  stop(): Promise<void>;
};

const SWEEP_EVERY_MS = 60 * 60_000;

/** The export worker, its storage and links, and the hourly deletion of expired files. */
export function createExportServices(deps: {
  config: Config;
  db: Db;
  pubsub: PubSub;
  jobs: JobQueue;
  logger: Logger;
  publicUrl: () => string;
  onFinished?: (tx: Tx, record: ExportRecord) => Promise<void>;
}): ExportServices {
  const { config, logger } = deps;
  const services: ExportServices = {
    db: deps.db,
    pubsub: deps.pubsub,
    jobs: deps.jobs,
    logger,
    storage: createExportStorage(config.exports.storage, logger),
    settings: {
      maxRows: config.exports.maxRows,
      maxBytes: config.exports.maxBytes,
      linkTtlMs: config.exports.linkTtlMs,
      retentionMs: config.exports.retentionMs,
      signingKeys: resolveSigningKeys(config.exports.signingKeys, logger),
      publicUrl: deps.publicUrl,
      hourlyRetentionDays: config.retention.hourlyDays,
    },
    ...(deps.onFinished ? { onFinished: deps.onFinished } : {}),
    stop: async () => clearInterval(sweeper),
  };
  defineExportJobs(services);
  const sweeper = setInterval(() => {
    sweepExpiredExports(services).catch((error: unknown) =>
      logger.warn({ err: error }, 'deleting expired exports failed'),
    );
  }, SWEEP_EVERY_MS);
  sweeper.unref();
  return services;
}
