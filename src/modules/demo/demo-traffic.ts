import { and, asc, desc, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import {
  publicationHourlyRollupTable,
  publicationTable,
  userTable,
  videoTable,
  type Platform,
} from '../../db/schema.js';
import { DAY_MS, floorHour, HOUR_MS, localParts } from '../../lib/time-zone.js';
import { DIURNAL } from './history-model.js';
import type { IngestEvent } from '../ingest/apply-batch.js';
import type { IngestWriter } from '../ingest/writer.js';

/** The newest demo video gains at least one view this often, so live views always move. */
export const DEMO_TRAFFIC_FLOOR_MS = 2_000;
/** Hours of history a publication's current rate is measured over. */
const RATE_WINDOW_HOURS = 24;
const DIURNAL_MEAN = DIURNAL.reduce((sum, weight) => sum + weight, 0) / DIURNAL.length;

/** One publication the simulator moves, at the rate its history shows. */
export interface DemoTrafficTarget {
  publicationId: string;
  videoId: string;
  channelId: string;
  platform: Platform;
  /** Views per day with the diurnal shape taken out (the mean hour's rate × 24). */
  viewsPerDay: number;
  /** Likes per view in the same history. */
  likesPerView: number;
}

export interface DemoTrafficPlan {
  ownerId: string;
  timeZone: string;
  targets: DemoTrafficTarget[];
  /** The newest published video: it gets the floor. */
  newestVideoId: string | null;
}

/**
 * Measures each publication's current rate from its last day of hourly rollups (seeded history,
 * or earlier demo traffic after a restart — the same rates, so restarts don't drift): views
 * divided by the diurnal weight of the hours it was live, so a video published at night is not
 * mistaken for a slow one.
 */
export async function planDemoTraffic(
  db: Db,
  ownerId: string,
  now = Date.now(),
): Promise<DemoTrafficPlan | null> {
  const [owner] = await db
    .select({ timeZone: userTable.timezone })
    .from(userTable)
    .where(eq(userTable.id, ownerId));
  if (!owner) return null;
  const publications = await db
    .select({
      publicationId: publicationTable.id,
      videoId: publicationTable.videoId,
      channelId: publicationTable.channelId,
      platform: publicationTable.platform,
      publishedAt: publicationTable.publishedAt,
    })
    .from(publicationTable)
    .innerJoin(videoTable, eq(videoTable.id, publicationTable.videoId))
    .where(and(eq(publicationTable.ownerId, ownerId), isNotNull(videoTable.publishedAt)))
    .orderBy(desc(videoTable.publishedAt), desc(videoTable.id), asc(publicationTable.platform));
  // The last complete hours with data: the current hour may be partly written by a previous run.
  const [latest] = await db
    .select({
      hour: sql<
        number | null
      >`(extract(epoch from max(${publicationHourlyRollupTable.hour})) * 1000)::float8`,
    })
    .from(publicationHourlyRollupTable)
    .where(eq(publicationHourlyRollupTable.ownerId, ownerId));
  const latestHour = latest?.hour == null ? null : Number(latest.hour);
  const windowEnd = Math.min(latestHour ?? 0, floorHour(now) - HOUR_MS) + HOUR_MS;
  const windowStart = windowEnd - RATE_WINDOW_HOURS * HOUR_MS;
  const rows =
    latestHour === null
      ? []
      : await db
          .select({
            publicationId: publicationHourlyRollupTable.publicationId,
            views: publicationHourlyRollupTable.views,
            likes: publicationHourlyRollupTable.likes,
          })
          .from(publicationHourlyRollupTable)
          .where(
            and(
              eq(publicationHourlyRollupTable.ownerId, ownerId),
              gte(publicationHourlyRollupTable.hour, new Date(windowStart)),
              lt(publicationHourlyRollupTable.hour, new Date(windowEnd)),
            ),
          );
  const seen = new Map<string, { views: number; likes: number }>();
  for (const row of rows) {
    const sum = seen.get(row.publicationId) ?? { views: 0, likes: 0 };
    sum.views += Number(row.views);
    sum.likes += Number(row.likes);
    seen.set(row.publicationId, sum);
  }
  const weights = Array.from({ length: RATE_WINDOW_HOURS }, (_, i) => {
    const hour = windowStart + i * HOUR_MS;
    return { hour, weight: diurnalWeight(localParts(hour, owner.timeZone).hour) };
  });
  const targets = publications.flatMap((p): DemoTrafficTarget[] => {
    const sum = seen.get(p.publicationId);
    if (!sum || sum.views <= 0) return [];
    // The history's first hour is the one after publication.
    const firstHour = floorHour(p.publishedAt.getTime()) + HOUR_MS;
    const liveDays = weights
      .filter(({ hour }) => hour >= firstHour)
      .reduce((days, { weight }) => days + weight / 24, 0);
    const { publishedAt: _, ...target } = p;
    return [
      {
        ...target,
        viewsPerDay: sum.views / Math.max(liveDays, 1 / 24),
        likesPerView: sum.likes / sum.views,
      },
    ];
  });
  return {
    ownerId,
    timeZone: owner.timeZone,
    targets,
    newestVideoId: publications[0]?.videoId ?? null,
  };
}

const diurnalWeight = (localHour: number) => DIURNAL[localHour]! / DIURNAL_MEAN;

/**
 * The per-tick step: each publication accrues its rate × the hour's diurnal weight × elapsed time
 * (with noise drawn per hour, like the seeded hours), and emits whole views once accrued; the
 * newest video's first publication never falls below one view per `floorMs`.
 */
export function demoTrafficTicker(
  plan: DemoTrafficPlan,
  options: { floorMs?: number; random?: () => number } = {},
) {
  const floorMs = options.floorMs ?? DEMO_TRAFFIC_FLOOR_MS;
  const random = options.random ?? Math.random;
  const floorPublication = plan.targets.find((t) => t.videoId === plan.newestVideoId);
  const views = plan.targets.map(() => 0);
  const likes = plan.targets.map(() => 0);
  let noise = plan.targets.map(() => 1);
  let hour = Number.NaN;
  let weight = 1;
  let tick = 0;
  return (now: number, elapsedMs: number): IngestEvent[] => {
    tick += 1;
    if (floorHour(now) !== hour) {
      hour = floorHour(now);
      weight = diurnalWeight(localParts(now, plan.timeZone).hour);
      noise = plan.targets.map(() => 0.7 + 0.6 * random());
    }
    const occurredAt = new Date(now);
    const events: IngestEvent[] = [];
    plan.targets.forEach((target, index) => {
      let expected = (target.viewsPerDay * weight * noise[index]! * elapsedMs) / DAY_MS;
      if (target === floorPublication) expected = Math.max(expected, elapsedMs / floorMs);
      views[index]! += expected;
      const viewDelta = Math.floor(views[index]!);
      if (viewDelta < 1) return;
      views[index]! -= viewDelta;
      likes[index]! += viewDelta * target.likesPerView * (0.8 + 0.4 * random());
      const likeDelta = Math.floor(likes[index]!);
      likes[index]! -= likeDelta;
      const { viewsPerDay: _, likesPerView: __, ...publication } = target;
      const base = { ownerId: plan.ownerId, ...publication, total: null, occurredAt };
      const id = `demo-traffic-${now}-${tick}-${index}`;
      events.push({ ...base, eventId: `${id}-v`, metric: 'views', delta: viewDelta });
      if (likeDelta > 0)
        events.push({ ...base, eventId: `${id}-l`, metric: 'likes', delta: likeDelta });
    });
    return events;
  };
}

/**
 * Demo mode only: keeps the demo creator's videos gaining views and likes through the normal
 * ingest path at the rates their seeded history shows (diurnal shape included), so dashboards
 * and percentages look like a real account all day, and live subscriptions on the newest video
 * move every few seconds.
 */
export async function startDemoTraffic(options: {
  db: Db;
  ingest: Pick<IngestWriter, 'submit'>;
  logger: Logger;
  ownerId: string;
  intervalMs: number;
  signal: AbortSignal;
  floorMs?: number;
}): Promise<void> {
  const { db, ingest, logger, ownerId, signal } = options;
  const plan = await planDemoTraffic(db, ownerId);
  if (!plan || plan.targets.length === 0) return;
  const step = demoTrafficTicker(plan, options.floorMs ? { floorMs: options.floorMs } : {});
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const events = step(now, Math.max(0, now - last));
    last = now;
    if (events.length === 0) return;
    ingest
      .submit(events)
      .catch((error: unknown) => logger.warn({ err: error }, 'demo traffic batch refused'));
  }, options.intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
