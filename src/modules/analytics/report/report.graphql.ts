import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../../builder.js';
import type { Platform } from '../../../db/schema.js';
import { ChannelRef } from '../../channel/channel.graphql.js';
import { PlatformEnum, SortDirectionEnum } from '../../common/common.graphql.js';
import { VideoRef } from '../../video/video.graphql.js';
import { ANALYTICS_METRICS, type AnalyticsMetric } from '../analytics.service.js';
import {
  analyticsSettings,
  AnalyticsMetricEnum,
  asUserInput,
  CompareEnum,
  compared,
  metricDescriptions,
  MetricComparisonRef,
  PeriodRef,
  RangeInput,
} from '../analytics-types.graphql.js';
import {
  DEFAULT_REPORT_LIMIT,
  MAX_REPORT_LIMIT,
  REPORT_DIMENSIONS,
  REPORT_OPERATORS,
  type Report,
  type ReportDimension,
  type ReportField,
  type ReportInput as ReportInputData,
  type ReportRow,
} from './report.compile.js';
import { runReport } from './report.service.js';
import {
  reportDimensionsComplexity,
  reportMetricsComplexity,
  reportRowsComplexity,
} from '../analytics.cost.js';

const dimensionDescriptions: Record<ReportDimension, string> = {
  DATE: 'Local date, `YYYY-MM-DD`.',
  WEEK: 'ISO week, as its Monday `YYYY-MM-DD`.',
  MONTH: 'Calendar month, `YYYY-MM`.',
  PLATFORM: 'Platform, e.g. `YOUTUBE`.',
  VIDEO: 'Video (its global ID).',
  CHANNEL: 'Channel (its global ID).',
  TAG: "A video's tag; a video with several tags counts once under each.",
  WEEKDAY: 'ISO weekday, 1 (Monday) to 7 (Sunday).',
  HOUR: 'Local hour of day, 0–23 (hourly data: within hourly retention only).',
};

export const ReportDimensionEnum = builder.enumType('ReportDimension', {
  description: 'What report rows are grouped by.',
  values: Object.fromEntries(
    REPORT_DIMENSIONS.map((d) => [d, { description: dimensionDescriptions[d] }]),
  ) as Record<ReportDimension, { description: string }>,
});

export const ReportFieldEnum = builder.enumType('ReportField', {
  description: 'A dimension or a metric, for report filters and ordering.',
  values: {
    ...Object.fromEntries(
      REPORT_DIMENSIONS.map((d) => [d, { value: d, description: dimensionDescriptions[d] }]),
    ),
    ...Object.fromEntries(
      ANALYTICS_METRICS.map((metric) => [
        metric === 'ctr' ? 'CTR' : metric.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(),
        { value: metric, description: `Metric: ${metricDescriptions[metric]}` },
      ]),
    ),
  } as Record<string, { value: ReportField; description: string }>,
});

export const ReportOperatorEnum = builder.enumType('ReportOperator', {
  description: 'How a report filter compares.',
  values: {
    EQ: { description: 'Equals `value`.' },
    NEQ: { description: 'Differs from `value`.' },
    IN: { description: 'Is one of `values`.' },
    GT: { description: 'Greater than `value` (metrics, DATE/WEEK/MONTH, WEEKDAY, HOUR).' },
    GTE: { description: 'Greater than or equal.' },
    LT: { description: 'Less than.' },
    LTE: { description: 'Less than or equal.' },
    CONTAINS: {
      description: 'Contains `value`, case-insensitive (VIDEO title, CHANNEL handle/name, TAG).',
    },
  } satisfies Record<(typeof REPORT_OPERATORS)[number], unknown>,
});

const ReportFilterInput = builder.inputType('ReportFilterInput', {
  description:
    'A condition on a dimension (applied to rows) or a metric (applied to the grouped values of the range).',
  fields: (t) => ({
    field: t.field({ type: ReportFieldEnum, required: true, description: 'What to test.' }),
    operator: t.field({ type: ReportOperatorEnum, required: true, description: 'How.' }),
    value: t.string({
      description:
        'The value, as text in the dimension format (global IDs for VIDEO/CHANNEL, numbers for metrics).',
    }),
    values: t.stringList({ description: 'The values, for IN.' }),
  }),
});

const ReportOrderInput = builder.inputType('ReportOrderInput', {
  description: 'Sort by a selected dimension or metric.',
  fields: (t) => ({
    field: t.field({ type: ReportFieldEnum, required: true, description: 'What to sort by.' }),
    direction: t.field({
      type: SortDirectionEnum,
      required: true,
      defaultValue: 'desc',
      description: 'Default DESC.',
    }),
  }),
});

export const ReportInput = builder.inputType('AnalyticsReportInput', {
  description: 'A report: metrics per combination of dimensions, filtered, ordered, limited.',
  fields: (t) => ({
    metrics: t.field({
      type: [AnalyticsMetricEnum],
      required: true,
      description: 'The metrics of each row (at least one).',
    }),
    dimensions: t.field({
      type: [ReportDimensionEnum],
      description: 'Group rows by these (up to 4; none = one total row).',
    }),
    filters: t.field({ type: [ReportFilterInput], description: 'Conditions; all must hold.' }),
    orderBy: t.field({
      type: [ReportOrderInput],
      description:
        'Sort keys (default: the first of DATE/WEEK/MONTH ascending, else the first metric descending); ties by the dimensions.',
    }),
    limit: t.int({
      description: `Rows at most (1–${MAX_REPORT_LIMIT}, default ${DEFAULT_REPORT_LIMIT}).`,
    }),
    range: t.field({ type: RangeInput, description: 'The range (default LAST_28_DAYS).' }),
    compare: t.field({
      type: CompareEnum,
      description: 'Comparison period (default NONE): each row also gets previous values.',
    }),
    timezone: t.field({
      type: 'TimeZone',
      description: "Time zone of dates and hours (default: your account's).",
    }),
  }),
});

type DimensionValue = ReportRow['dimensions'][number];

const ReportDimensionValueRef = builder
  .objectRef<DimensionValue>('ReportDimensionValue')
  .implement({
    description: "A row's value of one dimension.",
    fields: (t) => ({
      dimension: t.field({
        type: ReportDimensionEnum,
        description: 'Which dimension.',
        resolve: (d) => d.dimension,
      }),
      value: t.string({
        description: 'The value in the dimension format (global IDs for VIDEO/CHANNEL).',
        resolve: (d) =>
          d.dimension === 'VIDEO'
            ? encodeGlobalID('Video', d.value)
            : d.dimension === 'CHANNEL'
              ? encodeGlobalID('Channel', d.value)
              : d.dimension === 'PLATFORM'
                ? d.value.toUpperCase()
                : d.value,
      }),
      platform: t.field({
        type: PlatformEnum,
        nullable: true,
        description: 'The platform, for PLATFORM.',
        resolve: (d) => (d.dimension === 'PLATFORM' ? (d.value as Platform) : null),
      }),
      video: t.field({
        type: VideoRef,
        nullable: true,
        description: 'The video, for VIDEO (needs `read:videos`).',
        resolve: (d) => (d.dimension === 'VIDEO' ? d.value : null),
      }),
      channel: t.field({
        type: ChannelRef,
        nullable: true,
        description: 'The channel, for CHANNEL (needs `read:videos`).',
        resolve: (d) => (d.dimension === 'CHANNEL' ? d.value : null),
      }),
    }),
  });

type Row = ReportRow & { metrics: AnalyticsMetric[] };

const ReportRowRef = builder.objectRef<Row>('AnalyticsReportRow').implement({
  description: 'One row: its dimension values and its metrics.',
  fields: (t) => ({
    dimensions: t.field({
      type: [ReportDimensionValueRef],
      description: 'In the order of the input dimensions.',
      complexity: reportDimensionsComplexity,
      resolve: (row) => row.dimensions,
    }),
    metrics: t.field({
      type: [MetricComparisonRef],
      description: 'In the order of the input metrics, with comparison when asked.',
      complexity: reportMetricsComplexity,
      resolve: (row) => row.metrics.map((metric) => compared(row.current, row.previous, metric)),
    }),
  }),
});

const ReportRef = builder.objectRef<Report>('AnalyticsReport').implement({
  description: 'The result of analyticsReport.',
  fields: (t) => ({
    range: t.field({ type: PeriodRef, description: 'The range.', resolve: (r) => r.view.period }),
    previousRange: t.field({
      type: PeriodRef,
      nullable: true,
      description: 'The comparison period; null without comparison.',
      resolve: (r) => r.view.previous,
    }),
    timezone: t.field({
      type: 'TimeZone',
      description: 'Time zone of dates and hours.',
      resolve: (r) => r.view.source.timeZone,
    }),
    exactTimezone: t.boolean({
      description: 'False when some days fall back to your account zone (see Analytics).',
      resolve: (r) => r.exactTimeZone,
    }),
    dimensions: t.field({
      type: [ReportDimensionEnum],
      description: 'The dimensions, in order.',
      resolve: (r) => r.dimensions,
    }),
    metrics: t.field({
      type: [AnalyticsMetricEnum],
      description: 'The metrics, in order.',
      resolve: (r) => r.metrics,
    }),
    rows: t.field({
      type: [ReportRowRef],
      description:
        'The rows, ordered and limited. Costs one per value and dimension of each row it can return: `limit` rows, or fewer when the dimensions have fewer combinations (DATE/WEEK/MONTH over the range, WEEKDAY 7, HOUR 24, PLATFORM 4).',
      complexity: reportRowsComplexity,
      resolve: (r) => r.rows.map((row) => ({ ...row, metrics: r.metrics })),
    }),
    totalRows: t.int({
      description: 'Rows matching before the limit.',
      resolve: (r) => r.totalRows,
    }),
    truncated: t.boolean({
      description: 'True when the limit cut rows off.',
      resolve: (r) => r.totalRows > r.rows.length,
    }),
  }),
});

/** The GraphQL input as the service's ReportInput (its `timezone` is `timeZone`). */
export function reportInputOf(input: typeof ReportInput.$inferInput): ReportInputData {
  const { timezone, ...rest } = input;
  return { ...rest, timeZone: timezone };
}

builder.queryFields((t) => ({
  analyticsReport: t.withAuth({ scope: 'read:analytics' }).field({
    type: ReportRef,
    description:
      'A report of metrics × dimensions × filters over a range (one SQL statement). Impossible combinations are refused with BAD_USER_INPUT naming the field. Needs `read:analytics`.',
    args: {
      input: t.arg({ type: ReportInput, required: true, description: 'The report.' }),
    },
    resolve: (_root, { input }, context) =>
      asUserInput(() =>
        runReport(
          context.db,
          context.viewer.user,
          reportInputOf(input),
          analyticsSettings(context),
        ),
      ),
  }),
}));
