import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { PgBoss, fromDrizzle, fromPglite, type Job, type SendOptions } from 'pg-boss';
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/client.js';
import type { DatabaseConfig, JobQueueConfig } from '../env.js';

/** What a job handler gets: its payload, the attempt (0 = first) and whether it is the last. */
export interface JobAttempt<T> {
  id: string;
  data: T;
  attempt: number;
  lastAttempt: boolean;
  signal: AbortSignal;
}

export interface JobQueue {
  /** Declares a queue with the retry policy and, when this instance works, its handler. */
  define<T extends object>(name: string, handler: (job: JobAttempt<T>) => Promise<void>): void;
  /**
   * Resolves once the queue can take jobs. Await it before a transaction that enqueues: on
   * PGlite the queue's own setup would otherwise wait behind that transaction.
   */
  ready(name: string): Promise<void>;
  /** Enqueues a job; given `tx`, inside that transaction (it runs only if the transaction commits). */
  send(
    name: string,
    data: object,
    options?: SendOptions & { tx?: Db | Tx },
  ): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * A durable PostgreSQL job queue (pg-boss) over the same database as the rest of Pulse: the
 * embedded PGlite instance itself, or its own small pool on PostgreSQL. Several instances share
 * it safely; pg-boss claims each job once and retries what a dead worker held.
 */
const NO_JOB = '00000000-0000-0000-0000-000000000000';

/**
 * One pg-boss per embedded database: PGlite has a single connection, and two pg-boss instances
 * setting up on it at once would run statements inside each other's failed blocks. Apps built
 * over the same PGlite (tests, a second instance in one process) share it.
 */
const embedded = new WeakMap<PGlite, { boss: PgBoss; started: Promise<void>; users: number }>();

export function createJobQueue(deps: {
  db: Db;
  database: DatabaseConfig;
  config: JobQueueConfig;
  logger: Logger;
}): JobQueue {
  const { config, logger } = deps;
  // Dead workers' jobs are looked for as often as a heartbeat is due, so a crash costs a job
  // about two heartbeats, not pg-boss's default minute.
  const supervision = {
    schema: 'pgboss',
    superviseIntervalSeconds: config.heartbeatSeconds,
    monitorIntervalSeconds: config.heartbeatSeconds,
  };
  const pglite =
    deps.database.kind === 'pglite' ? (deps.db as unknown as { $client: PGlite }).$client : null;
  const shared = pglite ? embedded.get(pglite) : undefined;
  const boss =
    shared?.boss ??
    (pglite
      ? new PgBoss({ db: fromPglite(pglite), backend: 'pglite', ...supervision })
      : new PgBoss({
          connectionString: (deps.database as { url: string }).url,
          max: 4,
          application_name: 'pulse-jobs',
          ...supervision,
        }));
  // Started at once but awaited by each call, so the services can be built synchronously.
  const started = shared?.started ?? boss.start().then(() => {});
  if (!shared) {
    boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
    started.catch((error: unknown) => logger.error({ err: error }, 'job queue did not start'));
  }
  if (pglite) embedded.set(pglite, { boss, started, users: (shared?.users ?? 0) + 1 });
  const workers: { name: string; id: string }[] = [];
  const queues = new Map<string, Promise<void>>();
  async function declare<T extends object>(
    name: string,
    handler: (job: JobAttempt<T>) => Promise<void>,
  ) {
    await started;
    await boss.createQueue(name, {
      retryLimit: config.retryLimit,
      retryDelay: config.retryDelaySeconds,
      retryBackoff: true,
      heartbeatSeconds: config.heartbeatSeconds,
    });
    // pg-boss looks a queue up (on its own connection) the first time it is used; do it now, so
    // a send inside a transaction never waits for that lookup behind the transaction (PGlite has
    // one connection).
    await boss.getJobById(name, NO_JOB);
    if (config.workers <= 0) return;
    const id = await boss.work<T>(
      name,
      { localConcurrency: config.workers, pollingIntervalSeconds: 1 },
      async ([job]: Job<T>[]) => {
        await handler({
          id: job!.id,
          data: job!.data,
          attempt: job!.retryCount,
          lastAttempt: job!.retryCount >= config.retryLimit,
          signal: job!.signal,
        });
      },
    );
    workers.push({ name, id });
  }
  const ready = (name: string) => {
    const queue = queues.get(name);
    if (!queue) throw new Error(`No job queue named ${name}`);
    return queue;
  };
  return {
    define(name, handler) {
      const declared = declare(name, handler);
      declared.catch((error: unknown) =>
        logger.error({ err: error, queue: name }, 'job queue not declared'),
      );
      queues.set(name, declared);
    },
    ready,
    async send(name, data, { tx, ...options } = {}) {
      await ready(name);
      return boss.send(
        name,
        data,
        tx ? { ...options, db: fromDrizzle(tx as never, sql) } : options,
      );
    },
    async stop() {
      await Promise.allSettled([started, ...queues.values()]);
      const entry = pglite ? embedded.get(pglite) : undefined;
      if (entry && entry.users > 1) {
        // Another app in this process still uses the embedded queue: stop only our workers.
        entry.users -= 1;
        await Promise.all(workers.map((w) => boss.offWork(w.name, { id: w.id, wait: true })));
        return;
      }
      if (pglite) embedded.delete(pglite);
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },
  };
}
