const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Svix's schedule: the first attempt at once, then retries 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h after each failure: eight attempts over about 27.6 hours. Index n: the wait before
 * attempt n + 1.
 */
export const RETRY_DELAYS_MS = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;

/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * DAY;

/** A Retry-After beyond this is capped: a receiver cannot park a message for longer. */
export const MAX_RETRY_AFTER_MS = DAY;

/**
 * When to try again after `attempts` failed attempts, or null when the message is exhausted.
 * A Retry-After longer than the schedule's wait is honoured (capped at a day).
 */
export function nextAttemptAt(
  attempts: number,
  now: Date,
  retryAfterMs: number | null,
): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const scheduled = RETRY_DELAYS_MS[attempts]!;
  const wait = Math.max(scheduled, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  return new Date(now.getTime() + wait);
}

/** Retry-After as milliseconds from `now`: delta seconds or an HTTP date; null if absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now.getTime());
}

export type AttemptOutcome = 'succeeded' | 'failed' | 'gone';

/** Any 2xx is success; 410 Gone disables the endpoint at once; everything else (3xx too) fails. */
export function outcomeOf(statusCode: number | null): AttemptOutcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'succeeded';
  if (statusCode === 410) return 'gone';
  return 'failed';
}
