/**
 * Ends an async iteration when `signal` aborts, even while it waits for the next value, so live
 * streams complete cleanly on shutdown instead of holding connections open.
 */
export async function* untilAborted<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  if (signal.aborted) return;
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<IteratorReturnResult<undefined>>((resolve) =>
    signal.addEventListener('abort', () => resolve({ done: true, value: undefined }), {
      once: true,
    }),
  );
  try {
    while (true) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
