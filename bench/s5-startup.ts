import type { BenchContext } from './lib/context.js';
import { rssMb, sleep } from './lib/proc.js';
import type { Row, ScenarioResult } from './lib/report.js';
import { median } from './lib/stats.js';
import { createBenchDatabase, startPulse, type BenchDatabase } from './lib/target.js';

interface Start {
  readyMs: number;
  idleRssMb: number;
}

/** Starts Pulse on a database, measures spawn → first 200 on /ready, then RSS after 2 s idle. */
async function coldStart(
  db: BenchDatabase,
  env: Record<string, string>,
  ctx: BenchContext,
): Promise<Start> {
  const pulse = await startPulse(db, null, { env, nodeArgs: ctx.pulseNodeArgs });
  try {
    await sleep(2_000);
    return { readyMs: pulse.readyMs, idleRssMb: rssMb(pulse.process.pid) };
  } finally {
    await pulse.process.stop();
  }
}

/**
 * S5: cold start of `node --import tsx src/main.ts` (what `npm start` runs, TypeScript compiled
 * on load) to a 200 on /ready, and resident memory once idle. Embedded: a fresh PGlite directory
 * with the demo seeded at first start, then a restart on it; PostgreSQL: a fresh database
 * (migrations run at start), then a restart.
 */
export async function s5Startup(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const cases: Record<string, Start[]> = {};
  const runs = ctx.settings.s5.runs;
  const profiles =
    ctx.profile === 'pglite' ? (['pglite'] as const) : (['pglite', 'postgres'] as const);
  for (let run = 0; run < runs; run++) {
    for (const profile of profiles) {
      const db = await createBenchDatabase(profile);
      try {
        const env = profile === 'pglite' ? { DEMO: 'true' } : { DEMO: 'false' };
        const label = profile === 'pglite' ? 'embedded PGlite + demo' : 'PostgreSQL';
        (cases[`${label}, first start`] ??= []).push(await coldStart(db, env, ctx));
        if (ctx.settings.s5.restarts)
          (cases[`${label}, restart`] ??= []).push(await coldStart(db, env, ctx));
      } finally {
        await db.drop();
      }
      ctx.log(`  S5 ${profile} run ${run + 1} done`);
    }
  }
  const rows: Row[] = [];
  for (const [label, list] of Object.entries(cases)) {
    rows.push({
      metric: `cold start to /ready, ${label}`,
      unit: 'ms',
      pulse: median(list.map((s) => s.readyMs)),
    });
    rows.push({
      metric: `idle RSS, ${label}`,
      unit: 'MB',
      pulse: median(list.map((s) => s.idleRssMb)),
    });
  }
  return {
    id: 'S5',
    title: 'start-up and footprint',
    profile: profiles.join(' + '),
    ok: true,
    rows,
    notes: [
      'First start includes migrations (and, embedded, seeding the demo creator); the start command compiles TypeScript on load (tsx), which is part of what `npm start` costs.',
    ],
    runs: cases,
    seconds: (performance.now() - started) / 1000,
  };
}
