import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../../src/db/schema.js';
import {
  addDaysTo,
  createCreator,
  errorOf,
  ingest,
  localDateOf,
  query,
  startAnalyticsApp,
  type FixtureVideo,
  type TestEvent,
} from '../../helpers/analytics.js';
import { encodeId } from '../../helpers/fixtures.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let alice: TestViewer;
let A: FixtureVideo;
let B: FixtureVideo;
let C: FixtureVideo;
let tiktokChannel: string;
const now = Date.now();
const today = localDateOf(now, 'UTC');
const D = (k: number, time = '12:00:00') => Date.parse(`${addDaysTo(today, -k)}T${time}Z`);

beforeAll(async () => {
  t = await startAnalyticsApp();
  const creator = await createCreator(t, {
    videos: [
      { platforms: ['youtube', 'tiktok'], tags: ['tips'], title: 'Alpha tutorial' },
      { platforms: ['youtube'], tags: ['vlog'], title: 'Beta vlog' },
      { platforms: ['instagram'], tags: ['tips', 'vlog'], title: 'Gamma' },
    ],
  });
  alice = creator.viewer;
  [A, B, C] = creator.videos as [FixtureVideo, FixtureVideo, FixtureVideo];
  tiktokChannel = encodeId('Channel', creator.channels.find((c) => c.platform === 'tiktok')!.id);
  await ingest(t, alice.key, [
    { video: A, platform: 'youtube', delta: 100, at: D(1, '09:15:00') },
    { video: A, platform: 'youtube', metric: 'LIKES', delta: 10, at: D(1, '09:45:00') },
    { video: A, platform: 'tiktok', delta: 300, at: D(2, '18:00:00') },
    { video: A, platform: 'tiktok', metric: 'CLICKS', delta: 30, at: D(2) },
    { video: A, platform: 'tiktok', metric: 'IMPRESSIONS', delta: 600, at: D(2) },
    { video: B, platform: 'youtube', delta: 50, at: D(5) },
    { video: C, platform: 'instagram', delta: 200, at: D(6) },
    { video: C, platform: 'instagram', metric: 'LIKES', delta: 20, at: D(6) },
    { video: B, platform: 'youtube', delta: 70, at: D(9) }, // the previous week
  ]);
});
afterAll(() => t.close());

const REPORT = /* GraphQL */ `
  query Report($input: AnalyticsReportInput!) {
    analyticsReport(input: $input) {
      dimensions
      metrics
      totalRows
      truncated
      rows {
        dimensions {
          dimension
          value
        }
        metrics {
          metric
          value
          previous
        }
      }
    }
  }
`;

const run = async (input: Record<string, unknown>) =>
  (await query(t, alice.key, REPORT, { input: { range: { preset: 'LAST_7_DAYS' }, ...input } }))
    .analyticsReport;
/** Rows as [dimension values…, metric values…]. */
const flat = (report: any) =>
  report.rows.map((row: any) => [
    ...row.dimensions.map((d: any) => d.value),
    ...row.metrics.map((m: any) => m.value),
  ]);

describe('analyticsReport', () => {
  it('without dimensions: one row of totals', async () => {
    const report = await run({ metrics: ['VIEWS', 'LIKES', 'ENGAGEMENT_RATE', 'CTR'] });
    expect(flat(report)).toEqual([[650, 30, 4.62, 5]]);
  });

  it('DATE rows, ascending by default, with previous values aligned day by day', async () => {
    const report = await run({
      metrics: ['VIEWS'],
      dimensions: ['DATE'],
      compare: 'PREVIOUS_PERIOD',
    });
    expect(flat(report)).toEqual([
      [addDaysTo(today, -6), 200],
      [addDaysTo(today, -5), 50],
      [addDaysTo(today, -2), 300],
      [addDaysTo(today, -1), 100],
    ]);
    // today − 9 is the 5th day of the previous week, matching today − 2.
    expect(report.rows[2].metrics[0].previous).toBe(70);
    expect(report.rows[0].metrics[0].previous).toBe(0);
  });

  it('PLATFORM, VIDEO, CHANNEL, TAG, WEEKDAY, HOUR, WEEK and MONTH dimensions', async () => {
    expect(flat(await run({ metrics: ['VIEWS'], dimensions: ['PLATFORM'] }))).toEqual([
      ['TIKTOK', 300],
      ['INSTAGRAM', 200],
      ['YOUTUBE', 150],
    ]);
    const videos = await run({ metrics: ['VIEWS'], dimensions: ['VIDEO'], limit: 2 });
    expect(flat(videos)).toEqual([
      [A.globalId, 400],
      [C.globalId, 200],
    ]);
    expect(videos).toMatchObject({ totalRows: 3, truncated: true });
    const channels = await run({ metrics: ['VIEWS'], dimensions: ['CHANNEL'] });
    expect(channels.rows[0].dimensions[0].value).toBe(tiktokChannel);
    // Gamma has both tags and counts under each.
    expect(flat(await run({ metrics: ['VIEWS'], dimensions: ['TAG'] }))).toEqual([
      ['tips', 600],
      ['vlog', 250],
    ]);
    const weekday = (k: number) => String(((new Date(D(k)).getUTCDay() + 6) % 7) + 1);
    const weekdays = await run({
      metrics: ['VIEWS'],
      dimensions: ['WEEKDAY'],
      orderBy: [{ field: 'WEEKDAY', direction: 'ASC' }],
    });
    expect(Object.fromEntries(flat(weekdays))).toEqual(
      Object.fromEntries(
        [
          [weekday(1), 100],
          [weekday(2), 300],
          [weekday(5), 50],
          [weekday(6), 200],
        ].map(([k, v]) => [k, v]),
      ),
    );
    expect(
      flat(
        await run({
          metrics: ['VIEWS'],
          dimensions: ['HOUR'],
          orderBy: [{ field: 'HOUR', direction: 'ASC' }],
        }),
      ),
    ).toEqual([
      ['9', 100],
      ['12', 250],
      ['18', 300],
    ]);
    const months = await run({ metrics: ['VIEWS'], dimensions: ['MONTH', 'PLATFORM'] });
    expect(months.rows.reduce((s: number, r: any) => s + r.metrics[0].value, 0)).toBe(650);
    const weeks = await run({ metrics: ['VIEWS'], dimensions: ['WEEK'] });
    for (const row of flat(weeks)) expect(new Date(`${row[0]}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('filters on dimensions and metrics', async () => {
    const views = async (filters: object[], dimensions: string[] = []) =>
      flat(await run({ metrics: ['VIEWS'], dimensions, filters }));
    expect(await views([{ field: 'PLATFORM', operator: 'EQ', value: 'YOUTUBE' }])).toEqual([[150]]);
    expect(await views([{ field: 'PLATFORM', operator: 'NEQ', value: 'YOUTUBE' }])).toEqual([
      [500],
    ]);
    expect(
      await views([{ field: 'PLATFORM', operator: 'IN', values: ['TIKTOK', 'INSTAGRAM'] }]),
    ).toEqual([[500]]);
    expect(await views([{ field: 'VIDEO', operator: 'EQ', value: B.globalId }])).toEqual([[50]]);
    expect(await views([{ field: 'VIDEO', operator: 'NEQ', value: A.globalId }])).toEqual([[250]]);
    expect(await views([{ field: 'VIDEO', operator: 'CONTAINS', value: 'TUTOR' }])).toEqual([
      [400],
    ]);
    expect(await views([{ field: 'CHANNEL', operator: 'CONTAINS', value: 'tiktok' }])).toEqual([
      [300],
    ]);
    expect(await views([{ field: 'TAG', operator: 'EQ', value: 'vlog' }])).toEqual([[250]]);
    expect(await views([{ field: 'TAG', operator: 'CONTAINS', value: 'ip' }])).toEqual([[600]]);
    expect(await views([{ field: 'TAG', operator: 'EQ', value: 'vlog' }], ['TAG'])).toEqual([
      ['vlog', 250],
    ]);
    expect(await views([{ field: 'DATE', operator: 'GTE', value: addDaysTo(today, -2) }])).toEqual([
      [400],
    ]);
    expect(await views([{ field: 'HOUR', operator: 'LT', value: '12' }])).toEqual([[100]]);
    expect(await views([{ field: 'VIEWS', operator: 'GT', value: '100' }], ['VIDEO'])).toEqual([
      [A.globalId, 400],
      [C.globalId, 200],
    ]);
    expect(
      await views([{ field: 'ENGAGEMENT_RATE', operator: 'GTE', value: '10' }], ['VIDEO']),
    ).toEqual([[C.globalId, 200]]);
  });

  it('orders by any selected metric or dimension, ties by the dimensions', async () => {
    const report = await run({
      metrics: ['VIEWS', 'LIKES'],
      dimensions: ['PLATFORM'],
      orderBy: [{ field: 'LIKES', direction: 'DESC' }],
    });
    expect(flat(report)).toEqual([
      ['INSTAGRAM', 200, 20],
      ['YOUTUBE', 150, 10],
      ['TIKTOK', 300, 0],
    ]);
  });
});

describe('analyticsReport BAD_USER_INPUT', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['no metrics', { metrics: [] }],
    ['a repeated dimension', { metrics: ['VIEWS'], dimensions: ['DATE', 'DATE'] }],
    [
      'five dimensions',
      { metrics: ['VIEWS'], dimensions: ['DATE', 'PLATFORM', 'VIDEO', 'CHANNEL', 'TAG'] },
    ],
    ['limit 0', { metrics: ['VIEWS'], limit: 0 }],
    ['limit over 10,000', { metrics: ['VIEWS'], limit: 10_001 }],
    [
      'HOUR beyond hourly retention',
      {
        metrics: ['VIEWS'],
        dimensions: ['HOUR'],
        range: { startDate: '2001-01-01', endDate: '2001-01-31' },
      },
    ],
    [
      'an HOUR filter beyond hourly retention',
      {
        metrics: ['VIEWS'],
        filters: [{ field: 'HOUR', operator: 'EQ', value: '3' }],
        range: { startDate: '2001-01-01', endDate: '2001-01-31' },
      },
    ],
    [
      'CONTAINS on a metric',
      { metrics: ['VIEWS'], filters: [{ field: 'VIEWS', operator: 'CONTAINS', value: '1' }] },
    ],
    [
      'CONTAINS on PLATFORM',
      { metrics: ['VIEWS'], filters: [{ field: 'PLATFORM', operator: 'CONTAINS', value: 'you' }] },
    ],
    [
      'CONTAINS on HOUR',
      { metrics: ['VIEWS'], filters: [{ field: 'HOUR', operator: 'CONTAINS', value: '1' }] },
    ],
    [
      'GT on PLATFORM',
      { metrics: ['VIEWS'], filters: [{ field: 'PLATFORM', operator: 'GT', value: 'YOUTUBE' }] },
    ],
    [
      'GT on VIDEO',
      { metrics: ['VIEWS'], filters: [{ field: 'VIDEO', operator: 'GT', value: 'x' }] },
    ],
    [
      'IN on a metric',
      { metrics: ['VIEWS'], filters: [{ field: 'VIEWS', operator: 'IN', values: ['1'] }] },
    ],
    ['IN without values', { metrics: ['VIEWS'], filters: [{ field: 'PLATFORM', operator: 'IN' }] }],
    [
      'IN with an empty list',
      { metrics: ['VIEWS'], filters: [{ field: 'PLATFORM', operator: 'IN', values: [] }] },
    ],
    ['EQ without value', { metrics: ['VIEWS'], filters: [{ field: 'PLATFORM', operator: 'EQ' }] }],
    [
      'a metric compared with text',
      { metrics: ['VIEWS'], filters: [{ field: 'VIEWS', operator: 'GT', value: 'many' }] },
    ],
    [
      'an unknown platform',
      { metrics: ['VIEWS'], filters: [{ field: 'PLATFORM', operator: 'EQ', value: 'MYSPACE' }] },
    ],
    [
      'a malformed video id',
      { metrics: ['VIEWS'], filters: [{ field: 'VIDEO', operator: 'EQ', value: 'not-an-id' }] },
    ],
    [
      'a channel id given for VIDEO',
      {
        metrics: ['VIEWS'],
        filters: [
          {
            field: 'VIDEO',
            operator: 'EQ',
            value: 'Q2hhbm5lbDowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA=',
          },
        ],
      },
    ],
    [
      'an impossible date',
      { metrics: ['VIEWS'], filters: [{ field: 'DATE', operator: 'EQ', value: '2024-13-01' }] },
    ],
    [
      'a bad month',
      { metrics: ['VIEWS'], filters: [{ field: 'MONTH', operator: 'EQ', value: '2024-1' }] },
    ],
    [
      'weekday 8',
      { metrics: ['VIEWS'], filters: [{ field: 'WEEKDAY', operator: 'EQ', value: '8' }] },
    ],
    ['hour 24', { metrics: ['VIEWS'], filters: [{ field: 'HOUR', operator: 'EQ', value: '24' }] }],
    [
      'orderBy a field not in the report',
      { metrics: ['VIEWS'], orderBy: [{ field: 'LIKES', direction: 'DESC' }] },
    ],
    [
      'orderBy a dimension not in the report',
      { metrics: ['VIEWS'], orderBy: [{ field: 'DATE', direction: 'ASC' }] },
    ],
    [
      'a bad range',
      { metrics: ['VIEWS'], range: { startDate: '2024-02-01', endDate: '2024-01-01' } },
    ],
  ];
  it.each(bad)('%s', async (_name, input) => {
    const { status, code } = await errorOf(t, alice.key, REPORT, { input });
    expect(status).toBe(400);
    expect(code).toBe('BAD_USER_INPUT');
  });
});

/** Independent recomputation: sum events whose local date is in [start, end]. */
function naive(events: TestEvent[], timeZone: string, start: string, end: string) {
  const inRange = events.filter((e) => {
    const date = localDateOf(new Date(e.at).getTime(), timeZone);
    return date >= start && date <= end;
  });
  const total = inRange.reduce((s, e) => s + e.delta, 0);
  const byPlatform = new Map<Platform, number>();
  const byDate = new Map<string, number>();
  const byDatePlatform = new Map<string, number>();
  for (const e of inRange) {
    const date = localDateOf(new Date(e.at).getTime(), timeZone);
    byPlatform.set(e.platform, (byPlatform.get(e.platform) ?? 0) + e.delta);
    byDate.set(date, (byDate.get(date) ?? 0) + e.delta);
    const key = `${date}|${e.platform.toUpperCase()}`;
    byDatePlatform.set(key, (byDatePlatform.get(key) ?? 0) + e.delta);
  }
  return { total, byPlatform, byDate, byDatePlatform };
}

describe('model-based: random event sets equal a naive recomputation', () => {
  it('totals, comparison, series, byPlatform and report rows', async () => {
    const zones = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones),
        fc.array(
          fc.record({
            video: fc.nat(2),
            platform: fc.constantFrom<Platform>('youtube', 'tiktok'),
            delta: fc.integer({ min: 0, max: 1_000 }),
            ageMinutes: fc.integer({ min: 0, max: 90 * 24 * 60 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        async (timezone, raw, endAgo, length) => {
          const creator = await createCreator(t, {
            timezone,
            videos: [0, 1, 2].map(() => ({ platforms: ['youtube', 'tiktok'] as Platform[] })),
          });
          const events: TestEvent[] = raw.map((e) => ({
            video: creator.videos[e.video]!,
            platform: e.platform,
            delta: e.delta,
            at: now - e.ageMinutes * 60_000,
          }));
          await ingest(t, creator.viewer.key, events);
          const todayLocal = localDateOf(now, timezone);
          const end = addDaysTo(todayLocal, -endAgo);
          const start = addDaysTo(end, 1 - length);
          const expected = naive(events, timezone, start, end);
          const previous = naive(events, timezone, addDaysTo(start, -length), addDaysTo(start, -1));
          const data = await query(
            t,
            creator.viewer.key,
            `query($range: AnalyticsRangeInput) {
              analytics(range: $range, compare: PREVIOUS_PERIOD) {
                totals { views { value previous } }
                byPlatform { platform totals { views } }
                series(interval: DAY) { label values { value previous } }
              }
              analyticsReport(input: { metrics: [VIEWS], dimensions: [DATE, PLATFORM], range: $range, limit: 10000 }) {
                rows { dimensions { value } metrics { value } }
              }
            }`,
            { range: { startDate: start, endDate: end } },
          );
          expect(data.analytics.totals.views).toEqual({
            value: expected.total,
            previous: previous.total,
          });
          for (const p of data.analytics.byPlatform)
            expect(p.totals.views).toBe(expected.byPlatform.get(p.platform.toLowerCase()) ?? 0);
          expect(data.analytics.series).toHaveLength(length);
          for (const bucket of data.analytics.series)
            expect(bucket.values[0].value).toBe(expected.byDate.get(bucket.label) ?? 0);
          expect(
            data.analytics.series.reduce((s: number, b: any) => s + b.values[0].previous, 0),
          ).toBe(previous.total);
          const rows = new Map<string, number>(
            data.analyticsReport.rows.map((r: any) => [
              `${r.dimensions[0].value}|${r.dimensions[1].value}`,
              r.metrics[0].value,
            ]),
          );
          for (const [key, value] of expected.byDatePlatform)
            expect(rows.get(key) ?? 0).toBe(value);
          expect([...rows.values()].reduce((s, v) => s + v, 0)).toBe(expected.total);
        },
      ),
      { numRuns: 8 },
    );
  }, 240_000);
});
