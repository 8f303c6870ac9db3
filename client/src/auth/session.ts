import { loadCredential, saveCredential, type Credential } from './credential.js';

export type SignOutReason = 'user' | 'rejected' | 'expired';

/** Turns an OAuth credential close to expiry into a fresh one; throws when it cannot. */
export type Refresher = (credential: Extract<Credential, { kind: 'oauth' }>) => Promise<Credential>;

export interface Session {
  current(): Credential | null;
  /** Why the last sign-out happened (shown on the sign-in page), until the next sign-in. */
  lastSignOut(): SignOutReason | null;
  /** The `Authorization` header value; refreshes an OAuth token about to expire. */
  authorization(): Promise<string | null>;
  signIn(credential: Credential): void;
  signOut(reason?: SignOutReason): void;
  subscribe(listener: () => void): () => void;
}

/** Refresh this long before the access token expires, so no request races its expiry. */
const REFRESH_MARGIN_MS = 30_000;

function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled: the session lasts as long as the tab
  }
}

export function createSession(
  options: { refresher?: Refresher; storage?: Storage | undefined; now?: () => number } = {},
): Session {
  const storage = 'storage' in options ? options.storage : browserStorage();
  const now = options.now ?? Date.now;
  let credential = loadCredential(storage);
  let signedOut: SignOutReason | null = null;
  let refreshing: Promise<Credential | null> | null = null;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());

  async function fresh(): Promise<Credential | null> {
    const held = credential;
    if (!held || held.kind !== 'oauth' || held.expiresAt - now() > REFRESH_MARGIN_MS) return held;
    if (!held.refreshToken || !options.refresher) {
      session.signOut('expired');
      return null;
    }
    // One refresh at a time: concurrent requests wait for the same new token.
    refreshing ??= options
      .refresher(held)
      .then((next) => {
        if (credential === held) session.signIn(next);
        return next;
      })
      .catch(() => {
        if (credential === held) session.signOut('expired');
        return null;
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  const session: Session = {
    current: () => credential,
    lastSignOut: () => signedOut,
    async authorization() {
      const usable = await fresh();
      if (!usable) return null;
      return `Bearer ${usable.kind === 'api-key' ? usable.apiKey : usable.accessToken}`;
    },
    signIn(next) {
      credential = next;
      signedOut = null;
      saveCredential(next, storage);
      notify();
    },
    signOut(reason = 'user') {
      if (!credential && signedOut) return;
      credential = null;
      signedOut = reason;
      saveCredential(null, storage);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return session;
}
