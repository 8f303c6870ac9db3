import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/client.js';
import { migrate } from '../../../src/db/migrate.js';
import { queryRows } from '../../../src/db/raw.js';
import type { User } from '../../../src/db/schema.js';
import { loadConfig } from '../../../src/env.js';
import type { IngestEvent } from '../../../src/modules/ingest/apply-batch.js';
import { startDemoTraffic } from '../../../src/modules/demo/demo-traffic.js';
import { IngestWriter } from '../../../src/modules/ingest/writer.js';
import { createPulsePubSub } from '../../../src/lib/pubsub.js';
import { localParts } from '../../../src/lib/time-zone.js';
import { seedDemoData } from '../../../src/modules/demo/demo.service.js';
import { newestDemoVideo } from '../../../src/modules/demo/demo-video.js';
import { createTestDatabaseUrl } from '../../helpers/test-app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A fixed seeding instant, so the seeded account (and its newest video) is the same every run.
const SEEDED_AT = Date.parse('2026-12-02T09:20:00Z');
const logger = pino({ level: 'silent' });

let database: Database;
let drop: () => Promise<void>;
let user: User;
let newestVideoId: string;
/** Each video's seeded views per day: its last 24 seeded hours (scaled up if it is younger). */
const seededPerDay = new Map<string, number>();
let seededBestDay = 0;

beforeAll(async () => {
  const target = await createTestDatabaseUrl();
  drop = target.drop;
  const config = loadConfig({ DATABASE_URL: target.url, NODE_ENV: 'test' });
  database = await openDatabase(config.database);
  await migrate(database, config.database);
  user = await seedDemoData(database.db, new Date(SEEDED_AT));
  newestVideoId = (await newestDemoVideo(database.db))!.id;
  const rows = await queryRows<{ video_id: string; views: number; hours: number }>(
    database.db,
    sql`select video_id, sum(views)::float8 as views, count(distinct hour)::int as hours
        from publication_hourly_rollups
        where owner_id = ${user.id} and hour >= ${new Date(SEEDED_AT - DAY).toISOString()}::timestamptz
        group by video_id`,
  );
  for (const row of rows)
    seededPerDay.set(row.video_id, Math.max(row.views, (row.views / Math.max(row.hours, 1)) * 24));
  const [best] = await queryRows<{ views: number }>(
    database.db,
    sql`select max(v)::float8 as views from (select sum(views) as v from owner_daily_rollups where owner_id = ${user.id} group by day) d`,
  );
  seededBestDay = best!.views;
}, 180_000);

afterAll(async () => {
  await database?.close();
  await drop?.();
});

describe('demo traffic', () => {
  it('keeps a simulated day at the seeded rates, with their diurnal shape, and the newest video moving', async () => {
    const events: IngestEvent[] = [];
    const ingest = {
      submit: async (batch: IngestEvent[]) => {
        events.push(...batch);
        return batch.map(() => 'accepted' as const);
      },
    };
    const controller = new AbortController();
    vi.useFakeTimers({ now: SEEDED_AT, toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      await startDemoTraffic({
        db: database.db,
        ingest: ingest as unknown as IngestWriter,
        logger,
        ownerId: user.id,
        intervalMs: 1000,
        signal: controller.signal,
      });
      vi.advanceTimersByTime(DAY);
    } finally {
      controller.abort();
      vi.useRealTimers();
    }

    const views = events.filter((e) => e.metric === 'views');
    const perVideo = new Map<string, number>();
    const perLocalHour = Array.from({ length: 24 }, () => 0);
    const newestTicks = new Set<number>();
    for (const event of views) {
      perVideo.set(event.videoId, (perVideo.get(event.videoId) ?? 0) + event.delta!);
      perLocalHour[localParts(event.occurredAt.getTime(), user.timezone).hour]! += event.delta!;
      if (event.videoId === newestVideoId) newestTicks.add(event.occurredAt.getTime());
    }
    const total = [...perVideo.values()].reduce((a, b) => a + b, 0);

    // The account's simulated day looks like one of its seeded days, not a multiple of its best.
    expect(total).toBeGreaterThan(0.5 * seededBestDay);
    expect(total).toBeLessThanOrEqual(1.5 * seededBestDay);

    // Every video stays near its own seeded rate; the newest one may be lifted to the floor.
    const floorPerDay = DAY / 2_000;
    for (const [videoId, simulated] of perVideo) {
      const seeded = seededPerDay.get(videoId) ?? 0;
      const allowed = 2 * (videoId === newestVideoId ? Math.max(seeded, floorPerDay) : seeded);
      expect({ videoId, simulated }).toEqual({
        videoId,
        simulated: expect.toSatisfy((n: number) => n <= allowed),
      });
    }

    // Diurnal: the seeded evening peak (local 18–21 h) carries far more than the night (2–5 h).
    const peak = perLocalHour.slice(18, 22).reduce((a, b) => a + b, 0);
    const trough = perLocalHour.slice(2, 6).reduce((a, b) => a + b, 0);
    expect(peak).toBeGreaterThan(3 * trough);
    expect(trough).toBeGreaterThan(0);

    // The newest video gains views in every 2-second window of the day.
    for (let at = SEEDED_AT + 1000; at + 1000 <= SEEDED_AT + DAY; at += 2000)
      expect(newestTicks.has(at) || newestTicks.has(at + 1000)).toBe(true);
  }, 120_000);

  it('writes through the ingest writer, so counters match the event log', async () => {
    const writer = new IngestWriter(database.db, createPulsePubSub(), logger, {
      maxBatchEvents: 500,
      flushIntervalMs: 5,
      maxQueuedEvents: 10_000,
      concurrency: 1,
    });
    const counter = async () => {
      const [row] = await queryRows<{ views: number }>(
        database.db,
        sql`select views::float8 as views from video_counters where video_id = ${newestVideoId}`,
      );
      return row?.views ?? 0;
    };
    const before = await counter();
    const controller = new AbortController();
    await startDemoTraffic({
      db: database.db,
      ingest: writer,
      logger,
      ownerId: user.id,
      intervalMs: 20,
      floorMs: 100,
      signal: controller.signal,
    });
    await expect.poll(counter, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 3);
    controller.abort();
    await writer.stop();

    const [logged] = await queryRows<{ views: number }>(
      database.db,
      sql`select coalesce(sum(e.delta), 0)::float8 as views from metric_events e
          join publications p on p.id = e.publication_id
          where p.video_id = ${newestVideoId} and e.metric = 'views' and e.event_id like 'demo-traffic-%'`,
    );
    expect(logged!.views).toBeGreaterThanOrEqual(3);
    expect(await counter()).toBe(before + logged!.views);
  }, 60_000);
});
