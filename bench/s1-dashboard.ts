import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureStatements, timeStatements } from './lib/capture.js';
import { load, type HttpTarget, type LoadResult } from './lib/cannon.js';
import type { BenchContext } from './lib/context.js';
import { freePort, startNode, waitForOk, type Child } from './lib/proc.js';
import type { Row, ScenarioResult } from './lib/report.js';
import { median } from './lib/stats.js';
import { graphql, startPulse, waitDatabaseIdle, type BenchDatabase } from './lib/target.js';
import {
  ensurePostGraphile,
  installFunctions,
  POSTGRAPHILE_QUERY,
  startPostGraphile,
} from './peers/postgraphile.js';

/**
 * The dashboard overview as the dashboards ask for it: totals with the previous period, the
 * 365-day daily series (with its aligned comparison), the platform breakdown and the top 10.
 */
export const OVERVIEW_QUERY = /* GraphQL */ `
  query Overview {
    analytics(range: { preset: LAST_365_DAYS }, compare: PREVIOUS_PERIOD, timezone: "UTC") {
      totals {
        views {
          ...Count
        }
        likes {
          ...Count
        }
        comments {
          ...Count
        }
        shares {
          ...Count
        }
        watchTimeSeconds {
          ...Count
        }
        engagementRate {
          value
          previous
          change
          changePct
          trend
        }
      }
      series(interval: DAY, metrics: [VIEWS, LIKES, COMMENTS, SHARES, WATCH_SECONDS]) {
        label
        start
        values {
          metric
          value
          previous
        }
      }
      byPlatform {
        platform
        share
        totals {
          views
          likes
          comments
          shares
          watchTimeSeconds
        }
        previous {
          views
        }
      }
      topVideos(first: 10, metric: VIEWS) {
        rank
        value
        video {
          id
          title
        }
        totals {
          views
          likes
          comments
          shares
        }
      }
    }
  }
  fragment Count on CountComparison {
    value
    previous
    change
    changePct
    trend
  }
`;

const day = (date: Date) => date.toISOString().slice(0, 10);

export async function s1Dashboard(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings, db, prepared } = ctx;
  const s = settings.s1;
  const notes: string[] = [];
  const started = performance.now();
  const stops: (() => Promise<unknown>)[] = [];
  let floorDb: BenchDatabase | undefined;
  try {
    // The statements Pulse runs for this request, replayed by the floor peer.
    const captured = await captureStatements(db, { query: OVERVIEW_QUERY, key: prepared.apiKey });
    const statementsFile = path.join(os.tmpdir(), `pulse-bench-s1-${process.pid}.json`);
    await writeFile(statementsFile, JSON.stringify(captured.statements));
    const timings = await timeStatements(db, captured.statements);
    const sqlMs = timings.reduce((sum, t) => sum + t.ms, 0);
    notes.push(
      `Database time of the overview's statements run one by one (median of 5): ${sqlMs.toFixed(1)} ms in total — ${timings
        .map((t) => `${t.ms.toFixed(1)} ms (${t.rows} rows) \`${t.sql.slice(0, 70)}…\``)
        .join('; ')}.`,
    );
    notes.push(
      `Pulse ran ${captured.statements.length} SQL statements for the overview (API key lookup included); the floor replays exactly those (captured in-process through drizzle's logger), concurrently, and JSON.stringifies the rows.`,
    );

    // PGlite is one process's: the floor gets a copy of the data directory.
    floorDb = db.profile === 'pglite' ? await db.clone() : db;
    const floorUrl = floorDb.url;
    const floor = await contender(
      'floor',
      async () => {
        const port = await freePort();
        const child = startNode('bench/peers/floor-server.ts', {
          env: {
            FLOOR_DATABASE_URL: floorUrl,
            FLOOR_STATEMENTS: statementsFile,
            PORT: String(port),
          },
        });
        await waitForOk(`http://127.0.0.1:${port}/ready`, 60_000, child);
        return { base: `http://127.0.0.1:${port}`, process: child };
      },
      { path: '/dashboard', headers: { 'content-type': 'application/json' }, body: '{}' },
    );
    stops.push(() => floor.stop());

    const pulse = await contender(
      'Pulse',
      async () => {
        const started = await startPulse(db, prepared, { nodeArgs: ctx.pulseNodeArgs });
        return { base: started.url, process: started.process };
      },
      {
        path: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${prepared.apiKey}` },
        body: JSON.stringify({ query: OVERVIEW_QUERY }),
      },
    );
    stops.push(() => pulse.stop());
    const check = await graphql(new URL(pulse.url).origin, prepared.apiKey, OVERVIEW_QUERY);
    if (check.errors) throw new Error(`overview query failed: ${JSON.stringify(check.errors)}`);

    const targets: Contender[] = [pulse, floor];

    if (!s.postgraphile) {
      notes.push('PostGraphile is left out of quick runs (its install alone takes a minute).');
    } else if (db.profile === 'postgres') {
      try {
        const version = await ensurePostGraphile();
        await installFunctions(db.url);
        const today = new Date();
        const from = new Date(today.getTime() - 364 * 86_400_000);
        const variables = {
          owner: prepared.ownerId,
          from: day(from),
          to: day(today),
          prevFrom: day(new Date(from.getTime() - 365 * 86_400_000)),
          prevTo: day(new Date(from.getTime() - 86_400_000)),
        };
        const postgraphile = await contender(
          'PostGraphile',
          async () => {
            const started = await startPostGraphile(db.url);
            return { base: started.url, process: started.process };
          },
          {
            path: '/graphql',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: POSTGRAPHILE_QUERY, variables }),
          },
        );
        stops.push(() => postgraphile.stop());
        targets.push(postgraphile);
        notes.push(
          `PostGraphile ${version} answers the same overview through STABLE SQL functions over the same rollup tables (its idiomatic way to expose aggregates; see peers/postgraphile.ts); it has no API-key lookup (the owner is an argument).`,
        );
      } catch (error) {
        notes.push(`PostGraphile peer unavailable: ${(error as Error).message.slice(0, 300)}`);
      }
    } else {
      notes.push('PostGraphile needs a PostgreSQL server; on PGlite only the floor runs.');
    }

    // An overloaded contender's pool can keep PostgreSQL busy long after its clients left; the
    // next contender must not pay for that. Such a contender is restarted (its connections, and
    // the statements queued on them, go) and warmed up again before anyone is measured.
    const restarts: Record<string, number> = {};
    const measure = async (
      target: Contender,
      options: { connections: number; seconds: number; rate?: number },
    ) => {
      const result = await load(target, options);
      if (!(await waitDatabaseIdle(db, 20_000))) {
        restarts[target.name] = (restarts[target.name] ?? 0) + 1;
        await target.restart();
        if (!(await waitDatabaseIdle(db, 60_000)))
          throw new Error(`PostgreSQL stayed busy after ${target.name} was restarted`);
        await load(target, { connections: 10, seconds: s.warmupSeconds });
      }
      return result;
    };

    for (const target of targets) {
      await load(target, { connections: 10, seconds: s.warmupSeconds });
    }
    // One request at a time: the cost of one overview, whatever happens under load.
    const sequential: Record<string, number[]> = {};
    for (let i = 0; i < 10; i++) {
      for (const target of targets) {
        const started = performance.now();
        const response = await fetch(target.url, {
          method: 'POST',
          headers: target.headers,
          body: target.body,
        });
        await response.arrayBuffer();
        (sequential[target.name] ??= []).push(performance.now() - started);
      }
    }
    const runs: Record<string, { saturated: LoadResult; fixed: LoadResult }[]> = {};
    for (let run = 0; run < settings.runs; run++) {
      for (const target of targets) {
        const saturated = await measure(target, {
          connections: s.connections,
          seconds: s.seconds,
        });
        const fixed = await measure(target, {
          connections: s.connections,
          seconds: s.seconds,
          rate: s.rate,
        });
        (runs[target.name] ??= []).push({ saturated, fixed });
        ctx.log(
          `  S1 ${target.name} run ${run + 1}: ${saturated.rps.toFixed(1)} req/s (p99 ${saturated.p99} ms, ${saturated.failures} failed), at ${s.rate}/s p99 ${fixed.p99} ms (${fixed.requests} done, ${fixed.failures} failed)`,
        );
      }
    }
    const med = (name: string, pick: (r: { saturated: LoadResult; fixed: LoadResult }) => number) =>
      median((runs[name] ?? []).map(pick));
    const failures = Object.entries(runs).flatMap(([name, list]) =>
      list.some((r) => r.saturated.failures + r.fixed.failures > 0)
        ? [
            `${name} had failed or error responses (${list.map((r) => r.saturated.failures + r.fixed.failures).join(', ')} per run)`,
          ]
        : [],
    );
    notes.push(...failures);
    for (const [name, count] of Object.entries(restarts))
      notes.push(
        `${name} left PostgreSQL busy after ${count} load phase(s) (statements its pool still held when the clients had gone) and was restarted and warmed up before the next measurement.`,
      );
    const pulseRps = med('Pulse', (r) => r.saturated.rps);
    const rows: Row[] = [];
    for (const peer of targets.slice(1)) {
      const peerRps = med(peer.name, (r) => r.saturated.rps);
      const wanted = peer.name === 'floor' ? 0.8 : 1.5;
      rows.push({
        metric: `req/s at ${s.connections} connections`,
        unit: '',
        pulse: pulseRps,
        peer: { name: peer.name, value: peerRps },
        ratio: pulseRps / peerRps,
        target: `≥ ${wanted}× ${peer.name}`,
        met: pulseRps / peerRps >= wanted,
      });
    }
    for (const peer of targets.slice(1)) {
      for (const [label, pick] of [
        ['p50 latency saturated', (r: { saturated: LoadResult }) => r.saturated.p50],
        ['p99 latency saturated', (r: { saturated: LoadResult }) => r.saturated.p99],
      ] as const) {
        const mine = med('Pulse', pick);
        const theirs = med(peer.name, pick);
        rows.push({
          metric: label,
          unit: 'ms',
          pulse: mine,
          peer: { name: peer.name, value: theirs },
          ratio: theirs / mine,
        });
      }
    }
    for (const peer of targets.slice(1)) {
      const mine = med('Pulse', (r) => r.fixed.p99);
      const theirs = med(peer.name, (r) => r.fixed.p99);
      rows.push({
        metric: `p99 latency at fixed ${s.rate} req/s`,
        unit: 'ms',
        pulse: mine,
        peer: { name: peer.name, value: theirs },
        ratio: theirs / mine,
        target: '≤ 50 ms',
        met: mine <= 50,
      });
      rows.push({
        metric: `p50 latency at fixed ${s.rate} req/s`,
        unit: 'ms',
        pulse: med('Pulse', (r) => r.fixed.p50),
        peer: { name: peer.name, value: med(peer.name, (r) => r.fixed.p50) },
      });
    }
    for (const peer of targets.slice(1)) {
      const mine = median(sequential['Pulse'] ?? []);
      const theirs = median(sequential[peer.name] ?? []);
      rows.push({
        metric: 'one request at a time (median of 10)',
        unit: 'ms',
        pulse: mine,
        peer: { name: peer.name, value: theirs },
        ratio: theirs / mine,
      });
    }
    rows.push({
      metric: 'database time of one overview, statements run one by one',
      unit: 'ms',
      pulse: sqlMs,
    });
    return {
      id: 'S1',
      title: 'dashboard query',
      profile: db.profile,
      ok: true,
      rows,
      notes,
      runs,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    if (floorDb && floorDb !== db) await floorDb.drop();
  }
}

/** An S1 contender: where the overview is sent, and its process, which can be started afresh. */
interface Contender extends HttpTarget {
  /** Stops the process (its connections and whatever they had queued go with it), starts anew. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function contender(
  name: string,
  start: () => Promise<{ base: string; process: Child }>,
  request: { path: string; headers: Record<string, string>; body: string },
): Promise<Contender> {
  let current = await start();
  const target: Contender = {
    name,
    url: current.base + request.path,
    pid: current.process.pid,
    headers: request.headers,
    body: request.body,
    async restart() {
      await current.process.stop();
      current = await start();
      target.url = current.base + request.path;
      target.pid = current.process.pid;
    },
    stop: () => current.process.stop(),
  };
  return target;
}
