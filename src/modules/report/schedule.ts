import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { HOUR_MS, isTimeZone } from '../../lib/time-zone.js';

/**
 * Report schedules: five-field cron expressions evaluated in an IANA time zone by cron-parser
 * (the library pg-boss uses, so the queue and `nextRunAt` agree). Wall-clock times follow the
 * zone across DST: `0 9 * * 1` stays 09:00 local in winter and summer. A time that does not exist
 * on a spring-forward day (02:30 in Europe/Berlin on the last Sunday of March) runs once that
 * day, an hour later on the new clock (03:30 local, the same instant the old clock would have
 * called 02:30). A time that occurs twice on a fall-back day runs once, at its first occurrence
 * (02:30 summer time).
 */

/** Ticks checked for the minimum interval (about a week of an hourly schedule). */
const CHECKED_TICKS = 200;

export type ScheduleField = 'cron' | 'timezone';

export interface ScheduleProblem {
  field: ScheduleField;
  message: string;
}

const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

function parse(cron: string, timeZone: string, after?: Date): CronExpression {
  return CronExpressionParser.parse(cron, {
    tz: timeZone,
    ...(after ? { currentDate: after } : {}),
  });
}

let knownZones: Map<string, string> | undefined;

/**
 * The zone with the case the zone database spells it (`europe/paris` → `Europe/Paris`), or null
 * when it is not a zone. Intl.supportedValuesOf lists only canonical names (not `UTC` or
 * `Asia/Kolkata` on Node 20), so a zone it lacks but Intl accepts is kept as given.
 */
export function canonicalTimeZone(timeZone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone) || !isTimeZone(timeZone)) return null;
  knownZones ??= new Map(
    Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]),
  );
  return knownZones.get(timeZone.toLowerCase()) ?? timeZone;
}

/**
 * What is wrong with a schedule, per field (empty when it is fine): exactly five fields, a known
 * IANA zone (checked first: cron-parser's own error for a bad zone is unreadable), no random `H`
 * values, and never more often than hourly (the minute field is one number, and the next ticks
 * from `from` are at least an hour apart).
 */
export function scheduleProblems(
  cron: string,
  timeZone: string,
  from: Date = new Date(),
): ScheduleProblem[] {
  const zone = canonicalTimeZone(timeZone);
  const problems: ScheduleProblem[] = zone
    ? []
    : [{ field: 'timezone', message: 'must be an IANA time zone such as Europe/Paris' }];
  const message = cronProblem(cron, zone ?? 'UTC', from);
  if (message) problems.push({ field: 'cron', message });
  return problems;
}

function cronProblem(cron: string, zone: string, from: Date): string | null {
  const fields = cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    return `must have exactly 5 fields (${FIELD_NAMES.join(', ')}); got ${fields.length}`;
  if (fields.some((field) => /h/i.test(field.replace(/thu/gi, ''))))
    return 'H (a random value) is not supported; give the value';
  if (!/^\d{1,2}$/.test(fields[0]!))
    return 'runs more often than hourly: the minute field must be a single number (0–59), e.g. `0 9 * * 1`';
  try {
    const expression = parse(fields.join(' '), zone, from);
    // With one minute and one hour, ticks fall on different days: only several hours can bring
    // two ticks within the hour (around a DST change), so only then are the ticks walked (cron-
    // parser takes about a millisecond per tick).
    const checked = /^\d{1,2}$/.test(fields[1]!) ? 1 : CHECKED_TICKS;
    let previous: number | null = null;
    for (let i = 0; i < checked && expression.hasNext(); i++) {
      const at = expression.next().getTime();
      if (previous !== null && at - previous < HOUR_MS) return 'runs more often than hourly';
      previous = at;
    }
    return previous === null ? 'never runs' : null;
  } catch (error) {
    return `is not a valid cron expression: ${errorText(error)}`;
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Null when the schedule is fine, else what is wrong with it (see scheduleProblems). */
export function validateSchedule(cron: string, timeZone: string): string | null {
  const problems = scheduleProblems(cron, timeZone);
  return problems.length ? problems.map((p) => `${p.field}: ${p.message}`).join('; ') : null;
}

/** The first tick strictly after `after`, DST-correct in the zone (see the top of this file). */
export function nextTick(cron: string, timeZone: string, after: Date): Date {
  return parse(cron.trim(), timeZone, after).next().toDate();
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const WEEKDAY = '([0-7]|sun|mon|tue|wed|thu|fri|sat)';
/** Weekday lists and ranges, without `L`, `#` or steps. */
const PLAIN_WEEKDAYS = new RegExp(`^${WEEKDAY}(-${WEEKDAY})?(,${WEEKDAY}(-${WEEKDAY})?)*$`, 'i');

const pad = (n: number) => String(n).padStart(2, '0');

/** "A, B and C". */
function listed(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Weekdays Monday first, a run of three or more as "Monday to Friday". */
function weekdays(values: readonly number[]): string {
  const days = [...new Set(values.map((d) => (d + 6) % 7))].sort((a, b) => a - b); // 0 = Monday
  const name = (d: number) => WEEKDAYS[(d + 1) % 7]!;
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  if (contiguous && days.length >= 3) return `${name(days[0]!)} to ${name(days[days.length - 1]!)}`;
  return listed(days.map(name));
}

/**
 * The schedule in words, e.g. "Every Monday at 09:00 (Europe/Paris)", "Every day at 07:30 (UTC)",
 * "On day 1 of every month at 08:00 (UTC)", "Every hour at minute 15 (UTC)"; shapes it does not
 * describe come back as "Cron `…` (zone)".
 */
export function describeSchedule(cron: string, timeZone: string): string {
  const fields = cron.trim().split(/\s+/);
  const fallback = `Cron \`${fields.join(' ')}\` (${timeZone})`;
  if (fields.length !== 5) return fallback;
  let expression: CronExpression;
  try {
    expression = parse(fields.join(' '), canonicalTimeZone(timeZone) ?? 'UTC');
  } catch {
    return fallback;
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];
  const zone = ` (${timeZone})`;
  if (!/^\d{1,2}$/.test(minute)) return fallback;
  const m = Number(minute);
  const everyDay = dayOfMonth === '*' && month === '*' && dayOfWeek === '*';
  if (hour === '*' && everyDay) return `Every hour at minute ${m}${zone}`;
  const step = /^\*\/(\d+)$/.exec(hour);
  if (step && everyDay) return `Every ${Number(step[1])} hours at minute ${m}${zone}`;
  if (!/^\d{1,2}(,\d{1,2})*$/.test(hour)) return fallback;
  const hours = [...expression.fields.hour.values].sort((a, b) => a - b);
  const at = `at ${listed(hours.map((h) => `${pad(h)}:${pad(m)}`))}`;

  if (everyDay) return `Every day ${at}${zone}`;
  const dow = (expression.fields.dayOfWeek.values as readonly (number | 'L')[]).filter(
    (d): d is number => typeof d === 'number',
  );
  if (dayOfMonth === '*' && month === '*' && PLAIN_WEEKDAYS.test(dayOfWeek)) {
    return new Set(dow.map((d) => d % 7)).size === 7
      ? `Every day ${at}${zone}`
      : `Every ${weekdays(dow)} ${at}${zone}`;
  }
  if (dayOfWeek !== '*') return fallback;
  if (dayOfMonth === 'L' && month === '*') return `On the last day of every month ${at}${zone}`;
  if (!/^\d{1,2}$/.test(dayOfMonth)) return fallback;
  const day = Number(dayOfMonth);
  if (month === '*') return `On day ${day} of every month ${at}${zone}`;
  const months = expression.fields.month.values;
  if (/^(\d{1,2}|[a-z]{3})$/i.test(month) && months.length === 1)
    return `Every year on ${day} ${MONTHS[months[0]! - 1]} ${at}${zone}`;
  return fallback;
}

/** The tick to run next, or null when there is no schedule or it is paused. */
export function scheduledNextRun(
  schedule: { cron: string | null; timeZone: string | null; paused: boolean },
  now: Date,
): Date | null {
  if (!schedule.cron || !schedule.timeZone || schedule.paused) return null;
  return nextTick(schedule.cron, schedule.timeZone, now);
}
