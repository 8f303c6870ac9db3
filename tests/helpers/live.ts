import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export function wsClient(baseUrl: string, key: string | undefined): Client {
  return createWsClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export function sseClient(baseUrl: string, key: string) {
  return createSseClient({
    url: `${baseUrl}/graphql`,
    headers: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    singleConnection: false,
  });
}

/** A bare graphql-transport-ws socket, to observe close codes and raw messages. */
export async function rawSocket(baseUrl: string) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    closed,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    /** Resolves with the first message (from the start) matching `predicate`. */
    async next(predicate: (message: any) => boolean, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

/** Pulls values from an async iterator one at a time. */
export function take<T>(iterator: AsyncIterator<T>) {
  return async () => {
    const next = await iterator.next();
    if (next.done) throw new Error('stream ended');
    return next.value;
  };
}
