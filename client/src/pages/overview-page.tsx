import { useQuery } from '@apollo/client/react';
import { useId } from 'react';
import { ExportButton, overviewDefinition } from '../components/export-button.js';
import { LiveOverview } from '../components/live-overview.js';
import { MetricCards } from '../components/metric-cards.js';
import { useOnboarding } from '../components/onboarding.js';
import { PlatformComparison } from '../components/platform-comparison.js';
import { RangeControls } from '../components/range-controls.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { TOP_METRICS, TopContentTable, type TopMetric } from '../components/top-content-table.js';
import { formatterFor, TrendChart } from '../components/trend-chart.js';
import { graphql } from '../gql/index.js';
import {
  CHART_METRICS,
  COMPARE_LABELS,
  RANGE_LABELS,
  useAnalyticsParams,
} from '../lib/analytics-params.js';
import { formatDate } from '../lib/format.js';
import { readOne, useUrlState } from '../lib/url-state.js';

// Analytics objects have no id, so Apollo cannot read them back with useFragment: the page
// unmasks the components' fragments and passes their data down.
const OverviewPageQuery = graphql(`
  query OverviewPage(
    $range: AnalyticsRangeInput
    $compare: AnalyticsComparison!
    $filter: AnalyticsFilterInput
    $interval: AnalyticsInterval!
    $metric: AnalyticsMetric!
    $topMetric: AnalyticsMetric!
  ) {
    analytics(range: $range, compare: $compare, filter: $filter) {
      timezone
      range {
        startDate
        endDate
      }
      previousRange {
        startDate
        endDate
      }
      ...MetricCards_analytics @unmask
      series(interval: $interval, metrics: [$metric]) {
        ...TrendChart_bucket @unmask
      }
      byPlatform {
        ...PlatformComparison_platform @unmask
      }
      topVideos(first: 10, metric: $topMetric) {
        ...TopContentTable_topVideo @unmask
      }
    }
  }
`);

export function OverviewPage() {
  const params = useAnalyticsParams();
  const { compare, metric, interval, platforms, tag, update } = params;
  const [urlParams] = useUrlState();
  const topMetric = readOne(urlParams.get('top'), Object.keys(TOP_METRICS) as TopMetric[], 'VIEWS');
  const topAscending = urlParams.get('topDir') === 'asc';
  const metricId = useId();

  const { data, previousData, error, loading, refetch } = useQuery(OverviewPageQuery, {
    variables: { ...params.variables, interval, metric, topMetric },
  });
  // Keep showing the last answer while a new range loads, dimmed, instead of a blank page.
  const shown = data ?? previousData;
  const compareLabel = compare === 'NONE' ? null : `vs ${COMPARE_LABELS[compare].toLowerCase()}`;
  // A new account's empty overview shows how to get data in, instead of a dashboard of zeros.
  const onboarding = useOnboarding({
    empty: !platforms.length && !tag && data ? data.analytics : null,
    onRefresh: () => refetch(),
  });

  return (
    <>
      <div className="page-header">
        <h1>Overview</h1>
        {shown ? (
          <p className="muted">
            {formatDate(shown.analytics.range.startDate)} –{' '}
            {formatDate(shown.analytics.range.endDate)}
            {shown.analytics.previousRange
              ? ` vs ${formatDate(shown.analytics.previousRange.startDate)} – ${formatDate(shown.analytics.previousRange.endDate)}`
              : ''}{' '}
            · {shown.analytics.timezone}
          </p>
        ) : null}
        {onboarding ? null : (
          <ExportButton
            title={`Overview, ${params.custom ? `${params.custom.from} to ${params.custom.to}` : RANGE_LABELS[params.preset!]}`}
            definition={overviewDefinition({ ...params.variables, interval, platforms, tag })}
          />
        )}
      </div>
      {onboarding}
      {onboarding ? null : <RangeControls />}
      <LiveOverview filtered={platforms.length > 0 || tag !== ''} />
      {error && !shown ? (
        <ErrorState
          error={error}
          title="Could not load your analytics"
          onRetry={() => void refetch()}
        />
      ) : !shown ? (
        <Skeleton lines={5} label="Loading your analytics" />
      ) : onboarding ? null : (
        <div className={loading ? 'overview-body stale' : 'overview-body'} aria-busy={loading}>
          <MetricCards analytics={shown.analytics} compareLabel={compareLabel} />
          <div className="grid grid-overview">
            <section className="card" aria-labelledby="trend-title">
              <div className="card-header">
                <h2 id="trend-title" className="card-title">
                  Trend
                </h2>
                <div className="inline-field">
                  <label htmlFor={metricId}>Metric</label>
                  <select
                    id={metricId}
                    value={metric}
                    onChange={(event) =>
                      update({ metric: event.target.value === 'VIEWS' ? null : event.target.value })
                    }
                  >
                    {Object.entries(CHART_METRICS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <TrendChart
                buckets={shown.analytics.series}
                interval={interval}
                metricLabel={CHART_METRICS[metric]}
                compareLabel={compare === 'NONE' ? null : COMPARE_LABELS[compare]}
                format={formatterFor(metric)}
              />
            </section>
            <PlatformComparison
              platforms={shown.analytics.byPlatform}
              compareLabel={compare === 'NONE' ? null : COMPARE_LABELS[compare]}
            />
          </div>
          <TopContentTable
            rows={shown.analytics.topVideos}
            metric={topMetric}
            ascending={topAscending}
            compareLabel={compareLabel}
            onSort={(next, ascending) =>
              update({ top: next === 'VIEWS' ? null : next, topDir: ascending ? 'asc' : null })
            }
          />
        </div>
      )}
    </>
  );
}
