import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDialect } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import type { Db } from './client.js';

/**
 * Streams a query's rows in chunks with bounded memory, whichever driver is underneath.
 * postgres.js reads through a server-side cursor on a reserved connection. PGlite has a single
 * connection, so a cursor inside a transaction would lock out every other query for the whole
 * export; a WITH HOLD cursor is materialized once and then fetched outside any transaction,
 * letting other statements run between chunks. Chunks are small (500 rows) so that the rows a
 * consumer holds across its awaits die young instead of being promoted (S6: 196 → 166 MB RSS).
 */
export async function* streamRows<T = Record<string, unknown>>(
  db: Db,
  query: SQL,
  chunkSize = 500,
): AsyncGenerator<T[]> {
  const { sql: text, params } = (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(query);
  const client = (db as unknown as { $client: Sql | PGlite }).$client;
  if ('unsafe' in client) {
    for await (const rows of client.unsafe(text, params as never[]).cursor(chunkSize))
      yield rows as unknown as T[];
    return;
  }
  const cursor = `pulse_cursor_${randomBytes(6).toString('hex')}`;
  await client.query(`declare ${cursor} no scroll cursor with hold for ${text}`, params);
  try {
    for (;;) {
      const { rows } = await client.query<T>(`fetch ${chunkSize} from ${cursor}`);
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < chunkSize) return;
    }
  } finally {
    await client.query(`close ${cursor}`).catch(() => {});
  }
}
