/**
 * Merges pub/sub subscriptions and starts listening at once. A pub/sub subscription (a Repeater)
 * registers its listener only on its first `next()`, so a resolver that subscribes, then reads
 * the current state, then returns a lazy stream would miss what is published in between.
 * `return()` takes effect at once, even while `next()` waits, and releases every source.
 */
export function listenNow<T>(sources: readonly AsyncIterable<T>[]): AsyncIterableIterator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pull = (index: number) => iterators[index]!.next().then((result) => ({ index, result }));
  const pending = iterators.map((_, index) => pull(index));
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= Promise.all(iterators.map((iterator) => iterator.return?.())).then(() => {}));
  const done = { done: true, value: undefined } as const;

  return {
    async next(): Promise<IteratorResult<T>> {
      if (closed) return done;
      const { index, result } = await Promise.race(pending);
      if (result.done || closed) {
        await close();
        return done;
      }
      pending[index] = pull(index);
      return { done: false, value: result.value };
    },
    async return(): Promise<IteratorResult<T>> {
      await close();
      return done;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
