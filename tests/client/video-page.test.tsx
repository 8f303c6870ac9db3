import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  VideoLiveViewsDocument,
  VideoPageDocument,
  VideoProcessingDocument,
} from '../../client/src/gql/graphql.js';
import { VideoPage } from '../../client/src/pages/video-page.js';
import { overviewAnalytics, videoDetail, videoId } from './fixtures.js';
import { renderPage } from './render.js';

afterEach(cleanup);

const id = videoId(7);
const route = `/videos/${encodeURIComponent(id)}`;
const request = {
  query: VideoPageDocument,
  variables: {
    id,
    range: { preset: 'LAST_28_DAYS' },
    compare: 'PREVIOUS_PERIOD',
    interval: 'DAY',
    metric: 'VIEWS',
  },
};
const analytics = (empty = false) => ({
  __typename: 'VideoAnalytics',
  totals: {
    __typename: 'AnalyticsTotals',
    views: {
      __typename: 'CountComparison',
      value: empty ? 0 : 12_100,
      changePct: empty ? null : 21,
      trend: empty ? null : 'UP',
    },
  },
  series: overviewAnalytics({ empty }).series,
});
const answer = (video: ReturnType<typeof videoDetail> | null, empty = false) => ({
  request,
  result: {
    data: {
      __typename: 'Query',
      video: video && { ...video, analytics: analytics(empty) },
    },
  },
});
const liveViews = (views: number) => ({
  request: { query: VideoLiveViewsDocument, variables: { videoId: id } },
  result: {
    data: {
      videoViewsUpdated: {
        __typename: 'VideoViews',
        views,
        delta: 27,
        viewsPerMinute: 27,
        at: '2026-11-21T20:00:01.204Z',
      },
    },
  },
});
const processing = {
  request: { query: VideoProcessingDocument, variables: { videoId: id } },
  result: {
    data: {
      videoProcessingStatus: {
        __typename: 'VideoProcessingStatus',
        at: '2026-11-21T20:00:00.000Z',
        video: { __typename: 'Video', id, status: 'PUBLISHED', processingProgress: 100 },
      },
    },
  },
};

describe('Video page', () => {
  it('shows a loading state first', () => {
    renderPage(<VideoPage />, {
      route,
      path: '/videos/:id',
      mocks: [{ ...answer(videoDetail(7)), delay: 60_000 }],
    });
    expect(screen.getByRole('status', { name: 'Loading the video' })).toBeTruthy();
  });

  it('shows an error with a retry', async () => {
    renderPage(<VideoPage />, {
      route,
      path: '/videos/:id',
      mocks: [
        { request, error: new Error('down') },
        answer(videoDetail(7)),
        liveViews(1),
        processing,
      ],
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load this video');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Video number 7' })).toBeTruthy();
  });

  it('says when the video does not exist or is not yours', async () => {
    renderPage(<VideoPage />, { route, path: '/videos/:id', mocks: [answer(null)] });
    expect(await screen.findByText('Video not found')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to your content' })).toBeTruthy();
  });

  it('shows an empty chart when the range has no views', async () => {
    renderPage(<VideoPage />, {
      route,
      path: '/videos/:id',
      mocks: [answer(videoDetail(7), true), liveViews(48_213), processing],
    });
    expect(await screen.findByText('No views in this range')).toBeTruthy();
  });

  it('shows the live view count, status and per-platform numbers', async () => {
    renderPage(<VideoPage />, {
      route,
      path: '/videos/:id',
      mocks: [answer(videoDetail(7)), liveViews(48_240), processing],
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Video number 7' })).toBeTruthy();
    // The subscription's first message replaces the loaded count.
    const live = await screen.findByText('48,240');
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(await screen.findByText('27 in the last minute')).toBeTruthy();
    expect(screen.getByTestId('range-views').textContent).toContain('12,100 views in the range');
    expect(screen.getByTestId('range-views').textContent).toContain('+21 %');
    const status = screen.getByRole('heading', { name: 'Status' }).closest('section')!;
    expect(status.textContent).toContain('Live on at least one platform.');
    const byPlatform = within(
      screen.getByRole('region', { name: 'Numbers by platform' }),
    ).getByRole('table');
    expect(within(byPlatform).getByRole('rowheader').textContent).toContain('YouTube');
    expect(within(byPlatform).getAllByText('48,213').length).toBeGreaterThan(0);
  });
});
