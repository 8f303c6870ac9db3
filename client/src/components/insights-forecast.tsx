import { useId, useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { graphql } from '../gql/index.js';
import type { ForecastChart_ForecastFragment } from '../gql/graphql.js';
import { formatCompact, formatNumber } from '../lib/format.js';
import {
  formatLocalDate,
  formatLocalDay,
  formatRounded,
  formatShortDay,
  formatSigned,
} from '../lib/insights-format.js';
import { ChartContainer } from './chart-container.js';
import { EmptyState } from './states.js';
import { CURRENT_COLOR } from './trend-chart.js';

export const ForecastChartFragment = graphql(`
  fragment ForecastChart_forecast on Forecast {
    reason
    fittedFrom
    fittedTo
    model {
      observations
      trend
      residualSd
    }
    points {
      date
      value
      lower
      upper
    }
  }
`);

type Point = ForecastChart_ForecastFragment['points'][number];

/** "151,510 (80 %: 128,661–174,360)" */
export const formatInterval = (point: Point) =>
  `${formatRounded(point.lower)}–${formatRounded(point.upper)}`;

/** One forecast: a line with its 80 % interval as a band, the first and last day in words. */
export function ForecastChart({
  title,
  unit,
  forecast,
  testId,
}: {
  title: string;
  /** "views a day", "followers" */
  unit: string;
  forecast: ForecastChart_ForecastFragment;
  testId: string;
}) {
  const titleId = useId();
  const data = useMemo(
    () =>
      forecast.points.map((point) => ({
        label: formatShortDay(point.date),
        value: point.value,
        band: [point.lower, point.upper] as [number, number],
      })),
    [forecast.points],
  );
  const first = forecast.points[0];
  const last = forecast.points[forecast.points.length - 1];

  return (
    <div className="forecast" role="group" aria-labelledby={titleId} data-testid={testId}>
      <h3 id={titleId} className="subheading">
        {title}
      </h3>
      {!forecast.model || !first || !last ? (
        <EmptyState title={`No ${title.toLowerCase()} forecast`}>
          <p className="muted">
            {forecast.reason
              ? `It ${forecast.reason}.`
              : 'There is too little history in the range to fit a trend.'}
          </p>
        </EmptyState>
      ) : (
        <>
          <dl className="forecast-summary">
            <div>
              <dt>{formatLocalDay(first.date)}</dt>
              <dd>
                <strong>{formatRounded(first.value)}</strong> {unit}
                <span className="forecast-interval">80 % interval {formatInterval(first)}</span>
              </dd>
            </div>
            <div>
              <dt>{formatLocalDay(last.date)}</dt>
              <dd>
                <strong>{formatRounded(last.value)}</strong> {unit}
                <span className="forecast-interval">80 % interval {formatInterval(last)}</span>
              </dd>
            </div>
          </dl>
          <p className="forecast-model muted">
            Trend {formatSigned(Math.round(forecast.model.trend))} a day, fitted on{' '}
            {formatNumber(forecast.model.observations)} days ({formatLocalDate(forecast.fittedFrom)}{' '}
            – {formatLocalDate(forecast.fittedTo)}); one-day error ±
            {formatRounded(forecast.model.residualSd)} (1 sd).
          </p>
          <div
            className="chart chart-small"
            role="img"
            aria-label={`${title} forecast: ${formatRounded(first.value)} on ${formatLocalDay(first.date)} to ${formatRounded(last.value)} on ${formatLocalDay(last.date)}, with an 80 % interval of ${formatInterval(last)} on the last day`}
          >
            <ChartContainer>
              <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b833" />
                <XAxis dataKey="label" tickLine={false} minTickGap={24} fontSize={12} />
                <YAxis
                  tickFormatter={(value: number) => formatCompact(value)}
                  width={48}
                  fontSize={12}
                  tickLine={false}
                  axisLine={false}
                  domain={['auto', 'auto']}
                />
                <Tooltip
                  formatter={(value, name) => [
                    Array.isArray(value)
                      ? `${formatRounded(Number(value[0]))}–${formatRounded(Number(value[1]))}`
                      : formatRounded(Number(value)),
                    name === 'band' ? '80 % interval' : 'Forecast',
                  ]}
                />
                <Area
                  type="monotone"
                  dataKey="band"
                  name="band"
                  stroke="none"
                  fill={CURRENT_COLOR}
                  fillOpacity={0.18}
                  isAnimationActive={false}
                />
                <Line
                  type="monotone"
                  dataKey="value"
                  name="value"
                  stroke={CURRENT_COLOR}
                  strokeWidth={2.5}
                  strokeDasharray="6 3"
                  dot={false}
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ChartContainer>
          </div>
          <ul className="chart-legend">
            <li>
              <span className="legend-swatch legend-swatch-forecast" aria-hidden="true" />
              Forecast
            </li>
            <li>
              <span className="legend-swatch legend-swatch-band" aria-hidden="true" />
              80 % prediction interval
            </li>
          </ul>
          <details className="chart-table">
            <summary>Show the numbers</summary>
            <div
              className="table-scroll"
              tabIndex={0}
              role="region"
              aria-label={`${title} forecast by day`}
            >
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col" className="num">
                      Forecast
                    </th>
                    <th scope="col" className="num">
                      Low (80 %)
                    </th>
                    <th scope="col" className="num">
                      High (80 %)
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {forecast.points.map((point) => (
                    <tr key={point.date}>
                      <th scope="row">{formatLocalDay(point.date)}</th>
                      <td className="num">{formatRounded(point.value)}</td>
                      <td className="num">{formatRounded(point.lower)}</td>
                      <td className="num">{formatRounded(point.upper)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </div>
  );
}
