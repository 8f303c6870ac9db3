import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/raw.js';
import { benchSeed } from './bench-seed.js';
import { root, startNode } from './proc.js';
import { BENCH_EMAIL, type BenchDatabase, type Prepared } from './target.js';

/**
 * Seeds `videos` videos with `days` of history for the bench user through the project's own
 * `npm run seed` (src/cli/seed.ts: the analytics issue's realistic generator); falls back to the
 * bench's set-based seeder (lib/bench-seed.ts) when that CLI is missing or fails, and says so.
 */
export async function seedHistory(
  db: BenchDatabase,
  prepared: Prepared,
  options: { videos: number; days: number },
): Promise<{ how: string; videos: number; publications: number; dailyRows: number }> {
  let how = 'npm run seed';
  const cli = path.join(root, 'src/cli/seed.ts');
  let cliError: string | null = existsSync(cli) ? null : 'src/cli/seed.ts does not exist';
  if (!cliError) {
    const child = startNode('src/cli/seed.ts', {
      args: [
        '--videos',
        String(options.videos),
        '--days',
        String(options.days),
        '--hourly-days',
        '2',
        '--user',
        BENCH_EMAIL,
        '--database-url',
        db.url,
      ],
      env: { LOG_LEVEL: 'warn' },
    });
    const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
    if (code !== 0) cliError = `npm run seed exited ${code}: ${child.output().slice(-500)}`;
  }
  const database = await db.open();
  try {
    if (cliError) {
      how = `bench seeder (lib/bench-seed.ts), because ${cliError.split('\n')[0]}`;
      await benchSeed(database.db, prepared.ownerId, options);
    }
    const [counts] = await queryRows<{ videos: number; publications: number; daily: number }>(
      database.db,
      sql`select
        (select count(*)::int from videos where owner_id = ${prepared.ownerId}) as videos,
        (select count(*)::int from publications where owner_id = ${prepared.ownerId}) as publications,
        (select count(*)::int from publication_daily_rollups where owner_id = ${prepared.ownerId}) as daily`,
    );
    return {
      how,
      videos: counts?.videos ?? 0,
      publications: counts?.publications ?? 0,
      dailyRows: counts?.daily ?? 0,
    };
  } finally {
    await database.close();
  }
}
