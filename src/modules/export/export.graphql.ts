import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { exportTable, type ExportRecord, type RunStatus } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { listenNow } from '../../lib/listen.js';
import { watchUntilDone } from '../../lib/watch.js';
import {
  ReportInput as AnalyticsReportInput,
  reportInputOf,
} from '../analytics/report/report.graphql.js';
import { signedIn } from '../auth/viewer.js';
import { payloadType } from '../common/common.graphql.js';
import { pageNewestFirst } from '../common/newest-first.js';
import { fail, ok, userError } from '../common/user-error.js';
import { ExportFormatEnum, ReportRef } from '../report/report-types.graphql.js';
import { requestExport } from './export.jobs.js';
import { downloadLink } from './export.service.js';
import { resolveExportTarget } from './export.request.js';

export const RUN_STATUS_DESCRIPTIONS: Record<RunStatus, string> = {
  queued: 'Waiting for a worker (also between retries).',
  running: 'Being produced; see `progress`.',
  succeeded: 'Done; the file can be downloaded until it expires.',
  failed: 'Gave up: `error` says why (after its retries, or at once when retrying cannot help).',
};

export const RunStatusEnum = builder.enumType('RunStatus', {
  description: 'Where a report run or an export is.',
  values: Object.fromEntries(
    Object.entries(RUN_STATUS_DESCRIPTIONS).map(([status, description]) => [
      status.toUpperCase(),
      { value: status, description },
    ]),
  ) as Record<Uppercase<RunStatus>, { value: RunStatus; description: string }>,
});

export const loadExports = (context: Context, ids: readonly string[]) =>
  context.db
    .select()
    .from(exportTable)
    .where(
      and(inArray(exportTable.id, [...ids]), eq(exportTable.ownerId, signedIn(context).user.id)),
    );

export const ExportRef = builder.loadableNodeRef('Export', {
  id: { resolve: (record: ExportRecord) => record.id },
  sort: (record) => record.id,
  load: (ids: string[], context: Context) => loadExports(context, ids),
});

ExportRef.implement({
  description:
    'A file made from a report definition (on its own, or by a report run). Needs `read:analytics`.',
  authScopes: { scope: 'read:analytics' },
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title inside the file and its name.' }),
    format: t.field({
      type: ExportFormatEnum,
      description: 'The file format.',
      resolve: (record) => record.format,
    }),
    status: t.field({ type: RunStatusEnum, description: 'Where it is.', resolve: (r) => r.status }),
    progress: t.float({
      description: 'How far along, 0–1 (1 when succeeded).',
      resolve: (record) => record.progress,
    }),
    rows: t.int({
      nullable: true,
      description: 'Data rows in the file; null until it succeeds.',
      resolve: (record) => record.rows,
    }),
    bytes: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'File size; null until it succeeds.',
      resolve: (record) => record.bytes,
    }),
    fileName: t.string({
      nullable: true,
      description: 'The name the download is saved under.',
      resolve: (record) => record.fileName,
    }),
    attempts: t.int({
      description: 'Attempts started so far (failed attempts are retried with backoff).',
      resolve: (record) => record.attempts,
    }),
    deadLettered: t.boolean({
      description: 'True when it failed after every retry (the dead-letter state).',
      resolve: (record) => record.deadLettered,
    }),
    errorCode: t.string({
      nullable: true,
      description:
        'Why it failed: EXPORT_TOO_LARGE (past the size limit), INVALID_DEFINITION, EXPORT_FAILED (after retries).',
      resolve: (record) => (record.status === 'failed' ? record.errorCode : null),
    }),
    error: t.string({
      nullable: true,
      description: 'The last error, in words (also set while waiting for a retry).',
      resolve: (record) => record.error,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was asked for.' }),
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
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the file is deleted (links stop working then at the latest).',
    }),
    linksRevoked: t.boolean({
      description: 'True once `revokeExportLinks` ended every download link.',
      resolve: (record) => record.revokedAt !== null,
    }),
    downloadUrl: t.string({
      nullable: true,
      description:
        'A signed link that downloads the file without credentials, valid for 24 hours (EXPORT_LINK_TTL_HOURS) or until the file expires; a new one each time you ask. Null unless succeeded and not revoked.',
      resolve: (record, _args, context) =>
        downloadLink(context.exports.settings, record)?.url ?? null,
    }),
    downloadExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the `downloadUrl` of this response stops working.',
      resolve: (record, _args, context) =>
        downloadLink(context.exports.settings, record)?.expiresAt ?? null,
    }),
  }),
});

const ExportConnection = builder.connectionObject({
  type: ExportRef,
  name: 'ExportConnection',
  description: 'A page of exports, newest first.',
});

const ExportReportInput = builder.inputType('ExportReportInput', {
  description: 'What to export: a saved report, or a definition (exactly one of the two).',
  fields: (t) => ({
    report: t.globalID({
      for: ReportRef,
      description: 'A saved report: its definition, range resolved now.',
    }),
    definition: t.field({
      type: AnalyticsReportInput,
      description:
        "analyticsReport's input; `limit` defaults to every row, up to EXPORT_MAX_ROWS (1,000,000).",
    }),
    format: t.field({ type: ExportFormatEnum, required: true, description: 'The file format.' }),
    title: t.string({
      description: 'The file\'s title (default: the report\'s name, or "Report").',
    }),
  }),
});

const ExportPayload = payloadType(
  'ExportPayload',
  'export',
  ExportRef,
  'Result of an export mutation.',
);

builder.queryFields((t) => ({
  exports: t.connection(
    {
      type: ExportRef,
      authScopes: { scope: 'read:analytics' },
      description:
        'Your exports, newest first (standalone and from report runs). Needs `read:analytics`.',
      resolve: (_root, args, context) =>
        resolveCursorConnection(
          {
            args,
            defaultSize: context.config.limits.defaultPageSize,
            maxSize: context.config.limits.maxPageSize,
            toCursor: (row: ExportRecord & { cursor: string }) => row.cursor,
          },
          (page: ResolveCursorConnectionArgs) =>
            pageNewestFirst<ExportRecord>(
              context.db,
              exportTable,
              { at: exportTable.createdAt, id: exportTable.id },
              'exports:created_at:desc',
              [eq(exportTable.ownerId, signedIn(context).user.id)],
              page,
            ),
        ),
    },
    ExportConnection,
  ),
}));

builder.mutationFields((t) => ({
  exportReport: t.withAuth({ scope: 'read:analytics' }).field({
    type: ExportPayload,
    description:
      'Queues a file of a report (CSV, XLSX, JSON, NDJSON or PDF); follow it with `exportProgress` or `node`. Your plan caps exports running at once (LIMIT_REACHED). Needs `read:analytics`.',
    args: {
      input: t.arg({ type: ExportReportInput, required: true, description: 'What to export.' }),
    },
    complexity: 100,
    resolve: async (_root, { input }, context) => {
      const viewer = context.viewer.user;
      const resolved = await resolveExportTarget(context.db, viewer, {
        reportId: input.report?.id ?? null,
        definition: input.definition ? reportInputOf(input.definition) : null,
        title: input.title ?? null,
      });
      if (!resolved.ok) return resolved;
      return requestExport(context.exports, viewer, { ...resolved.value, format: input.format });
    },
  }),
  revokeExportLinks: t.withAuth({ scope: 'read:analytics' }).field({
    type: ExportPayload,
    description:
      'Ends every download link of one of your exports at once (links already handed out get 410 Gone). Needs `read:analytics`.',
    args: {
      id: t.arg.globalID({ for: ExportRef, required: true, description: 'The export.' }),
    },
    resolve: async (_root, { id }, context) => {
      const [record] = await context.db
        .update(exportTable)
        .set({ revokedAt: new Date() })
        .where(
          and(
            eq(exportTable.id, id.id),
            eq(exportTable.ownerId, context.viewer.user.id),
            isNull(exportTable.revokedAt),
          ),
        )
        .returning();
      if (record) return ok(record);
      const [existing] = await loadExports(context, [id.id]);
      return existing ? ok(existing) : fail(userError(['id'], 'NOT_FOUND', 'No such export.'));
    },
  }),
}));

builder.subscriptionFields((t) => ({
  exportProgress: t.withAuth({ scope: 'read:analytics' }).field({
    type: ExportRef,
    description:
      'The export as it is now, then each time its status or progress changes; completes once it succeeded or failed. Needs `read:analytics`.',
    args: { id: t.arg.globalID({ for: ExportRef, required: true, description: 'The export.' }) },
    subscribe: async (_root, { id }, context) => {
      const changes = listenNow([context.pubsub.subscribe('export:changed', id.id)]);
      const load = async () => (await loadExports(context, [id.id]))[0] ?? null;
      return watchUntilDone({
        changes,
        load,
        signal: context.shutdownSignal,
        notFound: () => notFound('Export'),
        same: (a, b) => a.status === b.status && a.progress === b.progress,
        done: (record) => record.status === 'succeeded' || record.status === 'failed',
      });
    },
    resolve: (record) => record,
  }),
}));
