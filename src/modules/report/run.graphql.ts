import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { desc, eq } from 'drizzle-orm';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { reportRunTable, type ReportRunRecord, type RunTrigger } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { listenNow } from '../../lib/listen.js';
import { watchUntilDone } from '../../lib/watch.js';
import { signedIn } from '../auth/viewer.js';
import { payloadType } from '../common/common.graphql.js';
import { pageNewestFirst } from '../common/newest-first.js';
import { fail, userError } from '../common/user-error.js';
import { ExportRef, RunStatusEnum } from '../export/export.graphql.js';
import { ExportFormatEnum, ReportRef } from './report-types.graphql.js';
import { loadReportsByIds } from './report.service.js';
import { exportsOfRuns, loadRunsByIds, runReportNow } from './run.service.js';

const ReportRunTriggerEnum = builder.enumType('ReportRunTrigger', {
  description: 'What started a run.',
  values: {
    MANUAL: { value: 'manual', description: '`runReport` (or the CLI).' },
    SCHEDULE: { value: 'schedule', description: "A tick of the report's schedule." },
  } satisfies Record<Uppercase<RunTrigger>, { value: RunTrigger; description: string }>,
});

export const ReportRunRef = builder.loadableNodeRef('ReportRun', {
  id: { resolve: (run: ReportRunRecord) => run.id },
  sort: (run) => run.id,
  load: (ids: string[], context: Context) =>
    loadRunsByIds(context.db, signedIn(context).user.id, ids),
});

const resolvedRange = (run: ReportRunRecord) =>
  (run.resolved as { range?: { startDate: string; endDate: string } } | null)?.range ?? null;

ReportRunRef.implement({
  description:
    'One run of a saved report: its files, progress and outcome. Needs `read:analytics`.',
  authScopes: { scope: 'read:analytics' },
  fields: (t) => ({
    report: t.field({
      type: ReportRef,
      nullable: true,
      description: 'The report it ran.',
      resolve: (run) => run.reportId,
    }),
    trigger: t.field({
      type: ReportRunTriggerEnum,
      description: 'What started it.',
      resolve: (r) => r.trigger,
    }),
    scheduledFor: t.expose('scheduledFor', {
      type: 'DateTime',
      nullable: true,
      description:
        'The schedule tick it is for (scheduled runs); its dates are resolved at this instant.',
    }),
    status: t.field({ type: RunStatusEnum, description: 'Where it is.', resolve: (r) => r.status }),
    progress: t.float({ description: 'How far along, 0–1.', resolve: (r) => r.progress }),
    attempts: t.int({
      description: 'Attempts started (failures are retried with backoff).',
      resolve: (r) => r.attempts,
    }),
    deadLettered: t.boolean({
      description: 'True when it failed after every retry (the dead-letter state).',
      resolve: (r) => r.deadLettered,
    }),
    error: t.string({
      nullable: true,
      description: 'The last error, in words (also set while waiting for a retry).',
      resolve: (r) => r.error,
    }),
    rows: t.int({
      nullable: true,
      description: 'Rows in its files; null until it succeeds.',
      resolve: (r) => r.rows,
    }),
    startDate: t.field({
      type: 'LocalDate',
      nullable: true,
      description: 'First day covered (its relative range resolved when it started).',
      resolve: (r) => resolvedRange(r)?.startDate ?? null,
    }),
    endDate: t.field({
      type: 'LocalDate',
      nullable: true,
      description: 'Last day covered.',
      resolve: (r) => resolvedRange(r)?.endDate ?? null,
    }),
    emailed: t.boolean({
      description: 'True once its files were mailed to the report’s recipients.',
      resolve: (r) => Boolean((r.resolved as { mailedAt?: string } | null)?.mailedAt),
    }),
    queuedAt: t.expose('queuedAt', { type: 'DateTime', description: 'When it was queued.' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a worker first started it.',
    }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it succeeded or failed.',
    }),
    exports: t.field({
      type: [ExportRef],
      description: 'Its files, one per format.',
      resolve: (run, _args, context) =>
        exportsOfRuns(context.db, signedIn(context).user.id, [run.id]),
    }),
  }),
});

const ReportRunConnection = builder.connectionObject({
  type: ReportRunRef,
  name: 'ReportRunConnection',
  description: 'A page of runs, newest first.',
});

builder.objectFields(ReportRef, (t) => ({
  runs: t.connection(
    {
      type: ReportRunRef,
      description: 'Its runs, newest first.',
      resolve: (report, args, context) =>
        resolveCursorConnection(
          {
            args,
            defaultSize: context.config.limits.defaultPageSize,
            maxSize: context.config.limits.maxPageSize,
            toCursor: (row: ReportRunRecord & { cursor: string }) => row.cursor,
          },
          (page: ResolveCursorConnectionArgs) =>
            pageNewestFirst<ReportRunRecord>(
              context.db,
              reportRunTable,
              { at: reportRunTable.queuedAt, id: reportRunTable.id },
              'report_runs:queued_at:desc',
              [eq(reportRunTable.reportId, report.id)],
              page,
            ),
        ),
    },
    ReportRunConnection,
  ),
  lastRun: t.field({
    type: ReportRunRef,
    nullable: true,
    description: 'Its newest run; null before the first.',
    resolve: async (report, _args, context) =>
      (
        await context.db
          .select()
          .from(reportRunTable)
          .where(eq(reportRunTable.reportId, report.id))
          .orderBy(desc(reportRunTable.queuedAt), desc(reportRunTable.id))
          .limit(1)
      )[0] ?? null,
  }),
}));

builder.objectFields(ExportRef, (t) => ({
  report: t.field({
    type: ReportRef,
    nullable: true,
    description: 'The saved report it was made from; null for a definition (or a deleted report).',
    resolve: (record) => record.reportId,
  }),
  run: t.field({
    type: ReportRunRef,
    nullable: true,
    description: 'The report run that made it; null for a standalone export.',
    resolve: (record) => record.runId,
  }),
}));

const RunReportPayload = payloadType(
  'RunReportPayload',
  'run',
  ReportRunRef,
  'Result of runReport.',
);

builder.mutationFields((t) => ({
  runReport: t.withAuth({ scope: 'manage:reports' }).field({
    type: RunReportPayload,
    description:
      "Runs a saved report now: one file per format (default: the report's formats), its range resolved now. Mails nobody (only scheduled runs mail the recipients). Follow it with `reportRunUpdated`. Needs `manage:reports`.",
    args: {
      id: t.arg.globalID({ for: ReportRef, required: true, description: 'The report.' }),
      formats: t.arg({ type: [ExportFormatEnum], description: "Formats (default: the report's)." }),
    },
    complexity: 100,
    resolve: async (_root, { id, formats }, context) => {
      const [report] = await loadReportsByIds(context.db, context.viewer.user.id, [id.id]);
      if (!report) return fail(userError(['id'], 'NOT_FOUND', 'No such report.'));
      return runReportNow(
        { db: context.db, pubsub: context.pubsub, jobs: context.jobs },
        context.viewer.user,
        report,
        formats ?? report.scheduleFormats,
      );
    },
  }),
}));

builder.subscriptionFields((t) => ({
  reportRunUpdated: t.withAuth({ scope: 'read:analytics' }).field({
    type: ReportRunRef,
    description:
      'A run as it is now, then each time its status or progress changes; completes once it succeeded or failed. Needs `read:analytics`.',
    args: { id: t.arg.globalID({ for: ReportRunRef, required: true, description: 'The run.' }) },
    subscribe: async (_root, { id }, context) => {
      const owner = context.viewer.user.id;
      const [run] = await loadRunsByIds(context.db, owner, [id.id]);
      if (!run) throw notFound('ReportRun');
      const changes = listenNow([context.pubsub.subscribe('report:runs', run.reportId)]);
      return watchUntilDone({
        changes,
        load: async () => (await loadRunsByIds(context.db, owner, [id.id]))[0] ?? null,
        signal: context.shutdownSignal,
        notFound: () => notFound('ReportRun'),
        same: (a, b) => a.status === b.status && a.progress === b.progress,
        done: (r) => r.status === 'succeeded' || r.status === 'failed',
      });
    },
    resolve: (run) => run,
  }),
}));
