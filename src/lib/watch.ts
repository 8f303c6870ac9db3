import { Repeater } from 'graphql-yoga';

/**
 * A subscription of one row: its state now, then each committed change (re-read, so changes
 * announced out of order never go backwards), until `done` holds or the server shuts down.
 * `changes` must already be listening (listenNow) so nothing between the read and the stream
 * is missed.
 */
export async function watchUntilDone<T>(options: {
  changes: AsyncIterableIterator<unknown>;
  load: () => Promise<T | null>;
  same: (a: T, b: T) => boolean;
  done: (value: T) => boolean;
  notFound: () => Error;
  signal: AbortSignal;
}): Promise<Repeater<T>> {
  const { changes, load, signal } = options;
  const current = await load().catch(async (error: unknown) => {
    await changes.return?.();
    throw error;
  });
  if (!current) {
    await changes.return?.();
    throw options.notFound();
  }
  return new Repeater<T>(async (push, stop) => {
    const shutdown = () => stop();
    signal.addEventListener('abort', shutdown, { once: true });
    if (signal.aborted) shutdown();
    void stop.then(() => {
      signal.removeEventListener('abort', shutdown);
      return changes.return?.();
    });
    let last = current;
    await push(last);
    if (options.done(last)) return stop();
    for await (const _ of changes) {
      const now = await load();
      if (!now) break;
      if (options.same(now, last)) continue;
      last = now;
      await push(now);
      if (options.done(now)) break;
    }
    stop();
  });
}
