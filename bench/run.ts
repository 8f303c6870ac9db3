/**
 * `npm run bench [-- options]`: Pulse against its peers, alternating, on this machine.
 *
 *   --quick              one short run of everything (CI; about two minutes), written to
 *                        results/quick.* instead of latest.*
 *   --db postgres|pglite|both   which database profile (default postgres)
 *   --only S1,S3         run some scenarios only (S1 S2 S3 S4 S5 S6 S7; S2 includes S2b and S2c)
 *   --runs N             runs per scenario (default 3)
 *   --cpu-prof           start Pulse with --cpu-prof and print the hottest functions per
 *                        scenario (results go to results/profiles/, latest.* is not written)
 *   --server-env K=V     a setting for the Pulse server under test (repeatable), to compare
 *                        tunings, e.g. --server-env INGEST_WRITERS=1
 *
 * Exits non-zero only when a scenario could not run, when S4's statement count grows with the
 * page size, or when S3's ledger check fails — never because of a timing.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, QUICK, type BenchContext } from './lib/context.js';
import { machineInfo } from './lib/machine.js';
import { summarizeProfiles } from './lib/profile.js';
import { seedHistory } from './lib/seed.js';
import { RESULTS_DIR, writeReport, type Report, type ScenarioResult } from './lib/report.js';
import {
  ADMIN_URL,
  BENCH_SERVER_ENV,
  createBenchDatabase,
  prepareBenchDatabase,
  type Profile,
} from './lib/target.js';
import { s1Dashboard } from './s1-dashboard.js';
import { s2FanOut } from './s2-fanout.js';
import { s3Ingest } from './s3-ingest.js';
import { s4NPlusOne } from './s4-n-plus-one.js';
import { s5Startup } from './s5-startup.js';
import { s6Exports } from './s6-exports.js';
import { s7Webhooks } from './s7-webhooks.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    db: { type: 'string', default: 'postgres' },
    only: { type: 'string' },
    runs: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'server-env': { type: 'string', multiple: true, default: [] },
  },
});
for (const setting of values['server-env']) {
  const [name, ...value] = setting.split('=');
  if (!name || value.length === 0) throw new Error(`--server-env wants NAME=VALUE, got ${setting}`);
  BENCH_SERVER_ENV[name] = value.join('=');
}

const settings = structuredClone(values.quick ? QUICK : FULL);
if (values.runs) settings.runs = Math.max(1, Number(values.runs));
const profiles: Profile[] =
  values.db === 'both' ? ['postgres', 'pglite'] : [values.db === 'pglite' ? 'pglite' : 'postgres'];
const only = new Set((values.only ?? 'S1,S2,S3,S4,S5,S6,S7').toUpperCase().split(','));
const log = (message: string) => process.stdout.write(`${message}\n`);
const benchStarted = performance.now();

type Scenario = {
  id: string;
  title: string;
  run: (ctx: BenchContext) => Promise<ScenarioResult | ScenarioResult[]>;
};
// S3 empties the rollups S1 reads, so it runs last.
const SCENARIOS: Scenario[] = [
  { id: 'S5', title: 'start-up and footprint', run: s5Startup },
  { id: 'S4', title: 'N+1', run: s4NPlusOne },
  { id: 'S1', title: 'dashboard query', run: s1Dashboard },
  { id: 'S2', title: 'live fan-out', run: s2FanOut },
  { id: 'S6', title: 'exports', run: s6Exports },
  { id: 'S7', title: 'webhook fan-out', run: s7Webhooks },
  { id: 'S3', title: 'ingestion', run: s3Ingest },
];

const report: Report = {
  generatedAt: new Date().toISOString(),
  mode: values.quick ? 'quick' : 'full',
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  machine: await machineInfo(ADMIN_URL),
  scenarios: [],
  failures: [],
};
log(
  `Pulse bench (${report.mode}) on ${report.machine.cpu} × ${report.machine.cores}, Node ${report.machine.node}, PostgreSQL ${report.machine.postgres ?? 'n/a'}, commit ${report.machine.commit}`,
);

const profileDir = path.join(RESULTS_DIR, 'profiles');
const seedNotes = new Map<Profile, string>();
for (const profile of profiles) {
  log(`\n== ${profile} ==`);
  const prepareStarted = performance.now();
  let db;
  try {
    db = await createBenchDatabase(profile);
  } catch (error) {
    report.failures.push(`${profile}: could not create a database: ${(error as Error).message}`);
    continue;
  }
  try {
    const prepared = await prepareBenchDatabase(db);
    {
      // The dashboard scenario wants years of history; the others only need the videos.
      const seed = only.has('S1') ? settings.seed : { ...settings.seed, days: 30 };
      const seeded = await seedHistory(db, prepared, seed);
      log(
        `seeded ${seeded.videos} videos, ${seeded.publications} publications, ${seeded.dailyRows.toLocaleString('en-US')} daily rollup rows (${seed.days} days) with ${seeded.how} in ${((performance.now() - prepareStarted) / 1000).toFixed(1)} s`,
      );
      seedNotes.set(
        profile,
        `Data: ${seeded.videos} videos on ${seeded.publications} publications, ${seeded.dailyRows.toLocaleString('en-US')} daily rollup rows over ${seed.days} days, seeded with ${seeded.how}.`,
      );
    }
    for (const scenario of SCENARIOS) {
      if (!only.has(scenario.id)) continue;
      log(`${scenario.id} ${scenario.title} …`);
      const started = performance.now();
      const dir = path.join(profileDir, `${profile}-${scenario.id}`);
      if (values['cpu-prof']) {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
      }
      const ctx: BenchContext = {
        quick: values.quick,
        profile,
        settings,
        db,
        prepared,
        pulseNodeArgs: values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [],
        log,
      };
      try {
        const result = await scenario.run(ctx);
        for (const item of Array.isArray(result) ? result : [result]) {
          if (item.id === 'S1' && seedNotes.has(profile))
            item.notes.unshift(seedNotes.get(profile)!);
          report.scenarios.push(item);
          for (const row of item.rows) {
            log(
              `  ${item.id} ${row.metric}: ${row.pulse.toFixed(1)}${row.peer ? ` vs ${row.peer.name} ${row.peer.value.toFixed(1)}` : ''}${row.ratio ? ` (${row.ratio.toFixed(2)}×)` : ''}${row.met === false ? '  [target missed]' : ''}`,
            );
          }
        }
      } catch (error) {
        // Driver errors can quote whole statements with their parameters: keep the log readable.
        const message = ((error as Error).stack ?? String(error)).slice(0, 4_000);
        log(`  ${scenario.id} could not run: ${message}`);
        report.scenarios.push({
          id: scenario.id,
          title: scenario.title,
          profile,
          ok: false,
          error: (error as Error).message.split('\n')[0]!.slice(0, 500),
          rows: [],
          notes: [],
          runs: null,
          seconds: (performance.now() - started) / 1000,
        });
        report.failures.push(
          `${scenario.id} (${profile}) could not run: ${(error as Error).message.split('\n')[0]}`,
        );
      }
      log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      if (values['cpu-prof']) await summarizeProfiles(dir, `${profile} ${scenario.id}`, log);
    }
  } catch (error) {
    const message = ((error as Error).stack ?? String(error)).slice(0, 4_000);
    report.failures.push(`${profile}: ${message.split('\n')[0]}`);
    log(`${profile} failed: ${message}`);
  } finally {
    await db.drop().catch(() => {});
  }
}

for (const scenario of report.scenarios) {
  if (scenario.id === 'S4' && (scenario.rows[1]?.pulse ?? 0) > (scenario.rows[0]?.pulse ?? 0)) {
    report.failures.push(`S4 (${scenario.profile}): SQL statements grow with the page size (N+1)`);
  }
  if (
    scenario.id === 'S3' &&
    scenario.rows.find((row) => row.metric.startsWith('zero loss'))?.met === false
  ) {
    report.failures.push(
      `S3 (${scenario.profile}): the ledger check failed (events lost or miscounted)`,
    );
  }
}

const seconds = (performance.now() - benchStarted) / 1000;
log(`\ntotal ${seconds.toFixed(0)} s`);
if (!values['cpu-prof']) {
  // Quick runs (CI's) must not replace the full run's published numbers.
  const files = await writeReport(report, values.quick ? 'quick' : 'latest');
  log(`wrote ${files.map((file) => path.relative(process.cwd(), file)).join(', ')}`);
}
if (report.failures.length) {
  log(`\nFAILED:\n${report.failures.map((failure) => `- ${failure}`).join('\n')}`);
  process.exit(1);
}
process.exit(0);
