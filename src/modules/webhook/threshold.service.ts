import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/raw.js';
import {
  METRIC_KEYS,
  videoTable,
  webhookThresholdRuleTable,
  type MetricKey,
  type WebhookThresholdRule,
} from '../../db/schema.js';
import type { PubSub } from '../../lib/pubsub.js';
import { metricColumn } from '../common/metric-keys.js';
import { fail, ok, userError, validateInput, type MutationResult } from '../common/user-error.js';
import { emitWebhookEvent } from './events.js';
import { videoPayload } from './payloads.js';

/** Rules one account may have. */
export const MAX_THRESHOLD_RULES = 50;

const ruleInput = z.object({
  metric: z.enum(METRIC_KEYS),
  direction: z.enum(['above', 'below']),
  threshold: z.number().int().min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER),
  windowMinutes: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(7 * 24 * 60, 'must be at most 10080 (7 days)'),
});

const r = webhookThresholdRuleTable;

/** Watchers on this instance, told at once when an owner gets a rule. */
const watchers = new Set<(ownerId: string) => void>();

/** Creates a rule on a video of the owner's (or the whole account, without `videoId`). */
export async function createThresholdRule(
  db: Db,
  ownerId: string,
  input: z.input<typeof ruleInput> & { videoId?: string | null },
): Promise<MutationResult<WebhookThresholdRule>> {
  const valid = validateInput(ruleInput, input);
  if (!valid.ok) return valid;
  if (input.videoId) {
    const [video] = await db
      .select({ id: videoTable.id })
      .from(videoTable)
      .where(and(eq(videoTable.id, input.videoId), eq(videoTable.ownerId, ownerId)));
    if (!video) return fail(userError(['input', 'video'], 'NOT_FOUND', 'Video not found.'));
  }
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(r)
    .where(eq(r.ownerId, ownerId));
  if ((row?.count ?? 0) >= MAX_THRESHOLD_RULES) {
    return fail(userError([], 'LIMIT_REACHED', `At most ${MAX_THRESHOLD_RULES} threshold rules.`));
  }
  const [rule] = await db
    .insert(r)
    .values({ ownerId, videoId: input.videoId ?? null, ...valid.value })
    .returning();
  for (const watcher of watchers) watcher(ownerId);
  return ok(rule!);
}

export function listThresholdRules(db: Db, ownerId: string): Promise<WebhookThresholdRule[]> {
  return db.select().from(r).where(eq(r.ownerId, ownerId)).orderBy(asc(r.createdAt), asc(r.id));
}

export function loadThresholdRulesByIds(db: Db, ownerId: string, ids: readonly string[]) {
  return db
    .select()
    .from(r)
    .where(and(inArray(r.id, [...ids]), eq(r.ownerId, ownerId)));
}

export async function deleteThresholdRule(
  db: Db,
  ownerId: string,
  id: string | null,
): Promise<MutationResult<string>> {
  const deleted = id
    ? await db
        .delete(r)
        .where(and(eq(r.id, id), eq(r.ownerId, ownerId)))
        .returning({ id: r.id })
    : [];
  return deleted[0]
    ? ok(deleted[0].id)
    : fail(userError(['input', 'id'], 'NOT_FOUND', 'No such threshold rule (or it is not yours).'));
}

/** The rule's metric summed over its window (event time), for its video or the whole account. */
async function windowValue(db: Db, rule: WebhookThresholdRule, now: Date): Promise<number> {
  const since = new Date(now.getTime() - rule.windowMinutes * 60_000).toISOString();
  const [row] = await queryRows<{ value: string | number | null }>(
    db,
    sql`select coalesce(sum(e.delta), 0) as value
      from metric_events e
      ${rule.videoId ? sql`join publications p on p.id = e.publication_id and p.video_id = ${rule.videoId}::uuid` : sql``}
      where e.owner_id = ${rule.ownerId}::uuid
        and e.metric = ${metricColumn(rule.metric as MetricKey)}::metric
        and e.occurred_at > ${since}::timestamptz and e.occurred_at <= ${now.toISOString()}::timestamptz`,
  );
  return Number(row?.value ?? 0);
}

/**
 * Evaluates the owners' rules after a committed ingest batch. A rule fires (a `metrics.threshold`
 * event, in the transaction that marks it active) when its comparison becomes true, and is
 * re-armed once it is false again; the conditional update keeps two evaluations from both firing.
 */
export async function evaluateThresholdRules(
  db: Db,
  ownerIds: readonly string[],
  now = new Date(),
): Promise<number> {
  if (ownerIds.length === 0) return 0;
  const rules = await db
    .select()
    .from(r)
    .where(inArray(r.ownerId, [...ownerIds]));
  let fired = 0;
  for (const rule of rules) {
    const value = await windowValue(db, rule, now);
    const holds = rule.direction === 'above' ? value > rule.threshold : value < rule.threshold;
    if (holds === rule.active) continue;
    const changed = await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(r)
        .set({ active: holds, lastValue: value, ...(holds ? { lastFiredAt: now } : {}) })
        .where(and(eq(r.id, rule.id), eq(r.active, rule.active)))
        .returning();
      if (!updated || !holds) return false;
      const [video] = rule.videoId
        ? await tx
            .select({ id: videoTable.id, title: videoTable.title })
            .from(videoTable)
            .where(eq(videoTable.id, rule.videoId))
        : [];
      await emitWebhookEvent(tx, {
        ownerId: rule.ownerId,
        type: 'metrics.threshold',
        scope: 'read:analytics',
        occurredAt: now,
        data: {
          rule: {
            id: encodeGlobalID('WebhookThresholdRule', rule.id),
            metric: metricColumn(rule.metric as MetricKey).toUpperCase(),
            direction: rule.direction.toUpperCase(),
            threshold: rule.threshold,
            windowMinutes: rule.windowMinutes,
          },
          video: video ? videoPayload(video) : null,
          value,
          at: now.toISOString(),
        },
      });
      return true;
    });
    if (changed) fired++;
  }
  return fired;
}

/** How often the set of owners with rules is re-read (rules created on other instances). */
const OWNERS_REFRESH_MS = 300_000;

/**
 * Listens to committed ingest batches and evaluates the rules of the owners in them, one
 * evaluation at a time (owners seen meanwhile are folded into the next one). Only owners known
 * to have rules are evaluated, so ingestion without rules costs no statement: the set is read at
 * start and every 5 minutes, and rules created on this instance join it at once.
 */
export function watchThresholds(deps: {
  db: Db;
  pubsub: Pick<PubSub, 'subscribe'>;
  logger?: Pick<Logger, 'warn'>;
  now?: () => Date;
}): { settled(): Promise<void>; stop(): Promise<void> } {
  const commits = deps.pubsub.subscribe('metrics:committed')[Symbol.asyncIterator]();
  let owners = new Set<string>();
  let refreshedAt = 0;
  const refresh = async () => {
    refreshedAt = Date.now();
    const rows = await deps.db.selectDistinct({ ownerId: r.ownerId }).from(r);
    owners = new Set(rows.map((row) => row.ownerId));
  };
  const noted = (ownerId: string) => void owners.add(ownerId);
  watchers.add(noted);
  const refreshed = refresh().catch((error: unknown) =>
    deps.logger?.warn({ err: error }, 'webhooks: could not read threshold rules'),
  );
  let waiting = new Set<string>();
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      while (waiting.size > 0) {
        const owners = [...waiting];
        waiting = new Set();
        await evaluateThresholdRules(deps.db, owners, deps.now?.()).catch((error: unknown) =>
          deps.logger?.warn({ err: error }, 'webhooks: could not evaluate threshold rules'),
        );
      }
    })().finally(() => (running = undefined));
  };
  const loop = (async () => {
    for (;;) {
      const next = await commits.next();
      if (next.done) return;
      await refreshed;
      if (Date.now() - refreshedAt > OWNERS_REFRESH_MS) await refresh().catch(() => undefined);
      for (const change of next.value.videos)
        if (owners.has(change.ownerId)) waiting.add(change.ownerId);
      if (waiting.size > 0) run();
    }
  })();
  return {
    async settled() {
      while (running) await running;
    },
    async stop() {
      watchers.delete(noted);
      await commits.return?.();
      await loop;
      while (running) await running;
    },
  };
}
