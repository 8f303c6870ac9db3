import type { FragmentType } from '@apollo/client';
import { useFragment } from '@apollo/client/react';
import { graphql } from '../gql/index.js';
import { formatDate, formatNumber, formatPercent, PLATFORM_LABELS } from '../lib/format.js';
import { EmptyState } from './states.js';
import { ScrollRegion } from './scroll-region.js';

export const PlatformStatsFragment = graphql(`
  fragment PlatformStats_video on Video {
    id
    publications {
      id
      platform
      url
      publishedAt
      channel {
        id
        handle
      }
      stats {
        views
        likes
        comments
        shares
        engagementRate
        ctr
      }
    }
  }
`);

/** The video on each platform it is published on, side by side. */
export function PlatformStats({ video }: { video: FragmentType<typeof PlatformStatsFragment> }) {
  const { data, complete } = useFragment({ fragment: PlatformStatsFragment, from: video });
  if (!complete) return null;
  return (
    <section className="card" aria-labelledby="platform-stats-title">
      <h2 id="platform-stats-title" className="card-title">
        By platform
      </h2>
      {data.publications.length === 0 ? (
        <EmptyState title="Not published on any platform yet" />
      ) : (
        <ScrollRegion label="Numbers by platform">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Platform</th>
                <th scope="col" className="num">
                  Views
                </th>
                <th scope="col" className="num">
                  Likes
                </th>
                <th scope="col" className="num">
                  Comments
                </th>
                <th scope="col" className="num">
                  Shares
                </th>
                <th scope="col" className="num">
                  Engagement
                </th>
                <th scope="col" className="num">
                  CTR
                </th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {data.publications.map((publication) => (
                <tr key={publication.id}>
                  <th scope="row">
                    <span className={`platform platform-${publication.platform}`}>
                      {PLATFORM_LABELS[publication.platform]}
                    </span>{' '}
                    {publication.url ? (
                      <a href={publication.url} rel="noreferrer noopener" target="_blank">
                        {publication.channel.handle}
                        <span className="visually-hidden"> (opens in a new tab)</span>
                      </a>
                    ) : (
                      <span className="muted">{publication.channel.handle}</span>
                    )}
                  </th>
                  <td className="num">{formatNumber(publication.stats.views)}</td>
                  <td className="num">{formatNumber(publication.stats.likes)}</td>
                  <td className="num">{formatNumber(publication.stats.comments)}</td>
                  <td className="num">{formatNumber(publication.stats.shares)}</td>
                  <td className="num">{formatPercent(publication.stats.engagementRate)}</td>
                  <td className="num">{formatPercent(publication.stats.ctr)}</td>
                  <td>{formatDate(publication.publishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
