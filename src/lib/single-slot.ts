/**
 * A subscriber's end of a live feed: an async iterator with one slot. A slow consumer holds at
 * most one value, the latest acceptable one, so a hub never queues per subscriber. graphql-ws and
 * yoga pull one value at a time.
 */
export abstract class SingleSlotSubscriber<In, Out> implements AsyncIterableIterator<Out> {
  /** The value waiting for the consumer's next(), if any. */
  pending: In | undefined;
  private waiting: ((result: IteratorResult<Out>) => void) | null = null;
  private done = false;

  /** Whether an offered value replaces what is pending (or is worth sending). */
  protected abstract accepts(value: In): boolean;
  /** Turns the value into the message the consumer receives, as it is handed over. */
  protected abstract take(value: In): Out;
  /** Removes the subscriber from its hub (called once, by close()). */
  protected abstract leave(): void;

  offer(value: In) {
    if (this.done || !this.accepts(value)) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ done: false, value: this.take(value) });
    } else {
      this.pending = value;
    }
  }

  next(): Promise<IteratorResult<Out>> {
    if (this.pending !== undefined) {
      const value = this.pending;
      this.pending = undefined;
      return Promise.resolve({ done: false, value: this.take(value) });
    }
    if (this.done) return Promise.resolve({ done: true, value: undefined });
    // A second concurrent next() is a bug in the caller.
    if (this.waiting) return Promise.reject(new Error('next() called while another is pending'));
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Leaves the hub at once and ends a waiting next(). */
  close() {
    if (this.done) return;
    this.done = true;
    this.pending = undefined;
    this.leave();
    const wake = this.waiting;
    this.waiting = null;
    wake?.({ done: true, value: undefined });
  }

  // Unlike an async generator's, this return() takes effect at once, even while next() waits:
  // a client's `complete` must release the hub's resources immediately.
  return(): Promise<IteratorResult<Out>> {
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<Out>> {
    this.close();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
