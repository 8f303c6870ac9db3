import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { usageDailyTable } from '../../db/schema.js';
import type { Credential } from '../auth/credential.js';
import { utcDay } from './rate-limit.js';

/** How usage_daily names a credential (the owner is its own column). */
export function usageCredential(credential: Credential): string {
  return credential.kind === 'api_key'
    ? `api_key:${credential.id}`
    : `oauth:${credential.clientId}`;
}

interface Pending {
  ownerId: string;
  credential: string;
  day: string;
  operations: number;
  cost: number;
  rejected: number;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters (6 per row). */
const CHUNK = 1000;

/**
 * Operations, cost and refusals per credential per UTC day. Requests only add to counters in
 * memory; a timer writes them with one upsert per flush, so a busy key costs one write every few
 * seconds, not one per request. A failed write keeps its counts for the next flush; stop()
 * writes whatever is left.
 */
export class UsageRecorder {
  private pending = new Map<string, Pending>();
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    flushIntervalMs: number,
  ) {
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  record(
    ownerId: string,
    credential: string,
    entry: { cost: number; rejected: boolean },
    now = Date.now(),
  ): void {
    const day = utcDay(now);
    const key = `${ownerId}\u0000${credential}\u0000${day}`;
    let row = this.pending.get(key);
    if (!row) {
      row = { ownerId, credential, day, operations: 0, cost: 0, rejected: 0 };
      this.pending.set(key, row);
    }
    row.operations += 1;
    row.cost += entry.cost;
    if (entry.rejected) row.rejected += 1;
  }

  /** Writes the counts gathered so far; flushes never overlap. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    let start = 0;
    try {
      for (; start < rows.length; start += CHUNK) {
        await this.db
          .insert(usageDailyTable)
          .values(rows.slice(start, start + CHUNK))
          .onConflictDoUpdate({
            target: [usageDailyTable.ownerId, usageDailyTable.credential, usageDailyTable.day],
            set: {
              operations: sql`${usageDailyTable.operations} + excluded.operations`,
              cost: sql`${usageDailyTable.cost} + excluded.cost`,
              rejected: sql`${usageDailyTable.rejected} + excluded.rejected`,
            },
          });
      }
    } catch (error) {
      // Keep the unwritten counts (merged with newer ones) for the next flush.
      for (const row of rows.slice(start)) {
        const key = `${row.ownerId}\u0000${row.credential}\u0000${row.day}`;
        const newer = this.pending.get(key);
        this.pending.set(
          key,
          newer
            ? {
                ...row,
                operations: row.operations + newer.operations,
                cost: row.cost + newer.cost,
                rejected: row.rejected + newer.rejected,
              }
            : row,
        );
      }
      this.logger.warn(
        { err: error, rows: rows.length - start },
        'could not write usage; will retry',
      );
    }
  }
}
