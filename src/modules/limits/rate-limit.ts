import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Db } from '../../db/client.js';
import type { ProtectionConfig, Tier, TierLimits } from '../../env.js';

export type WindowName = 'minute' | 'day';

/** One window's state after an operation, as the `RateLimit` header and `extensions` report it. */
export interface WindowState {
  name: WindowName;
  limit: number;
  remaining: number;
  /** Seconds until this window's counter starts again. */
  resetSeconds: number;
  /** Window length in seconds (the policy's `w`). */
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  tier: Tier;
  windows: WindowState[];
  /** Set when refused: which window is exhausted and how long until it frees up. */
  exceeded?: WindowName;
  retryAfterSeconds?: number;
}

const MINUTE = 60;
const DAY = 86_400;

export const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

/** Seconds from `now` to the next UTC midnight (at least 1). */
export function secondsUntilUtcMidnight(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - now) / 1000));
}

const TIERS: Tier[] = ['free', 'pro', 'enterprise', 'anonymous'];

type StoreStatus = 'memory' | 'ready' | 'fallback';

interface StoreFactory {
  create(points: number, duration: number, keyPrefix: string): RateLimiterAbstract;
  status(): StoreStatus;
  close(): Promise<void>;
}

function memoryStore(): StoreFactory {
  return {
    create: (points, duration, keyPrefix) => new RateLimiterMemory({ points, duration, keyPrefix }),
    status: () => 'memory',
    close: async () => {},
  };
}

/**
 * Redis: shared by every instance. While Redis is unreachable each limiter answers from its
 * in-memory insurance limiter (per-instance limits, logged) and returns to Redis once it is back.
 */
function redisStore(url: string, logger: Logger): StoreFactory {
  let down = false;
  const redis = new Redis(url, {
    // Fail fast instead of queueing commands while disconnected: the insurance limiter answers.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let closing = false;
  const wentDown = (error?: Error) => {
    if (down || closing) return;
    down = true;
    logger.warn(
      { err: error },
      'rate-limit store (Redis) unreachable: using per-instance in-memory limits until it is back',
    );
  };
  redis.on('error', (error: Error) => wentDown(error));
  redis.on('close', () => wentDown());
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('rate-limit store (Redis) reachable again: shared limits resumed');
  });
  return {
    create: (points, duration, keyPrefix) =>
      new RateLimiterRedis({
        storeClient: redis,
        points,
        duration,
        keyPrefix: `pulse:rl:${keyPrefix}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration, keyPrefix }),
      }),
    status: () => (redis.status === 'ready' ? 'ready' : 'fallback'),
    close: async () => {
      closing = true;
      redis.disconnect();
    },
  };
}

/**
 * rate-limiter-flexible's PostgreSQL limiter speaks to `pg`, Knex, Sequelize or TypeORM, not to
 * postgres.js or PGlite; its "pool" mode needs only `query({ text, values })`, which this adapts.
 * The library creates and prunes its own table (`pulse_rate_limits`), outside the migrations.
 */
function postgresStore(db: Db, logger: Logger): StoreFactory {
  const client = (db as unknown as { $client: unknown }).$client as
    | { unsafe: (text: string, values: unknown[]) => Promise<Record<string, unknown>[]> }
    | {
        query: (
          text: string,
          values: unknown[],
        ) => Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }>;
      };
  const pool = {
    async query({ text, values = [] }: { text: string; values?: unknown[] }) {
      const rows =
        'unsafe' in client
          ? await client.unsafe(text, values)
          : (await client.query(text, values)).rows;
      // bigint columns arrive as strings or BigInts depending on the driver.
      const normalized = rows.map((row) => ({
        points: Number(row['points']),
        expire:
          row['expire'] === null || row['expire'] === undefined ? null : Number(row['expire']),
      }));
      return { rows: normalized, rowCount: normalized.length };
    },
  };
  let failing = false;
  let creating = 0;
  return {
    create: (points, duration, keyPrefix) => {
      creating += 1;
      return new RateLimiterPostgres(
        {
          storeClient: pool,
          storeType: 'pool',
          tableName: 'pulse_rate_limits',
          // The table comes from the migrations (src/db/schema.ts rateLimitTable).
          tableCreated: true,
          points,
          duration,
          keyPrefix,
          insuranceLimiter: new RateLimiterMemory({ points, duration, keyPrefix }),
        },
        (error?: Error) => {
          if (!error) {
            creating -= 1;
          } else if (!failing) {
            failing = true;
            logger.warn(
              { err: error },
              'rate-limit store (PostgreSQL) unavailable: using per-instance in-memory limits',
            );
          }
        },
      );
    },
    // Until its table exists a limiter answers from its in-memory insurance limiter.
    status: () => (failing || creating > 0 ? 'fallback' : 'ready'),
    close: async () => {},
  };
}

/**
 * Per-tier rate limits: a fixed one-minute window from the first operation, and a daily quota
 * keyed by the UTC date (so it starts again at UTC midnight). Atomic per store: concurrent
 * operations on one key are counted by a single increment each.
 */
export class RateLimits {
  private readonly store: StoreFactory;
  private readonly minute = new Map<Tier, RateLimiterAbstract>();
  private readonly day = new Map<Tier, RateLimiterAbstract>();

  constructor(
    private readonly config: ProtectionConfig,
    db: Db,
    private readonly logger: Logger,
  ) {
    const { enabled, store, redisUrl } = config.rateLimit;
    // Disabled: nothing is counted, so no shared store is contacted either.
    this.store = !enabled
      ? memoryStore()
      : store === 'redis' && redisUrl
        ? redisStore(redisUrl, logger)
        : store === 'postgres'
          ? postgresStore(db, logger)
          : memoryStore();
    for (const tier of TIERS) {
      const limits = config.tiers[tier];
      this.minute.set(tier, this.store.create(limits.perMinute, MINUTE, `${tier}:minute`));
      if (limits.perDay !== null) {
        // Keys carry the date; the duration only makes yesterday's counter expire.
        this.day.set(tier, this.store.create(limits.perDay, DAY, `${tier}:day`));
      }
    }
  }

  get enabled() {
    return this.config.rateLimit.enabled;
  }

  limitsOf(tier: Tier): TierLimits {
    return this.config.tiers[tier];
  }

  /** 'memory' (per instance), 'ready' (shared store answering) or 'fallback'. */
  storeStatus(): StoreStatus {
    return this.store.status();
  }

  /** Counts one operation for `key`; refused when the minute or the day is used up. */
  async consume(key: string, tier: Tier): Promise<RateDecision> {
    const limits = this.limitsOf(tier);
    const now = Date.now();
    const minute = await this.settle(this.minute.get(tier)!.consume(key, 1));
    const minuteState = this.windowState('minute', limits.perMinute, MINUTE, minute.res);
    const dayLimiter = this.day.get(tier);
    const dayKey = `${key}:${utcDay(now)}`;
    const untilMidnight = secondsUntilUtcMidnight(now);
    if (!minute.ok) {
      const windows = [minuteState];
      if (dayLimiter && limits.perDay !== null) {
        const current = await dayLimiter.get(dayKey).catch(() => null);
        windows.push(this.dayState(limits.perDay, current, untilMidnight));
      }
      return {
        allowed: false,
        tier,
        windows,
        exceeded: 'minute',
        retryAfterSeconds: Math.max(1, minuteState.resetSeconds),
      };
    }
    if (!dayLimiter || limits.perDay === null) {
      return { allowed: true, tier, windows: [minuteState] };
    }
    const day = await this.settle(dayLimiter.consume(dayKey, 1, { customDuration: untilMidnight }));
    const dayState = this.dayState(limits.perDay, day.res, untilMidnight);
    if (!day.ok) {
      return {
        allowed: false,
        tier,
        windows: [minuteState, dayState],
        exceeded: 'day',
        retryAfterSeconds: untilMidnight,
      };
    }
    return { allowed: true, tier, windows: [minuteState, dayState] };
  }

  /** The windows' state for `key` without counting anything (for the usage query). */
  async peek(key: string, tier: Tier): Promise<WindowState[]> {
    const limits = this.limitsOf(tier);
    const now = Date.now();
    const minute = await this.minute
      .get(tier)!
      .get(key)
      .catch(() => null);
    const windows = [this.windowState('minute', limits.perMinute, MINUTE, minute)];
    const dayLimiter = this.day.get(tier);
    if (dayLimiter && limits.perDay !== null) {
      const day = await dayLimiter.get(`${key}:${utcDay(now)}`).catch(() => null);
      windows.push(this.dayState(limits.perDay, day, secondsUntilUtcMidnight(now)));
    }
    return windows;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** Resolves a limiter's answer; a store error (no insurance left) lets the operation through. */
  private async settle(
    consumed: Promise<RateLimiterRes>,
  ): Promise<{ ok: boolean; res: RateLimiterRes | null }> {
    try {
      return { ok: true, res: await consumed };
    } catch (error) {
      if (error instanceof RateLimiterRes) return { ok: false, res: error };
      this.logger.error({ err: error }, 'rate limiter failed; operation allowed');
      return { ok: true, res: null };
    }
  }

  private windowState(
    name: WindowName,
    limit: number,
    windowSeconds: number,
    res: RateLimiterRes | null,
  ): WindowState {
    const consumed = res?.consumedPoints ?? 0;
    return {
      name,
      limit,
      remaining: Math.max(0, limit - consumed),
      resetSeconds:
        res && res.msBeforeNext > 0 ? Math.ceil(res.msBeforeNext / 1000) : windowSeconds,
      windowSeconds,
    };
  }

  private dayState(limit: number, res: RateLimiterRes | null, untilMidnight: number): WindowState {
    return { ...this.windowState('day', limit, DAY, res), resetSeconds: untilMidnight };
  }
}

const policyName = (window: WindowState) => `"${window.name}"`;

/** `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers): every quota of the tier. */
export const rateLimitPolicyHeader = (windows: WindowState[]) =>
  windows
    .map((window) => `${policyName(window)};q=${window.limit};w=${window.windowSeconds}`)
    .join(', ');

/** `RateLimit`: what is left of each quota and when it resets. */
export const rateLimitHeader = (windows: WindowState[]) =>
  windows
    .map((window) => `${policyName(window)};r=${window.remaining};t=${window.resetSeconds}`)
    .join(', ');
