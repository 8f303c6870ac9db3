import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/raw.js';
import { METRIC_KEYS, metricEventTable, videoCounterTable } from '../../src/db/schema.js';
import { createChannels, createPublishedVideo } from '../helpers/fixtures.js';
import { runToEnd } from '../helpers/process.js';
import { startTestApp, type TestApp, type TestViewer } from '../helpers/test-app.js';

let t: TestApp;
let baseUrl: string;
let viewer: TestViewer;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

beforeAll(async () => {
  // Rate limits have their own suite: a free key would be throttled to 10 requests a minute
  // (the simulator waits out 429s, which would only make this slow).
  t = await startTestApp({ RATE_LIMIT_ENABLED: 'false' });
  baseUrl = (await t.app.start()).url;
  viewer = await t.createViewer();
  await createChannels(t.database.db, viewer.userId, ['youtube', 'tiktok']);
  for (let i = 0; i < 4; i++) {
    await createPublishedVideo(t.database.db, viewer.userId, {
      title: `Clip ${i}`,
      counters: { youtube: { views: 10 * i }, tiktok: { views: i } },
    });
  }
});
afterAll(() => t.close());

/** Lifetime totals of the viewer's videos, per metric (snake_case names, as the summary's). */
async function counters(): Promise<Record<string, number>> {
  const columns = METRIC_KEYS.map(snake);
  const [row] = await queryRows<Record<string, string>>(
    t.database.db,
    sql`select ${sql.raw(columns.map((c) => `coalesce(sum(${c}), 0)::text as ${c}`).join(', '))}
        from ${videoCounterTable} where ${videoCounterTable.ownerId} = ${viewer.userId}`,
  );
  return Object.fromEntries(columns.map((c) => [c, Number(row![c])]));
}

async function eventLog() {
  const [row] = await queryRows<{ events: number }>(
    t.database.db,
    sql`select count(*)::int as events from ${metricEventTable} where ${metricEventTable.ownerId} = ${viewer.userId}`,
  );
  return Number(row!.events);
}

// Starts CLI processes (tsx compiles on start): generous when CI runs suites side by side.
describe('npm run simulate', { timeout: 120_000 }, () => {
  it('streams Poisson traffic with duplicate retries into POST /ingest; counters rise by exactly what it reports stored', async () => {
    const before = { counters: await counters(), events: await eventLog() };
    const run = await runToEnd(
      'src/cli/simulate.ts',
      [
        '--url',
        baseUrl,
        '--key',
        viewer.key,
        '--rate',
        '300',
        '--duration',
        '2',
        '--videos',
        '3',
        '--duplicates',
        '0.25',
        '--seed',
        '42',
        '--json',
        '--quiet',
      ],
      {},
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ videos: 3, rejected: 0, failed: 0, retriesIndeterminate: 0 });
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.accepted).toBe(summary.events);
    // A quarter of the requests were resent with the same ids: all of them came back as duplicates.
    expect(summary.duplicates).toBeGreaterThan(0);
    expect(summary.sent).toBe(summary.accepted + summary.duplicates + summary.rejected);
    expect(summary.storedEvents).toBe(summary.accepted);

    // The event log grew by exactly the accepted events, the counters by exactly their deltas.
    expect(await eventLog()).toBe(before.events + summary.accepted);
    const after = await counters();
    for (const metric of METRIC_KEYS.map(snake))
      expect(after[metric]! - before.counters[metric]!).toBe(summary.stored[metric]);
    expect(summary.stored.views).toBeGreaterThan(0);
  });

  it('refuses to run without a key and explains the options', async () => {
    const run = await runToEnd('src/cli/simulate.ts', ['--url', baseUrl], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--key is required');
    const help = await runToEnd('src/cli/simulate.ts', ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--rate');
  });
});
