/**
 * In-process wake-up for the delivery workers: emitting events nudges them, so a delivery need
 * not wait for the next poll. The nudge may arrive before the emitting transaction commits; the
 * worker then looks again shortly after (see worker.ts), and the poll is the backstop.
 */
const listeners = new Set<() => void>();

export function nudgeWebhookWorkers(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` on every nudge until the returned function is called. */
export function onWebhookNudge(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
