import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../context.js';
import { problemResponse } from '../../errors.js';
import { invalidCredentials } from './authenticate.js';
import type { CredentialSessions } from './socket-sessions.js';

const CREDENTIAL_PARAMS = new Set(['api_key', 'apikey', 'access_token', 'token', 'key']);
const PULSE_KEY = /pulse_[0-9A-Za-z]{50}/;
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\./;

/**
 * Whether a URL carries a credential in its query string. URLs end up in proxy logs, browser
 * history and Referer headers, so such requests are refused outright, whatever else they carry.
 */
export function hasCredentialInUrl(url: string | URL | undefined): boolean {
  if (!url) return false;
  const parsed = typeof url === 'string' ? URL.parse(url, 'http://pulse.invalid') : url;
  if (!parsed) return false;
  for (const [name, value] of parsed.searchParams) {
    if (CREDENTIAL_PARAMS.has(name.toLowerCase()) && value !== '') return true;
    if (PULSE_KEY.test(value) || JWT.test(value)) return true;
  }
  return false;
}

/** 401 before anything parses or logs the request when its URL carries a credential. */
export function useRefuseCredentialsInUrl(): Plugin {
  return {
    onRequest({ url, endResponse }) {
      if (!hasCredentialInUrl(url)) return;
      endResponse(
        problemResponse(
          401,
          'UNAUTHENTICATED',
          'Credentials in the URL are refused: send them in the Authorization header.',
          { 'www-authenticate': 'Bearer realm="pulse", error="invalid_request"' },
        ),
      );
    },
  };
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Passes `source` through until `signal` aborts; then sends `last` and completes. A plain
 * iterator rather than an async generator, so the consumer's `return()` (a client going away)
 * reaches the source at once instead of queueing behind a pending `next()`.
 */
function endOnAbort<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
  last: T,
  release: () => void,
): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) =>
    signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
  );
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    release();
  };
  const endWithLast = (): IteratorResult<T> => {
    finish();
    // Not awaited: a source suspended in an await only returns once that settles.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    return { done: false, value: last };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (done) return { done: true, value: undefined };
      if (signal.aborted) return endWithLast();
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === 'aborted') return done ? { done: true, value: undefined } : endWithLast();
      if (next.done) finish();
      return next;
    },
    async return(value?: unknown) {
      finish();
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      finish();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
}

/**
 * Tracks subscriptions streamed over HTTP (Server-Sent Events) by credential: when it is revoked,
 * disabled, rotated past its grace or expires, the stream sends an UNAUTHENTICATED error and
 * completes. (WebSockets are tracked per socket at connection time and closed with 4403.)
 */
export function useCredentialStreams(sessions: CredentialSessions): Plugin<Context> {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result, setResult }) {
          const context = args.contextValue as Context & { extra?: unknown };
          if (!context.viewer || context.extra || !isAsyncIterable<ExecutionResult>(result)) return;
          const controller = new AbortController();
          const release = sessions.track(context.viewer, () => controller.abort());
          setResult(
            endOnAbort(
              result,
              controller.signal,
              { errors: [invalidCredentials()] } as ExecutionResult,
              release,
            ),
          );
        },
      };
    },
  };
}
