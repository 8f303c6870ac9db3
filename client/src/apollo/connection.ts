import type { Client } from 'graphql-ws';

/**
 * The socket that carries live updates: `connecting` before it first opens, `live` while open,
 * `reconnecting` after it was lost (graphql-ws retries on its own), `offline` while the browser
 * says it has no network.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveConnection {
  current(): ConnectionState;
  subscribe(listener: () => void): () => void;
}

/** A lazy socket closes normally once no subscription needs it: that is no lost connection. */
const NORMAL_CLOSURE = 1000;

export function watchConnection(
  ws: Pick<Client, 'on'>,
  browser: Pick<Window, 'addEventListener' | 'navigator'> | undefined = globalThis.window,
): LiveConnection {
  let state: ConnectionState = 'connecting';
  const listeners = new Set<() => void>();
  const set = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    listeners.forEach((listener) => listener());
  };
  const offline = () => browser?.navigator.onLine === false;

  ws.on('connecting', () => {
    if (offline()) set('offline');
    else if (state === 'live') set('reconnecting');
  });
  ws.on('connected', () => set('live'));
  ws.on('closed', (event) => {
    if ((event as CloseEvent | undefined)?.code === NORMAL_CLOSURE) set('connecting');
    else set(offline() ? 'offline' : 'reconnecting');
  });
  browser?.addEventListener('offline', () => set('offline'));
  browser?.addEventListener('online', () => {
    if (state === 'offline') set('reconnecting');
  });

  return {
    current: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
