import {
  addDays,
  addYears,
  ceilHour,
  daysBetween,
  floorHour,
  HOUR_MS,
  isCalendarDate,
  localDate,
  startOfLocalDay,
  startOfMonth,
  startOfWeek,
  startOfYear,
} from '../../../lib/time-zone.js';

export const RANGE_PRESETS = [
  'LAST_24_HOURS',
  'LAST_7_DAYS',
  'LAST_28_DAYS',
  'LAST_90_DAYS',
  'LAST_365_DAYS',
  'YESTERDAY',
  'WEEK_TO_DATE',
  'PREVIOUS_WEEK',
  'MONTH_TO_DATE',
  'PREVIOUS_MONTH',
  'QUARTER_TO_DATE',
  'PREVIOUS_QUARTER',
  'YEAR_TO_DATE',
  'PREVIOUS_YEAR',
  'ALL_TIME',
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const COMPARE_MODES = ['NONE', 'PREVIOUS_PERIOD', 'PREVIOUS_YEAR'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

export interface RangeInput {
  preset?: RangePreset | null;
  from?: Date | null;
  to?: Date | null;
  startDate?: string | null;
  endDate?: string | null;
}

/**
 * A resolved period. Day periods cover whole local days `startDate`…`endDate` (inclusive); hour
 * periods cover whole UTC hours `[from, to)`. `from`/`to` are always the exact instants covered.
 */
export type Period =
  | { resolution: 'day'; startDate: string; endDate: string; from: number; to: number }
  | { resolution: 'hour'; from: number; to: number; startDate: string; endDate: string };

/** Custom instant ranges up to this long are answered hour by hour, longer ones day by day. */
export const MAX_HOURLY_RANGE_MS = 48 * HOUR_MS;
/** The longest range accepted (ALL_TIME included): 20 years of days. */
export const MAX_RANGE_DAYS = 7_305;

export class RangeError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'AnalyticsRangeError';
  }
}

export function dayPeriod(startDate: string, endDate: string, timeZone: string): Period {
  return {
    resolution: 'day',
    startDate,
    endDate,
    from: startOfLocalDay(startDate, timeZone),
    to: startOfLocalDay(addDays(endDate, 1), timeZone),
  };
}

export function hourPeriod(from: number, to: number, timeZone: string): Period {
  return {
    resolution: 'hour',
    from,
    to,
    startDate: localDate(from, timeZone),
    endDate: localDate(to - 1, timeZone),
  };
}

export const periodDays = (p: Period) => daysBetween(p.startDate, p.endDate) + 1;

/** The first day of the calendar quarter of a local date. */
export function startOfQuarter(date: string): string {
  const month = Number(date.slice(5, 7));
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  return `${date.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
}

/**
 * The whole local days of a day preset, given today's local date: the "to date" presets and the
 * LAST_* ones end with today (included); YESTERDAY and the PREVIOUS_* ones are the last whole
 * day, ISO week (Monday–Sunday), month, quarter or calendar year before today's.
 */
export function presetDays(
  preset: Exclude<RangePreset, 'LAST_24_HOURS' | 'ALL_TIME'>,
  today: string,
): { startDate: string; endDate: string } {
  const upToToday = (startDate: string) => ({ startDate, endDate: today });
  // The whole unit ending the day before the current one starts.
  const before = (start: (date: string) => string, currentStart: string) => {
    const endDate = addDays(currentStart, -1);
    return { startDate: start(endDate), endDate };
  };
  switch (preset) {
    case 'LAST_7_DAYS':
      return upToToday(addDays(today, -6));
    case 'LAST_28_DAYS':
      return upToToday(addDays(today, -27));
    case 'LAST_90_DAYS':
      return upToToday(addDays(today, -89));
    case 'LAST_365_DAYS':
      return upToToday(addDays(today, -364));
    case 'YESTERDAY':
      return { startDate: addDays(today, -1), endDate: addDays(today, -1) };
    case 'WEEK_TO_DATE':
      return upToToday(startOfWeek(today));
    case 'PREVIOUS_WEEK':
      return before(startOfWeek, startOfWeek(today));
    case 'MONTH_TO_DATE':
      return upToToday(startOfMonth(today));
    case 'PREVIOUS_MONTH':
      return before(startOfMonth, startOfMonth(today));
    case 'QUARTER_TO_DATE':
      return upToToday(startOfQuarter(today));
    case 'PREVIOUS_QUARTER':
      return before(startOfQuarter, startOfQuarter(today));
    case 'YEAR_TO_DATE':
      return upToToday(startOfYear(today));
    case 'PREVIOUS_YEAR':
      return before(startOfYear, startOfYear(today));
  }
}

/**
 * Resolves the `range` argument. Presets end with the current local day (or hour) and include
 * it, except YESTERDAY and PREVIOUS_* (the last whole day, week, month, quarter or year); `{from, to}` up to 48 h are whole UTC hours (rounded outwards), longer ones whole local
 * days; `{startDate, endDate}` are local dates, both included.
 */
export function resolveRange(
  input: RangeInput | null | undefined,
  options: { timeZone: string; now: number; firstDataDate: () => string | null },
): Period {
  const { timeZone, now } = options;
  const today = localDate(now, timeZone);
  const given = [
    input?.preset != null,
    input?.from != null || input?.to != null,
    input?.startDate != null || input?.endDate != null,
  ].filter(Boolean).length;
  if (given > 1)
    throw new RangeError('give exactly one of preset, from + to, or startDate + endDate', 'range');
  const preset = input?.preset ?? (given === 0 ? 'LAST_28_DAYS' : null);

  let period: Period;
  if (preset) {
    if (preset === 'LAST_24_HOURS') {
      const to = floorHour(now) + HOUR_MS;
      period = hourPeriod(to - 24 * HOUR_MS, to, timeZone);
    } else if (preset === 'ALL_TIME') {
      const first = options.firstDataDate();
      const start = first && first < today ? first : today;
      period = dayPeriod(
        daysBetween(start, today) >= MAX_RANGE_DAYS ? addDays(today, 1 - MAX_RANGE_DAYS) : start,
        today,
        timeZone,
      );
    } else {
      const { startDate, endDate } = presetDays(preset, today);
      period = dayPeriod(startDate, endDate, timeZone);
    }
  } else if (input?.from != null || input?.to != null) {
    if (input.from == null || input.to == null)
      throw new RangeError(
        'from and to go together',
        input.from == null ? 'range.from' : 'range.to',
      );
    const from = input.from.getTime();
    const to = input.to.getTime();
    if (!(from < to)) throw new RangeError('from must be before to', 'range.to');
    period =
      to - from <= MAX_HOURLY_RANGE_MS
        ? hourPeriod(floorHour(from), ceilHour(to), timeZone)
        : dayPeriod(localDate(from, timeZone), localDate(to - 1, timeZone), timeZone);
  } else {
    const { startDate, endDate } = input!;
    if (startDate == null || endDate == null)
      throw new RangeError(
        'startDate and endDate go together',
        startDate == null ? 'range.startDate' : 'range.endDate',
      );
    if (!isCalendarDate(startDate))
      throw new RangeError('startDate must be a date (YYYY-MM-DD)', 'range.startDate');
    if (!isCalendarDate(endDate))
      throw new RangeError('endDate must be a date (YYYY-MM-DD)', 'range.endDate');
    if (endDate < startDate) throw new RangeError('endDate is before startDate', 'range.endDate');
    period = dayPeriod(startDate, endDate, timeZone);
  }
  if (period.resolution === 'day' && periodDays(period) > MAX_RANGE_DAYS)
    throw new RangeError(`a range covers at most ${MAX_RANGE_DAYS} days`, 'range');
  return period;
}

/**
 * The period compared against: the same length immediately before (PREVIOUS_PERIOD), or the
 * same length starting on the same local date one year earlier (PREVIOUS_YEAR; 29 February maps
 * to 28 February). Unit i of the period (its i-th day or hour) is compared with unit i of this.
 */
export function comparisonPeriod(
  period: Period,
  mode: CompareMode,
  timeZone: string,
): Period | null {
  if (mode === 'NONE') return null;
  if (period.resolution === 'day') {
    const days = periodDays(period);
    const start =
      mode === 'PREVIOUS_PERIOD'
        ? addDays(period.startDate, -days)
        : addYears(period.startDate, -1);
    return dayPeriod(start, addDays(start, days - 1), timeZone);
  }
  const length = period.to - period.from;
  if (mode === 'PREVIOUS_PERIOD') return hourPeriod(period.from - length, period.from, timeZone);
  // Same local wall-clock hour one year earlier.
  const dayStart = startOfLocalDay(period.startDate, timeZone);
  const from = floorHour(
    startOfLocalDay(addYears(period.startDate, -1), timeZone) + (period.from - dayStart),
  );
  return hourPeriod(from, from + length, timeZone);
}

/** The units of a period, in order: local dates (day) or hour instants (hour). */
export function dayUnits(period: Period): string[] {
  const n = periodDays(period);
  return Array.from({ length: n }, (_, i) => addDays(period.startDate, i));
}

export function hourUnits(from: number, to: number): number[] {
  const units: number[] = [];
  for (let at = from; at < to; at += HOUR_MS) units.push(at);
  return units;
}

export type SeriesInterval = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

/** Most buckets one series may have; longer ranges need a coarser interval. */
export const MAX_SERIES_BUCKETS = 1_000;

const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));

/** The BAD_USER_INPUT message of a series over MAX_SERIES_BUCKETS. */
export const tooManyBuckets = (interval: SeriesInterval, buckets: number) =>
  `${interval} over this range gives ${buckets} buckets; a series has at most ${MAX_SERIES_BUCKETS}: use a coarser interval (${interval === 'HOUR' ? 'DAY, WEEK or MONTH' : 'WEEK or MONTH'}) or a shorter range`;

/** How many buckets a series of the period has at the interval (what the series returns). */
export function bucketCount(period: Period, interval: SeriesInterval, timeZone: string): number {
  if (interval === 'HOUR') return Math.round((period.to - period.from) / HOUR_MS);
  if (period.resolution === 'hour') {
    // At most 49 hours: their local days, weeks or months.
    const labels = new Set<string>();
    for (let at = period.from; at < period.to; at += HOUR_MS) {
      const date = localDate(at, timeZone);
      labels.add(
        interval === 'DAY' ? date : interval === 'WEEK' ? startOfWeek(date) : startOfMonth(date),
      );
    }
    return labels.size;
  }
  const { startDate, endDate } = period;
  if (interval === 'DAY') return daysBetween(startDate, endDate) + 1;
  if (interval === 'WEEK') return daysBetween(startOfWeek(startDate), startOfWeek(endDate)) / 7 + 1;
  return monthIndex(endDate) - monthIndex(startDate) + 1;
}

/**
 * The period a range argument will cover, for the query cost model, before the request is
 * authenticated: the viewer's time zone is not known yet (`timeZone` is the argument's, else
 * UTC), nor their first day with data (ALL_TIME is taken at its longest). Null when the range
 * is invalid (execution refuses it).
 */
export function estimatePeriod(
  input: RangeInput | null | undefined,
  timeZone: string,
  now: number,
): Period | null {
  try {
    return resolveRange(input, {
      timeZone,
      now,
      firstDataDate: () => addDays(localDate(now, timeZone), 1 - MAX_RANGE_DAYS),
    });
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
