import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Tx } from '../../db/client.js';
import {
  exportTable,
  reportRunTable,
  reportTable,
  userTable,
  type ExportRecord,
  type ReportRecord,
  type ReportRunRecord,
} from '../../db/schema.js';
import type { Mailer } from '../mail/index.js';
import { raiseAccountNotification } from '../notification/notification.service.js';
import type { ExportServices } from '../export/export.services.js';
import {
  failExportAttempt,
  PermanentExportError,
  produceExport,
} from '../export/export.service.js';
import { resolveDefinitionFor, toStoredDefinition } from './definition.js';
import { reportDefinition } from './report.service.js';
import { filesOfRun, REPORT_RUN_QUEUE } from './run.service.js';
import { mailRun } from './run-mail.js';

export interface RunnerDeps {
  exports: ExportServices;
  mailer: Mailer;
  logger: Logger;
  /** Announces a finished run inside the transaction that finishes it (webhooks). */
  onFinished?: (tx: Tx, run: ReportRunRecord, exports: ExportRecord[]) => Promise<void>;
}

const PROGRESS_EVERY_MS = 500;

/** Works one run: resolves its range, produces its files, mails them when scheduled. */
async function work(deps: RunnerDeps, runId: string, attempt: number, signal: AbortSignal) {
  const { db, pubsub } = deps.exports;
  const [found] = await db
    .select({ run: reportRunTable, report: reportTable, owner: userTable })
    .from(reportRunTable)
    .innerJoin(reportTable, eq(reportTable.id, reportRunTable.reportId))
    .innerJoin(userTable, eq(userTable.id, reportRunTable.ownerId))
    .where(eq(reportRunTable.id, runId));
  if (!found || found.run.status === 'succeeded' || found.run.status === 'failed') return;
  const { report, owner } = found;
  const announce = () => pubsub.publish('report:runs', report.id, { runId });
  // A scheduled run covers the days of its tick, however late (retries, downtime) it runs.
  const at = (found.run.scheduledFor ?? found.run.queuedAt).getTime();
  const resolved = await resolveDefinitionFor(
    db,
    owner.id,
    reportDefinition(report),
    at,
    owner.timezone,
  );
  const stored = toStoredDefinition(resolved.input);
  await db
    .update(reportRunTable)
    .set({
      status: 'running',
      startedAt: sql`coalesce(${reportRunTable.startedAt}, now())`,
      attempts: sql`${reportRunTable.attempts} + 1`,
      resolved: { ...(found.run.resolved ?? {}), definition: stored, range: resolved.range },
      error: null,
    })
    .where(eq(reportRunTable.id, runId));
  await db
    .update(exportTable)
    .set({ definition: stored })
    .where(and(eq(exportTable.runId, runId), inArray(exportTable.status, ['queued', 'running'])));
  announce();

  const files = await filesOfRun(db, runId);
  let lastWrite = 0;
  const progress = (done: number, fraction: number) => {
    if (Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = Date.now();
    void db
      .update(reportRunTable)
      .set({ progress: Math.min(0.99, (done + fraction) / files.length) })
      .where(and(eq(reportRunTable.id, runId), eq(reportRunTable.status, 'running')))
      .then(announce, () => {});
  };
  const finished: ExportRecord[] = [];
  for (const [index, file] of files.entries()) {
    if (file.status === 'succeeded') {
      finished.push(file);
      continue;
    }
    try {
      finished.push(
        await produceExport(deps.exports, file.id, owner, {
          attempt,
          signal,
          onProgress: (fraction) => progress(index, fraction),
        }),
      );
    } catch (error) {
      // A file that can never be made fails the run at once; anything else is retried.
      if (error instanceof PermanentExportError) {
        await failExportAttempt(deps.exports, file.id, error, true);
        throw error;
      }
      await failExportAttempt(deps.exports, file.id, error, false);
      throw error;
    }
  }
  const rows = finished[0]?.rows ?? 0;
  const mail = found.run.trigger === 'schedule' && report.recipients.length > 0;
  const skip = rows === 0 && report.skipIfEmpty;
  if (mail && !skip && !(found.run.resolved as { mailedAt?: string } | null)?.mailedAt) {
    await mailRun(deps, { report, owner, run: found.run, files: finished, resolved });
    // Recorded at once, so a retry after this point never mails the recipients twice.
    await db
      .update(reportRunTable)
      .set({
        resolved: sql`coalesce(${reportRunTable.resolved}, '{}'::jsonb) || ${JSON.stringify({ mailedAt: new Date().toISOString() })}::jsonb`,
      })
      .where(eq(reportRunTable.id, runId));
  }
  await finishRun(deps, report, runId, { status: 'succeeded', progress: 1, rows }, finished);
}

async function finishRun(
  deps: RunnerDeps,
  report: ReportRecord,
  runId: string,
  outcome: Partial<typeof reportRunTable.$inferInsert> & { status: 'succeeded' | 'failed' },
  files: ExportRecord[],
) {
  const { db, pubsub } = deps.exports;
  const run = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(reportRunTable)
      .set({ ...outcome, finishedAt: new Date() })
      .where(eq(reportRunTable.id, runId))
      .returning();
    if (row) await deps.onFinished?.(tx, row, files);
    return row;
  });
  pubsub.publish('report:runs', report.id, { runId });
  if (run?.trigger !== 'schedule') return;
  const ok = outcome.status === 'succeeded';
  await raiseAccountNotification(db, pubsub, {
    ownerId: report.ownerId,
    kind: ok ? 'report_run_succeeded' : 'report_run_failed',
    title: ok ? `“${report.name}” is ready` : `“${report.name}” could not run`,
    body: ok
      ? `The scheduled run of “${report.name}” finished: ${run.rows ?? 0} rows.`
      : `The scheduled run of “${report.name}” failed: ${outcome.error ?? 'unknown error'}.`,
    data: { reportId: report.id, runId },
    dedupKey: `report-run:${runId}`,
  });
}

/** The worker of report runs: retried with backoff; the last failure dead-letters the run. */
export function defineRunJobs(deps: RunnerDeps) {
  deps.exports.jobs.define<{ runId: string }>(REPORT_RUN_QUEUE, async (job) => {
    try {
      await work(deps, job.data.runId, job.attempt, job.signal);
    } catch (error) {
      const permanent = error instanceof PermanentExportError;
      const message = error instanceof Error ? error.message : String(error);
      const { db } = deps.exports;
      if (!permanent && !job.lastAttempt) {
        await db
          .update(reportRunTable)
          .set({ status: 'queued', error: message, progress: 0 })
          .where(eq(reportRunTable.id, job.data.runId));
        const [run] = await db
          .select()
          .from(reportRunTable)
          .where(eq(reportRunTable.id, job.data.runId));
        if (run) deps.exports.pubsub.publish('report:runs', run.reportId, { runId: run.id });
        throw error;
      }
      const [found] = await db
        .select({ report: reportTable })
        .from(reportRunTable)
        .innerJoin(reportTable, eq(reportTable.id, reportRunTable.reportId))
        .where(eq(reportRunTable.id, job.data.runId));
      if (!found) return;
      for (const file of await filesOfRun(db, job.data.runId))
        if (file.status !== 'succeeded' && file.status !== 'failed')
          await failExportAttempt(deps.exports, file.id, error, true);
      // Read again: the webhook carries the files as they ended, not as they were.
      await finishRun(
        deps,
        found.report,
        job.data.runId,
        { status: 'failed', error: message, deadLettered: !permanent },
        await filesOfRun(db, job.data.runId),
      );
      deps.logger.warn({ runId: job.data.runId, err: error }, 'report run failed');
    }
  });
}
