import type { FragmentType } from '@apollo/client';
import { useFragment } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../gql/index.js';
import {
  formatCompact,
  formatDate,
  formatNumber,
  formatPercent,
  PLATFORM_LABELS,
} from '../lib/format.js';
import { StatusBadge } from './status-badge.js';

export const VideoRowFragment = graphql(`
  fragment VideoRow_video on Video {
    id
    title
    status
    publishedAt
    tags
    publications {
      id
      platform
    }
    stats {
      views
      likes
      engagementRate
    }
  }
`);

/** One video in the content list: a card that reads as a row on wide screens. */
export function VideoRow({ video }: { video: FragmentType<typeof VideoRowFragment> }) {
  const { data, complete } = useFragment({ fragment: VideoRowFragment, from: video });
  if (!complete) return null;
  return (
    <article className="video-row">
      <div className="video-row-main">
        <h2 className="video-row-title">
          <Link to={`/videos/${encodeURIComponent(data.id)}`}>{data.title}</Link>
        </h2>
        <p className="video-row-meta">
          <StatusBadge status={data.status} />
          <span>{data.publishedAt ? formatDate(data.publishedAt) : 'Not published'}</span>
          {data.publications.map((publication) => (
            <span key={publication.id} className={`platform platform-${publication.platform}`}>
              {PLATFORM_LABELS[publication.platform]}
            </span>
          ))}
        </p>
        {data.tags.length ? (
          <p className="tags">
            <span className="visually-hidden">Tags: </span>
            {data.tags.map((tag) => (
              <span key={tag} className="tag">
                #{tag}
              </span>
            ))}
          </p>
        ) : null}
      </div>
      <dl className="video-row-stats">
        <div>
          <dt>Views</dt>
          <dd title={formatNumber(data.stats.views)}>{formatCompact(data.stats.views)}</dd>
        </div>
        <div>
          <dt>Likes</dt>
          <dd title={formatNumber(data.stats.likes)}>{formatCompact(data.stats.likes)}</dd>
        </div>
        <div>
          <dt>Engagement</dt>
          <dd>{formatPercent(data.stats.engagementRate)}</dd>
        </div>
      </dl>
    </article>
  );
}
