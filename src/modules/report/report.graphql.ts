import {
  encodeGlobalID,
  resolveCursorConnection,
  type ResolveCursorConnectionArgs,
} from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { analyticsSettings } from '../analytics/analytics-types.graphql.js';
import type { ReportInput } from '../analytics/report/report.compile.js';
import { ReportInput as AnalyticsReportInput } from '../analytics/report/report.graphql.js';
import { signedIn } from '../auth/viewer.js';
import { payloadType, UserErrorRef } from '../common/common.graphql.js';
import { withoutUndefined } from '../common/input.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import type { MutationResult } from '../common/user-error.js';
import { MAX_RECIPIENTS } from './recipients.js';
import { ExportFormatEnum, ReportKindEnum, ReportRef } from './report-types.graphql.js';
import {
  countReports,
  createReport,
  deleteReport,
  listReports,
  MAX_REPORT_DESCRIPTION,
  MAX_REPORT_NAME,
  MAX_SAVED_REPORTS,
  setReportSchedulePaused,
  updateReport,
  type ReportListRow,
  type ReportPatch,
} from './report.service.js';

export { ExportFormatEnum, ReportKindEnum, ReportRef };

type ReportConnectionShape = { totalCount: () => Promise<number> };

const ReportConnection = builder.connectionObject({
  type: ReportRef,
  name: 'ReportConnection',
  description: 'A page of saved reports, newest first.',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many saved reports you have, across all pages.',
      resolve: (connection) => (connection as unknown as ReportConnectionShape).totalCount(),
    }),
  }),
});

const ORDER = 'reports:created_at:desc';

builder.queryFields((t) => ({
  reports: t.connection(
    {
      type: ReportRef,
      description:
        'Your saved reports, newest first. `first`/`last` accept 1–100 (default 20). Needs `read:analytics`.',
      authScopes: { scope: 'read:analytics' },
      resolve: async (_root, args, context) => {
        const ownerId = signedIn(context).user.id;
        const { maxPageSize, defaultPageSize } = context.config.limits;
        const connection = await resolveCursorConnection(
          {
            args,
            defaultSize: defaultPageSize,
            maxSize: maxPageSize,
            toCursor: (row: ReportListRow) =>
              encodeCursor({ order: ORDER, key: row.sortKey, id: row.id }),
          },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            listReports(context.db, ownerId, {
              after: decodeCursor(after, ORDER, 'timestamptz'),
              before: decodeCursor(before, ORDER, 'timestamptz'),
              limit,
              inverted,
            }),
        );
        return { ...connection, totalCount: () => countReports(context.db, ownerId) };
      },
    },
    ReportConnection,
  ),
  report: t.withAuth({ scope: 'read:analytics' }).field({
    type: ReportRef,
    nullable: true,
    description:
      'A saved report by global ID; null when it does not exist or is not yours. Needs `read:analytics`.',
    args: {
      id: t.arg.globalID({
        for: ReportRef,
        required: true,
        description: 'Global ID of the report.',
      }),
    },
    resolve: (_root, args) => args.id.id,
  }),
}));

const ReportScheduleInput = builder.inputType('ReportScheduleInput', {
  description:
    'When a report runs by itself: a five-field cron expression read in a time zone, at most hourly.',
  fields: (t) => ({
    cron: t.string({
      required: true,
      description:
        'Minute hour day-of-month month day-of-week, e.g. `0 9 * * 1` (Mondays at 09:00). The minute must be a single number (at most hourly).',
    }),
    timezone: t.string({
      description:
        "IANA zone the expression is read in, e.g. `Europe/Paris` (default: your account's).",
    }),
  }),
});

const reportFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  description: t.string({
    description: `What it is for, at most ${MAX_REPORT_DESCRIPTION} characters.`,
  }),
  definition: t.field({
    type: AnalyticsReportInput,
    description:
      "What it computes: analyticsReport's input. Checked now (a dry run), refused per field.",
  }),
  schedule: t.field({
    type: ReportScheduleInput,
    description: 'When it runs by itself; none: on demand only.',
  }),
  recipients: t.stringList({
    description: `E-mail addresses that receive each scheduled run (at most ${MAX_RECIPIENTS}).`,
  }),
  formats: t.field({
    type: [ExportFormatEnum],
    description: 'The files each scheduled run produces (default CSV).',
  }),
  skipIfEmpty: t.boolean({ description: 'True: a scheduled run with no rows sends nothing.' }),
});

const CreateReportInput = builder.inputType('CreateReportInput', {
  description: 'A report to save.',
  fields: (t) => ({
    name: t.string({ required: true, description: `Its name, 1–${MAX_REPORT_NAME} characters.` }),
    kind: t.field({
      type: ReportKindEnum,
      required: true,
      defaultValue: 'custom',
      description:
        'What kind of report (default CUSTOM). Without a definition, PERFORMANCE, GROWTH and COMPARISON start from their preset.',
    }),
    ...reportFields(t),
  }),
});

const UpdateReportInput = builder.inputType('UpdateReportInput', {
  description:
    'Fields to change; omitted fields stay. Null clears description, recipients, formats (back to CSV) and schedule (on demand only).',
  fields: (t) => ({
    id: t.globalID({ for: ReportRef, required: true, description: 'The report to change.' }),
    name: t.string({ description: `Its name, 1–${MAX_REPORT_NAME} characters.` }),
    kind: t.field({
      type: ReportKindEnum,
      description: 'What kind of report (a label: the definition stays as it is).',
    }),
    ...reportFields(t),
  }),
});

const ReportIdInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.globalID({ for: ReportRef, required: true, description: 'The report.' }),
    }),
  });
const DeleteReportInput = ReportIdInput(
  'DeleteReportInput',
  'The report to delete, with its runs.',
);
const PauseReportScheduleInput = ReportIdInput(
  'PauseReportScheduleInput',
  'The report whose schedule to pause.',
);
const ResumeReportScheduleInput = ReportIdInput(
  'ResumeReportScheduleInput',
  'The report whose schedule to resume.',
);

const CreateReportPayload = payloadType(
  'CreateReportPayload',
  'report',
  ReportRef,
  'Result of createReport.',
);
const UpdateReportPayload = payloadType(
  'UpdateReportPayload',
  'report',
  ReportRef,
  'Result of updateReport.',
);
const PauseReportSchedulePayload = payloadType(
  'PauseReportSchedulePayload',
  'report',
  ReportRef,
  'Result of pauseReportSchedule.',
);
const ResumeReportSchedulePayload = payloadType(
  'ResumeReportSchedulePayload',
  'report',
  ReportRef,
  'Result of resumeReportSchedule.',
);

const DeleteReportPayload = builder
  .objectRef<MutationResult<string>>('DeleteReportPayload')
  .implement({
    description: 'Result of deleteReport.',
    fields: (t) => ({
      deletedReportId: t.id({
        nullable: true,
        description: 'Global ID of the deleted report; null when nothing was deleted.',
        resolve: (result) => (result.ok ? encodeGlobalID('Report', result.value) : null),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why nothing was deleted; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

type GraphQLDefinition = typeof AnalyticsReportInput.$inferInput;

/** AnalyticsReportInput as the service's ReportInput (its `timezone` is `timeZone`). */
function toDefinition(input: GraphQLDefinition): ReportInput {
  const { timezone, ...rest } = input;
  return { ...rest, timeZone: timezone };
}

const reportOwner = (context: Context) => signedIn(context).user;

function toPatch(input: Partial<typeof UpdateReportInput.$inferInput>): ReportPatch {
  const { definition, schedule, ...rest } = input;
  return withoutUndefined({
    ...rest,
    definition: definition == null ? definition : toDefinition(definition),
    schedule,
  }) as ReportPatch;
}

const manage = 'Needs `manage:reports`.';

builder.mutationFields((t) => ({
  createReport: t.withAuth({ scope: 'manage:reports' }).field({
    type: CreateReportPayload,
    description: `Saves a report. The definition is checked at once (a dry run) and the schedule's next tick computed; every problem comes back in userErrors and nothing is saved. Your plan caps saved reports (free ${MAX_SAVED_REPORTS.free}, pro ${MAX_SAVED_REPORTS.pro}, enterprise ${MAX_SAVED_REPORTS.enterprise}). ${manage}`,
    args: { input: t.arg({ type: CreateReportInput, required: true, description: 'The report.' }) },
    resolve: (_root, { input }, context) => {
      const { definition, ...rest } = input;
      return createReport(
        context.db,
        reportOwner(context),
        { ...rest, definition: definition ? toDefinition(definition) : undefined },
        analyticsSettings(context),
      );
    },
  }),
  updateReport: t.withAuth({ scope: 'manage:reports' }).field({
    type: UpdateReportPayload,
    description: `Changes a saved report. A new schedule counts from now. ${manage}`,
    args: {
      input: t.arg({ type: UpdateReportInput, required: true, description: 'What to change.' }),
    },
    resolve: (_root, { input }, context) => {
      const { id, ...patch } = input;
      return updateReport(
        context.db,
        reportOwner(context),
        id.id,
        toPatch(patch),
        analyticsSettings(context),
      );
    },
  }),
  deleteReport: t.withAuth({ scope: 'manage:reports' }).field({
    type: DeleteReportPayload,
    description: `Deletes a saved report with its runs. ${manage}`,
    args: { input: t.arg({ type: DeleteReportInput, required: true, description: 'The report.' }) },
    resolve: (_root, { input }, context) =>
      deleteReport(context.db, context.viewer.user.id, input.id.id),
  }),
  pauseReportSchedule: t.withAuth({ scope: 'manage:reports' }).field({
    type: PauseReportSchedulePayload,
    description: `Pauses a report's schedule: nothing runs and nextRunAt is null until resumed. ${manage}`,
    args: {
      input: t.arg({ type: PauseReportScheduleInput, required: true, description: 'The report.' }),
    },
    resolve: (_root, { input }, context) =>
      setReportSchedulePaused(context.db, context.viewer.user.id, input.id.id, true, new Date()),
  }),
  resumeReportSchedule: t.withAuth({ scope: 'manage:reports' }).field({
    type: ResumeReportSchedulePayload,
    description: `Resumes a paused schedule from now: the next tick after now runs, ticks missed while paused are not replayed. ${manage}`,
    args: {
      input: t.arg({ type: ResumeReportScheduleInput, required: true, description: 'The report.' }),
    },
    resolve: (_root, { input }, context) =>
      setReportSchedulePaused(context.db, context.viewer.user.id, input.id.id, false, new Date()),
  }),
}));
