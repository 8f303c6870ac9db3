import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Activity } from './activity.js';
import type { ConnectionState, LiveConnection } from './connection.js';

interface ClientStatus {
  activity: Activity;
  connection: LiveConnection;
}

const idle: ClientStatus = {
  activity: { pending: () => 0, subscribe: () => () => {} },
  connection: { current: () => 'live', subscribe: () => () => {} },
};

const StatusContext = createContext<ClientStatus>(idle);

/** What the client is doing (requests in flight, the live socket), for pages to show. */
export function ClientStatusProvider({
  status,
  children,
}: {
  status: ClientStatus;
  children: ReactNode;
}) {
  return <StatusContext.Provider value={status}>{children}</StatusContext.Provider>;
}

export function usePendingRequests(): number {
  const { activity } = useContext(StatusContext);
  return useSyncExternalStore(activity.subscribe, activity.pending);
}

export function useConnectionState(): ConnectionState {
  const { connection } = useContext(StatusContext);
  return useSyncExternalStore(connection.subscribe, connection.current);
}
