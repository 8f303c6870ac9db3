/**
 * Calendar arithmetic in an IANA time zone, with Intl only (no dependency). Local dates are
 * `YYYY-MM-DD` strings; instants are epoch milliseconds.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']! % 24,
    minute: parts['minute']!,
    second: parts['second']!,
  };
}

/** Offset of local time from UTC at an instant, in ms (Europe/Berlin in summer: +7,200,000). */
export function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const formatDate = (year: number, month: number, day: number) =>
  `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** The local calendar date of an instant. */
export function localDate(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return formatDate(p.year, p.month, p.day);
}

/** `2024-03-31T03:00:00+02:00`: an instant as local wall time with its offset. */
export function localDateTime(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const offset = Math.round(offsetAt(instant, timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${formatDate(p.year, p.month, p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The first instant of a local date. When midnight falls into a DST gap (some zones switch at
 * 00:00) this is the first instant that exists on that day; when 00:00 happens twice, the first.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const key = `${timeZone}|${date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    if (dayStarts.size > 200_000) dayStarts.clear();
    start = computeStartOfLocalDay(date, timeZone);
    dayStarts.set(key, start);
  }
  return start;
}

/** Series ask for the same days again and again; Intl is the slow part of answering them. */
const dayStarts = new Map<string, number>();

function computeStartOfLocalDay(date: string, timeZone: string): number {
  const wall = dateToUtc(date);
  // At most one transition lies within ±14 h of a local midnight: try the offsets on both sides.
  const offsets = new Set([
    offsetAt(wall - 14 * HOUR_MS, timeZone),
    offsetAt(wall + 14 * HOUR_MS, timeZone),
  ]);
  let best = Number.POSITIVE_INFINITY;
  for (const offset of offsets) {
    const candidate = wall - offset;
    if (localDate(candidate, timeZone) === date && candidate < best) best = candidate;
  }
  return best;
}

const dateToUtc = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const utcToDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addDays = (date: string, days: number) => utcToDate(dateToUtc(date) + days * DAY_MS);

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string) =>
  Math.round((dateToUtc(b) - dateToUtc(a)) / DAY_MS);

/** The same calendar date `years` years away; 29 February becomes 28 February. */
export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const month = Number(date.slice(5, 7));
  let day = Number(date.slice(8, 10));
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > lastDay) day = lastDay;
  return formatDate(year, month, day);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string) => ((new Date(dateToUtc(date)).getUTCDay() + 6) % 7) + 1;

/** The Monday of the ISO week containing date. */
export const startOfWeek = (date: string) => addDays(date, 1 - isoWeekday(date));

export const startOfMonth = (date: string) => `${date.slice(0, 7)}-01`;

export const startOfYear = (date: string) => `${date.slice(0, 4)}-01-01`;

/** Is `date` a real calendar date in YYYY-MM-DD form? */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  return utcToDate(dateToUtc(date)) === date;
}

export const floorHour = (instant: number) => Math.floor(instant / HOUR_MS) * HOUR_MS;
export const ceilHour = (instant: number) => Math.ceil(instant / HOUR_MS) * HOUR_MS;
