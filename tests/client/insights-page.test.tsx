import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { InsightsPageDocument } from '../../client/src/gql/graphql.js';
import { InsightsPage } from '../../client/src/pages/insights-page.js';
import { insights, videoId } from './fixtures.js';
import { location, renderPage } from './render.js';

afterEach(cleanup);

const answer = (data: unknown, preset = 'LAST_90_DAYS') => ({
  request: { query: InsightsPageDocument, variables: { range: { preset }, days: 28 } },
  result: { data: { __typename: 'Query', insights: data } },
});

const section = (name: string) =>
  screen.getByRole('heading', { level: 2, name }).closest('section')!;

describe('Insights page', () => {
  it('shows a loading state under its heading', () => {
    renderPage(<InsightsPage />, {
      route: '/insights',
      mocks: [{ ...answer(insights()), delay: 60_000 }],
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Insights' })).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Loading your insights' })).toBeTruthy();
  });

  it('shows an error with a retry', async () => {
    renderPage(<InsightsPage />, {
      route: '/insights',
      mocks: [
        {
          request: {
            query: InsightsPageDocument,
            variables: { range: { preset: 'LAST_90_DAYS' }, days: 28 },
          },
          error: new Error('down'),
        },
        answer(insights()),
      ],
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load your insights');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('best-weekday')).toBeTruthy();
  });

  it('says what is missing when the range has nothing to learn from', async () => {
    renderPage(<InsightsPage />, {
      route: '/insights',
      mocks: [answer(insights({ empty: true }))],
    });
    const empty = await screen.findByText('No insights for this range yet');
    expect(empty.closest('[role="status"]')!.textContent).toContain('at least 7 days ago');
    expect(screen.queryByRole('heading', { level: 2 })).toBeNull();
  });

  it('gives the best weekday and hour with the numbers behind them', async () => {
    renderPage(<InsightsPage />, { route: '/insights', mocks: [answer(insights())] });
    const weekday = await screen.findByTestId('best-weekday');
    expect(within(weekday).getByText('Tuesday')).toBeTruthy();
    // Tuesday 9 % against (10 × 6 + 20 × 9 + 12 × 7.5) / 42 = 7.9 %; 40,000 views against 32,381.
    expect(weekday.textContent).toContain(
      '9 % engagement in the first 7 days · 1.1× your average (7.9 %)',
    );
    expect(weekday.textContent).toContain(
      '40,000 views on average in the first 7 days (1.2× your average) · from 20 videos',
    );
    const hour = screen.getByTestId('best-hour');
    expect(within(hour).getByText('18:00–19:00')).toBeTruthy();
    expect(hour.textContent).toContain('10.5 % engagement');
    expect(hour.textContent).toContain('from 5 videos');

    const times = section('Best time to publish');
    expect(times.textContent).toContain('42 videos first published in the range');
    const rows = within(within(times).getByRole('region', { name: 'By weekday' })).getAllByRole(
      'row',
    );
    expect(rows.map((row) => row.textContent)).toEqual([
      'WeekdayEngagement, 7 daysVideosAvg views, 7 days',
      'Monday6 %1020,000',
      'TuesdayBest9 %2040,000',
      'Friday7.5 %1230,000',
    ]);
    // An hour with fewer than 3 videos is shown, but said to be too few to rank.
    const hours = within(times).getByRole('region', { name: 'By hour of the day' });
    expect(
      within(hours).getByRole('rowheader', { name: '09:00–10:00' }).closest('tr')!.textContent,
    ).toContain('too few to rank');
  });

  it('lists videos above and below the average launch, linked, with their numbers', async () => {
    renderPage(<InsightsPage />, { route: '/insights', mocks: [answer(insights())] });
    await screen.findByTestId('best-weekday');
    const performance = section('Above and below your average');
    expect(performance.textContent).toContain('your average launch of 30,000 views');
    const above = within(performance).getByRole('group', { name: 'Above your average (2)' });
    const first = within(above).getByRole('link', { name: 'Video number 1' });
    expect(first.getAttribute('href')).toBe(`/videos/${encodeURIComponent(videoId(1))}`);
    expect(first.closest('li')!.textContent).toContain(
      '150,000 views in the first 7 days · 5× your average · 8.4 % engagement · z\u00a0+1.74',
    );
    const below = within(performance).getByRole('group', { name: 'Below your average (1)' });
    expect(within(below).getByRole('listitem').textContent).toContain(
      '600 views in the first 7 days · 98 % below your average',
    );
    expect(within(below).getByRole('listitem').textContent).toContain('z\u00a0−2.76');
  });

  it('shows forecasts with their 80 % intervals, in words, as a band and in a table', async () => {
    const { container } = renderPage(<InsightsPage />, {
      route: '/insights',
      mocks: [answer(insights())],
    });
    const views = await screen.findByTestId('forecast-views');
    const terms = within(views)
      .getAllByRole('term')
      .map((term) => term.textContent);
    expect(terms).toEqual(['Thu, Dec 3', 'Sat, Dec 5']);
    const definitions = within(views)
      .getAllByRole('definition')
      .map((item) => item.textContent);
    expect(definitions).toEqual([
      '151,510 views80 % interval 128,661–174,360',
      '158,472 views80 % interval 121,130–195,814',
    ]);
    expect(views.textContent).toContain(
      'Trend +3,481 a day, fitted on 89 days (Sep 5, 2026 – Dec 2, 2026)',
    );
    expect(within(views).getByRole('img').getAttribute('aria-label')).toContain(
      'with an 80 % interval of 121,130–195,814 on the last day',
    );
    const table = within(views).getByRole('region', { name: 'Daily views forecast by day' });
    expect(within(table).getAllByRole('row')[1]!.textContent).toBe(
      'Thu, Dec 3151,510128,661174,360',
    );
    // The band is drawn: an area between the bounds, under the forecast line.
    expect(
      container.querySelectorAll('[data-testid="forecast-views"] .recharts-area-area').length,
    ).toBe(1);
    const followers = screen.getByTestId('forecast-followers');
    expect(followers.textContent).toContain('31,309 followers80 % interval 31,222–31,397');
  });

  it('explains a forecast that could not be made', async () => {
    const data = insights();
    data.forecast.followers = insights({ empty: true }).forecast.followers;
    renderPage(<InsightsPage />, { route: '/insights', mocks: [answer(data)] });
    const followers = await screen.findByTestId('forecast-followers');
    expect(within(followers).getByText('No followers forecast')).toBeTruthy();
    expect(followers.textContent).toContain('It needs at least 14 complete days in the range.');
    expect(screen.getByTestId('forecast-views').textContent).toContain('151,510');
  });

  it('lists unusual days as spikes and dips with their expected views', async () => {
    renderPage(<InsightsPage />, { route: '/insights', mocks: [answer(insights())] });
    await screen.findByTestId('best-weekday');
    const items = within(section('Unusual days'))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(items).toEqual([
      'SpikeSun, Nov 29169,365 views · +163.7 % vs 64,220 expected (±29,509) · z\u00a0+3.56',
      'DipSun, Oct 41,200 views · −96 % vs 30,000 expected (±8,000) · z\u00a0−3.6',
    ]);
  });

  it('keeps the range in the URL and asks again for it', async () => {
    const year = insights();
    year.performance.meanViews = 12_345;
    renderPage(<InsightsPage />, {
      route: '/insights',
      mocks: [answer(insights()), answer(year, 'LAST_365_DAYS')],
    });
    await screen.findByTestId('best-weekday');
    await userEvent.selectOptions(screen.getByLabelText('Date range'), 'LAST_365_DAYS');
    expect(location.current).toBe('/insights?range=LAST_365_DAYS');
    await waitFor(() =>
      expect(section('Above and below your average').textContent).toContain('12,345 views'),
    );
  });
});
