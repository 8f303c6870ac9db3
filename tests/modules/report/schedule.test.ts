import { describe, expect, it } from 'vitest';
import {
  describeSchedule,
  nextTick,
  scheduleProblems,
  validateSchedule,
} from '../../../src/modules/report/schedule.js';
import { localDateTime } from '../../../src/lib/time-zone.js';

/** The next `count` ticks after `after`, each as UTC ISO and as local wall-clock time. */
function ticks(cron: string, timeZone: string, after: string, count: number) {
  const out: { utc: string; local: string }[] = [];
  let at = new Date(after);
  for (let i = 0; i < count; i++) {
    at = nextTick(cron, timeZone, at);
    out.push({ utc: at.toISOString(), local: localDateTime(at.getTime(), timeZone) });
  }
  return out;
}
const local = (list: { local: string }[]) => list.map((t) => t.local.slice(0, 16));
const utc = (list: { utc: string }[]) => list.map((t) => t.utc.slice(0, 16));

describe('validateSchedule', () => {
  it('accepts hourly and slower schedules in a real zone', () => {
    for (const cron of ['0 9 * * 1', '30 7 * * *', '15 * * * *', '0 8 1 * *', '0 */2 * * *'])
      expect(validateSchedule(cron, 'Europe/Paris'), cron).toBeNull();
    expect(validateSchedule('0 9 * * MON-FRI', 'UTC')).toBeNull();
    expect(validateSchedule(' 0  9 * * 1 ', 'Asia/Kolkata')).toBeNull();
  });

  it('refuses what is not five fields', () => {
    expect(scheduleProblems('0 0 9 * * 1', 'UTC')).toEqual([
      { field: 'cron', message: expect.stringContaining('exactly 5 fields') },
    ]);
    expect(scheduleProblems('0 9 * *', 'UTC')[0]!.message).toMatch(/got 4/);
    expect(scheduleProblems('@daily', 'UTC')[0]!.field).toBe('cron');
    expect(scheduleProblems('', 'UTC')[0]!.message).toMatch(/got 0/);
  });

  it('refuses anything more often than hourly', () => {
    for (const cron of ['* * * * *', '*/30 * * * *', '0,30 * * * *', '0-5 9 * * *', '*/5 9 * * 1'])
      expect(scheduleProblems(cron, 'UTC'), cron).toEqual([
        { field: 'cron', message: expect.stringContaining('more often than hourly') },
      ]);
  });

  it('refuses a bad zone with a readable message, and bad fields', () => {
    expect(scheduleProblems('0 9 * * 1', 'Mars/Olympus')).toEqual([
      { field: 'timezone', message: 'must be an IANA time zone such as Europe/Paris' },
    ]);
    expect(scheduleProblems('0 9 * * 1', '+05:30')[0]!.field).toBe('timezone');
    // Both problems are reported at once.
    expect(scheduleProblems('* * * * *', 'Nowhere/Land').map((p) => p.field)).toEqual([
      'timezone',
      'cron',
    ]);
    expect(scheduleProblems('61 9 * * *', 'UTC')[0]!.message).toMatch(/not a valid cron.*0-59/);
    expect(scheduleProblems('0 25 * * *', 'UTC')[0]!.message).toMatch(/not a valid cron/);
    expect(scheduleProblems('0 9 31 2 *', 'UTC')[0]!.message).toMatch(/not a valid cron/);
    expect(scheduleProblems('H 9 * * *', 'UTC')[0]!.message).toMatch(/H/);
    expect(validateSchedule('0 9 * * 1', 'Mars/Olympus')).toMatch(/^timezone: /);
  });
});

describe('nextTick across DST', () => {
  it('keeps a weekly Monday 09:00 at 09:00 local across both changes in Los Angeles', () => {
    // DST starts Sunday 8 March 2026 and ends Sunday 1 November 2026.
    const spring = ticks('0 9 * * 1', 'America/Los_Angeles', '2026-02-25T00:00:00Z', 3);
    expect(local(spring)).toEqual(['2026-03-02T09:00', '2026-03-09T09:00', '2026-03-16T09:00']);
    expect(utc(spring)).toEqual(['2026-03-02T17:00', '2026-03-09T16:00', '2026-03-16T16:00']);
    const autumn = ticks('0 9 * * 1', 'America/Los_Angeles', '2026-10-20T00:00:00Z', 3);
    expect(local(autumn)).toEqual(['2026-10-26T09:00', '2026-11-02T09:00', '2026-11-09T09:00']);
    expect(utc(autumn)).toEqual(['2026-10-26T16:00', '2026-11-02T17:00', '2026-11-09T17:00']);
  });

  it('keeps it across both changes in Berlin', () => {
    // Summer time starts Sunday 29 March 2026, ends Sunday 25 October 2026.
    const spring = ticks('0 9 * * 1', 'Europe/Berlin', '2026-03-20T00:00:00Z', 2);
    expect(local(spring)).toEqual(['2026-03-23T09:00', '2026-03-30T09:00']);
    expect(utc(spring)).toEqual(['2026-03-23T08:00', '2026-03-30T07:00']);
    const autumn = ticks('0 9 * * 1', 'Europe/Berlin', '2026-10-20T00:00:00Z', 2);
    expect(local(autumn)).toEqual(['2026-10-26T09:00', '2026-11-02T09:00']);
    expect(utc(autumn)).toEqual(['2026-10-26T08:00', '2026-11-02T08:00']);
  });

  it('runs a time in the spring-forward gap once, an hour later on the new clock', () => {
    // 02:30 does not exist in Berlin on 29 March 2026 (02:00 → 03:00): it runs at 03:30 CEST.
    const berlin = ticks('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 4);
    expect(local(berlin)).toEqual([
      '2026-03-28T02:30',
      '2026-03-29T03:30',
      '2026-03-30T02:30',
      '2026-03-31T02:30',
    ]);
    expect(utc(berlin)[1]).toBe('2026-03-29T01:30');
    // Los Angeles, 8 March 2026.
    const la = ticks('30 2 * * *', 'America/Los_Angeles', '2026-03-07T12:00:00Z', 2);
    expect(local(la)).toEqual(['2026-03-08T03:30', '2026-03-09T02:30']);
    // Two hours that fold into one on the gap day still run once.
    const folded = ticks('30 2,3 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 3);
    expect(local(folded)).toEqual(['2026-03-29T03:30', '2026-03-30T02:30', '2026-03-30T03:30']);
  });

  it('runs a time in the fall-back overlap once, at its first occurrence', () => {
    // 02:30 happens twice in Berlin on 25 October 2026: at 00:30 UTC (CEST) and 01:30 UTC (CET).
    const berlin = ticks('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2);
    expect(utc(berlin)).toEqual(['2026-10-25T00:30', '2026-10-26T01:30']);
    expect(local(berlin)).toEqual(['2026-10-25T02:30', '2026-10-26T02:30']);
    // 01:30 happens twice in Los Angeles on 1 November 2026: the first is 08:30 UTC (PDT).
    const la = ticks('30 1 * * *', 'America/Los_Angeles', '2026-10-31T12:00:00Z', 2);
    expect(utc(la)).toEqual(['2026-11-01T08:30', '2026-11-02T09:30']);
  });

  it('keeps an hourly schedule one hour apart through both changes', () => {
    const autumn = ticks('15 * * * *', 'Europe/Berlin', '2026-10-25T00:00:00Z', 3);
    expect(utc(autumn)).toEqual(['2026-10-25T00:15', '2026-10-25T01:15', '2026-10-25T02:15']);
    const spring = ticks('15 * * * *', 'Europe/Berlin', '2026-03-29T00:00:00Z', 3);
    expect(local(spring)).toEqual(['2026-03-29T01:15', '2026-03-29T03:15', '2026-03-29T04:15']);
  });

  it('handles half-hour zones: Adelaide (with DST) and Kolkata', () => {
    // Adelaide (UTC+9:30 / +10:30) moves 02:00 → 03:00 on Sunday 4 October 2026.
    const gap = ticks('30 2 * * *', 'Australia/Adelaide', '2026-10-02T12:00:00Z', 3);
    expect(local(gap)).toEqual(['2026-10-03T02:30', '2026-10-04T03:30', '2026-10-05T02:30']);
    expect(utc(gap)).toEqual(['2026-10-02T17:00', '2026-10-03T17:00', '2026-10-04T16:00']);
    // It moves 03:00 → 02:00 on Sunday 5 April 2026: 02:30 runs once, at +10:30.
    const overlap = ticks('30 2 * * *', 'Australia/Adelaide', '2026-04-03T12:00:00Z', 3);
    expect(utc(overlap)).toEqual(['2026-04-03T16:00', '2026-04-04T16:00', '2026-04-05T17:00']);
    // A weekly Monday 09:00 stays 09:00 across it.
    const weekly = ticks('0 9 * * 1', 'Australia/Adelaide', '2026-03-28T00:00:00Z', 2);
    expect(local(weekly)).toEqual(['2026-03-30T09:00', '2026-04-06T09:00']);
    expect(utc(weekly)).toEqual(['2026-03-29T22:30', '2026-04-05T23:30']);
    // Kolkata (UTC+5:30, no DST): 09:00 local is 03:30 UTC.
    expect(utc(ticks('0 9 * * *', 'Asia/Kolkata', '2026-06-01T00:00:00Z', 2))).toEqual([
      '2026-06-01T03:30',
      '2026-06-02T03:30',
    ]);
  });

  it('is strictly after `after`', () => {
    expect(nextTick('0 9 * * *', 'UTC', new Date('2026-06-01T09:00:00Z')).toISOString()).toBe(
      '2026-06-02T09:00:00.000Z',
    );
    expect(nextTick('0 9 * * *', 'UTC', new Date('2026-06-01T08:59:59.500Z')).toISOString()).toBe(
      '2026-06-01T09:00:00.000Z',
    );
  });
});

describe('describeSchedule', () => {
  it('describes the common shapes', () => {
    expect(describeSchedule('0 9 * * 1', 'Europe/Paris')).toBe(
      'Every Monday at 09:00 (Europe/Paris)',
    );
    expect(describeSchedule('30 7 * * *', 'UTC')).toBe('Every day at 07:30 (UTC)');
    expect(describeSchedule('0 8 1 * *', 'UTC')).toBe('On day 1 of every month at 08:00 (UTC)');
    expect(describeSchedule('15 * * * *', 'Asia/Kolkata')).toBe(
      'Every hour at minute 15 (Asia/Kolkata)',
    );
    expect(describeSchedule('0 9 * * 1-5', 'UTC')).toBe('Every Monday to Friday at 09:00 (UTC)');
    expect(describeSchedule('0 9 * * MON,WED,FRI', 'UTC')).toBe(
      'Every Monday, Wednesday and Friday at 09:00 (UTC)',
    );
    expect(describeSchedule('0 10 * * 6,0', 'UTC')).toBe(
      'Every Saturday and Sunday at 10:00 (UTC)',
    );
    expect(describeSchedule('0 9 * * 7', 'UTC')).toBe('Every Sunday at 09:00 (UTC)');
    expect(describeSchedule('0 9,17 * * *', 'UTC')).toBe('Every day at 09:00 and 17:00 (UTC)');
    expect(describeSchedule('0 */6 * * *', 'UTC')).toBe('Every 6 hours at minute 0 (UTC)');
    expect(describeSchedule('0 6 L * *', 'UTC')).toBe(
      'On the last day of every month at 06:00 (UTC)',
    );
    expect(describeSchedule('0 8 1 1 *', 'UTC')).toBe('Every year on 1 January at 08:00 (UTC)');
  });

  it('falls back to the expression for shapes it does not describe', () => {
    expect(describeSchedule('0 9 * * 1#1', 'UTC')).toBe('Cron `0 9 * * 1#1` (UTC)');
    expect(describeSchedule('0 9 1 * 1', 'UTC')).toBe('Cron `0 9 1 * 1` (UTC)');
    expect(describeSchedule('0 9-17 * * *', 'UTC')).toBe('Cron `0 9-17 * * *` (UTC)');
    expect(describeSchedule('0 8 1 1-6 *', 'UTC')).toBe('Cron `0 8 1 1-6 *` (UTC)');
  });
});
