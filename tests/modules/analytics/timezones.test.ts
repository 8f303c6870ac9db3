import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDaysTo,
  createCreator,
  DAY,
  HOUR,
  ingest,
  localDateOf,
  query,
  startAnalyticsApp,
} from '../../helpers/analytics.js';
import type { TestApp } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';

/** UTC offset of a zone at an instant, in hours (independent of the code under test). */
function offsetHours(instant: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(instant))
    .find((p) => p.type === 'timeZoneName')!.value; // "GMT-07:00"
  if (name === 'GMT') return 0;
  const [, sign, h, m] = /GMT([+-])(\d{2}):(\d{2})/.exec(name)!;
  return (sign === '-' ? -1 : 1) * (Number(h) + Number(m) / 60);
}

/** The most recent past local dates (UTC-noon probe) on which the zone's offset rose and fell. */
function lastTransitions(timeZone: string, now: number) {
  let spring: string | null = null;
  let fall: string | null = null;
  for (let k = 1; k < 400 && !(spring && fall); k++) {
    const date = localDateOf(now - k * DAY, 'UTC');
    const noon = Date.parse(`${date}T12:00:00Z`);
    const before = offsetHours(noon - DAY, timeZone);
    const after = offsetHours(noon, timeZone);
    if (after > before && !spring) spring = date;
    if (after < before && !fall) fall = date;
  }
  return { spring: spring!, fall: fall! };
}

const SERIES = graphql(`
  query TimezonesSeries($range: AnalyticsRangeInput, $interval: AnalyticsInterval!, $tz: TimeZone) {
    analytics(range: $range, timezone: $tz) {
      timezone
      exactTimezone
      totals {
        views {
          value
        }
      }
      series(interval: $interval) {
        label
        start
        end
        values {
          value
        }
      }
    }
  }
`);

let t: TestApp;
const now = Date.now();
beforeAll(async () => {
  t = await startAnalyticsApp();
});
afterAll(() => t.close());

const at = (date: string, utcTime: string) => Date.parse(`${date}T${utcTime}Z`);
const views = (series: { values: { value: number | null }[] }[]) =>
  series.map((b) => b.values[0]!.value);
const hours = (b: { start: string; end: string }) =>
  (Date.parse(b.end) - Date.parse(b.start)) / HOUR;

describe('time zones: America/Los_Angeles across both DST changes', () => {
  // Both changes happen at 02:00 local (09:00/10:00 UTC), before the noon-UTC probe.
  const { spring, fall } = lastTransitions('America/Los_Angeles', now);

  it('the fall-back day is one 25-hour DAY bucket and 25 HOUR buckets', async () => {
    const creator = await createCreator(t, {
      timezone: 'America/Los_Angeles',
      videos: [{ platforms: ['youtube'] }],
    });
    const video = creator.videos[0]!;
    const next = addDaysTo(fall, 1);
    await ingest(t, creator.viewer.key, [
      { video, platform: 'youtube', delta: 1, at: at(fall, '07:30:00') }, // 00:30 PDT
      { video, platform: 'youtube', delta: 2, at: at(fall, '08:30:00') }, // 01:30 PDT
      { video, platform: 'youtube', delta: 4, at: at(fall, '09:30:00') }, // 01:30 PST (again)
      { video, platform: 'youtube', delta: 8, at: at(next, '07:30:00') }, // 23:30 PST
      { video, platform: 'youtube', delta: 16, at: at(next, '08:30:00') }, // next day 00:30 PST
      { video, platform: 'youtube', delta: 32, at: at(fall, '06:30:00') }, // previous day 23:30 PDT
    ]);
    const day = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: addDaysTo(fall, -1), endDate: next },
      interval: 'DAY',
    });
    const buckets = day.analytics.series;
    expect(buckets.map((b) => b.label)).toEqual([addDaysTo(fall, -1), fall, next]);
    expect(views(buckets)).toEqual([32, 15, 16]);
    expect(buckets[1]!.start).toBe(`${fall}T07:00:00.000Z`);
    expect(buckets[1]!.end).toBe(`${next}T08:00:00.000Z`);
    expect(buckets.map(hours)).toEqual([24, 25, 24]);

    const hourly = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: fall, endDate: fall },
      interval: 'HOUR',
    });
    const hourBuckets = hourly.analytics.series;
    expect(hourBuckets).toHaveLength(25);
    expect(hourBuckets[1]!.label).toBe(`${fall}T01:00:00-07:00`);
    expect(hourBuckets[2]!.label).toBe(`${fall}T01:00:00-08:00`);
    expect(views(hourBuckets).slice(0, 3)).toEqual([1, 2, 4]);
    expect(views(hourBuckets)[24]).toBe(8);
  });

  it('the spring-forward day is one 23-hour DAY bucket and 23 HOUR buckets', async () => {
    const creator = await createCreator(t, {
      timezone: 'America/Los_Angeles',
      videos: [{ platforms: ['tiktok'] }],
    });
    const video = creator.videos[0]!;
    const next = addDaysTo(spring, 1);
    await ingest(t, creator.viewer.key, [
      { video, platform: 'tiktok', delta: 1, at: at(spring, '08:30:00') }, // 00:30 PST
      { video, platform: 'tiktok', delta: 2, at: at(spring, '09:30:00') }, // 01:30 PST
      { video, platform: 'tiktok', delta: 4, at: at(spring, '10:30:00') }, // 03:30 PDT
      { video, platform: 'tiktok', delta: 8, at: at(next, '06:30:00') }, // 23:30 PDT
      { video, platform: 'tiktok', delta: 16, at: at(next, '07:30:00') }, // next day 00:30 PDT
    ]);
    const day = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: spring, endDate: next },
      interval: 'DAY',
    });
    const buckets = day.analytics.series;
    expect(views(buckets)).toEqual([15, 16]);
    expect(buckets[0]!.start).toBe(`${spring}T08:00:00.000Z`);
    expect(buckets[0]!.end).toBe(`${next}T07:00:00.000Z`);
    expect(hours(buckets[0]!)).toBe(23);

    const hourly = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: spring, endDate: spring },
      interval: 'HOUR',
    });
    const labels = hourly.analytics.series.map((b) => b.label);
    expect(labels).toHaveLength(23);
    expect(labels[1]).toBe(`${spring}T01:00:00-08:00`);
    expect(labels[2]).toBe(`${spring}T03:00:00-07:00`);
  });
});

describe('time zones: Asia/Kolkata (UTC+05:30)', () => {
  it('days turn at 18:30 UTC', async () => {
    const creator = await createCreator(t, {
      timezone: 'Asia/Kolkata',
      videos: [{ platforms: ['instagram'] }],
    });
    const video = creator.videos[0]!;
    const date = localDateOf(now - 5 * DAY, 'UTC');
    await ingest(t, creator.viewer.key, [
      { video, platform: 'instagram', delta: 3, at: at(date, '18:29:00') }, // 23:59 IST
      { video, platform: 'instagram', delta: 5, at: at(date, '18:31:00') }, // 00:01 IST next day
    ]);
    const data = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: date, endDate: addDaysTo(date, 1) },
      interval: 'DAY',
    });
    expect(data.analytics.timezone).toBe('Asia/Kolkata');
    expect(views(data.analytics.series)).toEqual([3, 5]);
    expect(data.analytics.series[1]!.start).toBe(`${date}T18:30:00.000Z`);
    // HOUR buckets are the stored UTC hours: local :30 in a half-hour zone.
    const hourly = await query(t, creator.viewer.key, SERIES, {
      range: { from: `${date}T17:00:00Z`, to: `${date}T20:00:00Z` },
      interval: 'HOUR',
    });
    expect(hourly.analytics.series.map((b) => b.label)).toEqual([
      `${date}T22:30:00+05:30`,
      `${date}T23:30:00+05:30`,
      `${addDaysTo(date, 1)}T00:30:00+05:30`,
    ]);
    expect(views(hourly.analytics.series)).toEqual([0, 8, 0]);
  });
});

describe("time zones: a zone other than the account's", () => {
  it("rebuilds days from hourly rows (Berlin's fall-back seen from a UTC account)", async () => {
    const creator = await createCreator(t, {
      timezone: 'UTC',
      videos: [{ platforms: ['youtube'] }],
    });
    const video = creator.videos[0]!;
    const { fall } = lastTransitions('Europe/Berlin', now);
    const next = addDaysTo(fall, 1);
    await ingest(t, creator.viewer.key, [
      { video, platform: 'youtube', delta: 1, at: at(addDaysTo(fall, -1), '22:30:00') }, // 00:30 CEST
      { video, platform: 'youtube', delta: 2, at: at(fall, '22:30:00') }, // 23:30 CET
      { video, platform: 'youtube', delta: 4, at: at(fall, '23:30:00') }, // next day 00:30 CET
    ]);
    const data = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: fall, endDate: next },
      interval: 'DAY',
      tz: 'Europe/Berlin',
    });
    expect(data.analytics.exactTimezone).toBe(true);
    expect(views(data.analytics.series)).toEqual([3, 4]);
    expect(hours(data.analytics.series[0]!)).toBe(25);
    // The account's own (UTC) days, for contrast.
    const utc = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: addDaysTo(fall, -1), endDate: fall },
      interval: 'DAY',
    });
    expect(views(utc.analytics.series)).toEqual([1, 6]);
  });

  it('falls back to account days older than the hourly rows, and says so', async () => {
    const creator = await createCreator(t, {
      timezone: 'UTC',
      videos: [{ platforms: ['youtube'] }],
    });
    const video = creator.videos[0]!;
    const old = localDateOf(now - 500 * DAY, 'UTC');
    await ingest(t, creator.viewer.key, [
      { video, platform: 'youtube', delta: 9, at: at(old, '02:00:00') },
    ]);
    const data = await query(t, creator.viewer.key, SERIES, {
      range: { startDate: addDaysTo(old, -1), endDate: addDaysTo(old, 1) },
      interval: 'DAY',
      tz: 'America/New_York',
    });
    expect(data.analytics.exactTimezone).toBe(false);
    // 02:00 UTC is the previous evening in New York, but only the UTC day is known this far back.
    expect(views(data.analytics.series)).toEqual([0, 9, 0]);
  });
});
