const multiple = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const signed = new Intl.NumberFormat('en', { maximumFractionDigits: 2, signDisplay: 'always' });
const rounded = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

// A LocalDate (YYYY-MM-DD) is a calendar day, not an instant: format it in UTC so no viewer's
// offset moves it to the day before.
const dayFormat = new Intl.DateTimeFormat('en', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const shortDayFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const fullDayFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

const utcDay = (localDate: string) => new Date(`${localDate}T00:00:00Z`);

/** Sun, Nov 29 */
export const formatLocalDay = (localDate: string) => dayFormat.format(utcDay(localDate));
/** Nov 29 (chart axes) */
export const formatShortDay = (localDate: string) => shortDayFormat.format(utcDay(localDate));
/** Nov 29, 2026 */
export const formatLocalDate = (localDate: string | null | undefined) =>
  localDate ? fullDayFormat.format(utcDay(localDate)) : '—';

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

/** ISO weekday 1 (Monday) – 7. */
export const weekdayName = (slot: number) => WEEKDAYS[slot - 1] ?? `Day ${slot}`;
/** 19:00–20:00 */
export const hourName = (slot: number) =>
  `${String(slot).padStart(2, '0')}:00–${String((slot + 1) % 24).padStart(2, '0')}:00`;

/** 1.8× */
export const formatMultiple = (ratio: number) => `${multiple.format(ratio)}×`;
/** +1.74 / −2.3 (a z-score) */
export const formatSigned = (value: number) => signed.format(value).replace('-', '−');
/** 151,510 (forecasts are fractional; people read whole views) */
export const formatRounded = (value: number) => rounded.format(value);
