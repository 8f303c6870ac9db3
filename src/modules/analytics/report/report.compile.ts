import { sql, type SQL } from 'drizzle-orm';
import { PLATFORMS, type MetricValues, type Platform } from '../../../db/schema.js';
import { uuidFromGlobalId } from '../../common/global-id.js';
import {
  AnalyticsInputError,
  type AnalyticsMetric,
  type AnalyticsView,
} from '../analytics.service.js';
import type { CompareMode, RangeInput } from '../storage/ranges.js';
import { metricColumn } from '../../common/metric-keys.js';
import { inList, type AnalyticsFilter } from '../storage/rollups.js';
import { isCalendarDate } from '../../../lib/time-zone.js';

/** The report's vocabulary (dimensions, operators, filters) and their SQL. */
export const REPORT_DIMENSIONS = [
  'DATE',
  'WEEK',
  'MONTH',
  'PLATFORM',
  'VIDEO',
  'CHANNEL',
  'TAG',
  'WEEKDAY',
  'HOUR',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];
export const REPORT_OPERATORS = ['EQ', 'NEQ', 'IN', 'GT', 'GTE', 'LT', 'LTE', 'CONTAINS'] as const;
export type ReportOperator = (typeof REPORT_OPERATORS)[number];
export type ReportField = ReportDimension | AnalyticsMetric;

export interface ReportFilter {
  field: ReportField;
  operator: ReportOperator;
  value?: string | null;
  values?: string[] | null;
}

export interface ReportInput {
  metrics: AnalyticsMetric[];
  dimensions?: ReportDimension[] | null;
  filters?: ReportFilter[] | null;
  orderBy?: { field: ReportField; direction: 'asc' | 'desc' }[] | null;
  limit?: number | null;
  range?: RangeInput | null;
  compare?: CompareMode | null;
  timeZone?: string | null;
}

export interface ReportRow {
  dimensions: { dimension: ReportDimension; value: string }[];
  current: MetricValues;
  previous: MetricValues | null;
}

export interface Report {
  view: AnalyticsView;
  metrics: AnalyticsMetric[];
  dimensions: ReportDimension[];
  rows: ReportRow[];
  /** Rows matching before the limit. */
  totalRows: number;
  exactTimeZone: boolean;
}

export const MAX_REPORT_LIMIT = 10_000;
export const DEFAULT_REPORT_LIMIT = 1_000;
export const MAX_DIMENSIONS = 4;

export const isDimension = (field: ReportField): field is ReportDimension =>
  (REPORT_DIMENSIONS as readonly string[]).includes(field);
const NUMERIC_DIMENSIONS: ReportDimension[] = ['WEEKDAY', 'HOUR'];
export const ORDERED_TEXT: ReportDimension[] = ['DATE', 'WEEK', 'MONTH'];
const COMPARISONS: ReportOperator[] = ['GT', 'GTE', 'LT', 'LTE'];
const SQL_OPERATORS: Record<string, string> = {
  EQ: '=',
  NEQ: '<>',
  GT: '>',
  GTE: '>=',
  LT: '<',
  LTE: '<=',
};

export const fail = (field: string, message: string): never => {
  throw new AnalyticsInputError(message, field);
};

/** The grouping expression of a dimension over the source rows `r`. */
export const dimensionSql: Record<ReportDimension, SQL> = {
  DATE: sql`r.day::text`,
  WEEK: sql`date_trunc('week', r.day)::date::text`,
  MONTH: sql`to_char(r.day, 'YYYY-MM')`,
  PLATFORM: sql`r.platform::text`,
  VIDEO: sql`r.video_id::text`,
  CHANNEL: sql`r.channel_id::text`,
  TAG: sql`tag`,
  WEEKDAY: sql`extract(isodow from r.day)::int`,
  HOUR: sql`r.local_hour`,
};

export const sumOf = (column: string, window: number) =>
  sql.raw(`coalesce(sum(${column}) filter (where w = ${window}), 0)`);

/** A metric over the grouped rows of one window, as SQL (rates unrounded, null without base). */
export function metricSql(metric: AnalyticsMetric, window = 0): SQL {
  if (metric === 'engagementRate')
    return sql`(${sumOf('likes', window)} + ${sumOf('comments', window)} + ${sumOf('shares', window)})::float8 * 100 / nullif(${sumOf('views', window)}, 0)`;
  if (metric === 'ctr')
    return sql`${sumOf('clicks', window)}::float8 * 100 / nullif(${sumOf('impressions', window)}, 0)`;
  return sql`${sumOf(metricColumn(metric), window)}`;
}

export interface Compiled {
  where: SQL[];
  having: SQL[];
  pushdown: AnalyticsFilter;
  needsVideo: boolean;
  needsChannel: boolean;
  needsHour: boolean;
  /** Dimensions tested in `where`, and metrics tested in `having`. */
  fields: Set<ReportField>;
}

export function compileFilters(filters: ReportFilter[], tagDimension: boolean): Compiled {
  const out: Compiled = {
    where: [],
    having: [],
    pushdown: { platforms: null, videoIds: null, channelIds: null, tags: null },
    needsVideo: false,
    needsChannel: false,
    needsHour: false,
    fields: new Set(),
  };
  filters.forEach((filter, index) => {
    const at = `filters[${index}]`;
    const { field, operator } = filter;
    const values =
      operator === 'IN'
        ? (filter.values ?? fail(`${at}.values`, 'IN needs values'))
        : [filter.value ?? fail(`${at}.value`, `${operator} needs a value`)];
    if (operator === 'IN' && values.length === 0)
      fail(`${at}.values`, 'IN needs at least one value');
    const numeric = !isDimension(field) || NUMERIC_DIMENSIONS.includes(field);
    if (operator === 'CONTAINS' && (numeric || !['VIDEO', 'CHANNEL', 'TAG'].includes(field)))
      fail(
        `${at}.operator`,
        `CONTAINS works on VIDEO (title), CHANNEL (handle, name) and TAG, not on ${field}`,
      );
    if (
      COMPARISONS.includes(operator) &&
      !numeric &&
      !ORDERED_TEXT.includes(field as ReportDimension)
    )
      fail(`${at}.operator`, `${operator} needs an ordered field; ${field} is not`);
    out.fields.add(field);
    if (!isDimension(field)) {
      if (operator === 'IN') fail(`${at}.operator`, `IN does not apply to the metric ${field}`);
      const number = Number(values[0]);
      if (!Number.isFinite(number)) fail(`${at}.value`, `${field} needs a number`);
      out.having.push(sql`${metricSql(field)} ${sql.raw(SQL_OPERATORS[operator]!)} ${number}`);
      return;
    }
    if (field === 'HOUR') out.needsHour = true;
    // CONTAINS looks for text (a title, a handle), not for an id.
    const parsed =
      operator === 'CONTAINS'
        ? [values[0]!.trim() || fail(`${at}.value`, 'CONTAINS needs some text')]
        : values.map((value) =>
            parseValue(field, value, `${at}.value${operator === 'IN' ? 's' : ''}`),
          );
    if ((field === 'VIDEO' && operator === 'CONTAINS') || (field === 'TAG' && !tagDimension))
      out.needsVideo = true;
    if (field === 'CHANNEL' && operator === 'CONTAINS') out.needsChannel = true;
    if (field === 'TAG' && tagDimension) {
      // With TAG as a dimension, tag conditions pick among each video's tag rows.
      out.where.push(
        operator === 'CONTAINS'
          ? sql`tag ilike ${`%${String(parsed[0]).replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
          : operator === 'IN'
            ? sql`tag in (${inList(parsed)})`
            : sql`tag ${sql.raw(SQL_OPERATORS[operator]!)} ${parsed[0]}`,
      );
      return;
    }
    if (operator === 'CONTAINS') {
      const pattern = `%${String(parsed[0]).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      out.where.push(
        field === 'VIDEO'
          ? sql`v.title ilike ${pattern}`
          : field === 'CHANNEL'
            ? sql`(c.handle ilike ${pattern} or c.name ilike ${pattern})`
            : sql`exists (select 1 from unnest(v.tags) t where t ilike ${pattern})`,
      );
      return;
    }
    if (field === 'TAG') {
      out.needsVideo = true;
      const list = sql`array[${inList(parsed)}]::text[]`;
      out.where.push(operator === 'NEQ' ? sql`not (v.tags && ${list})` : sql`v.tags && ${list}`);
      return;
    }
    // Equality on platform, video or channel also narrows the rollup scan itself.
    if (operator === 'EQ' || operator === 'IN') {
      const key = { PLATFORM: 'platforms', VIDEO: 'videoIds', CHANNEL: 'channelIds' } as const;
      if (field in key) {
        const name = key[field as keyof typeof key];
        const previous = out.pushdown[name] as string[] | null;
        const next = previous ? previous.filter((v) => parsed.includes(v)) : (parsed as string[]);
        (out.pushdown as unknown as Record<string, unknown>)[name] = next;
        return;
      }
    }
    const expression = dimensionSql[field];
    out.where.push(
      operator === 'IN'
        ? sql`${expression} in (${inList(parsed)})`
        : sql`${expression} ${sql.raw(SQL_OPERATORS[operator]!)} ${parsed[0]}`,
    );
  });
  return out;
}

export function parseValue(field: ReportDimension, value: string, at: string): string | number {
  switch (field) {
    case 'PLATFORM': {
      const platform = value.toLowerCase();
      return PLATFORMS.includes(platform as Platform)
        ? platform
        : fail(at, `PLATFORM must be one of ${PLATFORMS.map((p) => p.toUpperCase()).join(', ')}`);
    }
    case 'VIDEO':
    case 'CHANNEL': {
      const typename = field === 'VIDEO' ? 'Video' : 'Channel';
      return (
        uuidFromGlobalId(value, typename) ?? fail(at, `${field} needs a ${typename} global ID`)
      );
    }
    case 'DATE':
    case 'WEEK':
      return isCalendarDate(value) ? value : fail(at, `${field} needs a date (YYYY-MM-DD)`);
    case 'MONTH':
      return /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : fail(at, 'MONTH needs YYYY-MM');
    case 'WEEKDAY': {
      const day = Number(value);
      return Number.isInteger(day) && day >= 1 && day <= 7
        ? day
        : fail(at, 'WEEKDAY needs 1 (Monday) to 7 (Sunday)');
    }
    case 'HOUR': {
      const hour = Number(value);
      return Number.isInteger(hour) && hour >= 0 && hour <= 23
        ? hour
        : fail(at, 'HOUR needs 0 to 23');
    }
    case 'TAG':
      return value.trim().toLowerCase() || fail(at, 'TAG needs a tag');
  }
}
