import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import { reportTable } from '../../db/schema.js';
import { queueRun, REPORT_RUN_QUEUE, type RunQueueDeps } from './run.service.js';
import { nextTick } from './schedule.js';

/** Reports due at once, at most, per pass; the rest wait for the next pass. */
const BATCH = 100;

/**
 * One pass over due schedules. Each due report's `nextRunAt` moves on to the next tick after
 * now with a compare-and-set, so of several instances exactly one queues the tick; ticks missed
 * while no instance ran are run once, not once each.
 */
export async function runDueSchedules(deps: RunQueueDeps, now = new Date()): Promise<number> {
  const due = await deps.db
    .select()
    .from(reportTable)
    .where(
      and(
        lte(reportTable.nextRunAt, now),
        eq(reportTable.schedulePaused, false),
        isNotNull(reportTable.scheduleCron),
      ),
    )
    .orderBy(reportTable.nextRunAt)
    .limit(BATCH);
  if (due.length === 0) return 0;
  await deps.jobs.ready(REPORT_RUN_QUEUE);
  let queued = 0;
  for (const report of due) {
    const tick = report.nextRunAt!;
    const run = await deps.db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(reportTable)
        .set({ nextRunAt: nextTick(report.scheduleCron!, report.scheduleTimeZone!, now) })
        .where(and(eq(reportTable.id, report.id), eq(reportTable.nextRunAt, tick)))
        .returning();
      if (!claimed) return null;
      return queueRun(deps, tx, claimed, {
        trigger: 'schedule',
        formats: claimed.scheduleFormats,
        scheduledFor: tick,
      });
    });
    if (run) {
      queued += 1;
      deps.pubsub.publish('report:runs', report.id, { runId: run.id });
    }
  }
  return queued;
}

/** Checks for due schedules every `intervalMs` until stopped. */
export function startScheduler(
  deps: RunQueueDeps & { logger: Logger },
  intervalMs: number,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = runDueSchedules(deps).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'scheduling reports failed'),
    );
  };
  // At start, so ticks missed while the server was down run now.
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
