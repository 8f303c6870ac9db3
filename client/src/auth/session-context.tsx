import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { DashboardsConfig } from '../config.js';
import type { Session } from './session.js';

interface SessionContextValue {
  session: Session;
  config: DashboardsConfig;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({
  session,
  config,
  children,
}: SessionContextValue & { children: ReactNode }) {
  return <SessionContext.Provider value={{ session, config }}>{children}</SessionContext.Provider>;
}

export function useSession() {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  const credential = useSyncExternalStore(value.session.subscribe, value.session.current);
  return { ...value, credential };
}
