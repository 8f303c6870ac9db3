import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

/** Runs raw SQL and returns its rows, whichever driver (PGlite or postgres.js) is underneath. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
