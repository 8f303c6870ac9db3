import { useId } from 'react';
import { graphql } from '../gql/index.js';
import type { AnomalyList_AnomalyFragment } from '../gql/graphql.js';
import { formatChange, formatNumber } from '../lib/format.js';
import { formatLocalDay, formatRounded, formatSigned } from '../lib/insights-format.js';
import { EmptyState } from './states.js';

export const AnomalyListFragment = graphql(`
  fragment AnomalyList_anomaly on ViewsAnomaly {
    date
    views
    expected
    sd
    zScore
    changePct
    spike
  }
`);

/** The server's default |z| threshold and baseline window (insights.service.ts). */
const THRESHOLD = 3;
const WINDOW_DAYS = 28;

/** Days whose views stand out from the 28 days before, newest first. */
export function AnomalyList({ anomalies }: { anomalies: readonly AnomalyList_AnomalyFragment[] }) {
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card-title">
        Unusual days
      </h2>
      <p className="insight-lede muted">
        Days whose views were at least {THRESHOLD} standard deviations from the mean of the{' '}
        {WINDOW_DAYS} days before them.
      </p>
      {anomalies.length === 0 ? (
        <EmptyState title="No unusual days in this range">
          <p className="muted">Every day stayed close to the {WINDOW_DAYS} days before it.</p>
        </EmptyState>
      ) : (
        <ul className="anomaly-list">
          {anomalies.map((anomaly) => (
            <li key={anomaly.date} className="anomaly">
              <span
                className={
                  anomaly.spike ? 'anomaly-kind anomaly-spike' : 'anomaly-kind anomaly-dip'
                }
              >
                {anomaly.spike ? 'Spike' : 'Dip'}
              </span>
              <span className="anomaly-day">{formatLocalDay(anomaly.date)}</span>
              <span className="anomaly-numbers">
                <strong>{formatNumber(Math.round(anomaly.views))} views</strong>
                {' · '}
                {formatChange(anomaly.changePct)} vs {formatRounded(anomaly.expected)} expected (±
                {formatRounded(anomaly.sd)}) · {'z\u00a0'}
                {formatSigned(anomaly.zScore)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
