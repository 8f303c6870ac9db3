import { and, asc, desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import type { Db } from '../../db/client.js';
import { decodeCursor, encodeCursor } from './pagination.js';

/**
 * One page of a table's rows, newest first, by keyset (timestamp, id): stable while rows are
 * added. `order` names the ordering inside cursors, so a cursor of another list is refused.
 */
export async function pageNewestFirst<Row extends { id: string }>(
  db: Db,
  table: PgTable,
  columns: { at: PgColumn; id: PgColumn },
  order: string,
  where: SQL[],
  page: ResolveCursorConnectionArgs,
): Promise<(Row & { cursor: string })[]> {
  const after = decodeCursor(page.after, order, 'timestamptz');
  const before = decodeCursor(page.before, order, 'timestamptz');
  const keyset = (key: { key: string; id: string }, older: boolean) =>
    sql`(${columns.at}, ${columns.id}) ${sql.raw(older ? '<' : '>')} (cast(${key.key} as timestamptz), cast(${key.id} as uuid))`;
  const conditions = [...where];
  if (after) conditions.push(keyset(after, true));
  if (before) conditions.push(keyset(before, false));
  const direction = page.inverted ? asc : desc;
  const rows = await db
    .select({ row: table, sortKey: sql<string>`(${columns.at})::text` } as never)
    .from(table)
    .where(and(...conditions))
    .orderBy(direction(columns.at), direction(columns.id))
    .limit(page.limit);
  return (rows as { row: Row; sortKey: string }[]).map(({ row, sortKey }) => ({
    ...row,
    cursor: encodeCursor({ order, key: sortKey, id: row.id }),
  }));
}
