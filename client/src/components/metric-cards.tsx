import { graphql } from '../gql/index.js';
import type { MetricCards_AnalyticsFragment } from '../gql/graphql.js';
import { formatCompact, formatNumber, formatPercent } from '../lib/format.js';
import { changePctOf, MetricCard, trendOf } from './metric-card.js';

export const MetricCardsFragment = graphql(`
  fragment MetricCards_analytics on Analytics {
    totals {
      views {
        value
        previous
        changePct
        trend
      }
      engagementRate {
        value
        previous
        changePct
        trend
      }
      current {
        likes
        comments
        shares
      }
      previous {
        likes
        comments
        shares
      }
    }
    growth {
      platform
      startFollowers
      endFollowers
    }
  }
`);

const engagements = (totals: { likes: number; comments: number; shares: number }) =>
  totals.likes + totals.comments + totals.shares;

function sum(values: (number | null)[]) {
  const known = values.filter((value): value is number => value !== null);
  return known.length ? known.reduce((total, value) => total + value, 0) : null;
}

/**
 * The analytics object has no id, so useFragment cannot read it back: the page spreads this
 * fragment with @unmask and hands the data down.
 *
 * Views, engagements, followers and engagement rate, each against the comparison period. */
export function MetricCards({
  analytics,
  compareLabel,
}: {
  analytics: MetricCards_AnalyticsFragment;
  compareLabel: string | null;
}) {
  const { totals, growth } = analytics;
  const engaged = engagements(totals.current);
  const engagedBefore = totals.previous ? engagements(totals.previous) : null;
  const engagedChange = changePctOf(engaged, engagedBefore);
  const followers = sum(growth.map((channel) => channel.endFollowers ?? null));
  const followersBefore = sum(growth.map((channel) => channel.startFollowers ?? null));
  const followersChange = changePctOf(followers, followersBefore);

  return (
    <div className="grid grid-cards">
      <MetricCard
        label="Views"
        testId="metric-views"
        display={formatCompact(totals.views.value)}
        exact={formatNumber(totals.views.value)}
        changePct={totals.views.changePct}
        value={totals.views.value}
        previous={totals.views.previous}
        trend={totals.views.trend}
        compareLabel={compareLabel}
        previousDisplay={
          totals.views.previous !== null && totals.views.previous !== undefined
            ? formatCompact(totals.views.previous)
            : undefined
        }
      />
      <MetricCard
        label="Engagements"
        testId="metric-engagements"
        display={formatCompact(engaged)}
        exact={`${formatNumber(engaged)} likes, comments and shares`}
        changePct={engagedChange}
        value={engaged}
        previous={engagedBefore}
        trend={compareLabel ? trendOf(engagedChange) : null}
        compareLabel={compareLabel}
        previousDisplay={engagedBefore !== null ? formatCompact(engagedBefore) : undefined}
      />
      <MetricCard
        label="Followers"
        testId="metric-followers"
        display={followers === null ? '—' : formatCompact(followers)}
        exact={followers === null ? undefined : formatNumber(followers)}
        changePct={followersChange}
        value={followers}
        previous={followersBefore}
        trend={trendOf(followersChange)}
        compareLabel={followersBefore !== null ? 'over the range' : null}
      />
      <MetricCard
        label="Engagement rate"
        testId="metric-engagement-rate"
        display={formatPercent(totals.engagementRate.value)}
        changePct={totals.engagementRate.changePct}
        value={totals.engagementRate.value}
        previous={totals.engagementRate.previous}
        trend={totals.engagementRate.trend}
        compareLabel={compareLabel}
        previousDisplay={
          totals.engagementRate.previous !== null && totals.engagementRate.previous !== undefined
            ? formatPercent(totals.engagementRate.previous)
            : undefined
        }
      />
    </div>
  );
}
