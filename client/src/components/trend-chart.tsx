import { useId, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartContainer } from './chart-container.js';
import { graphql } from '../gql/index.js';
import type { AnalyticsInterval, TrendChart_BucketFragment } from '../gql/graphql.js';
import type { ChartMetric } from '../lib/analytics-params.js';
import { formatCompact, formatDuration, formatNumber, formatPercent } from '../lib/format.js';
import { useThrottled } from '../lib/use-throttled.js';
import { EmptyState } from './states.js';
import { ScrollRegion } from './scroll-region.js';

export const TrendChartFragment = graphql(`
  fragment TrendChart_bucket on SeriesBucket {
    label
    start
    end
    values {
      value
      previous
    }
  }
`);

/** How a chart metric reads in tooltips and tables. */
export function formatterFor(metric: ChartMetric): (value: number) => string {
  if (metric === 'ENGAGEMENT_RATE') return (value) => formatPercent(value);
  if (metric === 'WATCH_SECONDS') return (value) => formatDuration(Math.round(value));
  return formatNumber;
}

export const CURRENT_COLOR = '#4f46e5';
export const PREVIOUS_COLOR = '#94a3b8';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Bucket labels are local to the question's time zone: format them as text, not as instants. */
export function formatBucket(label: string, interval: AnalyticsInterval) {
  if (interval === 'HOUR') return label.slice(11, 16);
  const [year, month, day] = label.split('-');
  const name = months[Number(month) - 1] ?? month;
  return interval === 'MONTH' ? `${name} ${year}` : `${name} ${Number(day)}`;
}

/** What the bucket still under way is called: "Today so far". */
const PARTIAL_LABELS: Record<AnalyticsInterval, string> = {
  HOUR: 'This hour so far',
  DAY: 'Today so far',
  WEEK: 'This week so far',
  MONTH: 'This month so far',
};

interface Point {
  label: string;
  /** Every bucket's value (tables, totals). */
  value: number | null;
  previous: number | null;
  /** The bucket has not ended yet: its value will still grow. */
  partial: boolean;
  /** Drawn solid: complete buckets only. */
  current: number | null;
  /** Drawn dashed and lighter: the last complete bucket and the one under way. */
  incomplete: number | null;
}

/** Splits the series so the bucket under way is not read as a fall (Plausible does the same). */
export function chartPoints(
  buckets: readonly TrendChart_BucketFragment[],
  interval: AnalyticsInterval,
  now: number,
): Point[] {
  const partialAt = buckets.findIndex((bucket) => Date.parse(bucket.end) > now);
  return buckets.map((bucket, index) => {
    const value = bucket.values[0]?.value ?? null;
    const partial = partialAt >= 0 && index >= partialAt;
    return {
      label: formatBucket(bucket.label, interval),
      value,
      previous: bucket.values[0]?.previous ?? null,
      partial,
      current: partial ? null : value,
      incomplete: partialAt >= 0 && index >= partialAt - 1 ? value : null,
    };
  });
}

/**
 * The range's series, with the comparison period's aligned bucket by bucket as a dashed line;
 * the bucket under way (today, this week) is dashed and lighter, and labelled "so far".
 * Animation is off and redraws are throttled to one a second, so live refreshes stay calm.
 */
export function TrendChart({
  buckets,
  interval,
  metricLabel,
  compareLabel,
  format = formatNumber,
}: {
  buckets: readonly TrendChart_BucketFragment[];
  interval: AnalyticsInterval;
  metricLabel: string;
  compareLabel: string | null;
  format?: (value: number) => string;
}) {
  const titleId = useId();
  const points = useMemo(() => chartPoints(buckets, interval, Date.now()), [buckets, interval]);
  const shown = useThrottled(points, 1000);
  const hasData = shown.some((point) => (point.value ?? 0) !== 0 || (point.previous ?? 0) !== 0);
  const total = shown.reduce((sum, point) => sum + (point.value ?? 0), 0);
  const partialLabel = shown.some((point) => point.partial) ? PARTIAL_LABELS[interval] : null;
  const seriesName = (name: unknown) =>
    name === 'current'
      ? metricLabel
      : name === 'incomplete'
        ? `${metricLabel}, ${partialLabel?.toLowerCase()}`
        : (compareLabel ?? '');

  if (shown.length === 0 || !hasData)
    return <EmptyState title={`No ${metricLabel.toLowerCase()} in this range`} />;

  return (
    <figure className="chart-figure" aria-labelledby={titleId}>
      <figcaption id={titleId} className="visually-hidden">
        {metricLabel} per {interval.toLowerCase()}, {shown.length} points
        {compareLabel ? `, compared with the ${compareLabel.toLowerCase()}` : ''}.
        {partialLabel ? ` The last point (${partialLabel.toLowerCase()}) is incomplete.` : ''}
      </figcaption>
      <div className="chart" role="img" aria-label={`${metricLabel} trend chart`}>
        <ChartContainer>
          <LineChart data={shown} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b833" />
            <XAxis dataKey="label" tickLine={false} minTickGap={24} fontSize={12} />
            <YAxis
              tickFormatter={(value: number) => formatCompact(value)}
              width={48}
              fontSize={12}
              tickLine={false}
              axisLine={false}
            />
            <Tooltip
              formatter={(value, name) => [
                typeof value === 'number' ? format(value) : String(value),
                seriesName(name),
              ]}
              // Where the solid and the dashed line meet, one value, not the same one twice.
              payloadUniqBy={(entry) =>
                entry.dataKey === 'incomplete' ? 'current' : String(entry.dataKey)
              }
            />
            {compareLabel ? (
              <Line
                type="monotone"
                dataKey="previous"
                name="previous"
                stroke={PREVIOUS_COLOR}
                strokeDasharray="5 4"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ) : null}
            <Line
              type="monotone"
              dataKey="current"
              name="current"
              stroke={CURRENT_COLOR}
              strokeWidth={2.5}
              dot={false}
              isAnimationActive={false}
            />
            {partialLabel ? (
              <Line
                type="monotone"
                dataKey="incomplete"
                name="incomplete"
                stroke={CURRENT_COLOR}
                strokeOpacity={0.55}
                strokeDasharray="4 4"
                strokeWidth={2.5}
                dot={false}
                isAnimationActive={false}
              />
            ) : null}
          </LineChart>
        </ChartContainer>
      </div>
      <ul className="chart-legend">
        <li>
          <span className="legend-swatch" aria-hidden="true" />
          {metricLabel} (total {format(total)})
        </li>
        {partialLabel ? (
          <li>
            <span className="legend-swatch legend-swatch-partial" aria-hidden="true" />
            {partialLabel} (incomplete)
          </li>
        ) : null}
        {compareLabel ? (
          <li>
            <span className="legend-swatch legend-swatch-dashed" aria-hidden="true" />
            {compareLabel}
          </li>
        ) : null}
      </ul>
      <details className="chart-table">
        <summary>Show the numbers</summary>
        <ScrollRegion label={`${metricLabel} by period`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  {metricLabel}
                </th>
                {compareLabel ? (
                  <th scope="col" className="num">
                    {compareLabel}
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {shown.map((point, index) => (
                <tr key={index}>
                  <th scope="row">
                    {point.label}
                    {point.partial ? <span className="muted"> (so far)</span> : null}
                  </th>
                  <td className="num">{point.value === null ? '—' : format(point.value)}</td>
                  {compareLabel ? (
                    <td className="num">
                      {point.previous === null ? '—' : format(point.previous)}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </details>
    </figure>
  );
}
