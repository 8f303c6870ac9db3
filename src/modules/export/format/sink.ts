import { ExportTooLargeError, type ExportOutput, type WriteOptions } from './types.js';

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The export was aborted', 'AbortError');
}

/**
 * The one way bytes reach the caller's stream: counts them, enforces maxBytes before the write
 * that would pass it, waits for 'drain' (back-pressure), and gives up when the signal aborts.
 * After a failure every later write rejects with the same error, so no writer can go on.
 */
export class ByteSink {
  bytes = 0;
  private failure: Error | null = null;

  /** The output failing between two writes (a full disk, a closed socket) fails the export. */
  private readonly onOutputError = (error: Error) => this.fail(error);

  constructor(
    private readonly out: ExportOutput,
    private readonly options: WriteOptions,
  ) {
    out.on('error', this.onOutputError);
  }

  /** Stops listening to the output; the export is over either way. */
  dispose(): void {
    this.out.removeListener('error', this.onOutputError);
  }

  get error(): Error | null {
    return this.failure;
  }

  /** Throws the first failure: an earlier write's, or an abort. */
  check(): void {
    if (!this.failure && this.options.signal?.aborted)
      this.failure = abortReason(this.options.signal);
    if (this.failure) throw this.failure;
  }

  fail(error: Error): void {
    this.failure ??= error;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    this.check();
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.length === 0) return;
    const limit = this.options.maxBytes;
    if (limit !== undefined && this.bytes + data.length > limit) {
      this.fail(new ExportTooLargeError(limit));
      this.check();
    }
    this.bytes += data.length;
    if (!this.out.write(data)) await this.waitFor('drain');
  }

  /** Ends the output and waits until it has flushed everything ('finish'). */
  async end(): Promise<void> {
    this.check();
    const finished = this.waitFor('finish');
    this.out.end();
    await finished;
  }

  private waitFor(event: 'drain' | 'finish'): Promise<void> {
    const { out } = this;
    const signal = this.options.signal;
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        out.removeListener(event, onEvent);
        out.removeListener('error', onError);
        out.removeListener('close', onClose);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          this.fail(error);
          reject(error);
        } else resolve();
      };
      const onEvent = () => done();
      const onError = (error: Error) => done(error);
      const onClose = () => done(new Error(`The export's output closed before '${event}'`));
      const onAbort = () => done(abortReason(signal!));
      out.on(event, onEvent);
      out.on('error', onError);
      out.on('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * The document's chunks, stopping (and so closing the source iterator) on abort or after a
 * failed write; reports progress after each chunk.
 */
export async function* readChunks<T>(
  source: AsyncIterable<T[]>,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
): AsyncGenerator<T[]> {
  sink.check();
  for await (const chunk of source) {
    sink.check();
    yield chunk;
    sink.check();
    counter.rows += chunk.length;
    options.onProgress?.(counter.rows);
  }
}
