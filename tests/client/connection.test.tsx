import { describe, expect, it } from 'vitest';
import { watchConnection } from '../../client/src/apollo/connection.js';

/** A graphql-ws client and a browser window reduced to the events they raise. */
function fakes() {
  const socket = new Map<string, (event?: unknown) => void>();
  const window = new Map<string, () => void>();
  const navigator = { onLine: true };
  const ws = {
    on: (event: string, listener: (event?: unknown) => void) => {
      socket.set(event, listener);
      return () => socket.delete(event);
    },
  };
  const browser = {
    navigator,
    addEventListener: (event: string, listener: () => void) => void window.set(event, listener),
  };
  return {
    connection: watchConnection(ws as never, browser as never),
    emit: (event: string, payload?: unknown) => socket.get(event)?.(payload),
    goOffline: () => {
      navigator.onLine = false;
      window.get('offline')?.();
    },
    goOnline: () => {
      navigator.onLine = true;
      window.get('online')?.();
    },
  };
}

describe('the live connection state', () => {
  it('is live while the socket is open, reconnecting once it is lost, live again after', () => {
    const { connection, emit } = fakes();
    expect(connection.current()).toBe('connecting');
    emit('connecting');
    emit('connected');
    expect(connection.current()).toBe('live');
    emit('closed', { code: 1006 });
    expect(connection.current()).toBe('reconnecting');
    // graphql-ws retries on its own: still reconnecting, not a fresh "connecting".
    emit('connecting');
    emit('closed', { code: 1006 });
    emit('connecting');
    expect(connection.current()).toBe('reconnecting');
    emit('connected');
    expect(connection.current()).toBe('live');
  });

  it('is offline while the browser has no network', () => {
    const { connection, emit, goOffline, goOnline } = fakes();
    emit('connected');
    goOffline();
    expect(connection.current()).toBe('offline');
    emit('closed', { code: 1006 });
    emit('connecting');
    expect(connection.current()).toBe('offline');
    goOnline();
    expect(connection.current()).toBe('reconnecting');
  });

  it('does not call the socket lost when it closes because no subscription needs it', () => {
    const { connection, emit } = fakes();
    const seen: string[] = [];
    connection.subscribe(() => seen.push(connection.current()));
    emit('connected');
    emit('closed', { code: 1000 });
    expect(connection.current()).toBe('connecting');
    expect(seen).toEqual(['live', 'connecting']);
  });
});
