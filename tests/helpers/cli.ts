import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { loadConfig } from '../../src/env.js';
import { runToEnd, type RunResult } from './process.js';
import { createSharedDatabaseUrl } from './test-app.js';

/** `npm run cli -- …args` (src/cli/index.ts) on a database; `stdin` is piped in when given. */
export const runCli = (databaseUrl: string, args: string[], stdin?: string): Promise<RunResult> =>
  runToEnd('src/cli/index.ts', args, { DATABASE_URL: databaseUrl }, { stdin });

/** `npm run seed -- …args` (src/cli/seed.ts), which takes its database as --database-url. */
export const runSeed = (args: string[]): Promise<RunResult> =>
  runToEnd('src/cli/seed.ts', args, {});

/** Opens the database in this process (migrating it first if asked), runs `use`, closes it. */
export async function withDatabase<T>(
  databaseUrl: string,
  use: (database: Database) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, NODE_ENV: 'test' });
  const database = await openDatabase(config.database);
  try {
    if (options.migrate) await migrate(database, config.database);
    return await use(database);
  } finally {
    await database.close();
  }
}

/**
 * A database for the command line tools, which are other processes: created before the tests
 * of the suite (or describe block) that calls this, dropped after them.
 */
export function useCliDatabase(prefix: string) {
  let shared: { url: string; drop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    shared = await createSharedDatabaseUrl(prefix);
  });
  afterAll(() => shared?.drop());
  const url = () => {
    if (!shared) throw new Error('useCliDatabase: the database exists from beforeAll on');
    return shared.url;
  };
  return {
    get url() {
      return url();
    },
    /** runCli on this database. */
    cli: (args: string[], stdin?: string) => runCli(url(), args, stdin),
    /** runSeed on this database (--database-url added last). */
    seed: (args: string[]) => runSeed([...args, '--database-url', url()]),
    /** withDatabase on this database. */
    open: <T>(use: (database: Database) => Promise<T>, options?: { migrate?: boolean }) =>
      withDatabase(url(), use, options),
  };
}
