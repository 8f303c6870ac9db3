import type { Db } from '../../db/client.js';
import { METRIC_KEYS, type MetricValues, type Platform, PLATFORMS } from '../../db/schema.js';
import {
  addMetrics,
  clickThroughRate,
  engagementRate,
  sumMetrics,
  zeroMetrics,
} from '../common/metric-keys.js';
import {
  bucketCount,
  comparisonPeriod,
  dayUnits,
  MAX_SERIES_BUCKETS,
  tooManyBuckets,
  hourUnits,
  resolveRange,
  type CompareMode,
  type Period,
  type RangeInput,
  RangeError,
} from './storage/ranges.js';
import {
  firstDataDate,
  firstWholeDay,
  hourlyCoverageStart,
  NO_FILTER,
  sumRollups,
  usesPublicationRows,
  type AnalyticsFilter,
  type RollupSource,
  type SumsRow,
  type Unit,
} from './storage/rollups.js';
import {
  addDays,
  HOUR_MS,
  localDate,
  localDateTime,
  startOfLocalDay,
  startOfMonth,
  startOfWeek,
} from '../../lib/time-zone.js';

/** A metric an analytics answer can be about: a count, or one of the two rates. */
export type AnalyticsMetric = (typeof METRIC_KEYS)[number] | 'engagementRate' | 'ctr';
export const ANALYTICS_METRICS: readonly AnalyticsMetric[] = [
  ...METRIC_KEYS,
  'engagementRate',
  'ctr',
];

export const isRate = (metric: AnalyticsMetric): metric is 'engagementRate' | 'ctr' =>
  metric === 'engagementRate' || metric === 'ctr';

/** The value of a metric over summed counts (rates are null without a denominator). */
export function metricValue(metrics: MetricValues, metric: AnalyticsMetric): number | null {
  if (metric === 'engagementRate') return engagementRate(metrics);
  if (metric === 'ctr') return clickThroughRate(metrics);
  return metrics[metric];
}

export type Interval = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

/** Limits and clock the analytics answers depend on. */
export interface AnalyticsSettings {
  hourlyRetentionDays: number;
  now: number;
}

/** A validated analytics question; fields resolve from it lazily, each fetch at most once. */
export interface AnalyticsView {
  source: RollupSource;
  period: Period;
  previous: Period | null;
  compare: CompareMode;
  settings: AnalyticsSettings;
  memo: Map<string, Promise<unknown>>;
}

/** A problem with the question itself; the resolver turns it into BAD_USER_INPUT. */
export class AnalyticsInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'AnalyticsInputError';
  }
}

export { MAX_SERIES_BUCKETS };

export function memo<T>(view: AnalyticsView, key: string, load: () => Promise<T>): Promise<T> {
  let entry = view.memo.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    view.memo.set(key, entry);
  }
  return entry;
}

export interface ViewOwner {
  id: string;
  timezone: string;
}

export async function createAnalyticsView(
  db: Db,
  owner: ViewOwner,
  args: {
    range?: RangeInput | null;
    compare?: CompareMode | null;
    filter?: AnalyticsFilter | null;
    timeZone?: string | null;
  },
  settings: AnalyticsSettings,
): Promise<AnalyticsView> {
  const timeZone = args.timeZone ?? owner.timezone;
  const first = args.range?.preset === 'ALL_TIME' ? await firstDataDate(db, owner.id) : null;
  let period: Period;
  try {
    period = resolveRange(args.range, { timeZone, now: settings.now, firstDataDate: () => first });
  } catch (error) {
    if (error instanceof RangeError) throw new AnalyticsInputError(error.message, error.field);
    throw error;
  }
  const compare = args.compare ?? 'NONE';
  let coverage: Promise<number> | undefined;
  return {
    source: {
      db,
      ownerId: owner.id,
      filter: args.filter ?? NO_FILTER,
      timeZone,
      storageTimeZone: owner.timezone,
      hourlyFrom: () =>
        (coverage ??= hourlyCoverageStart(
          db,
          owner.id,
          settings.now,
          settings.hourlyRetentionDays,
        )),
    },
    period,
    previous: comparisonPeriod(period, compare, timeZone),
    compare,
    settings,
    memo: new Map(),
  };
}

export const windowsOf = (view: AnalyticsView) =>
  view.previous ? [view.period, view.previous] : [view.period];

/** False when another zone's days older than the hourly rows fall back to the account's days. */
export async function isExactTimeZone(view: AnalyticsView): Promise<boolean> {
  const { source } = view;
  if (source.timeZone === source.storageTimeZone) return true;
  const dayPeriods = windowsOf(view).filter((period) => period.resolution === 'day');
  if (dayPeriods.length === 0) return true;
  const first = firstWholeDay(await source.hourlyFrom(), source.timeZone);
  return dayPeriods.every((period) => period.startDate >= first);
}

export interface PlatformTotals {
  platform: Platform;
  current: MetricValues;
  previous: MetricValues | null;
}

/** Current and previous sums per platform: the source of totals and byPlatform. */
export function platformTotals(view: AnalyticsView): Promise<PlatformTotals[]> {
  return memo(view, 'platforms', async () => {
    // Filtered questions scan per-publication rows: totals then share the series' scan.
    // Unfiltered ones read a few pre-summed rows, cheaper on their own than per day.
    const rows = usesPublicationRows(view.source.filter)
      ? (await unitRows(view, view.period.resolution)).rows
      : (
          await sumRollups(view.source, {
            windows: windowsOf(view),
            unit: 'none',
            byPlatform: true,
          })
        ).rows;
    const platforms = view.source.filter.platforms ?? [...PLATFORMS];
    return platforms.map((platform) => {
      const pick = (window: number) => {
        const sum = zeroMetrics();
        for (const row of rows)
          if (row.window === window && row.platform === platform) addMetrics(sum, row.metrics);
        return sum;
      };
      return { platform, current: pick(0), previous: view.previous ? pick(1) : null };
    });
  });
}

/**
 * Both windows' sums per unit (day or hour): the series' rows. A filtered question keeps them per
 * platform so that its totals and platform breakdown share this one scan of per-publication
 * rows; an unfiltered one gets those from pre-summed rows and needs a quarter of the rows here.
 */
const unitRows = (view: AnalyticsView, unit: Unit) =>
  memo(view, `units:${unit}`, () =>
    sumRollups(view.source, {
      windows: windowsOf(view),
      unit,
      byPlatform: usesPublicationRows(view.source.filter),
    }),
  );

export interface Totals {
  current: MetricValues;
  previous: MetricValues | null;
}

export async function totals(view: AnalyticsView): Promise<Totals> {
  const perPlatform = await platformTotals(view);
  return {
    current: sumMetrics(perPlatform.map((p) => p.current)),
    previous: view.previous ? sumMetrics(perPlatform.map((p) => p.previous!)) : null,
  };
}

export interface SeriesBucket {
  start: number;
  end: number;
  label: string;
  current: MetricValues;
  /** The aligned comparison bucket; null without comparison (or past its end). */
  previous: MetricValues | null;
  previousStart: number | null;
  previousEnd: number | null;
}

interface UnitSpan {
  key: string | number;
  start: number;
  end: number;
}

interface Units {
  unit: Unit;
  spans: readonly UnitSpan[];
}

/**
 * Dashboards ask for the same ranges all day: a range's days (dates and their starts in the zone,
 * costly Intl work) are computed once. Hours are plain arithmetic and not kept; neither are
 * ranges of years, so the cache stays under about 64,000 days.
 */
const dayUnitsCache = new Map<string, Units>();
const DAY_UNITS_CACHE_SIZE = 64;
const DAY_UNITS_CACHED_DAYS = 1_000;

/** Fine-grained units of a period for a series interval: hours for HOUR or hourly periods. */
function unitsOf(period: Period, interval: Interval, timeZone: string): Units {
  if (interval === 'HOUR' || period.resolution === 'hour') {
    return {
      unit: 'hour',
      spans: hourUnits(period.from, period.to).map((at) => ({
        key: at,
        start: at,
        end: at + HOUR_MS,
      })),
    };
  }
  const key = `${timeZone}|${period.startDate}|${period.endDate}`;
  let units = dayUnitsCache.get(key);
  if (!units) {
    units = localDayUnits(period, timeZone);
    if (units.spans.length > DAY_UNITS_CACHED_DAYS) return units;
    // Oldest out first: a Map iterates in insertion order.
    if (dayUnitsCache.size >= DAY_UNITS_CACHE_SIZE)
      dayUnitsCache.delete(dayUnitsCache.keys().next().value!);
    dayUnitsCache.set(key, units);
  }
  return units;
}

function localDayUnits(period: Period, timeZone: string): Units {
  // Each day ends where the next begins: one start-of-day computation per day, not two.
  const dates = dayUnits(period);
  let start = dates.length > 0 ? startOfLocalDay(dates[0]!, timeZone) : 0;
  const spans = dates.map((date, index) => {
    const end = startOfLocalDay(dates[index + 1] ?? addDays(date, 1), timeZone);
    const span = { key: date, start, end };
    start = end;
    return span;
  });
  return { unit: 'day', spans };
}

function bucketLabel(span: UnitSpan, interval: Interval, timeZone: string): string {
  if (interval === 'HOUR') return localDateTime(span.start, timeZone);
  const date = typeof span.key === 'string' ? span.key : localDate(span.start, timeZone);
  if (interval === 'DAY') return date;
  if (interval === 'WEEK') return startOfWeek(date);
  return startOfMonth(date).slice(0, 7);
}

export function checkSeries(view: AnalyticsView, interval: Interval) {
  const { period, settings } = view;
  if (interval === 'HOUR') {
    const cutoff = settings.now - settings.hourlyRetentionDays * 24 * HOUR_MS;
    const earliest = view.previous ? Math.min(view.previous.from, period.from) : period.from;
    if (earliest < cutoff)
      throw new AnalyticsInputError(
        `HOUR buckets exist for the last ${settings.hourlyRetentionDays} days only (hourly retention); use DAY, WEEK or MONTH, or a more recent range`,
        'interval',
      );
  }
  const buckets = bucketCount(period, interval, view.source.timeZone);
  if (buckets > MAX_SERIES_BUCKETS)
    throw new AnalyticsInputError(tooManyBuckets(interval, buckets), 'interval');
}

/** The unit (day or hour) a series at this interval is built from. */
export const seriesUnit = (view: AnalyticsView, interval: Interval): Unit =>
  unitsOf(view.period, interval, view.source.timeZone).unit;

/** Zero-filled buckets in the view's time zone, with the comparison aligned bucket by bucket. */
export function series(view: AnalyticsView, interval: Interval): Promise<SeriesBucket[]> {
  checkSeries(view, interval);
  const unit = seriesUnit(view, interval);
  return memo(view, `series:${unit}:${interval}`, async () => {
    return bucketize(view, interval, (await unitRows(view, unit)).rows);
  });
}

/** Sums per-unit rows (of both windows) into the series buckets of an interval. */
export function bucketize(
  view: AnalyticsView,
  interval: Interval,
  rows: SumsRow[],
): SeriesBucket[] {
  const tz = view.source.timeZone;
  const current = unitsOf(view.period, interval, tz);
  const previous = view.previous ? unitsOf(view.previous, interval, tz) : null;
  const byUnit = (window: number) => {
    const map = new Map<string | number, MetricValues>();
    for (const row of rows) {
      if (row.window !== window) continue;
      const sum = map.get(row.unit!);
      if (sum) addMetrics(sum, row.metrics);
      else map.set(row.unit!, { ...row.metrics });
    }
    return map;
  };
  const cur = byUnit(0);
  const prev = byUnit(1);
  const buckets: SeriesBucket[] = [];
  let openKey: string | null = null;
  current.spans.forEach((span, index) => {
    const key = bucketLabel(span, interval, tz);
    const prevSpan = previous?.spans[index];
    if (openKey !== key) {
      openKey = key;
      buckets.push({
        label: key,
        start: span.start,
        end: span.end,
        current: zeroMetrics(),
        previous: previous ? zeroMetrics() : null,
        previousStart: prevSpan?.start ?? null,
        previousEnd: null,
      });
    }
    const bucket = buckets[buckets.length - 1]!;
    bucket.end = span.end;
    addMetrics(bucket.current, cur.get(span.key));
    if (prevSpan && bucket.previous) {
      addMetrics(bucket.previous, prev.get(prevSpan.key));
      bucket.previousEnd = prevSpan.end;
    }
  });
  return buckets;
}
