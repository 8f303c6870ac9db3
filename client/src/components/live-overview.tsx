import { useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Line, LineChart, YAxis } from 'recharts';
import { ChartContainer } from './chart-container.js';
import { graphql } from '../gql/index.js';
import { formatChange, formatNumber } from '../lib/format.js';
import { useThrottled } from '../lib/use-throttled.js';
import { LiveCounter } from './live-counter.js';
import { CURRENT_COLOR } from './trend-chart.js';

const OverviewLive = graphql(`
  subscription OverviewLive {
    analyticsUpdated(intervalMs: 2000) {
      at
      viewsToday {
        value
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

/** Today's views as they happen, and a sparkline of the views per minute since the page opened. */
export function LiveOverview() {
  const { data, error } = useSubscription(OverviewLive);
  const live = data?.analyticsUpdated;
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
  return (
    <div className="live-overview">
      <LiveCounter
        label="Views today, live"
        value={today?.value ?? null}
        connected={Boolean(live) && !error}
        detail={
          error
            ? 'Live updates are unavailable right now.'
            : live
              ? `${formatNumber(live.viewsLastMinute.value ?? 0)} in the last minute · ${formatChange(today?.changePct)} vs yesterday at this time`
              : 'Connecting…'
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
              ? `Latest: ${formatNumber(shown[shown.length - 1]!.views)} views in the last minute`
              : 'Waiting for the first live values'
          }
        >
          <ChartContainer>
            <LineChart data={shown} margin={{ top: 4, right: 4, bottom: 4, left: 4 }}>
              <YAxis hide domain={[0, 'auto']} />
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
