import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import {
  FILE_FORMATS,
  REPORT_KINDS,
  type FileFormat,
  type ReportKind,
  type ReportRecord,
} from '../../db/schema.js';
import {
  AnalyticsMetricEnum,
  CompareEnum,
  RangePresetEnum,
} from '../analytics/analytics-types.graphql.js';
import type { ReportFilter, ReportInput } from '../analytics/report/report.compile.js';
import {
  ReportDimensionEnum,
  ReportFieldEnum,
  ReportOperatorEnum,
} from '../analytics/report/report.graphql.js';
import type { RangeInput } from '../analytics/storage/ranges.js';
import { signedIn } from '../auth/viewer.js';
import { SortDirectionEnum } from '../common/common.graphql.js';
import { loadReportsByIds, reportDefinition } from './report.service.js';
import { describeSchedule } from './schedule.js';

/** The Report node; the runs, exports and their fields are added with builder.objectFields. */
export const ReportRef = builder.loadableNodeRef('Report', {
  id: { resolve: (report: ReportRecord) => report.id },
  sort: (report) => report.id,
  load: (ids: string[], context: Context) =>
    loadReportsByIds(context.db, signedIn(context).user.id, ids),
});

const kindDescriptions: Record<ReportKind, string> = {
  performance:
    "Each video's views, likes, comments, shares and engagement rate over the last 28 days, most viewed first (top 100).",
  growth: 'Views, reach and impressions per ISO week over the last 90 days, against the 90 before.',
  comparison:
    'Views, likes, comments, shares, reach and engagement rate per platform over the last 28 days, against the 28 before.',
  custom: 'Your own definition (required).',
};

export const ReportKindEnum = builder.enumType('ReportKind', {
  description:
    'What a saved report is. Saved without a definition, a kind other than CUSTOM starts from its preset; a given definition always wins.',
  values: Object.fromEntries(
    REPORT_KINDS.map((kind) => [
      kind.toUpperCase(),
      { value: kind, description: kindDescriptions[kind] },
    ]),
  ) as Record<Uppercase<ReportKind>, { value: ReportKind; description: string }>,
});

const formatDescriptions: Record<FileFormat, string> = {
  csv: 'Comma-separated values (RFC 4180, UTF-8).',
  xlsx: 'An Excel workbook.',
  json: 'One JSON document: the typed rows with their metadata.',
  ndjson: 'Newline-delimited JSON: one row per line, for bulk loads.',
  pdf: 'A PDF report with charts and tables.',
};

export const ExportFormatEnum = builder.enumType('ExportFormat', {
  description: 'A file format reports are exported in.',
  values: Object.fromEntries(
    FILE_FORMATS.map((format) => [
      format.toUpperCase(),
      { value: format, description: formatDescriptions[format] },
    ]),
  ) as Record<Uppercase<FileFormat>, { value: FileFormat; description: string }>,
});

const ReportDefinitionFilterRef = builder
  .objectRef<ReportFilter>('ReportDefinitionFilter')
  .implement({
    description: 'A condition of a saved definition (as in AnalyticsReportInput.filters).',
    fields: (t) => ({
      field: t.field({
        type: ReportFieldEnum,
        description: 'What it tests.',
        resolve: (f) => f.field,
      }),
      operator: t.field({
        type: ReportOperatorEnum,
        description: 'How.',
        resolve: (f) => f.operator,
      }),
      value: t.string({
        nullable: true,
        description: 'The value.',
        resolve: (f) => f.value ?? null,
      }),
      values: t.stringList({
        nullable: true,
        description: 'The values, for IN.',
        resolve: (f) => f.values ?? null,
      }),
    }),
  });

type Order = NonNullable<ReportInput['orderBy']>[number];

const ReportDefinitionOrderRef = builder.objectRef<Order>('ReportDefinitionOrder').implement({
  description: 'A sort key of a saved definition.',
  fields: (t) => ({
    field: t.field({
      type: ReportFieldEnum,
      description: 'What it sorts by.',
      resolve: (o) => o.field,
    }),
    direction: t.field({
      type: SortDirectionEnum,
      description: 'Which way.',
      resolve: (o) => o.direction,
    }),
  }),
});

const ReportDefinitionRangeRef = builder.objectRef<RangeInput>('ReportDefinitionRange').implement({
  description:
    'The range of a saved definition: a preset resolved when the report runs (in its time zone), or fixed dates.',
  fields: (t) => ({
    preset: t.field({
      type: RangePresetEnum,
      nullable: true,
      description: 'A named range, resolved at run time; null for fixed dates.',
      resolve: (r) => r.preset ?? null,
    }),
    from: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Fixed start instant.',
      resolve: (r) => r.from ?? null,
    }),
    to: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Fixed end instant (exclusive).',
      resolve: (r) => r.to ?? null,
    }),
    startDate: t.field({
      type: 'LocalDate',
      nullable: true,
      description: 'Fixed first local day (included).',
      resolve: (r) => r.startDate ?? null,
    }),
    endDate: t.field({
      type: 'LocalDate',
      nullable: true,
      description: 'Fixed last local day (included).',
      resolve: (r) => r.endDate ?? null,
    }),
  }),
});

const ReportDefinitionRef = builder.objectRef<ReportInput>('ReportDefinition').implement({
  description:
    "What a saved report computes: analyticsReport's input (AnalyticsReportInput), with defaults written out.",
  fields: (t) => ({
    metrics: t.field({
      type: [AnalyticsMetricEnum],
      description: 'The metrics of each row.',
      resolve: (d) => d.metrics,
    }),
    dimensions: t.field({
      type: [ReportDimensionEnum],
      description: 'What rows are grouped by (empty: one total row).',
      resolve: (d) => d.dimensions ?? [],
    }),
    filters: t.field({
      type: [ReportDefinitionFilterRef],
      description: 'Conditions; all must hold.',
      resolve: (d) => d.filters ?? [],
    }),
    orderBy: t.field({
      type: [ReportDefinitionOrderRef],
      description: 'Sort keys (empty: the analyticsReport default).',
      resolve: (d) => d.orderBy ?? [],
    }),
    limit: t.int({
      nullable: true,
      description: 'Rows at most; null: the analyticsReport default.',
      resolve: (d) => d.limit ?? null,
    }),
    range: t.field({
      type: ReportDefinitionRangeRef,
      description: 'The range.',
      resolve: (d): RangeInput => d.range ?? { preset: 'LAST_28_DAYS' },
    }),
    compare: t.field({
      type: CompareEnum,
      description: 'The comparison period.',
      resolve: (d) => d.compare ?? 'NONE',
    }),
    timezone: t.field({
      type: 'TimeZone',
      nullable: true,
      description: "Time zone of the range and dates; null: the owner's zone when it runs.",
      resolve: (d) => d.timeZone ?? null,
    }),
  }),
});

interface Schedule {
  cron: string;
  timeZone: string;
  paused: boolean;
}

const ReportScheduleRef = builder.objectRef<Schedule>('ReportSchedule').implement({
  description: 'When a saved report runs by itself.',
  fields: (t) => ({
    cron: t.string({
      description: 'Five-field cron expression (minute hour day-of-month month day-of-week).',
      resolve: (s) => s.cron,
    }),
    timezone: t.field({
      type: 'TimeZone',
      description: 'The zone the cron expression is read in (wall-clock time, DST included).',
      resolve: (s) => s.timeZone,
    }),
    paused: t.boolean({
      description: 'True while paused: nothing runs.',
      resolve: (s) => s.paused,
    }),
    description: t.string({
      description: 'The schedule in words, e.g. "Every Monday at 09:00 (Europe/Paris)".',
      resolve: (s) => describeSchedule(s.cron, s.timeZone),
    }),
  }),
});

ReportRef.implement({
  description:
    'A saved report: a definition, optionally run on a schedule. Needs `read:analytics`.',
  authScopes: { scope: 'read:analytics' },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name.' }),
    description: t.exposeString('description', { description: 'Its description (may be empty).' }),
    kind: t.expose('kind', { type: ReportKindEnum, description: 'What kind of report it is.' }),
    definition: t.field({
      type: ReportDefinitionRef,
      description: 'What it computes.',
      resolve: reportDefinition,
    }),
    schedule: t.field({
      type: ReportScheduleRef,
      nullable: true,
      description: 'When it runs by itself; null: on demand only.',
      resolve: (r) =>
        r.scheduleCron && r.scheduleTimeZone
          ? { cron: r.scheduleCron, timeZone: r.scheduleTimeZone, paused: r.schedulePaused }
          : null,
    }),
    nextRunAt: t.expose('nextRunAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The next tick of the schedule; null when unscheduled or paused.',
    }),
    recipients: t.exposeStringList('recipients', {
      description: 'Who receives each scheduled run by e-mail.',
    }),
    formats: t.field({
      type: [ExportFormatEnum],
      description: 'The files each scheduled run produces.',
      resolve: (r) => r.scheduleFormats,
    }),
    skipIfEmpty: t.exposeBoolean('skipIfEmpty', {
      description: 'True: a scheduled run with no rows sends nothing.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was saved.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});
