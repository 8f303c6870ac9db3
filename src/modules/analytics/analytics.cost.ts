import { PLATFORMS } from '../../db/schema.js';
import { badUserInput } from '../../errors.js';
import { ancestorArgs } from '../limits/cost-model.js';
import {
  bucketCount,
  estimatePeriod,
  MAX_SERIES_BUCKETS,
  periodDays,
  tooManyBuckets,
  type Period,
  type RangeInput,
  type SeriesInterval,
} from './storage/ranges.js';
import { DEFAULT_REPORT_LIMIT, type ReportDimension } from './report/report.compile.js';

/**
 * Pothos `complexity` of the analytics lists whose length the question decides
 * (docs/limits.md): what they cost is what they produce. A series costs one per value (buckets ×
 * metrics), a report one per value or dimension of each row it can return. Measured before
 * authentication, so the range is read in the question's `timezone` (UTC when not given).
 */

interface RangeArgs {
  range?: RangeInput | null;
  timezone?: string | null;
}

const timeZoneOf = (args: RangeArgs | undefined) =>
  typeof args?.timezone === 'string' ? args.timezone : 'UTC';

/** The period of the enclosing analytics question (`Query.analytics`, `Video.analytics`). */
function enclosingPeriod(ctx: unknown): {
  period: Period | null;
  timeZone: string;
  allTime: boolean;
} {
  const args = ancestorArgs(ctx, 'range') as RangeArgs | undefined;
  const timeZone = timeZoneOf(args);
  return {
    period: estimatePeriod(args?.range, timeZone, Date.now()),
    timeZone,
    allTime: args?.range?.preset === 'ALL_TIME',
  };
}

/**
 * A series: its buckets (each costs what its `values` cost). Over MAX_SERIES_BUCKETS it is
 * refused here, before any SQL, with the same BAD_USER_INPUT execution would give; ALL_TIME,
 * whose length depends on the data, is costed at its longest allowed.
 */
export function seriesComplexity(args: { interval: SeriesInterval }, ctx: unknown) {
  const { period, timeZone, allTime } = enclosingPeriod(ctx);
  if (!period) return { field: 1, multiplier: 0 };
  const buckets = bucketCount(period, args.interval, timeZone);
  if (buckets > MAX_SERIES_BUCKETS) {
    if (allTime) return { field: 1, multiplier: MAX_SERIES_BUCKETS };
    throw badUserInput(`interval: ${tooManyBuckets(args.interval, buckets)}`, {
      field: 'interval',
    });
  }
  return { field: 1, multiplier: buckets };
}

/**
 * A bucket's values: one per metric the series asked for. (A list's items cost nothing of their
 * own in the model, only their object fields; so a list of values counts its length itself, as
 * `nodes(ids)` does.)
 */
export function seriesValuesComplexity(_args: unknown, ctx: unknown) {
  const metrics = ancestorArgs(ctx, 'metrics')?.['metrics'];
  const count = Array.isArray(metrics) ? metrics.length : 1;
  return { field: count, multiplier: count };
}

/** Days of the enclosing question's range: a daily list (audience points) has one per day. */
export function dailyComplexity(_args: unknown, ctx: unknown) {
  const { period } = enclosingPeriod(ctx);
  const days = period ? periodDays(period) : 0;
  return { field: days, multiplier: days };
}

interface ReportArgs {
  input?: {
    metrics?: readonly unknown[];
    dimensions?: readonly ReportDimension[] | null;
    limit?: number | null;
    range?: RangeInput | null;
    timezone?: string | null;
  };
}

const reportInput = (ctx: unknown) => (ancestorArgs(ctx, 'input') as ReportArgs | undefined)?.input;

/**
 * The rows a report can return: its limit, or fewer when its dimensions have fewer
 * combinations (DATE: the range's days, WEEKDAY: 7, …; VIDEO, CHANNEL and TAG are unbounded).
 */
export function reportRowsComplexity(_args: unknown, ctx: unknown) {
  const input = reportInput(ctx);
  const limit = Math.max(0, input?.limit ?? DEFAULT_REPORT_LIMIT);
  const timeZone = timeZoneOf(input);
  const period = estimatePeriod(input?.range, timeZone, Date.now());
  let combinations = 1;
  for (const dimension of input?.dimensions ?? []) {
    switch (dimension) {
      case 'DATE':
      case 'WEEK':
      case 'MONTH':
        combinations *= period
          ? bucketCount(period, dimension === 'DATE' ? 'DAY' : dimension, timeZone)
          : 0;
        break;
      case 'WEEKDAY':
        combinations *= 7;
        break;
      case 'HOUR':
        combinations *= 24;
        break;
      case 'PLATFORM':
        combinations *= PLATFORMS.length;
        break;
      default:
        combinations = Infinity;
    }
  }
  return { field: 1, multiplier: Math.min(limit, combinations) };
}

/** A report row's metric values: one per metric of the report. */
export function reportMetricsComplexity(_args: unknown, ctx: unknown) {
  const metrics = reportInput(ctx)?.metrics;
  const count = Array.isArray(metrics) ? metrics.length : 1;
  return { field: count, multiplier: count };
}

/** A report row's dimension values: one per dimension of the report. */
export function reportDimensionsComplexity(_args: unknown, ctx: unknown) {
  const dimensions = reportInput(ctx)?.dimensions;
  const count = Array.isArray(dimensions) ? dimensions.length : 0;
  return { field: count, multiplier: count };
}
