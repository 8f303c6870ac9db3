import type { Trend } from '../gql/graphql.js';
import { formatChange } from '../lib/format.js';

const ARROWS: Record<Trend, string> = { UP: '▲', DOWN: '▼', STABLE: '●' };
const WORDS: Record<Trend, string> = { UP: 'up', DOWN: 'down', STABLE: 'stable' };

/** PRODUCT.md: UP/DOWN when the change is at least 1 % either way, else STABLE. */
export function trendOf(changePct: number | null | undefined): Trend | null {
  if (changePct === null || changePct === undefined) return null;
  return changePct >= 1 ? 'UP' : changePct <= -1 ? 'DOWN' : 'STABLE';
}

export function changePctOf(value: number | null, previous: number | null | undefined) {
  if (value === null || previous === null || previous === undefined || previous === 0) return null;
  return Math.round(((value - previous) / previous) * 10_000) / 100;
}

export interface MetricCardProps {
  label: string;
  /** Shown big; `exact` goes in the tooltip. */
  display: string;
  exact?: string | undefined;
  changePct: number | null | undefined;
  /** The raw values compared, so a rise from nothing reads "New". */
  value?: number | null | undefined;
  previous?: number | null | undefined;
  trend: Trend | null | undefined;
  /** "vs previous period"; null without comparison. */
  compareLabel: string | null;
  previousDisplay?: string | undefined;
  testId?: string | undefined;
}

export function MetricCard({
  label,
  display,
  exact,
  changePct,
  value,
  previous,
  trend,
  compareLabel,
  previousDisplay,
  testId,
}: MetricCardProps) {
  return (
    <section className="card metric-card" aria-label={label} data-testid={testId}>
      <h2 className="metric-label">{label}</h2>
      <p className="metric-value" title={exact}>
        {display}
      </p>
      {compareLabel ? (
        <p className={`metric-change trend-${trend ?? 'STABLE'}`}>
          {trend ? <span aria-hidden="true">{ARROWS[trend]} </span> : null}
          <span className="visually-hidden">{trend ? `${WORDS[trend]} ` : ''}</span>
          {formatChange(changePct, value, previous)}{' '}
          <span className="muted">
            {compareLabel}
            {previousDisplay ? ` (${previousDisplay})` : ''}
          </span>
        </p>
      ) : null}
    </section>
  );
}
