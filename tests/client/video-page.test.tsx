import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  VideoLiveViewsDocument,
  VideoPageDocument,
  VideoProcessingDocument,
} from '../../client/src/gql/graphql.js';
import { formatTime } from '../../client/src/lib/format.js';
import { VideoPage } from '../../client/src/pages/video-page.js';
import { overviewAnalytics, videoDetail, videoId } from './fixtures.js';
import { fakeConnection, renderPage } from './render.js';

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
type Views = { value: number; previous: number | null; changePct: number | null };
const analytics = (empty = false, views?: Views) => ({
  __typename: 'VideoAnalytics',
  totals: {
    __typename: 'AnalyticsTotals',
    views: {
      __typename: 'CountComparison',
      value: empty ? 0 : 12_100,
      previous: empty ? 0 : 10_000,
      changePct: empty ? null : 21,
      trend: empty ? null : 'UP',
      ...views,
    },
  },
  series: overviewAnalytics({ empty }).series,
});
const answer = (video: ReturnType<typeof videoDetail> | null, empty = false, views?: Views) => ({
  request,
  result: {
    data: {
      __typename: 'Query',
      video: video && { ...video, analytics: analytics(empty, views) },
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
    // The state is the whole page: its title is the page's h1.
    expect(within(alert).getByRole('heading', { level: 1 }).textContent).toBe(
      'Could not load this video',
    );
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Video number 7' })).toBeTruthy();
  });

  it('says when the video does not exist or is not yours', async () => {
    renderPage(<VideoPage />, { route, path: '/videos/:id', mocks: [answer(null)] });
    expect(await screen.findByRole('heading', { level: 1, name: 'Video not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to your content' })).toBeTruthy();
  });

  it('says "Video not found" for a malformed id, not "check the filters"', async () => {
    renderPage(<VideoPage />, {
      route: '/videos/not-a-video',
      path: '/videos/:id',
      mocks: [
        {
          request: { ...request, variables: { ...request.variables, id: 'not-a-video' } },
          result: {
            errors: [
              {
                message: 'Invalid global ID: not-a-video',
                extensions: { code: 'BAD_USER_INPUT' },
              },
            ],
          },
        },
      ],
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Video not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to your content' })).toBeTruthy();
    expect(screen.queryByText(/Check the filters/)).toBeNull();
  });

  it('says what the range views compare with, and "new" when the previous period had none', async () => {
    renderPage(<VideoPage />, {
      route,
      path: '/videos/:id',
      mocks: [
        answer(videoDetail(7), false, { value: 4941, previous: 0, changePct: null }),
        liveViews(48_240),
        processing,
      ],
    });
    const rangeViews = await screen.findByTestId('range-views');
    expect(rangeViews.textContent).toBe(
      '4,941 views in the range · new: no views in the previous period',
    );
  });

  it('shows a lost live connection: grey, reconnecting or offline, with the last update time', async () => {
    const connection = fakeConnection('live');
    renderPage(<VideoPage />, {
      route,
      path: '/videos/:id',
      mocks: [answer(videoDetail(7)), liveViews(48_240), processing],
      connection,
    });
    expect(await screen.findByText('27 in the last minute')).toBeTruthy();
    const counter = screen.getByRole('region', { name: 'Views, live' });
    expect(within(counter).getByRole('heading').textContent).toContain('(live)');

    connection.set('reconnecting');
    expect(within(counter).getByRole('heading').textContent).toContain('(reconnecting)');
    const lastUpdate = `Last update ${formatTime('2026-11-21T20:00:01.204Z')}.`;
    expect(within(counter).getByRole('status').textContent).toBe(
      `Connection lost, reconnecting… ${lastUpdate}`,
    );
    expect(within(counter).queryByText('27 in the last minute')).toBeNull();
    expect(within(counter).getByText('48,240')).toBeTruthy();

    connection.set('offline');
    expect(within(counter).getByRole('heading').textContent).toContain('(offline)');
    expect(within(counter).getByRole('status').textContent).toBe(`Offline. ${lastUpdate}`);

    connection.set('live');
    expect(within(counter).getByText('27 in the last minute')).toBeTruthy();
    expect(within(counter).getByRole('status').textContent).toBe('');
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
    expect(screen.getByTestId('range-views').textContent).toContain('+21 % vs previous period');
    const status = screen.getByRole('heading', { name: 'Status' }).closest('section')!;
    expect(status.textContent).toContain('Live on at least one platform.');
    const byPlatform = within(
      screen.getByRole('region', { name: 'Numbers by platform' }),
    ).getByRole('table');
    expect(within(byPlatform).getByRole('rowheader').textContent).toContain('YouTube');
    expect(within(byPlatform).getAllByText('48,213').length).toBeGreaterThan(0);
  });
});
