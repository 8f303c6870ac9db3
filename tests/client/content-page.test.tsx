import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContentPageDocument } from '../../client/src/gql/graphql.js';
import { ContentPage, PAGE_SIZE } from '../../client/src/pages/content-page.js';
import { videoConnection } from './fixtures.js';
import { emulateScreenWidth, location, renderPage } from './render.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const newest = { field: 'PUBLISHED_AT', direction: 'DESC' };
const request = (variables: Record<string, unknown> = {}) => ({
  query: ContentPageDocument,
  variables: { first: PAGE_SIZE, filter: null, orderBy: newest, ...variables },
});
const page = (connection: unknown, variables: Record<string, unknown> = {}) => ({
  request: request(variables),
  result: { data: { __typename: 'Query', videos: connection } },
});

describe('Content page', () => {
  it('shows a loading state first', () => {
    renderPage(<ContentPage />, {
      mocks: [{ ...page(videoConnection(1, 2, 2)), delay: 60_000 }],
    });
    expect(screen.getByRole('status', { name: 'Loading videos' })).toBeTruthy();
    expect(screen.getByRole('search')).toBeTruthy();
  });

  it('shows an error with a retry', async () => {
    renderPage(<ContentPage />, {
      mocks: [{ request: request(), error: new Error('down') }, page(videoConnection(1, 2, 2))],
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load your videos');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'Video number 1' })).toBeTruthy();
  });

  it('says when there are no videos at all', async () => {
    renderPage(<ContentPage />, { mocks: [page(videoConnection(1, 0, 0))] });
    expect(await screen.findByText('No videos yet')).toBeTruthy();
  });

  it('says when no video matches the filters, and clears them', async () => {
    renderPage(<ContentPage />, {
      route: '/?platform=TIKTOK&status=DRAFT',
      mocks: [
        page(videoConnection(1, 0, 0), { filter: { platforms: ['TIKTOK'], status: ['DRAFT'] } }),
        page(videoConnection(1, 2, 2)),
      ],
    });
    expect(await screen.findByText('No video matches these filters')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'TikTok' }) as HTMLInputElement).checked).toBe(
      true,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('link', { name: 'Video number 1' })).toBeTruthy();
    expect(location.current).toBe('/');
  });

  it('lists videos, loads the next page, and keeps filters and sort in the URL', async () => {
    const first = videoConnection(1, PAGE_SIZE, 30);
    renderPage(<ContentPage />, {
      mocks: [
        page(first),
        page(videoConnection(PAGE_SIZE + 1, 6, 30), { after: first.pageInfo.endCursor }),
        page(videoConnection(1, 3, 3), { orderBy: { field: 'VIEWS', direction: 'DESC' } }),
        page(videoConnection(1, 1, 1), {
          filter: { platforms: ['YOUTUBE'] },
          orderBy: { field: 'VIEWS', direction: 'DESC' },
        }),
      ],
    });
    expect(await screen.findByRole('link', { name: 'Video number 1' })).toBeTruthy();
    expect(screen.getByText(`${PAGE_SIZE} of 30 videos`)).toBeTruthy();
    // Each video is titled one level below the page's h1.
    expect(screen.getByRole('heading', { level: 2, name: 'Video number 1' })).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'Video number 30' })).toBeTruthy();
    expect(screen.getByText('30 of 30 videos')).toBeTruthy();
    expect(screen.getByText('That is everything.')).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText('Sort by'), 'VIEWS_DESC');
    expect(location.current).toContain('sort=VIEWS_DESC');
    await waitFor(() => expect(screen.getByText('3 of 3 videos')).toBeTruthy());

    await userEvent.click(screen.getByRole('checkbox', { name: 'YouTube' }));
    expect(location.current).toContain('platform=YOUTUBE');
    await waitFor(() => expect(screen.getByText('1 of 1 videos')).toBeTruthy());
  });

  it('folds the platform, status and tag filters away on a phone, as the overview does', async () => {
    emulateScreenWidth(375);
    renderPage(<ContentPage />, { mocks: [page(videoConnection(1, 2, 2))] });
    await screen.findByRole('link', { name: 'Video number 1' });
    const fold = screen.getByText('Filters').closest('details')!;
    expect(fold.open).toBe(false);
    for (const folded of [
      screen.getByRole('checkbox', { name: 'TikTok' }),
      screen.getByRole('checkbox', { name: 'Draft' }),
      screen.getByLabelText('Tag'),
    ])
      expect(fold.contains(folded)).toBe(true);
    // Search and sort stay in view.
    expect(fold.contains(screen.getByLabelText('Search titles'))).toBe(false);
    expect(fold.contains(screen.getByLabelText('Sort by'))).toBe(false);

    await userEvent.click(screen.getByText('Filters'));
    expect(fold.open).toBe(true);
  });

  it('opens the folded filters on a phone when some are set, and counts them', async () => {
    emulateScreenWidth(375);
    renderPage(<ContentPage />, {
      route: '/?platform=TIKTOK&status=DRAFT&tag=vlog',
      mocks: [
        page(videoConnection(1, 1, 1), {
          filter: { platforms: ['TIKTOK'], status: ['DRAFT'], tags: ['vlog'] },
        }),
      ],
    });
    await screen.findByRole('link', { name: 'Video number 1' });
    expect(screen.getByText('Filters (3 active)').closest('details')!.open).toBe(true);
  });

  it('shows the filters unfolded on a wide screen', async () => {
    emulateScreenWidth(1280);
    renderPage(<ContentPage />, { mocks: [page(videoConnection(1, 2, 2))] });
    await screen.findByRole('link', { name: 'Video number 1' });
    expect(screen.getByText('Filters').closest('details')!.open).toBe(true);
  });

  it('puts a search and each filter in the history, so Back undoes them', async () => {
    renderPage(<ContentPage />, {
      mocks: [
        page(videoConnection(1, 2, 2)),
        page(videoConnection(1, 1, 1), { filter: { search: 'review' } }),
        page(videoConnection(1, 1, 1), { filter: { search: 'review', platforms: ['TIKTOK'] } }),
      ],
    });
    await screen.findByRole('link', { name: 'Video number 1' });
    await userEvent.type(screen.getByLabelText('Search titles'), 'review');
    await waitFor(() => expect(location.current).toBe('/?q=review'));
    await userEvent.click(screen.getByRole('checkbox', { name: 'TikTok' }));
    expect(location.current).toBe('/?q=review&platform=TIKTOK');

    location.back();
    expect(location.current).toBe('/?q=review');
    expect((screen.getByRole('checkbox', { name: 'TikTok' }) as HTMLInputElement).checked).toBe(
      false,
    );
    location.back();
    expect(location.current).toBe('/');
    await waitFor(() =>
      expect((screen.getByLabelText('Search titles') as HTMLInputElement).value).toBe(''),
    );
    // The emptied box does not write the search back.
    expect(location.current).toBe('/');
  });
});
