import { and, eq, inArray } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import {
  METRIC_KEYS,
  publicationTable,
  type MetricKey,
  type Platform,
  type Publication,
} from '../../db/schema.js';
import type { IngestEvent } from './apply-batch.js';
import type { IngestWriter } from './writer.js';
import { isStorableText } from '../common/input.js';

/** Which publication an event counts for: exactly one of the three addressing forms. */
export type EventTarget =
  | { kind: 'publication'; publicationId: string }
  | { kind: 'video'; videoId: string; platform: Platform | null }
  | { kind: 'post'; platform: Platform; platformPostId: string };

/**
 * The addressing rules, in one place: exactly one of publication, video or platform post id;
 * `platform` goes with a video (to pick among its publications) or a post id, never alone.
 */
export function eventTarget(parts: {
  publicationId?: string | null | undefined;
  videoId?: string | null | undefined;
  platform?: Platform | null | undefined;
  platformPostId?: string | null | undefined;
}): EventTarget | null {
  const given = [parts.publicationId, parts.videoId, parts.platformPostId].filter(
    (part) => part != null,
  );
  if (given.length !== 1) return null;
  if (parts.publicationId)
    return parts.platform ? null : { kind: 'publication', publicationId: parts.publicationId };
  if (parts.videoId)
    return { kind: 'video', videoId: parts.videoId, platform: parts.platform ?? null };
  return parts.platform && parts.platformPostId
    ? { kind: 'post', platform: parts.platform, platformPostId: parts.platformPostId }
    : null;
}

export interface MetricEventInput {
  id: string;
  target: EventTarget | null;
  metric: MetricKey | null;
  delta: number | null;
  total: number | null;
  occurredAt: Date | null;
}

export interface IngestLimits {
  /** Events older than this are refused. */
  maxEventAgeMs: number;
  /** Events further in the future than this are refused (clock skew allowance). */
  maxFutureMs: number;
}

export type ItemErrorCode = 'INVALID' | 'NOT_FOUND' | 'AMBIGUOUS';
export interface ItemError {
  index: number;
  id: string | null;
  code: ItemErrorCode;
  message: string;
}

export interface IngestReport {
  accepted: number;
  duplicates: number;
  rejected: ItemError[];
}

/** Largest increment one event may carry; anything larger is a client bug, not traffic. */
export const MAX_DELTA = 1_000_000_000_000;
const MAX_ID_LENGTH = 200;

export const isMetricKey = (value: string): value is MetricKey =>
  (METRIC_KEYS as readonly string[]).includes(value);

function validate(input: MetricEventInput, now: number, limits: IngestLimits): string | null {
  if (input.id.length === 0 || input.id.length > MAX_ID_LENGTH)
    return `id must be 1–${MAX_ID_LENGTH} characters`;
  // Ids are stored and looked up as text: refused here, never failing a statement.
  if (!isStorableText(input.id)) return 'id may not contain U+0000 or unpaired surrogates';
  if (!input.target)
    return 'name the publication: publication, video (+ platform), or platform + platformPostId';
  if (input.target.kind === 'post') {
    const postId = input.target.platformPostId;
    if (postId.length > MAX_ID_LENGTH)
      return `platformPostId must be 1–${MAX_ID_LENGTH} characters`;
    if (!isStorableText(postId))
      return 'platformPostId may not contain U+0000 or unpaired surrogates';
  }
  if (!input.metric) return `metric must be one of ${METRIC_KEYS.join(', ')}`;
  if ((input.delta === null) === (input.total === null))
    return 'give exactly one of delta and total';
  const amount = input.delta ?? input.total!;
  if (!Number.isSafeInteger(amount) || amount < 0)
    return 'delta and total must be non-negative integers';
  if (input.delta !== null && input.delta > MAX_DELTA) return `delta must be at most ${MAX_DELTA}`;
  const at = input.occurredAt?.getTime() ?? now;
  if (Number.isNaN(at)) return 'occurredAt must be a date-time';
  if (at > now + limits.maxFutureMs) return 'occurredAt is in the future';
  if (at < now - limits.maxEventAgeMs) return 'occurredAt is older than the accepted window';
  return null;
}

/**
 * Loads every publication of the owner the events may refer to, in three statements at most.
 * Only the owner's: another account's content is not looked at, so every addressing form
 * (ambiguity included) answers for it exactly as for content that does not exist.
 */
async function loadTargets(
  db: Db,
  ownerId: string,
  targets: EventTarget[],
): Promise<Publication[]> {
  const ids = (kind: EventTarget['kind'], pick: (t: any) => string) => [
    ...new Set(targets.filter((t) => t.kind === kind).map(pick)),
  ];
  const publicationIds = ids('publication', (t) => t.publicationId);
  const videoIds = ids('video', (t) => t.videoId);
  const postIds = ids('post', (t) => t.platformPostId);
  const owned = (column: PgColumn, values: string[]) =>
    values.length
      ? db
          .select()
          .from(publicationTable)
          .where(and(eq(publicationTable.ownerId, ownerId), inArray(column, values)))
      : [];
  const [byId, byVideo, byPost] = await Promise.all([
    owned(publicationTable.id, publicationIds),
    owned(publicationTable.videoId, videoIds),
    owned(publicationTable.platformPostId, postIds),
  ]);
  // The same publication may be named in several ways within one request.
  return [...new Map([...byId, ...byVideo, ...byPost].map((p) => [p.id, p])).values()];
}

type Unresolved = { code: Exclude<ItemErrorCode, 'INVALID'>; message: string };

const NO_SUCH_PUBLICATION: Unresolved = { code: 'NOT_FOUND', message: 'no such publication' };

function resolve(target: EventTarget, publications: Publication[]): Publication | Unresolved {
  switch (target.kind) {
    case 'publication':
      return publications.find((p) => p.id === target.publicationId) ?? NO_SUCH_PUBLICATION;
    case 'post':
      return (
        publications.find(
          (p) => p.platform === target.platform && p.platformPostId === target.platformPostId,
        ) ?? NO_SUCH_PUBLICATION
      );
    case 'video': {
      const ofVideo = publications.filter((p) => p.videoId === target.videoId);
      const candidates = ofVideo.filter(
        (p) => target.platform === null || p.platform === target.platform,
      );
      if (candidates.length === 1) return candidates[0]!;
      // Only the owner's publications were loaded, so naming their platforms reveals nothing.
      const platforms = ofVideo
        .map((p) => p.platform.toUpperCase())
        .sort()
        .join(', ');
      if (candidates.length > 1) {
        return {
          code: 'AMBIGUOUS',
          message: `the video has several publications (${platforms}): add platform`,
        };
      }
      if (ofVideo.length === 0) return NO_SUCH_PUBLICATION;
      return {
        code: 'NOT_FOUND',
        message: `the video is not published on ${target.platform!.toUpperCase()}; it is on ${platforms}`,
      };
    }
  }
}

/**
 * Validates and resolves each event among the owner's publications, then writes the valid ones
 * in one transaction (they are acknowledged together, after commit). Invalid ones are reported
 * per item. An event naming another account's content is NOT_FOUND, byte for byte what naming
 * nothing gives, and the request's other events are stored as they would be beside any
 * NOT_FOUND: the answer never tells whether someone else's content exists.
 */
export async function recordMetrics(
  db: Db,
  writer: IngestWriter,
  ownerId: string,
  inputs: MetricEventInput[],
  limits: IngestLimits,
  now = Date.now(),
): Promise<IngestReport> {
  const errors: ItemError[] = [];
  const valid: { index: number; input: MetricEventInput }[] = [];
  inputs.forEach((input, index) => {
    const problem = validate(input, now, limits);
    if (problem) errors.push({ index, id: input.id || null, code: 'INVALID', message: problem });
    else valid.push({ index, input });
  });

  const publications = await loadTargets(
    db,
    ownerId,
    valid.map(({ input }) => input.target!),
  );
  const events: IngestEvent[] = [];
  for (const { index, input } of valid) {
    const found = resolve(input.target!, publications);
    if ('code' in found) {
      errors.push({ index, id: input.id, ...found });
    } else {
      events.push({
        ownerId,
        eventId: input.id,
        publicationId: found.id,
        videoId: found.videoId,
        channelId: found.channelId,
        platform: found.platform,
        metric: input.metric!,
        delta: input.delta,
        total: input.total,
        occurredAt: input.occurredAt ?? new Date(now),
      });
    }
  }

  const outcomes = await writer.submit(events);
  errors.sort((a, b) => a.index - b.index);
  return {
    accepted: outcomes.filter((outcome) => outcome === 'accepted').length,
    duplicates: outcomes.filter((outcome) => outcome === 'duplicate').length,
    rejected: errors,
  };
}
