import { useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Line, LineChart, YAxis } from 'recharts';
import { ChartContainer } from './chart-container.js';
import { graphql } from '../gql/index.js';
import { formatChange, formatCompact, formatNumber } from '../lib/format.js';
import { useThrottled } from '../lib/use-throttled.js';
import { LiveCounter, useLiveStatus } from './live-counter.js';
import { CURRENT_COLOR } from './trend-chart.js';

const OverviewLive = graphql(`
  subscription OverviewLive {
    analyticsUpdated(intervalMs: 2000) {
      at
      viewsToday {
        value
        previous
        changePct
        trend
      }
      viewsLastMinute {
        value
      }
    }
  }
`);

const SAMPLES = 60;

/**
 * Today's views as they happen, and a sparkline of the views per minute since the page opened.
 * Live numbers always cover the whole account: `filtered` says so when the page is filtered.
 */
export function LiveOverview({ filtered = false }: { filtered?: boolean }) {
  const { data, error } = useSubscription(OverviewLive);
  const live = data?.analyticsUpdated;
  const status = useLiveStatus(Boolean(live), error);
  const [samples, setSamples] = useState<{ at: string; views: number }[]>([]);

  useEffect(() => {
    if (!live) return;
    setSamples((previous) =>
      [...previous, { at: live.at, views: live.viewsLastMinute.value ?? 0 }].slice(-SAMPLES),
    );
  }, [live]);
  // Animation off and at most one redraw a second, however fast messages arrive.
  const shown = useThrottled(samples, 1000);

  const today = live?.viewsToday;
  const peak = Math.max(0, ...shown.map((sample) => sample.views));
  return (
    <div className="live-overview">
      <LiveCounter
        label="Views today, live"
        value={today?.value ?? null}
        status={status}
        updatedAt={live?.at ?? null}
        detail={
          live
            ? `${formatNumber(live.viewsLastMinute.value ?? 0)} in the last minute · ${formatChange(today?.changePct, today?.value, today?.previous)} vs yesterday at this time`
            : undefined
        }
        scope={
          filtered ? 'All platforms and tags: the filters do not apply to live numbers.' : undefined
        }
      />
      <section className="sparkline" aria-labelledby="sparkline-title">
        <h2 id="sparkline-title" className="sparkline-title">
          Views per minute, since you opened this page
        </h2>
        <div
          className="sparkline-chart"
          role="img"
          aria-label={
            shown.length
              ? `Latest: ${formatNumber(shown[shown.length - 1]!.views)} views in the last minute, peak ${formatNumber(peak)}`
              : 'Waiting for the first live values'
          }
        >
          <ChartContainer>
            <LineChart data={shown} margin={{ top: 8, right: 4, bottom: 8, left: 0 }}>
              <YAxis
                domain={[0, 'auto']}
                allowDecimals={false}
                tickCount={3}
                interval={0}
                width={36}
                fontSize={11}
                tickLine={false}
                axisLine={false}
                tickFormatter={(value: number) => formatCompact(value)}
              />
              <Line
                type="monotone"
                dataKey="views"
                stroke={CURRENT_COLOR}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ChartContainer>
        </div>
      </section>
    </div>
  );
}
