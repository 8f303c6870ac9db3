import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationTable, videoTable } from '../../../src/db/schema.js';
import {
  fitHolt,
  holtForecast,
  summarize,
  Z80,
} from '../../../src/modules/analytics/insights/forecast.js';
import {
  addDaysTo,
  createCreator,
  DAY,
  errorOf,
  ingest,
  localDateOf,
  query,
  startAnalyticsApp,
  type TestEvent,
} from '../../helpers/analytics.js';
import type { TestApp } from '../../helpers/test-app.js';

let t: TestApp;
const now = Date.now();
const today = localDateOf(now, 'UTC');

beforeAll(async () => {
  t = await startAnalyticsApp();
});
afterAll(() => t.close());

/** The most recent date at least `minAgo` days back that falls on ISO weekday `weekday`. */
function pastWeekday(weekday: number, minAgo: number) {
  for (let k = minAgo; ; k++) {
    const date = addDaysTo(today, -k);
    if (((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1 === weekday) return date;
  }
}

describe('insights: posting times and performance', () => {
  // weekday, hour, launch views, launch likes (engagements).
  const launches: [number, number, number, number][] = [
    [1, 10, 999, 100],
    [1, 10, 99, 20],
    [1, 18, 9, 3],
    [2, 10, 99, 5],
    [2, 10, 99, 5],
    [2, 10, 99, 5],
    [3, 18, 9999, 5000],
  ];
  let key: string;
  let ids: string[];

  beforeAll(async () => {
    const creator = await createCreator(t, {
      videos: launches.map(() => ({ platforms: ['youtube'] })),
    });
    key = creator.viewer.key;
    ids = creator.videos.map((v) => v.globalId);
    const events: TestEvent[] = [];
    for (const [index, [weekday, hour, views, likes]] of launches.entries()) {
      const video = creator.videos[index]!;
      // Distinct weeks per video, so every launch window is its own.
      const date = pastWeekday(weekday, 14 + 7 * index);
      const publishedAt = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
      await t.database.db
        .update(videoTable)
        .set({ publishedAt })
        .where(eq(videoTable.id, video.id));
      await t.database.db
        .update(publicationTable)
        .set({ publishedAt })
        .where(inArray(publicationTable.videoId, [video.id]));
      const launchDay = publishedAt.getTime() + 2 * 3_600_000;
      events.push(
        { video, platform: 'youtube', delta: views, at: launchDay },
        { video, platform: 'youtube', metric: 'LIKES', delta: likes, at: launchDay + DAY },
        // After the launch window: not part of the launch numbers.
        { video, platform: 'youtube', delta: 5000, at: publishedAt.getTime() + 8 * DAY },
      );
    }
    await ingest(t, key, events);
  });

  it('best weekday and hour by mean launch engagement, with sample sizes', async () => {
    const data = await query(
      t,
      key,
      `{ insights(range: { preset: LAST_90_DAYS }) {
          postingTimes {
            sampleSize
            bestWeekday { slot videos averageEngagementRate averageViews }
            bestHour { slot videos averageEngagementRate }
            byWeekday { slot videos averageEngagementRate }
            byHour { slot videos }
          }
        } }`,
    );
    const p = data.insights.postingTimes;
    expect(p.sampleSize).toBe(7);
    const rate = (i: number) => (launches[i]![3] / launches[i]![2]) * 100;
    const mean = (values: number[]) =>
      Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
    // Wednesday's single video has the best rate but too small a sample.
    expect(p.byWeekday).toEqual([
      { slot: 1, videos: 3, averageEngagementRate: mean([rate(0), rate(1), rate(2)]) },
      { slot: 2, videos: 3, averageEngagementRate: mean([rate(3), rate(4), rate(5)]) },
      { slot: 3, videos: 1, averageEngagementRate: mean([rate(6)]) },
    ]);
    expect(p.bestWeekday).toEqual({
      slot: 1,
      videos: 3,
      averageEngagementRate: mean([rate(0), rate(1), rate(2)]),
      averageViews: mean([999, 99, 9]),
    });
    expect(p.byHour).toEqual([
      { slot: 10, videos: 5 },
      { slot: 18, videos: 2 },
    ]);
    expect(p.bestHour).toMatchObject({ slot: 10, videos: 5 });
  });

  it('videos above and below the average launch (z of log10 views)', async () => {
    const data = await query(
      t,
      key,
      `{ insights(range: { preset: LAST_90_DAYS }) {
          performance(threshold: 1) {
            sampleSize meanLogViews sdLogViews
            above { video { id } views zScore }
            below { video { id } views zScore }
          }
        } }`,
    );
    const logs = launches.map(([, , views]) => Math.log10(1 + views)); // 3 2 1 2 2 2 4
    const { mean, sd } = summarize(logs);
    const p = data.insights.performance;
    expect(p.sampleSize).toBe(7);
    expect(p.meanLogViews).toBeCloseTo(16 / 7, 4);
    expect(p.sdLogViews).toBeCloseTo(Math.sqrt(5.428571428571429 / 6), 4);
    expect(p.above).toEqual([
      { video: { id: ids[6] }, views: 9999, zScore: Math.round(((4 - mean) / sd) * 1000) / 1000 },
    ]);
    expect(p.below).toEqual([
      { video: { id: ids[2] }, views: 9, zScore: Math.round(((1 - mean) / sd) * 1000) / 1000 },
    ]);
  });
});

describe('insights: anomalies and forecast', () => {
  let key: string;
  beforeAll(async () => {
    const creator = await createCreator(t, { videos: [{ platforms: ['tiktok'] }] });
    key = creator.viewer.key;
    const video = creator.videos[0]!;
    const events: TestEvent[] = [];
    for (let k = 40; k >= 1; k--) {
      const views = k === 5 ? 1000 : k % 2 ? 90 : 110;
      events.push({
        video,
        platform: 'tiktok',
        delta: views,
        at: Date.parse(`${addDaysTo(today, -k)}T12:00:00Z`),
      });
    }
    await ingest(t, key, events);
  });

  it('flags the spike day against the 28 days before it', async () => {
    const data = await query(
      t,
      key,
      `{ insights(range: { preset: LAST_28_DAYS }) { anomalies(threshold: 3) { date views expected sd zScore changePct spike } } }`,
    );
    const history = Array.from({ length: 28 }, (_, i) => ((5 + 28 - i) % 2 ? 90 : 110));
    const { mean, sd } = summarize(history);
    expect(data.insights.anomalies).toEqual([
      {
        date: addDaysTo(today, -5),
        views: 1000,
        expected: Math.round(mean * 100) / 100,
        sd: Math.round(sd * 100) / 100,
        zScore: Math.round(((1000 - mean) / sd) * 1000) / 1000,
        changePct: Math.round(((1000 - mean) / mean) * 10000) / 100,
        spike: true,
      },
    ]);
  });

  it('forecasts views with an interval; followers need data', async () => {
    const data = await query(
      t,
      key,
      `{ insights(range: { preset: LAST_28_DAYS }) { forecast(days: 7) {
          horizonDays
          views { fittedFrom fittedTo model { alpha beta observations residualSd } points { date value lower upper } }
          followers { reason points { date } }
        } } }`,
    );
    const f = data.insights.forecast;
    expect(f.horizonDays).toBe(7);
    expect(f.views.fittedTo).toBe(addDaysTo(today, -1));
    expect(f.views.model.observations).toBe(27);
    expect(f.views.points.map((p: any) => p.date)).toEqual(
      Array.from({ length: 7 }, (_, i) => addDaysTo(today, i)),
    );
    for (const point of f.views.points) {
      expect(point.lower).toBeLessThanOrEqual(point.value);
      expect(point.upper).toBeGreaterThanOrEqual(point.value);
    }
    expect(f.followers.reason).toMatch(/.+/);
    expect(f.followers.points).toEqual([]);
    const bad = await errorOf(t, key, '{ insights { forecast(days: 0) { horizonDays } } }');
    expect(bad.code).toBe('BAD_USER_INPUT');
  });
});

describe("insights: Holt's method", () => {
  it('continues an exact line exactly, with a zero-width interval', () => {
    const values = Array.from({ length: 20 }, (_, i) => 10 + 5 * i);
    const fit = fitHolt(values)!;
    expect(fit.trend).toBeCloseTo(5, 9);
    expect(fit.level).toBeCloseTo(105, 9);
    expect(fit.residualSd).toBeCloseTo(0, 9);
    expect(holtForecast(fit, 3).map((p) => p.value)).toEqual(
      [110, 115, 120].map((v) => expect.closeTo(v, 9)),
    );
  });

  it('widens the 80 % interval with the horizon, from 1.2816 σ at one step', () => {
    const values = Array.from({ length: 60 }, (_, i) => 100 + i + (i % 3) * 7);
    const fit = fitHolt(values)!;
    const points = holtForecast(fit, 10, Number.NEGATIVE_INFINITY);
    expect(points[0]!.upper - points[0]!.value).toBeCloseTo(Z80 * fit.residualSd, 9);
    for (let h = 1; h < points.length; h++)
      expect(points[h]!.upper - points[h]!.value).toBeGreaterThan(
        points[h - 1]!.upper - points[h - 1]!.value,
      );
  });
});
