import { openDatabase, type Database } from '../db/client.js';
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
  const database = await openDatabase(config.database);
  try {
    await migrate(database, config.database);
    return await run(database);
  } finally {
    await database.close();
  }
}
