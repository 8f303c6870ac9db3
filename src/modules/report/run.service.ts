import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  exportTable,
  FILE_FORMATS,
  reportRunTable,
  userTable,
  type FileFormat,
  type Plan,
  type ReportRecord,
  type ReportRunRecord,
  type RunTrigger,
} from '../../db/schema.js';
import type { JobQueue } from '../../lib/job-queue.js';
import type { PubSub } from '../../lib/pubsub.js';
import { fail, ok, userError, type MutationResult } from '../common/user-error.js';
import { exportsInFlight } from '../export/export.jobs.js';
import { MAX_CONCURRENT_EXPORTS } from '../limits/plan-limits.js';

export const REPORT_RUN_QUEUE = 'report-run';

export interface RunQueueDeps {
  db: Db;
  pubsub: PubSub;
  jobs: JobQueue;
}

/**
 * Queues a run with one export per format, in one transaction with its job: a run that exists
 * is always worked on. A schedule tick is unique per report, so a tick already queued (by
 * another instance) queues nothing and returns null.
 */
export async function queueRun(
  deps: RunQueueDeps,
  tx: Tx,
  report: ReportRecord,
  options: { trigger: RunTrigger; formats: readonly FileFormat[]; scheduledFor?: Date },
): Promise<ReportRunRecord | null> {
  const [run] = await tx
    .insert(reportRunTable)
    .values({
      reportId: report.id,
      ownerId: report.ownerId,
      trigger: options.trigger,
      scheduledFor: options.scheduledFor ?? null,
    })
    .onConflictDoNothing({ target: [reportRunTable.reportId, reportRunTable.scheduledFor] })
    .returning();
  if (!run) return null;
  await tx.insert(exportTable).values(
    options.formats.map((format) => ({
      ownerId: report.ownerId,
      reportId: report.id,
      runId: run.id,
      format,
      title: report.name,
      // The run resolves the range when it starts; this is the saved definition until then.
      definition: report.definition,
    })),
  );
  await deps.jobs.send(REPORT_RUN_QUEUE, { runId: run.id }, { tx });
  return run;
}

/** "Run now": a manual run of the owner's report, within the plan's concurrent exports. */
export async function runReportNow(
  deps: RunQueueDeps,
  owner: { id: string; plan: Plan },
  report: ReportRecord,
  formats: readonly FileFormat[],
): Promise<MutationResult<ReportRunRecord>> {
  if (formats.length === 0 || new Set(formats).size !== formats.length)
    return fail(userError(['formats'], 'INVALID', 'give each format once, at least one'));
  const limit = MAX_CONCURRENT_EXPORTS[owner.plan];
  await deps.jobs.ready(REPORT_RUN_QUEUE);
  const run = await deps.db.transaction(async (tx) => {
    await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(eq(userTable.id, owner.id))
      .for('update');
    if ((await exportsInFlight(tx, owner.id)) >= limit) return null;
    return queueRun(deps, tx, report, { trigger: 'manual', formats });
  });
  if (!run)
    return fail(
      userError(
        [],
        'LIMIT_REACHED',
        `Your plan runs ${limit} exports at once; wait for one to finish.`,
      ),
    );
  deps.pubsub.publish('report:runs', report.id, { runId: run.id });
  return ok(run);
}

export function loadRunsByIds(db: Db, ownerId: string, ids: readonly string[]) {
  return db
    .select()
    .from(reportRunTable)
    .where(and(inArray(reportRunTable.id, [...ids]), eq(reportRunTable.ownerId, ownerId)));
}

const FILE_FORMATS_SQL = sql.raw(`array[${FILE_FORMATS.map((f) => `'${f}'`).join(', ')}]`);

/** A run's files in the formats' order (CSV, XLSX, JSON, NDJSON, PDF), whoever owns it (workers). */
export function filesOfRun(db: Db, runId: string) {
  return db
    .select()
    .from(exportTable)
    .where(eq(exportTable.runId, runId))
    .orderBy(sql`array_position(${FILE_FORMATS_SQL}, ${exportTable.format})`, exportTable.id);
}

/** The exports of these runs, in the formats' order (CSV, XLSX, JSON, NDJSON, PDF). */
export function exportsOfRuns(db: Db, ownerId: string, runIds: readonly string[]) {
  return db
    .select()
    .from(exportTable)
    .where(and(inArray(exportTable.runId, [...runIds]), eq(exportTable.ownerId, ownerId)))
    .orderBy(sql`array_position(${FILE_FORMATS_SQL}, ${exportTable.format})`, exportTable.id);
}
