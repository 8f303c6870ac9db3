import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { queryRows } from '../../../db/raw.js';

const DAY_MS = 86_400_000;

export interface RetentionSettings {
  rawEventsDays: number;
  hourlyDays: number;
  batchRows: number;
}

export interface RetentionResult {
  metricEvents: number;
  publicationHourly: number;
  ownerHourly: number;
}

/**
 * Deletes rows older than their layer's retention, `batchRows` at a time, each batch its own
 * short statement (PGlite is one connection; long deletes would stall ingestion). Daily rollups,
 * counters and audience are kept forever. Pruned event ids no longer deduplicate: the ingest
 * path refuses events older than INGEST_MAX_EVENT_AGE_DAYS, which the configuration keeps below
 * RETENTION_RAW_EVENTS_DAYS, so a retried event is refused before its id could count twice.
 */
export async function pruneExpired(
  db: Db,
  settings: RetentionSettings,
  now = Date.now(),
  signal?: AbortSignal,
): Promise<RetentionResult> {
  const rawCutoff = new Date(now - settings.rawEventsDays * DAY_MS).toISOString();
  const hourlyCutoff = new Date(now - settings.hourlyDays * DAY_MS).toISOString();
  const drain = async (statement: () => ReturnType<typeof sql>) => {
    let total = 0;
    for (;;) {
      if (signal?.aborted) return total;
      const rows = await queryRows<{ n: number }>(db, statement());
      const deleted = Number(rows[0]?.n ?? 0);
      total += deleted;
      if (deleted < settings.batchRows) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const limit = settings.batchRows;
  return {
    metricEvents: await drain(
      () => sql`with gone as (
        delete from metric_events where (owner_id, event_id) in (
          select owner_id, event_id from metric_events
          where occurred_at < ${rawCutoff}::timestamptz limit ${limit})
        returning 1) select count(*)::int as n from gone`,
    ),
    publicationHourly: await drain(
      () => sql`with gone as (
        delete from publication_hourly_rollups where (publication_id, hour) in (
          select publication_id, hour from publication_hourly_rollups
          where hour < ${hourlyCutoff}::timestamptz limit ${limit})
        returning 1) select count(*)::int as n from gone`,
    ),
    ownerHourly: await drain(
      () => sql`with gone as (
        delete from owner_hourly_rollups where (owner_id, platform, hour) in (
          select owner_id, platform, hour from owner_hourly_rollups
          where hour < ${hourlyCutoff}::timestamptz limit ${limit})
        returning 1) select count(*)::int as n from gone`,
    ),
  };
}

/**
 * Runs pruneExpired every `intervalMs` (first run one interval after start) until the signal
 * aborts; `idle()` resolves when no run is in progress. Safe on several instances at once:
 * deletes of the same rows simply find less.
 */
export function startRetention(options: {
  db: Db;
  logger: Logger;
  settings: RetentionSettings;
  intervalMs: number;
  signal: AbortSignal;
}): { idle: () => Promise<void> } {
  const { db, logger, settings, intervalMs, signal } = options;
  let running: Promise<void> | undefined;
  if (intervalMs > 0) {
    const timer = setInterval(() => {
      running ??= pruneExpired(db, settings, Date.now(), signal)
        .then((result) => {
          if (result.metricEvents + result.publicationHourly + result.ownerHourly > 0)
            logger.info({ ...result }, 'retention: pruned expired rows');
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'retention run failed'))
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    timer.unref();
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }
  return { idle: async () => void (await running) };
}
