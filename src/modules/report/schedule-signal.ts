/**
 * In-process wake-up for the scheduler: saving a schedule nudges it, so it need not poll the
 * reports table while nothing is due (other instances find the change at their next look).
 */
const listeners = new Set<() => void>();

export function nudgeScheduler(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` on every nudge until the returned function is called. */
export function onSchedulerNudge(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
