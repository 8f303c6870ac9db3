import { describe, expect, it } from 'vitest';
import {
  presetDays,
  resolveRange,
  startOfQuarter,
  type RangePreset,
} from '../../../src/modules/analytics/storage/ranges.js';

const resolve = (preset: RangePreset, now: string, timeZone = 'UTC') => {
  const period = resolveRange(
    { preset },
    { timeZone, now: Date.parse(now), firstDataDate: () => null },
  );
  return { startDate: period.startDate, endDate: period.endDate, from: period.from, to: period.to };
};
const days = (preset: RangePreset, now: string, timeZone = 'UTC') => {
  const { startDate, endDate } = resolve(preset, now, timeZone);
  return [startDate, endDate];
};

describe('range presets', () => {
  it('resolves each preset on an ordinary Wednesday', () => {
    const now = '2026-03-18T12:00:00Z';
    expect(days('YESTERDAY', now)).toEqual(['2026-03-17', '2026-03-17']);
    expect(days('WEEK_TO_DATE', now)).toEqual(['2026-03-16', '2026-03-18']);
    expect(days('PREVIOUS_WEEK', now)).toEqual(['2026-03-09', '2026-03-15']);
    expect(days('MONTH_TO_DATE', now)).toEqual(['2026-03-01', '2026-03-18']);
    expect(days('PREVIOUS_MONTH', now)).toEqual(['2026-02-01', '2026-02-28']);
    expect(days('QUARTER_TO_DATE', now)).toEqual(['2026-01-01', '2026-03-18']);
    expect(days('PREVIOUS_QUARTER', now)).toEqual(['2025-10-01', '2025-12-31']);
    expect(days('YEAR_TO_DATE', now)).toEqual(['2026-01-01', '2026-03-18']);
    expect(days('PREVIOUS_YEAR', now)).toEqual(['2025-01-01', '2025-12-31']);
    // The older presets are unchanged.
    expect(days('LAST_7_DAYS', now)).toEqual(['2026-03-12', '2026-03-18']);
    expect(days('LAST_28_DAYS', now)).toEqual(['2026-02-19', '2026-03-18']);
  });

  it('crosses the year end on 1 January', () => {
    const now = '2026-01-01T05:00:00Z'; // a Thursday
    expect(days('YESTERDAY', now)).toEqual(['2025-12-31', '2025-12-31']);
    expect(days('WEEK_TO_DATE', now)).toEqual(['2025-12-29', '2026-01-01']);
    expect(days('PREVIOUS_WEEK', now)).toEqual(['2025-12-22', '2025-12-28']);
    expect(days('PREVIOUS_MONTH', now)).toEqual(['2025-12-01', '2025-12-31']);
    expect(days('QUARTER_TO_DATE', now)).toEqual(['2026-01-01', '2026-01-01']);
    expect(days('PREVIOUS_QUARTER', now)).toEqual(['2025-10-01', '2025-12-31']);
    expect(days('PREVIOUS_YEAR', now)).toEqual(['2025-01-01', '2025-12-31']);
  });

  it('takes "today" in the zone, not in UTC', () => {
    // 05:00 UTC on 1 January 2026 is still 31 December 2025 (21:00) in Los Angeles.
    const now = '2026-01-01T05:00:00Z';
    const la = 'America/Los_Angeles';
    expect(days('YESTERDAY', now, la)).toEqual(['2025-12-30', '2025-12-30']);
    expect(days('WEEK_TO_DATE', now, la)).toEqual(['2025-12-29', '2025-12-31']);
    expect(days('PREVIOUS_MONTH', now, la)).toEqual(['2025-11-01', '2025-11-30']);
    expect(days('QUARTER_TO_DATE', now, la)).toEqual(['2025-10-01', '2025-12-31']);
    expect(days('PREVIOUS_QUARTER', now, la)).toEqual(['2025-07-01', '2025-09-30']);
    expect(days('PREVIOUS_YEAR', now, la)).toEqual(['2024-01-01', '2024-12-31']);
    // Noon UTC on 31 December 2025 is already 1 January 2026 in Auckland (UTC+13).
    const auckland = 'Pacific/Auckland';
    expect(days('PREVIOUS_YEAR', '2025-12-31T12:00:00Z', auckland)).toEqual([
      '2025-01-01',
      '2025-12-31',
    ]);
    expect(days('YESTERDAY', '2025-12-31T12:00:00Z', auckland)).toEqual([
      '2025-12-31',
      '2025-12-31',
    ]);
    // The instants are the zone's midnights: 1 Jan 2025 00:00 NZDT = 31 Dec 2024 11:00 UTC.
    const year = resolve('PREVIOUS_YEAR', '2025-12-31T12:00:00Z', auckland);
    expect(new Date(year.from).toISOString()).toBe('2024-12-31T11:00:00.000Z');
    expect(new Date(year.to).toISOString()).toBe('2025-12-31T11:00:00.000Z');
  });

  it('keeps ISO weeks Monday to Sunday on the week edges', () => {
    // Sunday 22 March 2026 closes its week; Monday 23 March opens the next.
    expect(days('WEEK_TO_DATE', '2026-03-22T12:00:00Z')).toEqual(['2026-03-16', '2026-03-22']);
    expect(days('PREVIOUS_WEEK', '2026-03-22T12:00:00Z')).toEqual(['2026-03-09', '2026-03-15']);
    expect(days('WEEK_TO_DATE', '2026-03-23T12:00:00Z')).toEqual(['2026-03-23', '2026-03-23']);
    expect(days('PREVIOUS_WEEK', '2026-03-23T12:00:00Z')).toEqual(['2026-03-16', '2026-03-22']);
    // A week across a DST change is still 7 local days (167 hours in Berlin's spring week).
    const week = resolve('PREVIOUS_WEEK', '2026-04-01T12:00:00Z', 'Europe/Berlin');
    expect([week.startDate, week.endDate]).toEqual(['2026-03-23', '2026-03-29']);
    expect((week.to - week.from) / 3_600_000).toBe(167);
  });

  it('knows leap years and quarter starts', () => {
    expect(days('PREVIOUS_MONTH', '2024-03-05T12:00:00Z')).toEqual(['2024-02-01', '2024-02-29']);
    expect(days('PREVIOUS_QUARTER', '2026-08-15T12:00:00Z')).toEqual(['2026-04-01', '2026-06-30']);
    expect(['2026-01-31', '2026-05-01', '2026-09-30', '2026-12-31'].map(startOfQuarter)).toEqual([
      '2026-01-01',
      '2026-04-01',
      '2026-07-01',
      '2026-10-01',
    ]);
    expect(presetDays('QUARTER_TO_DATE', '2026-10-01')).toEqual({
      startDate: '2026-10-01',
      endDate: '2026-10-01',
    });
  });
});
