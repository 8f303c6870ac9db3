import type { ErrorLike } from '@apollo/client';
import type { ConnectionState } from '../apollo/connection.js';
import { useConnectionState } from '../apollo/status-context.js';
import { formatNumber, formatTime } from '../lib/format.js';

/** The socket's state, `unavailable` when the server refused the subscription. */
export type LiveStatus = ConnectionState | 'unavailable';

/** Live only while the socket is open and a value has arrived on it. */
export function useLiveStatus(hasValue: boolean, error: ErrorLike | undefined): LiveStatus {
  const connection = useConnectionState();
  if (error) return 'unavailable';
  if (connection === 'live' && !hasValue) return 'connecting';
  return connection;
}

function statusNote(status: Exclude<LiveStatus, 'live'>, updatedAt: string | null) {
  const last = updatedAt ? `Last update ${formatTime(updatedAt)}.` : 'No update yet.';
  if (status === 'connecting') return 'Connecting…';
  if (status === 'reconnecting') return `Connection lost, reconnecting… ${last}`;
  if (status === 'offline') return `Offline. ${last}`;
  return `Live updates are unavailable right now. ${last}`;
}

/**
 * A number that changes while you look at it. Screen readers hear the new value politely (not
 * on every message: the live region is atomic and the value changes at most once a second), and
 * hear when the connection is lost; a lost connection greys the dot and dims the number, which
 * then says when it was last updated.
 */
export function LiveCounter({
  label,
  value,
  status,
  updatedAt,
  detail,
  scope,
}: {
  label: string;
  value: number | null;
  status: LiveStatus;
  /** When the shown value was sent. */
  updatedAt: string | null;
  /** What the value means while live (e.g. the last minute's count). */
  detail?: string | undefined;
  /** What the value covers, when that differs from the rest of the page. */
  scope?: string | undefined;
}) {
  const live = status === 'live';
  return (
    <section className="live-counter" aria-label={label}>
      <h2 className="live-counter-label">
        <span className={live ? 'live-dot live-dot-on' : 'live-dot'} aria-hidden="true" />
        {label}
        <span className="visually-hidden"> ({status})</span>
      </h2>
      <p
        className={live ? 'live-counter-value' : 'live-counter-value live-counter-stale'}
        aria-live="polite"
        aria-atomic="true"
        data-testid="live-value"
      >
        {value === null ? '—' : formatNumber(value)}
      </p>
      {live && detail ? <p className="live-counter-detail">{detail}</p> : null}
      <p className="live-counter-detail" role="status">
        {live ? '' : statusNote(status, updatedAt)}
      </p>
      {scope ? <p className="live-counter-detail live-counter-scope">{scope}</p> : null}
    </section>
  );
}
