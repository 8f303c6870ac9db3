import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { queryRows } from '../../src/db/raw.js';
import { metricEnum } from '../../src/db/schema.js';

const METRICS = metricEnum.enumValues;

/**
 * The ledger check of RELIABILITY.md §E: every stored number must equal a recount of the event
 * log. Returns one line per mismatch; an empty list means the books balance.
 */
export async function ledgerMismatches(db: Db): Promise<string[]> {
  const recount = (table: string, keys: string, from: string) =>
    queryRows<Record<string, unknown>>(
      db,
      sql.raw(`
        with expected as (
          select ${keys}, ${METRICS.map((m) => `coalesce(sum(e.delta) filter (where e.metric = '${m}'), 0) as ${m}`).join(', ')}
          from metric_events e join publications p on p.id = e.publication_id ${from}
          group by ${keys}
        )
        select * from expected full join (select * from ${table}) actual using (${keys})
        where ${METRICS.map((m) => `coalesce(expected.${m}, 0) <> coalesce(actual.${m}, 0)`).join(' or ')}`),
    );
  const problems = [
    ...(await recount('publication_counters', 'publication_id', '')).map(
      (r) => `publication_counters ${JSON.stringify(r)}`,
    ),
    ...(await recount('video_counters', 'video_id', '')).map(
      (r) => `video_counters ${JSON.stringify(r)}`,
    ),
  ];
  const rollupTotals = await queryRows<Record<string, unknown>>(
    db,
    sql.raw(`
      select 'hourly' as which, (select coalesce(sum(views + likes + watch_seconds), 0) from publication_hourly_rollups) as total
      union all select 'daily', (select coalesce(sum(views + likes + watch_seconds), 0) from publication_daily_rollups)
      union all select 'owner_hourly', (select coalesce(sum(views + likes + watch_seconds), 0) from owner_hourly_rollups)
      union all select 'owner_daily', (select coalesce(sum(views + likes + watch_seconds), 0) from owner_daily_rollups)
      union all select 'events', (select coalesce(sum(delta) filter (where metric in ('views', 'likes', 'watch_seconds')), 0) from metric_events)`),
  );
  const expected = Number(rollupTotals.find((r) => r['which'] === 'events')!['total']);
  for (const row of rollupTotals) {
    if (Number(row['total']) !== expected)
      problems.push(`${row['which']} rollups sum ${row['total']} ≠ events ${expected}`);
  }
  return problems;
}
