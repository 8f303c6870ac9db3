import { useId, useState } from 'react';
import { Link } from 'react-router';
import { graphql } from '../gql/index.js';
import type { PerformanceInsights_PerformanceFragment } from '../gql/graphql.js';
import { formatNumber, formatPercent } from '../lib/format.js';
import { formatMultiple, formatSigned } from '../lib/insights-format.js';
import { EmptyState } from './states.js';

// Flat (no nested fragment): the document stays within the server's depth limit.
export const PerformanceInsightsFragment = graphql(`
  fragment PerformanceInsights_performance on PerformanceInsight {
    sampleSize
    meanViews
    above {
      views
      zScore
      engagementRate
      video {
        id
        title
      }
    }
    below {
      views
      zScore
      engagementRate
      video {
        id
        title
      }
    }
  }
`);

type Entry = PerformanceInsights_PerformanceFragment['above'][number];

/** How many of each list show before "Show all". */
export const PERFORMANCE_SHOWN = 5;

/** "4.9× your average" above it; "98 % below your average" under it. */
export function versusAverage(views: number, meanViews: number) {
  if (!meanViews) return null;
  const ratio = views / meanViews;
  if (ratio >= 1) return `${formatMultiple(ratio)} your average`;
  return `${formatPercent((1 - ratio) * 100)} below your average`;
}

function OutlierList({
  title,
  entries,
  meanViews,
  emptyText,
}: {
  title: string;
  entries: readonly Entry[];
  meanViews: number;
  emptyText: string;
}) {
  const titleId = useId();
  const listId = useId();
  const [all, setAll] = useState(false);
  const shown = all ? entries : entries.slice(0, PERFORMANCE_SHOWN);
  return (
    <div className="outliers" role="group" aria-labelledby={titleId}>
      <h3 id={titleId} className="subheading">
        {title} ({formatNumber(entries.length)})
      </h3>
      {entries.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <>
          <ol className="outlier-list" id={listId}>
            {shown.map((entry) => (
              <li key={entry.video.id} className="outlier">
                <Link to={`/videos/${encodeURIComponent(entry.video.id)}`}>
                  {entry.video.title}
                </Link>
                <span className="outlier-numbers">
                  {formatNumber(Math.round(entry.views))} views in the first 7 days
                  {versusAverage(entry.views, meanViews)
                    ? ` · ${versusAverage(entry.views, meanViews)}`
                    : ''}
                  {entry.engagementRate !== null
                    ? ` · ${formatPercent(entry.engagementRate)} engagement`
                    : ''}{' '}
                  · {'z\u00a0'}
                  {formatSigned(entry.zScore)}
                </span>
              </li>
            ))}
          </ol>
          {entries.length > PERFORMANCE_SHOWN ? (
            <button
              type="button"
              className="button button-small"
              aria-expanded={all}
              aria-controls={listId}
              onClick={() => setAll(!all)}
            >
              {all ? `Show the first ${PERFORMANCE_SHOWN}` : `Show all ${entries.length}`}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

/** Videos whose launch stands out from your own average, with their numbers. */
export function PerformanceInsights({
  performance,
}: {
  performance: PerformanceInsights_PerformanceFragment;
}) {
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card-title">
        Above and below your average
      </h2>
      {performance.sampleSize === 0 ? (
        <EmptyState title="No launches to compare yet">
          <p className="muted">
            This needs videos first published in the range, at least 7 days ago.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="insight-lede muted">
            Views in the first 7 days of the {formatNumber(performance.sampleSize)} videos first
            published in the range, against your average launch of{' '}
            <strong>{formatNumber(Math.round(performance.meanViews))} views</strong>. A video is
            listed when it is at least one standard deviation (z ≥ 1, on a log scale) from the mean.
          </p>
          <div className="grid grid-two">
            <OutlierList
              title="Above your average"
              entries={performance.above}
              meanViews={performance.meanViews}
              emptyText="No video launched clearly above your average."
            />
            <OutlierList
              title="Below your average"
              entries={performance.below}
              meanViews={performance.meanViews}
              emptyText="No video launched clearly below your average."
            />
          </div>
        </>
      )}
    </section>
  );
}
