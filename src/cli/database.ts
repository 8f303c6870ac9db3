import { openDatabase, type Database } from '../db/client.js';
import { DataDirInUseError, lockDataDir, type DataDirLock } from '../db/data-dir-lock.js';
import { migrate } from '../db/migrate.js';
import { ConfigError, loadConfigWith, type ConfigLayers } from '../env.js';

/** Opens the configured database (migrated) for a CLI command, and always closes it. */
export async function withDatabase<T>(
  run: (database: Database) => Promise<T>,
  layers: ConfigLayers = {},
): Promise<T> {
  let config;
  try {
    config = loadConfigWith(layers);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { dataDir } = config.database.kind === 'pglite' ? config.database : { dataDir: undefined };
  const lock = dataDir ? lockOrExit(dataDir) : undefined;
  try {
    const database = await openDatabase(config.database);
    try {
      await migrate(database, config.database);
      return await run(database);
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}

/**
 * The embedded database belongs to one process at a time: a command run next to the server
 * would write to a copy the server never reads (and damage the files), so it refuses instead.
 */
function lockOrExit(dataDir: string): DataDirLock {
  try {
    return lockDataDir(dataDir, 'cli');
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const advice =
      error.holder.role === 'server'
        ? [
            'Nothing was changed. Either stop the server (Ctrl-C in its terminal) and run this command again,',
            'or do it through the running server: the dashboards’ Developer page creates API keys,',
            'and GraphiQL (/graphql) has the createApiKey mutation.',
          ]
        : ['Nothing was changed. Wait for it to finish and run this command again.'];
    process.stderr.write(
      [
        error.message,
        ...advice,
        `(If no Pulse process is running, delete ${error.file}.)`,
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
}
