import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Viewer } from './viewer.js';
import type { Db } from '../../db/client.js';
import { acceptsSecret, usableApiKeys } from '../api-key/api-key.service.js';
import { liveBuiltInGrants } from './oauth-server/grants.js';
import { credentialKey } from './credential.js';

/** graphql-ws close code for a credential that no longer works (same as a refused init). */
export const CLOSE_FORBIDDEN = 4403;

interface Session {
  viewer: Viewer;
  key: string;
  end: () => void;
}

/**
 * Long-lived streams (WebSockets, SSE subscriptions) by the credential that opened them, so a
 * credential that stops working ends its streams within a second:
 *
 * - at once on this instance, when a mutation here revokes or disables it (`endCredential`);
 * - within `intervalMs` anywhere, through a sweep that re-checks every tracked credential with
 *   the rule requests meet (see `ended`): API keys against the database (revoked, disabled, or
 *   no longer accepting the secret the stream presented), OAuth tokens against the clock (`exp`
 *   + clock tolerance) and, for the built-in issuer, against their grant and install.
 *
 * Each new operation on a socket is checked too (`works`), so a socket whose credential died
 * between two sweeps never runs another operation.
 *
 * The sweep reads the database, which every instance shares, so a revocation made on another
 * instance is seen here too. A sweep that fails (database down) closes nothing and is retried.
 */
export class CredentialSessions {
  private readonly sessions = new Set<Session>();
  private sweeping = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      db: Db;
      logger: Logger;
      clockToleranceMs: number;
      intervalMs?: number;
    },
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Tracks a stream; `end` closes it. Returns the function to call when it ends by itself. */
  track(viewer: Viewer, end: () => void): () => void {
    const session: Session = {
      viewer,
      key: credentialKey(viewer.credential),
      end,
    };
    this.sessions.add(session);
    return () => void this.sessions.delete(session);
  }

  /** Tracks an authenticated graphql-ws socket; it is closed with 4403 when its credential ends. */
  trackSocket(viewer: Viewer, socket: WebSocket): void {
    const release = this.track(viewer, () => {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING)
        socket.close(CLOSE_FORBIDDEN, 'Forbidden');
    });
    socket.once('close', release);
  }

  /** Ends every stream opened with this credential (see credentialKey) now. */
  endCredential(key: string): void {
    for (const session of this.sessions) if (session.key === key) this.endSession(session);
  }

  /** Ends the streams of one user's OAuth tokens issued to a client (after an uninstall). */
  endOAuthClient(clientId: string, userId?: string): void {
    for (const session of this.sessions) {
      const { credential, user } = session.viewer;
      if (credential.kind === 'oauth' && credential.clientId === clientId) {
        if (userId === undefined || user.id === userId) this.endSession(session);
      }
    }
  }

  private endSession(session: Session): void {
    this.sessions.delete(session);
    try {
      session.end();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not end a stream');
    }
  }

  start(signal: AbortSignal): void {
    if (this.timer || signal.aborted) return;
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs ?? 500);
    this.timer.unref();
    signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Of these viewers, those whose credential no longer works, by the rule a request meets: an API
   * key must be usable and still accept the very secret the stream presented (acceptsSecret);
   * an OAuth token must be unexpired and, from the built-in issuer, its grant and install must
   * stand. One query per kind, however many viewers.
   */
  async ended(viewers: readonly Viewer[], now = Date.now()): Promise<Set<Viewer>> {
    const ended = new Set<Viewer>();
    const keyIds = new Set<string>();
    const grantIds = new Set<string>();
    for (const viewer of viewers) {
      const { credential } = viewer;
      if (credential.kind === 'api_key') keyIds.add(credential.id);
      else if (credential.expiresAt.getTime() + this.options.clockToleranceMs <= now) {
        ended.add(viewer);
      } else if (credential.grantId) grantIds.add(credential.grantId);
    }
    const [keys, grants] = await Promise.all([
      usableApiKeys(this.options.db, [...keyIds]),
      liveBuiltInGrants(this.options.db, [...grantIds], new Date(now)),
    ]);
    for (const viewer of viewers) {
      const { credential } = viewer;
      if (credential.kind === 'api_key') {
        const key = keys.get(credential.id);
        if (!key || !acceptsSecret(key, credential.secretHash, new Date(now))) ended.add(viewer);
      } else if (credential.grantId && !grants.has(credential.grantId)) {
        ended.add(viewer);
      }
    }
    return ended;
  }

  /** Whether the viewer's credential still works (checked before each operation on a socket). */
  async works(viewer: Viewer): Promise<boolean> {
    return !(await this.ended([viewer])).has(viewer);
  }

  /** Re-checks every tracked credential; ends the streams of those that no longer work. */
  async sweep(now = Date.now()): Promise<void> {
    if (this.sweeping || this.sessions.size === 0) return;
    this.sweeping = true;
    try {
      const sessions = [...this.sessions];
      const ended = await this.ended(
        sessions.map((session) => session.viewer),
        now,
      );
      for (const session of sessions) {
        if (ended.has(session.viewer) && this.sessions.has(session)) this.endSession(session);
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'credential sweep failed; will retry');
    } finally {
      this.sweeping = false;
    }
  }
}
