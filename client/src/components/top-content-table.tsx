import { Link } from 'react-router';
import { graphql } from '../gql/index.js';
import type { TopContentTable_TopVideoFragment } from '../gql/graphql.js';
import { formatChange, formatNumber, formatPercent } from '../lib/format.js';
import { EmptyState } from './states.js';
import { ScrollRegion } from './scroll-region.js';

export const TopContentTableFragment = graphql(`
  fragment TopContentTable_topVideo on TopVideo {
    rank
    value
    comparison {
      value
      previous
      changePct
      trend
    }
    totals {
      views
      likes
      comments
      shares
      engagementRate
    }
    video {
      id
      title
    }
  }
`);

export const TOP_METRICS = {
  VIEWS: 'Views',
  LIKES: 'Likes',
  COMMENTS: 'Comments',
  SHARES: 'Shares',
  ENGAGEMENT_RATE: 'Engagement',
} as const;
export type TopMetric = keyof typeof TOP_METRICS;

const cell = (row: TopContentTable_TopVideoFragment, metric: TopMetric) =>
  metric === 'ENGAGEMENT_RATE'
    ? formatPercent(row.totals.engagementRate)
    : formatNumber(row.totals[metric.toLowerCase() as 'views' | 'likes' | 'comments' | 'shares']);

/**
 * The best videos of the range. Choosing a column asks the server for the best by that metric
 * (descending); choosing it again lists the same videos the other way round.
 */
export function TopContentTable({
  rows,
  metric,
  ascending,
  compareLabel,
  onSort,
}: {
  rows: readonly TopContentTable_TopVideoFragment[];
  metric: TopMetric;
  ascending: boolean;
  compareLabel: string | null;
  onSort: (metric: TopMetric, ascending: boolean) => void;
}) {
  const ordered = ascending ? [...rows].reverse() : rows;
  return (
    <section className="card" aria-labelledby="top-title">
      <div className="card-header">
        <h2 id="top-title" className="card-title">
          Top content
        </h2>
        <span className="muted">by {TOP_METRICS[metric].toLowerCase()}</span>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No content with activity in this range" />
      ) : (
        <ScrollRegion label="Top content table">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Video</th>
                {(Object.keys(TOP_METRICS) as TopMetric[]).map((key) => {
                  const active = key === metric;
                  return (
                    <th
                      key={key}
                      scope="col"
                      className="num"
                      aria-sort={active ? (ascending ? 'ascending' : 'descending') : undefined}
                    >
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => onSort(key, active ? !ascending : false)}
                      >
                        {TOP_METRICS[key]}
                        <span aria-hidden="true">{active ? (ascending ? ' ↑' : ' ↓') : ''}</span>
                        <span className="visually-hidden">
                          {active
                            ? `, sorted ${ascending ? 'ascending' : 'descending'}`
                            : ', sort by this'}
                        </span>
                      </button>
                    </th>
                  );
                })}
                {compareLabel ? (
                  <th scope="col" className="num">
                    Change
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {ordered.map((row) => (
                <tr key={row.video.id}>
                  <td>{row.rank}</td>
                  <th scope="row" className="title-cell">
                    <Link to={`/videos/${encodeURIComponent(row.video.id)}`}>
                      {row.video.title}
                    </Link>
                  </th>
                  {(Object.keys(TOP_METRICS) as TopMetric[]).map((key) => (
                    <td key={key} className="num">
                      {cell(row, key)}
                    </td>
                  ))}
                  {compareLabel ? (
                    <td className={`num trend-${row.comparison.trend ?? 'STABLE'}`}>
                      {formatChange(
                        row.comparison.changePct,
                        row.comparison.value,
                        row.comparison.previous,
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
