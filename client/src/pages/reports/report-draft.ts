import type {
  AnalyticsComparison,
  AnalyticsMetric,
  AnalyticsRangePreset,
  AnalyticsReportInput,
  ExportFormat,
  ReportDimension,
  ReportField,
  ReportKind,
  ReportOperator,
  SortDirection,
} from '../../gql/graphql.js';

export const METRIC_LABELS: Record<AnalyticsMetric, string> = {
  VIEWS: 'Views',
  LIKES: 'Likes',
  COMMENTS: 'Comments',
  SHARES: 'Shares',
  SAVES: 'Saves',
  CLICKS: 'Clicks',
  IMPRESSIONS: 'Impressions',
  REACH: 'Reach',
  WATCH_SECONDS: 'Watch time (s)',
  ENGAGEMENT_RATE: 'Engagement rate',
  CTR: 'Click-through rate',
};
export const METRICS = Object.keys(METRIC_LABELS) as AnalyticsMetric[];
export const RATE_METRICS: readonly AnalyticsMetric[] = ['ENGAGEMENT_RATE', 'CTR'];

export const DIMENSION_LABELS: Record<ReportDimension, string> = {
  DATE: 'Date',
  WEEK: 'Week',
  MONTH: 'Month',
  WEEKDAY: 'Weekday',
  HOUR: 'Hour of day',
  PLATFORM: 'Platform',
  CHANNEL: 'Channel',
  VIDEO: 'Video',
  TAG: 'Tag',
};
export const DIMENSIONS = Object.keys(DIMENSION_LABELS) as ReportDimension[];
export const MAX_DIMENSIONS = 4;

export const RANGE_PRESET_LABELS: Record<AnalyticsRangePreset, string> = {
  LAST_24_HOURS: 'Last 24 hours',
  YESTERDAY: 'Yesterday',
  LAST_7_DAYS: 'Last 7 days',
  LAST_28_DAYS: 'Last 28 days',
  LAST_90_DAYS: 'Last 90 days',
  LAST_365_DAYS: 'Last 365 days',
  WEEK_TO_DATE: 'Week to date',
  MONTH_TO_DATE: 'Month to date',
  QUARTER_TO_DATE: 'Quarter to date',
  YEAR_TO_DATE: 'Year to date',
  PREVIOUS_WEEK: 'Previous week',
  PREVIOUS_MONTH: 'Previous month',
  PREVIOUS_QUARTER: 'Previous quarter',
  PREVIOUS_YEAR: 'Previous year',
  ALL_TIME: 'All time',
};
export const RANGE_PRESETS = Object.keys(RANGE_PRESET_LABELS) as AnalyticsRangePreset[];

export const COMPARE_OPTIONS: Record<AnalyticsComparison, string> = {
  NONE: 'No comparison',
  PREVIOUS_PERIOD: 'Previous period',
  PREVIOUS_YEAR: 'Same period last year',
};

export const KIND_LABELS: Record<ReportKind, string> = {
  PERFORMANCE: 'Performance',
  GROWTH: 'Growth',
  COMPARISON: 'Platform comparison',
  CUSTOM: 'Custom',
};

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  CSV: 'CSV',
  XLSX: 'Excel (XLSX)',
  PDF: 'PDF',
  JSON: 'JSON',
  NDJSON: 'NDJSON',
};
export const FORMATS = Object.keys(FORMAT_LABELS) as ExportFormat[];

export const OPERATOR_LABELS: Record<ReportOperator, string> = {
  EQ: 'is',
  NEQ: 'is not',
  IN: 'is one of',
  CONTAINS: 'contains',
  GT: '>',
  GTE: '≥',
  LT: '<',
  LTE: '≤',
};
export const OPERATORS = Object.keys(OPERATOR_LABELS) as ReportOperator[];

/** Every dimension and metric a filter or sort key can name. */
export const FIELD_LABELS: Record<ReportField, string> = { ...DIMENSION_LABELS, ...METRIC_LABELS };

export interface DraftFilter {
  field: ReportField;
  operator: ReportOperator;
  /** For IN: comma-separated. */
  value: string;
}

/** The range as the form holds it; `INSTANTS` only for a report saved with from/to via the API. */
export type DraftRange =
  | { mode: 'PRESET'; preset: AnalyticsRangePreset }
  | { mode: 'DATES'; startDate: string; endDate: string }
  | { mode: 'INSTANTS'; from: string; to: string };

/** The report builder's fields, as typed (strings where the user types). */
export interface ReportDraft {
  name: string;
  description: string;
  kind: ReportKind;
  metrics: AnalyticsMetric[];
  dimensions: ReportDimension[];
  range: DraftRange;
  compare: AnalyticsComparison;
  limit: string;
  orderField: ReportField | '';
  orderDirection: SortDirection;
  filters: DraftFilter[];
  /** Carried over from a saved definition; the form does not edit it. */
  timezone: string | null;
  cron: string;
  scheduleTimezone: string;
  recipients: string;
  formats: ExportFormat[];
  skipIfEmpty: boolean;
}

type Definition = Pick<
  ReportDraft,
  'metrics' | 'dimensions' | 'range' | 'compare' | 'limit' | 'orderField' | 'orderDirection'
>;

/**
 * The definitions the server starts each kind with (src/modules/report/presets.ts); choosing a
 * kind in the builder fills the fields with them.
 */
export const KIND_PRESETS: Record<Exclude<ReportKind, 'CUSTOM'>, Definition> = {
  PERFORMANCE: {
    metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'ENGAGEMENT_RATE'],
    dimensions: ['VIDEO'],
    orderField: 'VIEWS',
    orderDirection: 'DESC',
    limit: '100',
    range: { mode: 'PRESET', preset: 'LAST_28_DAYS' },
    compare: 'NONE',
  },
  GROWTH: {
    metrics: ['VIEWS', 'REACH', 'IMPRESSIONS'],
    dimensions: ['WEEK'],
    orderField: 'WEEK',
    orderDirection: 'ASC',
    limit: '',
    range: { mode: 'PRESET', preset: 'LAST_90_DAYS' },
    compare: 'PREVIOUS_PERIOD',
  },
  COMPARISON: {
    metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'REACH', 'ENGAGEMENT_RATE'],
    dimensions: ['PLATFORM'],
    orderField: 'VIEWS',
    orderDirection: 'DESC',
    limit: '',
    range: { mode: 'PRESET', preset: 'LAST_28_DAYS' },
    compare: 'PREVIOUS_PERIOD',
  },
};

export function emptyDraft(accountTimezone: string): ReportDraft {
  return {
    name: '',
    description: '',
    kind: 'CUSTOM',
    metrics: ['VIEWS'],
    dimensions: ['DATE'],
    range: { mode: 'PRESET', preset: 'LAST_28_DAYS' },
    compare: 'NONE',
    limit: '',
    orderField: '',
    orderDirection: 'DESC',
    filters: [],
    timezone: null,
    cron: '',
    scheduleTimezone: accountTimezone,
    recipients: '',
    formats: ['CSV'],
    skipIfEmpty: false,
  };
}

/** The draft with a kind chosen: a preset kind replaces the definition fields with its own. */
export function withKind(draft: ReportDraft, kind: ReportKind): ReportDraft {
  if (kind === 'CUSTOM') return { ...draft, kind };
  return { ...draft, ...structuredClone(KIND_PRESETS[kind]), filters: [], kind };
}

/** A saved report's fields (as ReportDetail reads them) in the builder's shape. */
export interface SavedReport {
  name: string;
  description: string;
  kind: ReportKind;
  formats: ExportFormat[];
  recipients: string[];
  skipIfEmpty: boolean;
  definition: {
    metrics: AnalyticsMetric[];
    dimensions: ReportDimension[];
    compare: AnalyticsComparison;
    limit?: number | null;
    timezone?: string | null;
    orderBy: { field: ReportField; direction: SortDirection }[];
    filters: {
      field: ReportField;
      operator: ReportOperator;
      value?: string | null;
      values?: string[] | null;
    }[];
    range: {
      preset?: AnalyticsRangePreset | null;
      startDate?: string | null;
      endDate?: string | null;
      from?: string | null;
      to?: string | null;
    };
  };
  schedule?: { cron: string; timezone: string } | null;
}

export function draftFromReport(report: SavedReport, accountTimezone: string): ReportDraft {
  const { definition } = report;
  const { range } = definition;
  const order = definition.orderBy[0];
  return {
    name: report.name,
    description: report.description,
    kind: report.kind,
    metrics: [...definition.metrics],
    dimensions: [...definition.dimensions],
    range: range.preset
      ? { mode: 'PRESET', preset: range.preset }
      : range.startDate && range.endDate
        ? { mode: 'DATES', startDate: range.startDate, endDate: range.endDate }
        : range.from && range.to
          ? { mode: 'INSTANTS', from: range.from, to: range.to }
          : { mode: 'PRESET', preset: 'LAST_28_DAYS' },
    compare: definition.compare,
    limit: definition.limit == null ? '' : String(definition.limit),
    orderField: order?.field ?? '',
    orderDirection: order?.direction ?? 'DESC',
    filters: definition.filters.map((filter) => ({
      field: filter.field,
      operator: filter.operator,
      value: filter.operator === 'IN' ? (filter.values ?? []).join(', ') : (filter.value ?? ''),
    })),
    timezone: definition.timezone ?? null,
    cron: report.schedule?.cron ?? '',
    scheduleTimezone: report.schedule?.timezone ?? accountTimezone,
    recipients: report.recipients.join(', '),
    formats: report.formats.length ? [...report.formats] : ['CSV'],
    skipIfEmpty: report.skipIfEmpty,
  };
}

const splitList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The draft's definition as analyticsReport's input. A typed limit that is not a whole number is
 * sent as -1, so the server's own check refuses it and names the field.
 */
export function definitionOf(draft: ReportDraft): AnalyticsReportInput {
  const { range } = draft;
  const limit = draft.limit.trim() === '' ? null : Number(draft.limit);
  return {
    metrics: draft.metrics,
    dimensions: draft.dimensions,
    range:
      range.mode === 'PRESET'
        ? { preset: range.preset }
        : range.mode === 'DATES'
          ? { startDate: range.startDate, endDate: range.endDate }
          : { from: range.from, to: range.to },
    compare: draft.compare,
    ...(limit === null ? {} : { limit: Number.isInteger(limit) ? limit : -1 }),
    ...(draft.orderField
      ? { orderBy: [{ field: draft.orderField, direction: draft.orderDirection }] }
      : {}),
    ...(draft.filters.length
      ? {
          filters: draft.filters.map((filter) =>
            filter.operator === 'IN'
              ? { field: filter.field, operator: filter.operator, values: splitList(filter.value) }
              : { field: filter.field, operator: filter.operator, value: filter.value.trim() },
          ),
        }
      : {}),
    ...(draft.timezone ? { timezone: draft.timezone } : {}),
  };
}

/** What the builder can tell before asking the server; null when the preview can run. */
export function draftProblem(draft: ReportDraft): string | null {
  if (draft.metrics.length === 0) return 'Pick at least one metric.';
  if (draft.range.mode === 'DATES' && (!draft.range.startDate || !draft.range.endDate))
    return 'Give both dates of the range.';
  return null;
}

export const recipientsOf = (draft: ReportDraft) => splitList(draft.recipients);

/** The schedule to save: none (on demand only) when the cron field is empty. */
export const scheduleOf = (draft: ReportDraft) =>
  draft.cron.trim() ? { cron: draft.cron.trim(), timezone: draft.scheduleTimezone } : null;

/** A user error's place in the form: its path after `input`, dotted (`definition.filters.0.value`). */
export const errorKey = (field: readonly string[]) =>
  (field[0] === 'input' ? field.slice(1) : field).join('.');

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * A hint for the common shapes of cron expression ("Every Monday at 09:00") while it is typed;
 * null for anything else. The server's description, shown once saved, is the authority.
 */
export function cronHint(cron: string): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [minute, hour, day, month, weekday] = parts as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(minute) || Number(minute) > 59) return null;
  if (month !== '*') return null;
  const at =
    /^\d{1,2}$/.test(hour) && Number(hour) < 24
      ? `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`
      : null;
  if (hour === '*' && day === '*' && weekday === '*')
    return `Every hour at minute ${Number(minute)}`;
  if (!at) return null;
  if (day === '*' && weekday === '*') return `Every day at ${at}`;
  if (day === '*' && /^[0-7](,[0-7])*$/.test(weekday)) {
    const names = weekday.split(',').map((n) => WEEKDAYS[Number(n) % 7]!);
    return `Every ${names.join(', ')} at ${at}`;
  }
  if (day === '*' && weekday === '1-5') return `Every weekday at ${at}`;
  if (/^\d{1,2}$/.test(day) && weekday === '*')
    return `On day ${Number(day)} of every month at ${at}`;
  return null;
}

/** "Mon, Feb 9, 2026, 09:00" in `timeZone` (a schedule's times read in its own zone). */
export function formatInZone(iso: string | null | undefined, timeZone?: string) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

/** The IANA zones the browser knows, with `extra` (the account's, the saved one) included. */
export function timeZones(...extra: (string | null | undefined)[]): string[] {
  const known =
    (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ??
    [];
  return [...new Set([...known, 'UTC', ...extra.filter((zone): zone is string => !!zone)])].sort();
}
