import { formatNumber } from '../lib/format.js';

/**
 * A number that changes while you look at it. Screen readers hear the new value politely (not
 * on every message: the live region is atomic and the value changes at most once a second).
 */
export function LiveCounter({
  label,
  value,
  connected,
  detail,
}: {
  label: string;
  value: number | null;
  connected: boolean;
  detail?: string | undefined;
}) {
  return (
    <section className="live-counter" aria-label={label}>
      <h2 className="live-counter-label">
        <span className={connected ? 'live-dot live-dot-on' : 'live-dot'} aria-hidden="true" />
        {label}
        <span className="visually-hidden">{connected ? ' (live)' : ' (connecting)'}</span>
      </h2>
      <p
        className="live-counter-value"
        aria-live="polite"
        aria-atomic="true"
        data-testid="live-value"
      >
        {value === null ? '—' : formatNumber(value)}
      </p>
      {detail ? <p className="live-counter-detail">{detail}</p> : null}
    </section>
  );
}
