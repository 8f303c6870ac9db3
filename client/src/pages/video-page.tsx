import { useQuery, useSubscription } from '@apollo/client/react';
import { useId } from 'react';
import { Link, useParams } from 'react-router';
import { errorCodes } from '../apollo/errors.js';
import { LiveCounter, useLiveStatus } from '../components/live-counter.js';
import { PlatformStats } from '../components/platform-stats.js';
import { ProcessingStatus } from '../components/processing-status.js';
import { RangeControls } from '../components/range-controls.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { formatterFor, TrendChart } from '../components/trend-chart.js';
import { VideoTotals } from '../components/video-totals.js';
import { graphql } from '../gql/index.js';
import { CHART_METRICS, COMPARE_LABELS, useAnalyticsParams } from '../lib/analytics-params.js';
import { formatChange, formatDate, formatDuration, formatNumber } from '../lib/format.js';

const VideoPageQuery = graphql(`
  query VideoPage(
    $id: ID!
    $range: AnalyticsRangeInput
    $compare: AnalyticsComparison!
    $interval: AnalyticsInterval!
    $metric: AnalyticsMetric!
  ) {
    video(id: $id) {
      id
      title
      description
      publishedAt
      durationSeconds
      tags
      stats {
        views
      }
      analytics(range: $range, compare: $compare) {
        totals {
          views {
            value
            previous
            changePct
            trend
          }
        }
        series(interval: $interval, metrics: [$metric]) {
          ...TrendChart_bucket @unmask
        }
      }
      ...ProcessingStatus_video
      ...VideoTotals_video
      ...PlatformStats_video
    }
  }
`);

const VideoLiveViews = graphql(`
  subscription VideoLiveViews($videoId: ID!) {
    videoViewsUpdated(videoId: $videoId, minIntervalMs: 1000) {
      views
      delta
      viewsPerMinute
      at
    }
  }
`);

const VideoProcessing = graphql(`
  subscription VideoProcessing($videoId: ID!) {
    videoProcessingStatus(videoId: $videoId) {
      at
      video {
        id
        ...ProcessingStatus_video
      }
    }
  }
`);

function LiveViews({ videoId, initial }: { videoId: string; initial: number }) {
  const { data, error } = useSubscription(VideoLiveViews, { variables: { videoId } });
  const live = data?.videoViewsUpdated;
  const status = useLiveStatus(Boolean(live), error);
  // The server sends at most one message a second and never a lower count than before.
  const views = Math.max(live?.views ?? 0, initial);
  return (
    <LiveCounter
      label="Views, live"
      value={views}
      status={status}
      updatedAt={live?.at ?? null}
      detail={live ? `${Math.round(live.viewsPerMinute)} in the last minute` : undefined}
    />
  );
}

/** "· +21 % vs previous period", or why there is no percentage. */
function rangeChange(
  views: { value: number; previous?: number | null; changePct?: number | null },
  compareLabel: string,
) {
  const versus = compareLabel.toLowerCase();
  if (views.changePct !== null && views.changePct !== undefined)
    return `${formatChange(views.changePct)} vs ${versus}`;
  if (views.previous === 0)
    return views.value > 0 ? `new: no views in the ${versus}` : `none in the ${versus} either`;
  return `no earlier data to compare with`;
}

function VideoNotFound() {
  return (
    <EmptyState title="Video not found" level={1}>
      <p>It may have been deleted, it belongs to another account, or the link is mistyped.</p>
      <Link to="/content">Back to your content</Link>
    </EmptyState>
  );
}

export function VideoPage() {
  const { id = '' } = useParams();
  const { compare, metric, interval, custom, variables, update } = useAnalyticsParams();
  const metricId = useId();
  const { data, previousData, error, loading, refetch } = useQuery(VideoPageQuery, {
    variables: { id, range: variables.range, compare, interval, metric },
  });
  const shown = data ?? previousData;
  // Status and processing progress arrive as they change (the cache updates the status card).
  useSubscription(VideoProcessing, { variables: { videoId: id }, skip: !shown?.video });

  // A malformed id is refused as invalid input; with a preset range (always valid) it is the
  // only input the server can refuse, so the video cannot exist.
  const refusedId = !custom && errorCodes(error).includes('BAD_USER_INPUT');
  if (refusedId && !shown) return <VideoNotFound />;
  if (error && !shown)
    return (
      <ErrorState
        error={error}
        title="Could not load this video"
        level={1}
        onRetry={() => void refetch()}
      />
    );
  if (!shown) return <Skeleton lines={8} label="Loading the video" />;
  const { video } = shown;
  const compareLabel = compare === 'NONE' ? null : COMPARE_LABELS[compare];
  if (!video) return <VideoNotFound />;

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/content">Content</Link> <span aria-hidden="true">/</span>
      </nav>
      <div className="page-header">
        <h1>{video.title}</h1>
        <p className="muted">
          {video.publishedAt ? `Published ${formatDate(video.publishedAt)}` : 'Not published'}
          {video.durationSeconds !== null && video.durationSeconds !== undefined
            ? ` · ${formatDuration(video.durationSeconds)}`
            : ''}
          {video.tags.length ? ` · ${video.tags.map((tag) => `#${tag}`).join(' ')}` : ''}
        </p>
      </div>
      <div className="grid grid-video">
        <LiveViews videoId={video.id} initial={video.stats.views} />
        <ProcessingStatus video={video} />
      </div>
      <section className="card" aria-labelledby="video-trend-title" aria-busy={loading}>
        <div className="card-header">
          <h2 id="video-trend-title" className="card-title">
            Over time
          </h2>
          <p className="muted" data-testid="range-views">
            {formatNumber(video.analytics.totals.views.value)} views in the range
            {compareLabel ? ` · ${rangeChange(video.analytics.totals.views, compareLabel)}` : ''}
          </p>
          <div className="inline-field">
            <label htmlFor={metricId}>Metric</label>
            <select
              id={metricId}
              value={metric}
              onChange={(event) =>
                update({ metric: event.target.value === 'VIEWS' ? null : event.target.value })
              }
            >
              {Object.entries(CHART_METRICS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <RangeControls showFilters={false} />
        <TrendChart
          buckets={video.analytics.series}
          interval={interval}
          metricLabel={CHART_METRICS[metric]}
          compareLabel={compareLabel}
          format={formatterFor(metric)}
        />
      </section>
      <VideoTotals video={video} />
      <PlatformStats video={video} />
      {video.description ? (
        <section className="card" aria-labelledby="description-title">
          <h2 id="description-title" className="card-title">
            Description
          </h2>
          <p className="description">{video.description}</p>
        </section>
      ) : null}
    </>
  );
}
