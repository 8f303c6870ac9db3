import type { FragmentType } from '@apollo/client';
import { useFragment } from '@apollo/client/react';
import { graphql } from '../gql/index.js';
import { formatCompact, formatDuration, formatNumber, formatPercent } from '../lib/format.js';

export const VideoTotalsFragment = graphql(`
  fragment VideoTotals_video on Video {
    id
    stats {
      views
      likes
      comments
      shares
      saves
      engagementRate
      ctr
      watchTimeSeconds
    }
  }
`);

/** Lifetime totals over every platform. */
export function VideoTotals({ video }: { video: FragmentType<typeof VideoTotalsFragment> }) {
  const { data, complete } = useFragment({ fragment: VideoTotalsFragment, from: video });
  if (!complete) return null;
  const { stats } = data;
  const items = [
    ['Likes', formatCompact(stats.likes), formatNumber(stats.likes)],
    ['Comments', formatCompact(stats.comments), formatNumber(stats.comments)],
    ['Shares', formatCompact(stats.shares), formatNumber(stats.shares)],
    ['Saves', formatCompact(stats.saves), formatNumber(stats.saves)],
    ['Engagement rate', formatPercent(stats.engagementRate), null],
    ['Click-through rate', formatPercent(stats.ctr), null],
    ['Watch time', formatDuration(stats.watchTimeSeconds), null],
  ] as const;
  return (
    <section className="card" aria-labelledby="totals-title">
      <h2 id="totals-title" className="card-title">
        Lifetime totals
      </h2>
      <dl className="stat-grid">
        {items.map(([label, value, exact]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd title={exact ?? undefined}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
