import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OverviewLiveDocument, OverviewPageDocument } from '../../client/src/gql/graphql.js';
import { OverviewPage } from '../../client/src/pages/overview-page.js';
import { liveAnalytics, overviewAnalytics } from './fixtures.js';
import { location, renderPage } from './render.js';

afterEach(cleanup);

const variables = (changes: Record<string, unknown> = {}) => ({
  range: { preset: 'LAST_28_DAYS' },
  compare: 'PREVIOUS_PERIOD',
  filter: null,
  interval: 'DAY',
  metric: 'VIEWS',
  topMetric: 'VIEWS',
  ...changes,
});

const overview = (analytics: unknown, changes: Record<string, unknown> = {}) => ({
  request: { query: OverviewPageDocument, variables: variables(changes) },
  result: { data: { __typename: 'Query', analytics } },
});

const live = (viewsToday: number) => ({
  request: { query: OverviewLiveDocument },
  result: { data: { analyticsUpdated: liveAnalytics(viewsToday) } },
});

describe('Overview page', () => {
  it('shows a loading state while the analytics load', () => {
    renderPage(<OverviewPage />, {
      mocks: [{ ...overview(overviewAnalytics()), delay: 60_000 }, live(1)],
    });
    expect(screen.getByRole('status', { name: 'Loading your analytics' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Overview' })).toBeTruthy();
  });

  it('shows an error with a retry when the API cannot be reached', async () => {
    renderPage(<OverviewPage />, {
      mocks: [
        {
          request: { query: OverviewPageDocument, variables: variables() },
          error: new Error('down'),
        },
        overview(overviewAnalytics()),
        live(1),
      ],
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load your analytics');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('metric-views')).toBeTruthy();
  });

  it('shows empty states when the range has no activity', async () => {
    renderPage(<OverviewPage />, {
      mocks: [overview(overviewAnalytics({ empty: true })), live(0)],
    });
    expect(await screen.findByText('No views in this range')).toBeTruthy();
    expect(screen.getByText('No views on any platform in this range')).toBeTruthy();
    expect(screen.getByText('No content with activity in this range')).toBeTruthy();
    expect(within(screen.getByTestId('metric-views')).getByText('0')).toBeTruthy();
  });

  it('shows the metric cards with their change, platforms, top content and the live counter', async () => {
    renderPage(<OverviewPage />, { mocks: [overview(overviewAnalytics()), live(777)] });
    const views = await screen.findByTestId('metric-views');
    expect(within(views).getByText('12.3K').getAttribute('title')).toBe('12,345');
    expect(views.textContent).toContain('+23.5 %');
    expect(views.textContent).toContain('up');
    const engagements = screen.getByTestId('metric-engagements');
    // 600 + 50 + 30 = 680 vs 500 + 40 + 20 = 560: +21.4 %
    expect(engagements.textContent).toContain('680');
    expect(engagements.textContent).toContain('+21.4 %');
    expect(screen.getByTestId('metric-followers').textContent).toContain('1.1K');
    expect(screen.getByTestId('metric-engagement-rate').textContent).toContain('6.5 %');

    const platforms = screen.getByRole('heading', { name: 'Platforms' }).closest('section')!;
    expect(within(platforms).getByText('60 %')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Top video 1' }).getAttribute('href')).toMatch(
      /^\/videos\//,
    );
    // The live counter announces politely and shows the subscription's value.
    const counter = await screen.findByText('777');
    expect(counter.getAttribute('aria-live')).toBe('polite');
  });

  it('keeps the range, comparison and top-content order in the URL', async () => {
    renderPage(<OverviewPage />, {
      mocks: [
        overview(overviewAnalytics()),
        overview(overviewAnalytics(), { compare: 'PREVIOUS_YEAR' }),
        overview(overviewAnalytics(), { compare: 'PREVIOUS_YEAR', topMetric: 'LIKES' }),
        live(1),
      ],
    });
    await screen.findByTestId('metric-views');
    await userEvent.selectOptions(screen.getByLabelText('Compare with'), 'PREVIOUS_YEAR');
    expect(location.current).toContain('compare=PREVIOUS_YEAR');
    await waitFor(() =>
      expect(screen.getByTestId('metric-views').textContent).toContain('vs same period last year'),
    );
    await userEvent.click(screen.getByRole('button', { name: /^Likes/ }));
    expect(location.current).toContain('top=LIKES');
    await waitFor(() =>
      expect(screen.getByRole('columnheader', { name: /Likes/ }).getAttribute('aria-sort')).toBe(
        'descending',
      ),
    );
  });

  it('marks the bucket under way as incomplete instead of drawing a cliff', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);
    const series = [day(-1), day(0)].map((date, index) => {
      const label = date.toISOString().slice(0, 10);
      return {
        __typename: 'SeriesBucket',
        label,
        start: `${label}T00:00:00.000Z`,
        end: new Date(Date.parse(label) + 86_400_000).toISOString(),
        values: [{ __typename: 'MetricComparison', value: index ? 900 : 4000, previous: 3000 }],
      };
    });
    renderPage(<OverviewPage />, {
      mocks: [overview({ ...overviewAnalytics(), series }), live(1)],
    });
    const trend = (await screen.findByRole('heading', { name: 'Trend' })).closest('section')!;
    expect(within(trend).getByText('Today so far (incomplete)')).toBeTruthy();
    const rows = within(trend).getAllByRole('rowheader');
    expect(rows[0]!.textContent).not.toContain('so far');
    expect(rows[1]!.textContent).toContain('(so far)');
  });

  it('explains the platform bars and says "New" where the previous period had nothing', async () => {
    const analytics = overviewAnalytics();
    const [youtube, tiktok] = analytics.byPlatform;
    const fresh = {
      ...tiktok!,
      views: { ...tiktok!.views, previous: 0, changePct: null, trend: 'UP' },
    };
    renderPage(<OverviewPage />, {
      mocks: [overview({ ...analytics, byPlatform: [youtube, fresh] }), live(1)],
    });
    const platforms = (await screen.findByRole('heading', { name: 'Platforms' })).closest(
      'section',
    )!;
    const legend = within(platforms).getAllByRole('listitem');
    expect(legend.map((item) => item.textContent)).toEqual([
      'Views in the range',
      'Previous period (grey)',
    ]);
    const tiktokRow = within(platforms).getByRole('rowheader', { name: 'TikTok' }).closest('tr')!;
    expect(within(tiktokRow).getByText('New')).toBeTruthy();
  });

  it('gives the views-per-minute sparkline a scale', async () => {
    renderPage(<OverviewPage />, { mocks: [overview(overviewAnalytics()), live(777)] });
    await screen.findByText('777');
    const sparkline = screen.getByRole('heading', { name: /Views per minute/ }).closest('section')!;
    const chart = within(sparkline).getByRole('img');
    expect(chart.getAttribute('aria-label')).toContain('peak 42');
    // The y axis: 0 at the bottom and a value at least as high as the peak.
    const ticks = Array.from(chart.querySelectorAll('text'), (text) => Number(text.textContent));
    expect(ticks).toContain(0);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(42);
  });

  it('says that the live counter covers all platforms when a filter is set', async () => {
    renderPage(<OverviewPage />, {
      route: '/?platform=YOUTUBE',
      mocks: [overview(overviewAnalytics(), { filter: { platforms: ['YOUTUBE'] } }), live(777)],
    });
    const counter = await screen.findByRole('region', { name: 'Views today, live' });
    expect(counter.textContent).toContain(
      'All platforms and tags: the filters do not apply to live numbers.',
    );
  });

  it('puts each filter change in the history, so Back undoes it', async () => {
    renderPage(<OverviewPage />, {
      mocks: [
        overview(overviewAnalytics()),
        overview(overviewAnalytics(), { compare: 'PREVIOUS_YEAR' }),
        overview(overviewAnalytics()),
        live(1),
      ],
    });
    await screen.findByTestId('metric-views');
    await userEvent.selectOptions(screen.getByLabelText('Compare with'), 'PREVIOUS_YEAR');
    expect(location.current).toContain('compare=PREVIOUS_YEAR');
    await userEvent.selectOptions(screen.getByLabelText('Date range'), 'CUSTOM');
    expect(location.current).toContain('from=');
    expect(screen.getByLabelText('From')).toBeTruthy();

    location.back();
    expect(location.current).toBe('/?compare=PREVIOUS_YEAR');
    expect((screen.getByLabelText('Date range') as HTMLSelectElement).value).toBe('LAST_28_DAYS');
    expect(screen.queryByLabelText('From')).toBeNull();
    location.back();
    expect(location.current).toBe('/');
    expect((screen.getByLabelText('Compare with') as HTMLSelectElement).value).toBe(
      'PREVIOUS_PERIOD',
    );
  });
});
