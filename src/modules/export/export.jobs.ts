import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  exportTable,
  reportRunTable,
  userTable,
  type ExportRecord,
  type FileFormat,
  type Plan,
} from '../../db/schema.js';
import type { JobQueue } from '../../lib/job-queue.js';
import { AnalyticsInputError, type ViewOwner } from '../analytics/analytics.service.js';
import type { ReportInput } from '../analytics/report/report.compile.js';
import { prepareReport } from '../analytics/report/report.service.js';
import { fail, ok, userError, type MutationResult } from '../common/user-error.js';
import { MAX_CONCURRENT_EXPORTS } from '../limits/plan-limits.js';
import { fieldPath } from '../report/definition.js';
import { failExportAttempt, produceExport, type ExportDeps } from './export.service.js';

export const EXPORT_QUEUE = 'export';

export interface ExportRequest {
  /** analyticsReport's input, its range already resolved to dates. */
  definition: ReportInput;
  format: FileFormat;
  title: string;
  reportId?: string | null;
}

/**
 * Checks a definition the way a run will (the same compiler, so a saved report never fails at
 * run time for a reason that could be told now); the error names the input field.
 */
export async function checkDefinition(
  db: Db,
  owner: ViewOwner,
  definition: ReportInput,
  settings: { maxRows: number; hourlyRetentionDays: number },
): Promise<{ field: string; message: string } | null> {
  try {
    await prepareReport(
      db,
      owner,
      definition,
      { now: Date.now(), hourlyRetentionDays: settings.hourlyRetentionDays },
      { maxLimit: settings.maxRows, defaultLimit: settings.maxRows },
    );
    return null;
  } catch (error) {
    if (error instanceof AnalyticsInputError) return { field: error.field, message: error.message };
    throw error;
  }
}

/**
 * The owner's work in flight: standalone exports and report runs (a run makes its files one
 * after another, so it holds one slot).
 */
export async function exportsInFlight(db: Db | Tx, ownerId: string): Promise<number> {
  const busy = inArray(exportTable.status, ['queued', 'running']);
  const [exports] = await db
    .select({ n: count() })
    .from(exportTable)
    .where(and(eq(exportTable.ownerId, ownerId), isNull(exportTable.runId), busy));
  const [runs] = await db
    .select({ n: count() })
    .from(reportRunTable)
    .where(
      and(
        eq(reportRunTable.ownerId, ownerId),
        inArray(reportRunTable.status, ['queued', 'running']),
      ),
    );
  return (exports?.n ?? 0) + (runs?.n ?? 0);
}

/** Queues an export: the row and its job commit together, so no export waits for a lost job. */
export async function requestExport(
  deps: ExportDeps & { jobs: JobQueue },
  owner: ViewOwner & { plan: Plan },
  request: ExportRequest,
): Promise<MutationResult<ExportRecord>> {
  const problem = await checkDefinition(deps.db, owner, request.definition, deps.settings);
  if (problem)
    return fail(
      userError(fieldPath(['input', 'definition'], problem.field), 'INVALID', problem.message),
    );
  const limit = MAX_CONCURRENT_EXPORTS[owner.plan];
  await deps.jobs.ready(EXPORT_QUEUE);
  const record = await deps.db.transaction(async (tx) => {
    // Serializes the owner's concurrent requests, so the limit holds under a burst.
    await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(eq(userTable.id, owner.id))
      .for('update');
    if ((await exportsInFlight(tx, owner.id)) >= limit) return null;
    const [row] = await tx
      .insert(exportTable)
      .values({
        ownerId: owner.id,
        reportId: request.reportId ?? null,
        format: request.format,
        title: request.title,
        definition: request.definition as unknown as Record<string, unknown>,
      })
      .returning();
    await deps.jobs.send(EXPORT_QUEUE, { exportId: row!.id }, { tx });
    return row!;
  });
  if (!record)
    return fail(
      userError(
        [],
        'LIMIT_REACHED',
        `Your plan runs ${limit} exports at once; wait for one to finish.`,
      ),
    );
  deps.pubsub.publish('export:changed', record.id, { exportId: record.id });
  return ok(record);
}

/** Loads what a job needs about the export's owner (time zone for "today"). */
async function ownerOf(db: Db, exportId: string): Promise<ViewOwner | null> {
  const [row] = await db
    .select({ id: userTable.id, timezone: userTable.timezone })
    .from(exportTable)
    .innerJoin(userTable, eq(userTable.id, exportTable.ownerId))
    .where(and(eq(exportTable.id, exportId), isNull(exportTable.runId)));
  return row ?? null;
}

/** The worker of standalone exports (report runs produce theirs inside the run's job). */
export function defineExportJobs(deps: ExportDeps & { jobs: JobQueue }) {
  deps.jobs.define<{ exportId: string }>(EXPORT_QUEUE, async (job) => {
    const owner = await ownerOf(deps.db, job.data.exportId);
    if (!owner) return;
    try {
      await produceExport(deps, job.data.exportId, owner, {
        attempt: job.attempt,
        signal: job.signal,
      });
    } catch (error) {
      const { retry } = await failExportAttempt(deps, job.data.exportId, error, job.lastAttempt);
      if (retry) throw error;
    }
  });
}
