import { useQuery } from '@apollo/client/react';
import { useId } from 'react';
import { AnomalyList } from '../components/insights-anomalies.js';
import { ForecastChart } from '../components/insights-forecast.js';
import { PerformanceInsights } from '../components/insights-performance.js';
import { PostingTimes } from '../components/insights-posting-times.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { graphql } from '../gql/index.js';
import type { AnalyticsRangePreset } from '../gql/graphql.js';
import { RANGE_LABELS } from '../lib/analytics-params.js';
import { formatNumber } from '../lib/format.js';
import { formatLocalDate } from '../lib/insights-format.js';
import { readOne, useUrlState } from '../lib/url-state.js';

// Insights have no id, so Apollo cannot read them back with useFragment: the page unmasks the
// components' fragments and passes their data down (as the overview does).
const InsightsPageQuery = graphql(`
  query InsightsPage($range: AnalyticsRangeInput, $days: Int!) {
    insights(range: $range) {
      range {
        startDate
        endDate
      }
      postingTimes {
        ...PostingTimes_postingTimes @unmask
      }
      performance {
        ...PerformanceInsights_performance @unmask
      }
      forecast(days: $days) {
        horizonDays
        views {
          ...ForecastChart_forecast @unmask
        }
        followers {
          ...ForecastChart_forecast @unmask
        }
      }
      anomalies {
        ...AnomalyList_anomaly @unmask
      }
    }
  }
`);

/** The ranges insights read well over (the API's default is the last 90 days). */
export const INSIGHT_RANGES = ['LAST_28_DAYS', 'LAST_90_DAYS', 'LAST_365_DAYS'] as const;
const DEFAULT_RANGE: AnalyticsRangePreset = 'LAST_90_DAYS';
export const FORECAST_DAYS = 28;

export function InsightsPage() {
  const [params, update] = useUrlState();
  const preset = readOne(params.get('range'), INSIGHT_RANGES, DEFAULT_RANGE);
  const rangeId = useId();
  const forecastTitle = useId();
  const { data, previousData, error, loading, refetch } = useQuery(InsightsPageQuery, {
    variables: { range: { preset }, days: FORECAST_DAYS },
  });
  const shown = data ?? previousData;
  const insights = shown?.insights;
  const nothing =
    insights &&
    insights.postingTimes.sampleSize === 0 &&
    insights.performance.sampleSize === 0 &&
    !insights.forecast.views.model &&
    !insights.forecast.followers.model &&
    insights.anomalies.length === 0;

  return (
    <>
      <div className="page-header">
        <h1>Insights</h1>
        {insights ? (
          <p className="muted">
            {formatLocalDate(insights.range.startDate)} – {formatLocalDate(insights.range.endDate)}
          </p>
        ) : null}
      </div>
      <form
        className="filters insights-filters"
        aria-label="Insights range"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor={rangeId}>Date range</label>
          <select
            id={rangeId}
            value={preset}
            onChange={(event) =>
              update({ range: event.target.value === DEFAULT_RANGE ? null : event.target.value })
            }
          >
            {INSIGHT_RANGES.map((value) => (
              <option key={value} value={value}>
                {RANGE_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error && !insights ? (
        <ErrorState
          error={error}
          title="Could not load your insights"
          onRetry={() => void refetch()}
        />
      ) : !insights ? (
        <Skeleton lines={5} label="Loading your insights" />
      ) : nothing ? (
        <EmptyState title="No insights for this range yet">
          <p className="muted">
            Insights compare videos first published in the range (at least 7 days ago) and need 14
            days of views. Publish videos and push their events, then come back.
          </p>
        </EmptyState>
      ) : (
        <div className={loading ? 'insights-body stale' : 'insights-body'} aria-busy={loading}>
          <PostingTimes postingTimes={insights.postingTimes} />
          <PerformanceInsights performance={insights.performance} />
          <section className="card" aria-labelledby={forecastTitle}>
            <h2 id={forecastTitle} className="card-title">
              Forecast, next {formatNumber(insights.forecast.horizonDays)} days
            </h2>
            <p className="insight-lede muted">
              Holt’s linear trend fitted on the range’s complete days; the shaded band is the 80 %
              prediction interval, which widens the further ahead it looks.
            </p>
            <div className="grid grid-two">
              <ForecastChart
                title="Daily views"
                unit="views"
                forecast={insights.forecast.views}
                testId="forecast-views"
              />
              <ForecastChart
                title="Followers"
                unit="followers"
                forecast={insights.forecast.followers}
                testId="forecast-followers"
              />
            </div>
          </section>
          <AnomalyList anomalies={insights.anomalies} />
        </div>
      )}
    </>
  );
}
