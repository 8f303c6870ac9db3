import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartContainer } from './chart-container.js';
import { graphql } from '../gql/index.js';
import type { PlatformComparison_PlatformFragment } from '../gql/graphql.js';
import {
  formatChange,
  formatCompact,
  formatNumber,
  formatPercent,
  PLATFORM_LABELS,
} from '../lib/format.js';
import { useThrottled } from '../lib/use-throttled.js';
import { EmptyState } from './states.js';
import { CURRENT_COLOR, PREVIOUS_COLOR } from './trend-chart.js';
import { ScrollRegion } from './scroll-region.js';

export const PlatformComparisonFragment = graphql(`
  fragment PlatformComparison_platform on PlatformBreakdown {
    platform
    share(metric: VIEWS)
    views: metric(metric: VIEWS) {
      value
      previous
      changePct
      trend
    }
    totals {
      views
    }
  }
`);

/** Views per platform in the range (and the comparison period), with each one's share. */
export function PlatformComparison({
  platforms,
  compareLabel,
}: {
  platforms: readonly PlatformComparison_PlatformFragment[];
  compareLabel: string | null;
}) {
  const rows = useThrottled(platforms, 1000);
  const data = rows.map((row) => ({
    name: PLATFORM_LABELS[row.platform],
    current: row.views.value ?? 0,
    previous: row.views.previous ?? 0,
  }));
  const empty = rows.every((row) => !row.views.value && !row.views.previous);

  return (
    <section className="card" aria-labelledby="platforms-title">
      <h2 id="platforms-title" className="card-title">
        Platforms
      </h2>
      {empty ? (
        <EmptyState title="No views on any platform in this range" />
      ) : (
        <>
          <div className="chart chart-small" role="img" aria-label="Views by platform bar chart">
            <ChartContainer>
              <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b833" />
                <XAxis dataKey="name" tickLine={false} fontSize={12} />
                <YAxis
                  tickFormatter={(value: number) => formatCompact(value)}
                  width={44}
                  fontSize={12}
                  tickLine={false}
                  axisLine={false}
                />
                <Tooltip
                  formatter={(value, name) => [
                    formatNumber(Number(value)),
                    name === 'current' ? 'Views in the range' : (compareLabel ?? ''),
                  ]}
                />
                {compareLabel ? (
                  <Bar dataKey="previous" fill={PREVIOUS_COLOR} isAnimationActive={false} />
                ) : null}
                <Bar dataKey="current" fill={CURRENT_COLOR} isAnimationActive={false} />
              </BarChart>
            </ChartContainer>
          </div>
          <ul className="chart-legend">
            <li>
              <span
                className="legend-swatch legend-swatch-box"
                style={{ background: CURRENT_COLOR }}
                aria-hidden="true"
              />
              Views in the range
            </li>
            {compareLabel ? (
              <li>
                <span
                  className="legend-swatch legend-swatch-box"
                  style={{ background: PREVIOUS_COLOR }}
                  aria-hidden="true"
                />
                {compareLabel} (grey)
              </li>
            ) : null}
          </ul>
          <ScrollRegion label="Views by platform table">
            <table className="table">
              <caption className="visually-hidden">Views by platform</caption>
              <thead>
                <tr>
                  <th scope="col">Platform</th>
                  <th scope="col" className="num">
                    Views
                  </th>
                  <th scope="col" className="num">
                    Share
                  </th>
                  {compareLabel ? (
                    <th scope="col" className="num">
                      Change
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.platform}>
                    <th scope="row">
                      <span className={`platform platform-${row.platform}`}>
                        {PLATFORM_LABELS[row.platform]}
                      </span>
                    </th>
                    <td className="num">{formatNumber(row.totals.views)}</td>
                    <td className="num">
                      {formatPercent(row.share)}
                      <span
                        className="share-bar"
                        style={{ width: `${Math.max(0, Math.min(100, row.share ?? 0))}%` }}
                        aria-hidden="true"
                      />
                    </td>
                    {compareLabel ? (
                      <td className={`num trend-${row.views.trend ?? 'STABLE'}`}>
                        {formatChange(row.views.changePct, row.views.value, row.views.previous)}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </section>
  );
}
