import { Agent, request } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { queryRows } from '../src/db/raw.js';
import { ledgerMismatches } from '../tests/helpers/ledger.js';
import type { BenchContext } from './lib/context.js';
import type { ScenarioResult } from './lib/report.js';
import { median } from './lib/stats.js';
import { waitIdle } from './lib/proc.js';
import { graphql, startPulse, type BenchDatabase } from './lib/target.js';

const METRICS = [
  'VIEWS',
  'VIEWS',
  'VIEWS',
  'VIEWS',
  'VIEWS',
  'VIEWS',
  'LIKES',
  'LIKES',
  'WATCH_SECONDS',
  'SHARES',
];
const EVENT_COLUMNS = 'owner_id, event_id, publication_id, metric, delta, total, occurred_at';

/** Tables the ledger check compares; emptied first so that the books start balanced. */
const LEDGER_TABLES = [
  'metric_events',
  'publication_counters',
  'video_counters',
  'publication_hourly_rollups',
  'publication_daily_rollups',
  'owner_hourly_rollups',
  'owner_daily_rollups',
];

interface Publication {
  globalId: string;
  id: string;
}

async function publications(url: string, key: string): Promise<Publication[]> {
  const response = await graphql<{
    videos: { edges: { node: { publications: { id: string }[] } }[] };
  }>(url, key, '{ videos(first: 100) { edges { node { publications { id } } } } }');
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!.videos.edges.flatMap((edge) =>
    edge.node.publications.map((p) => ({
      globalId: p.id,
      id: Buffer.from(p.id, 'base64').toString('utf8').split(':')[1]!,
    })),
  );
}

function post(agent: Agent, url: URL, key: string, body: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${key}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Concurrent clients POSTing 100-event requests until the deadline; counts acknowledged events. */
async function pulseRun(
  url: string,
  key: string,
  pubs: Publication[],
  options: { seconds: number; clients: number; perRequest: number; tag: string },
) {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const target = new URL('/ingest', url);
  const deadline = performance.now() + options.seconds * 1000;
  const acked: string[] = [];
  let accepted = 0;
  let failures = 0;
  let retries = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let seq = 0; performance.now() < deadline; seq++) {
        const prefix = `${options.tag}-${client}-${seq}`;
        const events = [];
        for (let i = 0; i < options.perRequest; i++) {
          const n = seq * options.perRequest + i + client * 7;
          events.push(
            `{"id":"${prefix}-${i}","publication":"${pubs[n % pubs.length]!.globalId}","metric":"${METRICS[n % METRICS.length]}","delta":${1 + (n % 5)}}`,
          );
        }
        const body = `[${events.join(',')}]`;
        for (let attempt = 0; attempt < 5; attempt++) {
          try {
            const response = await post(agent, target, key, body);
            if (response.status === 503) {
              retries += 1;
              await new Promise((resolve) => setTimeout(resolve, 200));
              continue;
            }
            const result = JSON.parse(response.body) as { accepted?: number; rejected?: unknown[] };
            if (response.status !== 200 || result.accepted !== options.perRequest) {
              failures += 1;
              break;
            }
            accepted += result.accepted;
            acked.push(prefix);
            break;
          } catch {
            failures += 1;
            break;
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { eventsPerSecond: accepted / seconds, accepted, failures, retries, seconds, acked };
}

/** The peer: the same events streamed with COPY into a copy of metric_events. */
async function copyRun(
  db: BenchDatabase,
  pglite: PGlite | null,
  ownerId: string,
  pubs: Publication[],
  options: { seconds: number; clients: number; perRequest: number; tag: string },
) {
  const at = new Date().toISOString();
  const rows = (client: number, seq: number) => {
    let text = '';
    for (let i = 0; i < options.perRequest; i++) {
      const n = seq * options.perRequest + i + client * 7;
      const metric = METRICS[n % METRICS.length]!.toLowerCase();
      text += `${ownerId}\t${options.tag}-${client}-${seq}-${i}\t${pubs[n % pubs.length]!.id}\t${metric}\t${1 + (n % 5)}\t\\N\t${at}\n`;
    }
    return text;
  };
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  let written = 0;
  if (pglite) {
    // One connection: one COPY at a time, 100 "requests" per statement.
    for (let seq = 0; performance.now() < deadline; seq += 100) {
      let text = '';
      for (let k = 0; k < 100; k++) text += rows(0, seq + k);
      await pglite.query(`copy bench_copy_events (${EVENT_COLUMNS}) from '/dev/blob'`, [], {
        blob: new Blob([text]),
      });
      written += 100 * options.perRequest;
    }
  } else {
    const client = postgres(db.url, { max: options.clients, onnotice: () => {} });
    try {
      await Promise.all(
        Array.from({ length: options.clients }, async (_, c) => {
          const stream = await client
            .unsafe(`copy bench_copy_events (${EVENT_COLUMNS}) from stdin`)
            .writable();
          for (let seq = 0; performance.now() < deadline; seq++) {
            if (!stream.write(rows(c, seq)))
              await new Promise((resolve) => stream.once('drain', resolve));
            written += options.perRequest;
          }
          await new Promise<void>((resolve, reject) => {
            stream.once('finish', resolve);
            stream.once('error', reject);
            stream.end();
          });
        }),
      );
    } finally {
      await client.end({ timeout: 5 });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: written / seconds, written, seconds };
}

/**
 * S3: sustained ingestion through POST /ingest (100 events per request, several clients, unique
 * ids), then the ledger check, against COPY of the same events into a copy of the event table.
 */
export async function s3Ingest(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const s = ctx.settings.s3;
  const notes: string[] = [];
  // Start from balanced books: the ledger check recounts everything from the event log.
  {
    const database = await ctx.db.open();
    try {
      await database.db.execute(sql.raw(`truncate ${LEDGER_TABLES.join(', ')}`));
      await database.db.execute(sql.raw('drop table if exists bench_copy_events'));
      // LIKE copies the primary key and indexes, not the foreign keys.
      await database.db.execute(
        sql.raw('create table bench_copy_events (like metric_events including all)'),
      );
    } finally {
      await database.close();
    }
  }
  const copyDb = ctx.db.profile === 'pglite' ? await ctx.db.clone() : ctx.db;
  const pglite = copyDb.profile === 'pglite' ? await PGlite.create({ dataDir: copyDb.dir! }) : null;
  const pulse = await startPulse(ctx.db, ctx.prepared, { nodeArgs: ctx.pulseNodeArgs });
  const runs: Record<string, unknown[]> = { Pulse: [], COPY: [] };
  const acked: string[] = [];
  let pulseStopped = false;
  try {
    const pubs = await publications(pulse.url, ctx.prepared.apiKey);
    for (let run = 0; run < ctx.settings.runs; run++) {
      const options = {
        seconds: s.seconds,
        clients: s.clients,
        perRequest: s.eventsPerRequest,
        tag: `s3r${run}`,
      };
      const mine = await pulseRun(pulse.url, ctx.prepared.apiKey, pubs, options);
      await waitIdle(pulse.process.pid);
      acked.push(...mine.acked);
      runs['Pulse']!.push({ ...mine, acked: mine.acked.length });
      ctx.log(
        `  S3 Pulse run ${run + 1}: ${mine.eventsPerSecond.toFixed(0)} events/s (${mine.failures} failed requests, ${mine.retries} 503 retries)`,
      );
      const theirs = await copyRun(copyDb, pglite, ctx.prepared.ownerId, pubs, {
        ...options,
        tag: `c${run}`,
      });
      runs['COPY']!.push(theirs);
      ctx.log(`  S3 COPY run ${run + 1}: ${theirs.eventsPerSecond.toFixed(0)} events/s`);
    }
    await pulse.process.stop();
    pulseStopped = true;

    // Zero loss: every acknowledged request's 100 ids stored exactly once, and the books balance.
    const database = await ctx.db.open();
    let mismatches: string[];
    let missing = 0;
    try {
      mismatches = await ledgerMismatches(database.db);
      const stored = await queryRows<{ request: string; events: number }>(
        database.db,
        sql.raw(`select regexp_replace(event_id, '-[0-9]+$', '') as request, count(*)::int as events
          from metric_events where event_id like 's3r%' group by 1`),
      );
      const perRequest = new Map(stored.map((row) => [row.request, Number(row.events)]));
      for (const request of acked) if (perRequest.get(request) !== s.eventsPerRequest) missing += 1;
    } finally {
      await database.close();
    }
    const zeroLoss = mismatches.length === 0 && missing === 0;
    if (!zeroLoss) {
      notes.push(
        `**Ledger check failed**: ${missing} acknowledged requests not stored in full; ${mismatches.length} ledger mismatches${mismatches.length ? ` (first: ${mismatches[0]!.slice(0, 200)})` : ''}.`,
      );
    }
    type P = { eventsPerSecond: number; failures: number };
    const pulseRate = median((runs['Pulse'] as P[]).map((r) => r.eventsPerSecond));
    const copyRate = median((runs['COPY'] as P[]).map((r) => r.eventsPerSecond));
    notes.push(
      `${s.clients} concurrent clients, ${s.eventsPerRequest} events per POST /ingest (publication global ids, mixed metrics, unique ids), ${s.seconds} s per run; ${acked.length.toLocaleString('en-US')} acknowledged requests checked afterwards: every acknowledged id stored once, and counters and rollups equal a recount of the event log (tests/helpers/ledger.ts): ${zeroLoss ? 'passed' : 'FAILED'}. COPY writes only the event rows (${s.clients} streams${pglite ? '; PGlite: one connection, 10,000 rows per COPY' : ''}) into a table created LIKE metric_events (same primary key and indexes, no foreign keys); Pulse also updates counters and four rollups in the same transaction.`,
    );
    return {
      id: 'S3',
      title: 'ingestion',
      profile: ctx.db.profile,
      ok: true,
      rows: [
        {
          metric: 'events/s sustained',
          unit: '',
          pulse: pulseRate,
          peer: { name: 'COPY', value: copyRate },
          ratio: pulseRate / copyRate,
          target: '≥ 100,000/s and ≥ 0.4× COPY',
          met: pulseRate >= 100_000 && pulseRate / copyRate >= 0.4,
        },
        {
          metric: 'zero loss (ledger check)',
          unit: '',
          pulse: zeroLoss ? 1 : 0,
          target: 'passes',
          met: zeroLoss,
        },
      ],
      notes,
      runs,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (!pulseStopped) await pulse.process.stop();
    await pglite?.close();
    if (copyDb !== ctx.db) await copyDb.drop();
  }
}
