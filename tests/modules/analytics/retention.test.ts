import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../src/db/raw.js';
import { ConfigError, loadConfig } from '../../../src/env.js';
import { pruneExpired, startRetention } from '../../../src/modules/analytics/storage/retention.js';
import {
  createCreator,
  DAY,
  ingest,
  query,
  startAnalyticsApp,
  type FixtureVideo,
} from '../../helpers/analytics.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';

let t: TestApp;
let viewer: TestViewer;
let video: FixtureVideo;
const now = Date.now();

const counts = async () => {
  const [row] = await queryRows<Record<string, number>>(
    t.database.db,
    sql`select (select count(*)::int from metric_events) as events,
          (select count(*)::int from publication_hourly_rollups) as hourly,
          (select count(*)::int from owner_hourly_rollups) as owner_hourly,
          (select count(*)::int from publication_daily_rollups) as daily,
          (select coalesce(sum(views), 0)::float8 from publication_counters) as counted`,
  );
  return row!;
};

const TOTAL = graphql(`
  query RetentionTotal {
    analytics(range: { preset: ALL_TIME }) {
      totals {
        views {
          value
        }
      }
    }
  }
`);

beforeAll(async () => {
  t = await startAnalyticsApp();
  const creator = await createCreator(t, { videos: [{ platforms: ['youtube', 'tiktok'] }] });
  viewer = creator.viewer;
  video = creator.videos[0]!;
  // 30 events between 12 and 592 days old, one every 20 days, alternating platforms.
  await ingest(
    t,
    viewer.key,
    Array.from({ length: 30 }, (_, i) => ({
      video,
      platform: i % 2 ? 'tiktok' : 'youtube',
      delta: i + 1,
      at: now - (12 + 20 * i) * DAY,
    })),
  );
});
afterAll(() => t.close());

describe('retention', () => {
  it('prunes raw events past 90 days and hourly rollups past 395, in batches; daily rows and totals stay', async () => {
    const before = await counts();
    const totalBefore = (await query(t, viewer.key, TOTAL)).analytics.totals.views.value;
    const result = await pruneExpired(
      t.database.db,
      { rawEventsDays: 90, hourlyDays: 395, batchRows: 4 },
      now,
    );
    // Events at 12, 32, 52 and 72 days stay; 26 are older than 90 days.
    expect(result.metricEvents).toBe(26);
    // Older than 395 days: those at 412, 432, … 592 (10 events, each one row per table).
    expect(result.publicationHourly).toBe(10);
    expect(result.ownerHourly).toBe(10);
    const after = await counts();
    expect(after).toMatchObject({
      events: 4,
      hourly: before['hourly']! - 10,
      owner_hourly: before['owner_hourly']! - 10,
      daily: before['daily'],
      counted: before['counted'],
    });
    expect((await query(t, viewer.key, TOTAL)).analytics.totals.views.value).toBe(totalBefore);
    // A second run finds nothing.
    expect(
      await pruneExpired(t.database.db, { rawEventsDays: 90, hourlyDays: 395, batchRows: 4 }, now),
    ).toEqual({ metricEvents: 0, publicationHourly: 0, ownerHourly: 0 });
  });

  it('runs periodically until stopped', async () => {
    await ingest(t, viewer.key, [{ video, platform: 'youtube', delta: 1, at: now - 200 * DAY }]);
    const stop = new AbortController();
    const job = startRetention({
      db: t.database.db,
      logger: pino({ level: 'silent' }),
      settings: { rawEventsDays: 90, hourlyDays: 395, batchRows: 100 },
      intervalMs: 20,
      signal: stop.signal,
    });
    await expect.poll(async () => (await counts())['events'], { timeout: 10_000 }).toBe(4);
    stop.abort();
    await job.idle();
  });
});

describe('the dedup window and the raw retention', () => {
  it('a pruned event id is a new event again: which is why old events must be refused first', async () => {
    // This app accepts events up to 799 days old (tests only); pruning at 90 days then lets the
    // same id in again. With the defaults (30 < 90) the same event is refused as too old.
    const event = { video, platform: 'youtube' as const, delta: 5, at: now - 100 * DAY };
    const id = 'replayed-event';
    const send = () =>
      t.app.fetch('http://pulse.test/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.key}` },
        body: JSON.stringify([
          {
            id,
            video: event.video.globalId,
            platform: 'YOUTUBE',
            metric: 'VIEWS',
            delta: event.delta,
            occurredAt: new Date(event.at).toISOString(),
          },
        ]),
      });
    expect(await (await send()).json()).toMatchObject({ accepted: 1 });
    expect(await (await send()).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    await pruneExpired(t.database.db, { rawEventsDays: 90, hourlyDays: 395, batchRows: 100 }, now);
    expect(await (await send()).json()).toMatchObject({ accepted: 1 });
  });

  it('the configuration refuses INGEST_MAX_EVENT_AGE_DAYS ≥ RETENTION_RAW_EVENTS_DAYS', () => {
    expect(() =>
      loadConfig({ INGEST_MAX_EVENT_AGE_DAYS: '90', RETENTION_RAW_EVENTS_DAYS: '90' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ RETENTION_RAW_EVENTS_DAYS: '20' })).toThrow(ConfigError);
    expect(loadConfig({}).retention).toEqual({
      rawEventsDays: 90,
      hourlyDays: 395,
      intervalMs: 3_600_000,
      batchRows: 5000,
    });
  });
});
