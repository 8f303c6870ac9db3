import { and, eq, isNotNull, lte, min } from 'drizzle-orm';
import type { Logger } from 'pino';
import { reportTable } from '../../db/schema.js';
import { queueRun, REPORT_RUN_QUEUE, type RunQueueDeps } from './run.service.js';
import { onSchedulerNudge } from './schedule-signal.js';
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

/** When the earliest active schedule is due next; null when none is. */
async function nextDue(deps: RunQueueDeps): Promise<Date | null> {
  const [row] = await deps.db
    .select({ at: min(reportTable.nextRunAt) })
    .from(reportTable)
    .where(and(eq(reportTable.schedulePaused, false), isNotNull(reportTable.scheduleCron)));
  return row?.at ?? null;
}

/**
 * Runs due schedules at start (ticks missed while the server was down), then sleeps until the
 * earliest next tick, at most `maxSleepMs` (schedules saved on other instances), waking early
 * when a schedule is saved here. An idle instance reads the reports table once per sleep, not
 * once a second.
 */
export function startScheduler(
  deps: RunQueueDeps & { logger: Logger },
  maxSleepMs: number,
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    let sleep = maxSleepMs;
    try {
      await runDueSchedules(deps);
      const due = await nextDue(deps);
      if (due) sleep = Math.min(maxSleepMs, Math.max(1_000, due.getTime() - Date.now()));
    } catch (error) {
      deps.logger.warn({ err: error }, 'scheduling reports failed');
    }
    if (!stopped) arm(sleep);
  };
  const wake = () => {
    clearTimeout(timer);
    running = running.then(pass);
  };
  function arm(ms: number) {
    clearTimeout(timer);
    timer = setTimeout(wake, ms);
    timer.unref();
  }
  const unsubscribe = onSchedulerNudge(wake);
  wake();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await running;
    },
  };
}
