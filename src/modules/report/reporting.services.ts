import type { Logger } from 'pino';
import type { ExportServices } from '../export/export.services.js';
import { createMailer, type Mailer } from '../mail/index.js';
import type { Config } from '../../env.js';
import { announceRun } from './reporting.events.js';
import { defineRunJobs } from './runner.js';
import { startScheduler } from './scheduler.js';

export interface ReportingServices {
  mailer: Mailer;
  stop(): Promise<void>;
}

/** The longest an instance sleeps between looks for due schedules (saved on other instances). */
const SCHEDULER_MAX_SLEEP_MS = 5 * 60_000;

/** The run worker, the schedule loop and the mailer of saved reports. */
export function createReportingServices(deps: {
  config: Config;
  exports: ExportServices;
  logger: Logger;
}): ReportingServices {
  const mailer = createMailer(deps.config.mail, deps.logger);
  defineRunJobs({ exports: deps.exports, mailer, logger: deps.logger, onFinished: announceRun });
  const scheduler =
    deps.config.jobs.workers > 0
      ? startScheduler({ ...deps.exports, logger: deps.logger }, SCHEDULER_MAX_SLEEP_MS)
      : null;
  return {
    mailer,
    async stop() {
      await scheduler?.stop();
      await mailer.close();
    },
  };
}
