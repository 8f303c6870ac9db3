import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import { METRIC_KEYS, type MetricKey, type MetricValues, type Platform } from '../../db/schema.js';
import { isTimeZone, localDate } from '../../lib/time-zone.js';
import { addMetrics, METRIC_COLUMNS, metricColumn, zeroMetrics } from '../common/metric-keys.js';

/** An event whose target publication is resolved and authorized, ready to be written. */
export interface IngestEvent {
  ownerId: string;
  eventId: string;
  publicationId: string;
  videoId: string;
  channelId: string;
  platform: Platform;
  metric: MetricKey;
  /** An increment; exactly one of delta and total is set. */
  delta: number | null;
  /** A cumulative snapshot from a platform poll. */
  total: number | null;
  occurredAt: Date;
}

export type IngestOutcome = 'accepted' | 'duplicate';

export interface BatchResult {
  outcomes: IngestOutcome[];
  /** Per video: what the batch added and the totals after it, for the live fan-out. */
  videos: { videoId: string; ownerId: string; totals: MetricValues; deltas: MetricValues }[];
}

const list = (parts: readonly string[]) => sql.raw(parts.join(', '));
const eventKey = (e: { ownerId: string; eventId: string }) => `${e.ownerId}\u0000${e.eventId}`;
const HOUR_MS = 3_600_000;

/** A JSON array parameter read back as rows: one round trip per statement on both drivers. */
const recordset = (rows: object[], columns: string) =>
  sql`json_to_recordset(${JSON.stringify(rows)}::json) as x(${sql.raw(columns)})`;

type Column = { name: string; type: string };
type FoldedRow = { key: Record<string, string>; metrics: MetricValues };

const QUARTER_HOUR_MS = 900_000;
const localDays = new Map<string, string>();

/**
 * The owner's local calendar date of an instant. Every zone offset and transition is a multiple
 * of 15 minutes, so the date is constant within a quarter hour and cached per zone and quarter.
 */
function localDayOf(at: number, timeZone: string): string {
  const key = `${timeZone}|${Math.floor(at / QUARTER_HOUR_MS)}`;
  let day = localDays.get(key);
  if (day === undefined) {
    if (localDays.size > 100_000) localDays.clear();
    day = localDate(at, isTimeZone(timeZone) ? timeZone : 'UTC');
    localDays.set(key, day);
  }
  return day;
}

/** UTC hour for the hourly rollups; the owner's local day for the daily ones. */
const bucketOf = (at: number, timeZone: string) => ({
  hour: new Date(Math.floor(at / HOUR_MS) * HOUR_MS).toISOString(),
  day: localDayOf(at, timeZone),
});

function addInto(
  target: Map<string, FoldedRow>,
  id: string,
  key: () => Record<string, string>,
  metrics: MetricValues,
) {
  let entry = target.get(id);
  if (!entry) {
    entry = { key: key(), metrics: zeroMetrics() };
    target.set(id, entry);
  }
  addMetrics(entry.metrics, metrics);
}

/**
 * Upserts folded rows, adding to what is there: `x = x + excluded.x`, one statement per table,
 * rows in key order so concurrent writers lock in the same order.
 */
async function addToRollup(
  tx: Tx,
  table: string,
  primaryKey: Column[],
  dimensions: Column[],
  rows: FoldedRow[],
) {
  if (rows.length === 0) return;
  const keyColumns = [...primaryKey, ...dimensions];
  const keyNames = keyColumns.map((k) => k.name);
  const conflict = primaryKey.map((k) => k.name);
  const payload = rows.map((row) => ({
    ...row.key,
    ...Object.fromEntries(METRIC_KEYS.map((m) => [metricColumn(m), row.metrics[m]])),
  }));
  const types = [
    ...keyColumns.map((k) => `${k.name} ${k.type}`),
    ...METRIC_COLUMNS.map((c) => `${c} bigint`),
  ].join(', ');
  await tx.execute(sql`
    insert into ${sql.raw(table)} (${list([...keyNames, ...METRIC_COLUMNS])})
    select ${list([...keyNames, ...METRIC_COLUMNS])} from ${recordset(payload, types)}
    order by ${list(conflict)}
    on conflict (${list(conflict)}) do update set
    ${list(METRIC_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`))}
  `);
}

/**
 * Writes one batch in one transaction: the event log (deduplicated by id), per-publication
 * counters, per-video totals and the four rollups (hourly: UTC hours; daily: the owner's
 * local days in their account time zone). All arithmetic on stored values happens in
 * SQL on locked rows; JavaScript only folds the batch's own numbers.
 */
export async function applyBatch(db: Db, events: IngestEvent[]): Promise<BatchResult> {
  // Repeats of an id within the batch: the first one counts, later ones are duplicates.
  const firstIndex = new Map<string, number>();
  events.forEach((event, index) => {
    if (!firstIndex.has(eventKey(event))) firstIndex.set(eventKey(event), index);
  });
  const unique = [...firstIndex.values()].map((index) => events[index]!);

  return db.transaction(async (tx) => {
    const inserted = await queryRows<{ owner_id: string; event_id: string }>(
      tx,
      sql`
        insert into metric_events (owner_id, event_id, publication_id, metric, delta, total, occurred_at)
        select owner_id, event_id, publication_id, metric::metric, coalesce(delta, 0), total, occurred_at
        from ${recordset(
          unique.map((e) => ({
            owner_id: e.ownerId,
            event_id: e.eventId,
            publication_id: e.publicationId,
            metric: metricColumn(e.metric),
            delta: e.delta,
            total: e.total,
            occurred_at: e.occurredAt.toISOString(),
          })),
          'owner_id uuid, event_id text, publication_id uuid, metric text, delta bigint, total bigint, occurred_at timestamptz',
        )}
        order by owner_id, event_id
        on conflict (owner_id, event_id) do nothing
        returning owner_id, event_id`,
    );
    const insertedKeys = new Set(
      inserted.map((row) => eventKey({ ownerId: row.owner_id, eventId: row.event_id })),
    );
    const outcomes: IngestOutcome[] = events.map((event, index) =>
      firstIndex.get(eventKey(event)) === index && insertedKeys.has(eventKey(event))
        ? 'accepted'
        : 'duplicate',
    );
    const accepted = unique.filter((event) => insertedKeys.has(eventKey(event)));
    if (accepted.length === 0) return { outcomes, videos: [] };

    // Fold per publication: the sum of increments, and the highest snapshot with its event.
    const perPublication = new Map<
      string,
      {
        event: IngestEvent;
        deltas: MetricValues;
        snapshots: Partial<Record<MetricKey, IngestEvent>>;
      }
    >();
    for (const event of accepted) {
      let entry = perPublication.get(event.publicationId);
      if (!entry) {
        entry = { event, deltas: zeroMetrics(), snapshots: {} };
        perPublication.set(event.publicationId, entry);
      }
      if (event.total === null) entry.deltas[event.metric] += event.delta ?? 0;
      else if ((entry.snapshots[event.metric]?.total ?? -1) < event.total)
        entry.snapshots[event.metric] = event;
    }
    const publications = [...perPublication.entries()].sort(([a], [b]) => a.localeCompare(b));

    await tx.execute(sql`
      insert into publication_counters (publication_id)
      select publication_id from ${recordset(
        publications.map(([id]) => ({ publication_id: id })),
        'publication_id uuid',
      )}
      order by publication_id
      on conflict (publication_id) do nothing`);

    // A snapshot can only raise a counter (to its total); increments are added first.
    const counterInput = publications.map(([id, entry]) => ({
      publication_id: id,
      ...Object.fromEntries(METRIC_KEYS.map((m) => [`d_${metricColumn(m)}`, entry.deltas[m]])),
      ...Object.fromEntries(
        METRIC_KEYS.map((m) => [`s_${metricColumn(m)}`, entry.snapshots[m]?.total ?? null]),
      ),
    }));
    const changed = await queryRows<Record<string, string | number>>(
      tx,
      sql`
        with input as (
          select * from ${recordset(counterInput, ['publication_id uuid', ...METRIC_COLUMNS.flatMap((c) => [`d_${c} bigint`, `s_${c} bigint`])].join(', '))}
        ), old as (
          select c.* from publication_counters c join input using (publication_id)
          order by c.publication_id for update of c
        )
        update publication_counters c set
          ${list(METRIC_COLUMNS.map((col) => `${col} = greatest(c.${col} + input.d_${col}, coalesce(input.s_${col}, 0))`))},
          updated_at = now()
        from input join old using (publication_id)
        where c.publication_id = input.publication_id
        returning c.publication_id, ${list(METRIC_COLUMNS.flatMap((col) => [`old.${col} as old_${col}`, `c.${col} as new_${col}`]))}`,
    );

    const hourly = new Map<string, FoldedRow>();
    const daily = new Map<string, FoldedRow>();
    const ownerHourly = new Map<string, FoldedRow>();
    const ownerDaily = new Map<string, FoldedRow>();
    const perVideo = new Map<string, { ownerId: string; deltas: MetricValues }>();
    const snapshotDeltas: { owner_id: string; event_id: string; delta: number }[] = [];

    // Daily rows are keyed by the owner's local day, so dashboards in the account's zone read
    // exact days (DST and half-hour offsets included) straight from them.
    const owners = [...new Set(accepted.map((event) => event.ownerId))];
    const zones = new Map(
      (
        await queryRows<{ id: string; timezone: string }>(
          tx,
          sql`select id::text as id, timezone from users where id in (${sql.join(
            owners.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        )
      ).map((row) => [row.id, row.timezone]),
    );

    // Fold per publication and quarter hour first: hour and local day are the same for every
    // event of such a group, so the rollup keys are built per group rather than per event.
    const groups = new Map<string, { event: IngestEvent; at: number; metrics: MetricValues }>();
    const credit = (event: IngestEvent, metric: MetricKey, amount: number) => {
      if (amount === 0) return;
      const quarter = Math.floor(event.occurredAt.getTime() / QUARTER_HOUR_MS);
      const id = `${event.publicationId}|${quarter}`;
      let group = groups.get(id);
      if (!group) {
        group = { event, at: quarter * QUARTER_HOUR_MS, metrics: zeroMetrics() };
        groups.set(id, group);
      }
      group.metrics[metric] += amount;
    };

    for (const event of accepted)
      if (event.total === null) credit(event, event.metric, event.delta ?? 0);
    for (const row of changed) {
      const entry = perPublication.get(String(row['publication_id']))!;
      for (const metric of METRIC_KEYS) {
        const snapshot = entry.snapshots[metric];
        if (!snapshot) continue;
        const applied =
          Number(row[`new_${metricColumn(metric)}`]) - Number(row[`old_${metricColumn(metric)}`]);
        const derived = applied - entry.deltas[metric];
        if (derived > 0) {
          snapshotDeltas.push({
            owner_id: snapshot.ownerId,
            event_id: snapshot.eventId,
            delta: derived,
          });
          credit(snapshot, metric, derived);
        }
      }
    }

    for (const { event, at, metrics } of groups.values()) {
      const { hour, day } = bucketOf(at, zones.get(event.ownerId) ?? 'UTC');
      const dims = () => ({
        owner_id: event.ownerId,
        video_id: event.videoId,
        channel_id: event.channelId,
        platform: event.platform,
      });
      const owner = `${event.ownerId}|${event.platform}`;
      addInto(
        hourly,
        `${event.publicationId}|${hour}`,
        () => ({ publication_id: event.publicationId, hour, ...dims() }),
        metrics,
      );
      addInto(
        daily,
        `${event.publicationId}|${day}`,
        () => ({ publication_id: event.publicationId, day, ...dims() }),
        metrics,
      );
      addInto(
        ownerHourly,
        `${owner}|${hour}`,
        () => ({ owner_id: event.ownerId, platform: event.platform, hour }),
        metrics,
      );
      addInto(
        ownerDaily,
        `${owner}|${day}`,
        () => ({ owner_id: event.ownerId, platform: event.platform, day }),
        metrics,
      );
      let video = perVideo.get(event.videoId);
      if (!video) {
        video = { ownerId: event.ownerId, deltas: zeroMetrics() };
        perVideo.set(event.videoId, video);
      }
      addMetrics(video.deltas, metrics);
    }

    if (snapshotDeltas.length > 0) {
      await tx.execute(sql`
        update metric_events e set delta = x.delta
        from ${recordset(snapshotDeltas, 'owner_id uuid, event_id text, delta bigint')}
        where e.owner_id = x.owner_id and e.event_id = x.event_id`);
    }

    const uuid = (name: string) => ({ name, type: 'uuid' });
    const platform = { name: 'platform', type: 'platform' };
    const hour = { name: 'hour', type: 'timestamptz' };
    const day = { name: 'day', type: 'date' };
    const publicationDims = [uuid('owner_id'), uuid('video_id'), uuid('channel_id'), platform];
    const sorted = (map: Map<string, FoldedRow>) =>
      [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, value]) => value);
    await addToRollup(
      tx,
      'publication_hourly_rollups',
      [uuid('publication_id'), hour],
      publicationDims,
      sorted(hourly),
    );
    await addToRollup(
      tx,
      'publication_daily_rollups',
      [uuid('publication_id'), day],
      publicationDims,
      sorted(daily),
    );
    await addToRollup(
      tx,
      'owner_hourly_rollups',
      [uuid('owner_id'), platform, hour],
      [],
      sorted(ownerHourly),
    );
    await addToRollup(
      tx,
      'owner_daily_rollups',
      [uuid('owner_id'), platform, day],
      [],
      sorted(ownerDaily),
    );

    const videoRows = [...perVideo.entries()].sort(([a], [b]) => a.localeCompare(b));
    if (videoRows.length === 0) return { outcomes, videos: [] };
    const totals = await queryRows<Record<string, string | number>>(
      tx,
      sql`
        insert into video_counters (video_id, owner_id, ${list(METRIC_COLUMNS)})
        select video_id, owner_id, ${list(METRIC_COLUMNS)}
        from ${recordset(
          videoRows.map(([videoId, v]) => ({
            video_id: videoId,
            owner_id: v.ownerId,
            ...Object.fromEntries(METRIC_KEYS.map((m) => [metricColumn(m), v.deltas[m]])),
          })),
          ['video_id uuid', 'owner_id uuid', ...METRIC_COLUMNS.map((c) => `${c} bigint`)].join(
            ', ',
          ),
        )}
        order by video_id
        on conflict (video_id) do update set
          ${list(METRIC_COLUMNS.map((c) => `${c} = video_counters.${c} + excluded.${c}`))},
          updated_at = now()
        returning video_id, owner_id, ${list(METRIC_COLUMNS)}`,
    );
    return {
      outcomes,
      videos: totals.map((row) => {
        const videoId = String(row['video_id']);
        return {
          videoId,
          ownerId: String(row['owner_id']),
          totals: Object.fromEntries(
            METRIC_KEYS.map((m) => [m, Number(row[metricColumn(m)])]),
          ) as MetricValues,
          deltas: perVideo.get(videoId)!.deltas,
        };
      }),
    };
  });
}
