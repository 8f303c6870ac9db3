import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { Dispatcher } from 'undici';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import { sendAttempt, type AttemptResponse } from './deliver.js';
import type { PubSub } from '../../lib/pubsub.js';
import { recordAttempts, pruneDeliveries, type AttemptRecord } from './record.js';
import { nextAttemptAt, outcomeOf, parseRetryAfter, type AttemptOutcome } from './schedule.js';
import type { SecretBox } from './secrets.js';
import { signatureHeaders } from './secrets.js';
import { onWebhookNudge } from './signal.js';
import type { EgressPolicy } from './ssrf.js';

/** Deliveries claimed per statement. */
const CLAIM_BATCH = 100;
/** Results stored per transaction, at most. */
const RECORD_BATCH = 500;
/** Results wait this long (ms) for others, so one transaction stores many under load. */
const RECORD_DELAY_MS = 5;
/** After a nudge, look again this much later (ms): the emitting transaction may not be committed yet. */
const NUDGE_FOLLOW_UPS = [15, 60, 250];
const PRUNE_INTERVAL_MS = 3_600_000;
/** While no endpoint exists, look for one this often (another instance may create it). */
const DORMANT_CHECK_MS = 300_000;

export interface WebhookObserver {
  /** One attempt ended; `seconds` is its duration; `retry`: another attempt is scheduled. */
  attempt(outcome: AttemptOutcome, seconds: number, retry: boolean): void;
  /** A message reached its endpoint; seconds from the event to this success. */
  delivered(seconds: number): void;
}

export interface WebhookWorkerOptions {
  db: Db;
  box: () => Promise<SecretBox>;
  dispatcher: Dispatcher;
  policy: EgressPolicy;
  timeoutMs: number;
  /** Attempts in flight at once; 0 = this instance delivers nothing. */
  concurrency: number;
  pollIntervalMs: number;
  /** Finished deliveries older than this are deleted (hourly). */
  retentionMs: number;
  logger?: Pick<Logger, 'error' | 'warn'>;
  /** Where a disabled endpoint's notification is announced to `notificationAdded` subscribers. */
  pubsub?: Pick<PubSub, 'publish'>;
  /** Injectable clock (schedule tests); the default is the wall clock. */
  now?: () => Date;
  /** false: no timers, no nudges; call runDue() (tests with a fake clock). */
  autoStart?: boolean;
}

export interface WebhookWorker {
  /** Attempts every delivery due now and stores the outcomes; resolves with how many. */
  runDue(): Promise<number>;
  addObserver(observer: WebhookObserver): void;
  stats(): { inFlight: number; attempted: number; succeeded: number; failed: number };
  /** Stops claiming, lets attempts in flight finish (each bounded by the timeout), stores them. */
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  message_id: string;
  endpoint_id: string;
  body: string;
  attempts: number;
  created_at: string | Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | Date | null;
}

const asDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/**
 * Delivers the outbox. Due rows are claimed with FOR UPDATE SKIP LOCKED, and claiming moves
 * their next attempt past the lease (timeout + 5 s), so several instances never run one attempt
 * twice, and a crashed instance's attempts are simply due again once the lease ends (receivers
 * dedupe on `webhook-id`). Outcomes are stored in batches.
 */
export function createWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { db, dispatcher, policy, timeoutMs, concurrency, logger } = options;
  const now = options.now ?? (() => new Date());
  const leaseMs = timeoutMs + 5_000;
  const observers: WebhookObserver[] = [];
  const counts = { attempted: 0, succeeded: 0, failed: 0 };
  const running = new Set<Promise<void>>();
  let results: AttemptRecord[] = [];
  let recording: Promise<void> | undefined;
  let claiming: Promise<void> | undefined;
  let again = false;
  let backlog = false;
  let stopped = false;
  const opened = new Map<string, string>();
  const refillAt = Math.max(1, Math.floor(Math.min(concurrency, CLAIM_BATCH) / 4));

  async function secretsOf(row: Claimed, at: Date): Promise<string[]> {
    const box = await options.box();
    const open = (sealed: string) => {
      let secret = opened.get(sealed);
      if (secret === undefined) {
        secret = box.open(sealed);
        if (opened.size > 10_000) opened.clear();
        opened.set(sealed, secret);
      }
      return secret;
    };
    const secrets = [open(row.secret)];
    const expires = row.previous_secret_expires_at;
    if (row.previous_secret && expires && asDate(expires).getTime() > at.getTime())
      secrets.push(open(row.previous_secret));
    return secrets;
  }

  async function claim(limit: number): Promise<Claimed[]> {
    const at = now();
    return queryRows<Claimed>(
      db,
      // Disabled endpoints as an array filter, not a join: joined, a planner without fresh
      // statistics (PGlite never analyzes by itself) walked the due index once per endpoint,
      // and each claim grew with the deliveries behind it (50 → 140 ms in three rounds of
      // 10,000; now 5 ms, flat). The order matches webhook_deliveries_due_idx, so a claim
      // reads its batch, not the whole backlog.
      sql`with due as (
          select d.id from webhook_deliveries d
          where d.status = 'pending' and d.next_attempt_at <= ${at.toISOString()}::timestamptz
            and d.endpoint_id <> all (array(
              select id from webhook_endpoints where disabled_at is not null))
          order by d.next_attempt_at, d.created_at
          limit ${limit}
          for update of d skip locked)
        update webhook_deliveries d
        set next_attempt_at = ${new Date(at.getTime() + leaseMs).toISOString()}::timestamptz
        from due, webhook_endpoints e
        where d.id = due.id and e.id = d.endpoint_id
        returning d.id, d.message_id, d.endpoint_id, d.body, d.attempts, d.created_at, e.url,
          e.secret, e.previous_secret, e.previous_secret_expires_at`,
    );
  }

  async function attempt(row: Claimed): Promise<void> {
    const at = now();
    let response: AttemptResponse;
    let requestHeaders: Record<string, string> = {};
    try {
      requestHeaders = {
        'content-type': 'application/json',
        'user-agent': 'Pulse-Webhooks/1.0',
        ...signatureHeaders(await secretsOf(row, at), row.message_id, at, row.body),
      };
      response = await sendAttempt(
        dispatcher,
        policy,
        { url: row.url, headers: requestHeaders, body: row.body },
        timeoutMs,
        now,
      );
    } catch (error) {
      response = {
        startedAt: at,
        durationMs: 0,
        statusCode: null,
        error: `could not sign: ${(error as Error).message}`,
        responseExcerpt: null,
        retryAfter: null,
      };
    }
    const outcome = outcomeOf(response.statusCode);
    const attempts = row.attempts + 1;
    const ended = now();
    const next =
      outcome === 'failed'
        ? nextAttemptAt(attempts, ended, parseRetryAfter(response.retryAfter, ended))
        : null;
    counts.attempted++;
    if (outcome === 'succeeded') counts.succeeded++;
    else counts.failed++;
    for (const observer of observers) {
      observer.attempt(outcome, response.durationMs / 1000, next !== null);
      if (outcome === 'succeeded')
        observer.delivered((ended.getTime() - asDate(row.created_at).getTime()) / 1000);
    }
    results.push({
      deliveryId: row.id,
      endpointId: row.endpoint_id,
      attempt: attempts,
      outcome,
      response,
      requestHeaders,
      nextAttemptAt: next,
    });
    scheduleRecording();
  }

  function scheduleRecording() {
    recording ??= (async () => {
      await new Promise((resolve) => setTimeout(resolve, RECORD_DELAY_MS));
      while (results.length > 0) {
        const batch = results.slice(0, RECORD_BATCH);
        results = results.slice(batch.length);
        try {
          const disabled = await recordAttempts(db, batch, now());
          for (const endpoint of disabled) {
            if (endpoint.notificationId) {
              options.pubsub?.publish('notification:created', endpoint.ownerId, {
                notificationId: endpoint.notificationId,
              });
            }
          }
        } catch (error) {
          // The lease runs out and the attempts are made again: at least once, never lost.
          logger?.error({ err: error, results: batch.length }, 'webhooks: could not store results');
        }
      }
    })().finally(() => {
      recording = undefined;
      if (results.length > 0) scheduleRecording();
    });
  }

  function launch(row: Claimed) {
    const task = attempt(row)
      .catch((error: unknown) => logger?.error({ err: error }, 'webhooks: attempt failed'))
      .finally(() => {
        running.delete(task);
        // Refill in batches, not one claim per finished attempt.
        if (backlog && (concurrency - running.size >= refillAt || running.size === 0)) pump();
      });
    running.add(task);
  }

  /** Claims what is due into the free slots; one claim statement at a time. */
  function pump(): Promise<void> {
    if (stopped || concurrency === 0) return Promise.resolve();
    if (claiming) {
      again = true;
      return claiming;
    }
    claiming = (async () => {
      do {
        again = false;
        const free = Math.min(concurrency - running.size, CLAIM_BATCH);
        if (free <= 0) {
          backlog = true;
          break;
        }
        const rows = await claim(free);
        backlog = rows.length === free;
        for (const row of rows) launch(row);
        if (backlog) again = true;
      } while (again && !stopped);
    })()
      .catch((error: unknown) => logger?.warn({ err: error }, 'webhooks: could not claim'))
      .finally(() => (claiming = undefined));
    return claiming;
  }

  let followUps: NodeJS.Timeout[] = [];
  function nudged() {
    void pump();
    if (followUps.length > 0) return;
    followUps = NUDGE_FOLLOW_UPS.map((delay, index) =>
      setTimeout(() => {
        if (index === NUDGE_FOLLOW_UPS.length - 1) followUps = [];
        void pump();
      }, delay),
    );
  }

  // Dormant while the database has no endpoint: an instance without webhooks then costs one
  // query every few minutes rather than one a second. Any nudge (an endpoint created or enabled,
  // an event queued on this instance) wakes it.
  let armed = false;
  let lastCheck = 0;
  async function checkArmed() {
    lastCheck = Date.now();
    const [row] = await queryRows<{ any: boolean }>(
      db,
      sql`select exists (select 1 from webhook_endpoints) as any`,
    );
    armed = row?.any === true;
  }
  function tick() {
    if (armed) return void pump();
    if (Date.now() - lastCheck < DORMANT_CHECK_MS) return;
    checkArmed()
      .then(() => (armed ? pump() : undefined))
      .catch((error: unknown) => logger?.warn({ err: error }, 'webhooks: could not check'));
  }

  let poller: NodeJS.Timeout | undefined;
  let pruner: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  if (options.autoStart !== false && concurrency > 0) {
    unsubscribe = onWebhookNudge(() => {
      armed = true;
      nudged();
    });
    poller = setInterval(tick, options.pollIntervalMs);
    poller.unref();
    pruner = setInterval(() => {
      if (!armed) return;
      pruneDeliveries(db, new Date(now().getTime() - options.retentionMs), 5000).catch(
        (error: unknown) => logger?.warn({ err: error }, 'webhooks: could not prune'),
      );
    }, PRUNE_INTERVAL_MS);
    pruner.unref();
    setImmediate(tick);
  }

  async function settle() {
    while (claiming || running.size > 0 || recording) {
      await claiming;
      await Promise.all([...running]);
      await recording;
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    async runDue() {
      const before = counts.attempted;
      for (;;) {
        const rows = await claim(CLAIM_BATCH);
        for (const row of rows) launch(row);
        await settle();
        if (rows.length < CLAIM_BATCH) break;
      }
      return counts.attempted - before;
    },
    addObserver: (observer) => void observers.push(observer),
    stats: () => ({ inFlight: running.size, ...counts }),
    stop() {
      stopping ??= (async () => {
        stopped = true;
        unsubscribe?.();
        clearInterval(poller);
        clearInterval(pruner);
        for (const timer of followUps) clearTimeout(timer);
        await settle();
      })();
      return stopping;
    },
  };
}
