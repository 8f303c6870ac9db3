import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { ChipGroup } from '../components/chip-group.js';
import { contentDefinition, ExportButton } from '../components/export-button.js';
import { FilterFold } from '../components/filter-fold.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { VideoRow } from '../components/video-row.js';
import { graphql } from '../gql/index.js';
import type { Platform, VideoOrderField, VideoStatus } from '../gql/graphql.js';
import { formatNumber, PLATFORM_LABELS, STATUS_LABELS } from '../lib/format.js';
import { readList, readOne, useUrlState } from '../lib/url-state.js';

const ContentPageQuery = graphql(`
  query ContentPage($first: Int!, $after: String, $filter: VideoFilter, $orderBy: VideoOrder) {
    videos(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges {
        cursor
        node {
          id
          ...VideoRow_video
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const PAGE_SIZE = 24;
const PLATFORMS = Object.keys(PLATFORM_LABELS) as Platform[];
const STATUSES = Object.keys(STATUS_LABELS) as VideoStatus[];
const SORTS = {
  PUBLISHED_AT_DESC: 'Newest first',
  PUBLISHED_AT_ASC: 'Oldest first',
  VIEWS_DESC: 'Most viewed',
  LIKES_DESC: 'Most liked',
  ENGAGEMENT_RATE_DESC: 'Best engagement',
  TITLE_ASC: 'Title A–Z',
} as const;
type Sort = keyof typeof SORTS;

function toOrder(sort: Sort) {
  const direction = sort.endsWith('_ASC') ? 'ASC' : 'DESC';
  return { field: sort.replace(/_(ASC|DESC)$/, '') as VideoOrderField, direction } as const;
}

/** Typing in the search box updates the URL (and the query) once typing pauses. */
function useDebounced(value: string, delayMs: number) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

export function ContentPage() {
  const [params, update] = useUrlState();
  const search = params.get('q') ?? '';
  const platforms = readList(params.get('platform'), PLATFORMS);
  const statuses = readList(params.get('status'), STATUSES);
  const tag = params.get('tag') ?? '';
  const sort = readOne(params.get('sort'), Object.keys(SORTS) as Sort[], 'PUBLISHED_AT_DESC');

  const [searchText, setSearchText] = useState(search);
  const settledSearch = useDebounced(searchText, 300);
  // What this box last wrote to the URL: any other change of `q` came from Back or a link.
  const written = useRef(search);
  useEffect(() => {
    if (settledSearch === search) return;
    written.current = settledSearch.trim();
    // Starting a search is a history entry; refining it (more letters) is not.
    update({ q: settledSearch.trim() || null }, { replace: search !== '' && settledSearch !== '' });
    // Only the typed text drives this; URL changes from elsewhere are read directly.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledSearch]);
  useEffect(() => {
    if (search !== written.current) {
      written.current = search;
      setSearchText(search);
    }
  }, [search]);

  const filter = {
    ...(search ? { search } : {}),
    ...(platforms.length ? { platforms } : {}),
    ...(statuses.length ? { status: statuses } : {}),
    ...(tag ? { tags: [tag.toLowerCase()] } : {}),
  };
  const { data, loading, error, fetchMore, refetch } = useQuery(ContentPageQuery, {
    variables: {
      first: PAGE_SIZE,
      filter: Object.keys(filter).length ? filter : null,
      orderBy: toOrder(sort),
    },
    notifyOnNetworkStatusChange: true,
  });

  const connection = data?.videos;
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState(false);
  async function loadMore() {
    if (!connection?.pageInfo.hasNextPage || loadingMore) return;
    setLoadingMore(true);
    setMoreError(false);
    try {
      await fetchMore({ variables: { after: connection.pageInfo.endCursor } });
    } catch {
      setMoreError(true);
    } finally {
      setLoadingMore(false);
    }
  }

  // Infinite scroll: reaching the end of the list loads the next page. The button below does
  // the same for keyboards, screen readers and browsers without IntersectionObserver.
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMoreRef = useRef(loadMore);
  loadMoreRef.current = loadMore;
  useEffect(() => {
    const target = sentinel.current;
    if (!target || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMoreRef.current();
      },
      { rootMargin: '400px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [connection?.pageInfo.endCursor]);

  const ids = { search: useId(), tag: useId(), sort: useId() };
  const filtered = Object.keys(filter).length > 0;

  return (
    <>
      <div className="page-header">
        <h1>Content</h1>
        <p className="muted" aria-live="polite">
          {connection
            ? `${formatNumber(connection.edges.length)} of ${formatNumber(connection.totalCount)} videos`
            : ''}
        </p>
        <ExportButton
          title="Content"
          definition={contentDefinition({
            search,
            platforms,
            tag,
            orderField: toOrder(sort).field,
          })}
          note={statuses.length ? 'The status filter is not part of the file.' : null}
        />
      </div>

      <form
        className="filters content-filters"
        role="search"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="field field-grow">
          <label htmlFor={ids.search}>Search titles</label>
          <input
            id={ids.search}
            type="search"
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            placeholder="e.g. review"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.sort}>Sort by</label>
          <select
            id={ids.sort}
            value={sort}
            onChange={(event) =>
              update({
                sort: event.target.value === 'PUBLISHED_AT_DESC' ? null : event.target.value,
              })
            }
          >
            {Object.entries(SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <FilterFold active={platforms.length + statuses.length + (tag ? 1 : 0)}>
          <ChipGroup
            legend="Platform"
            options={PLATFORMS}
            labels={PLATFORM_LABELS}
            selected={platforms}
            onChange={(next) => update({ platform: next })}
          />
          <ChipGroup
            legend="Status"
            options={STATUSES}
            labels={STATUS_LABELS}
            selected={statuses}
            onChange={(next) => update({ status: next })}
          />
          <div className="field">
            <label htmlFor={ids.tag}>Tag</label>
            <input
              id={ids.tag}
              type="text"
              defaultValue={tag}
              key={tag}
              placeholder="e.g. tutorial"
              onBlur={(event) => update({ tag: event.target.value.trim() || null })}
              onKeyDown={(event) => {
                if (event.key === 'Enter')
                  update({ tag: (event.target as HTMLInputElement).value.trim() || null });
              }}
            />
          </div>
        </FilterFold>
      </form>

      {error && !connection ? (
        <ErrorState
          error={error}
          title="Could not load your videos"
          onRetry={() => void refetch()}
        />
      ) : !connection ? (
        <Skeleton lines={6} label="Loading videos" />
      ) : connection.edges.length === 0 ? (
        <EmptyState title={filtered ? 'No video matches these filters' : 'No videos yet'}>
          {filtered ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                setSearchText('');
                update({ q: null, platform: null, status: null, tag: null });
              }}
            >
              Clear filters
            </button>
          ) : (
            <p>Create one with the createVideo mutation, then publish it.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <ul className="video-list" aria-busy={loading || loadingMore}>
            {connection.edges.map((edge) => (
              <li key={edge.node.id}>
                <VideoRow video={edge.node} />
              </li>
            ))}
          </ul>
          <div ref={sentinel} className="list-end">
            {moreError ? (
              <p role="alert" className="field-error">
                Could not load more videos.
              </p>
            ) : null}
            {connection.pageInfo.hasNextPage ? (
              <button
                type="button"
                className="button"
                onClick={() => void loadMore()}
                disabled={loadingMore}
              >
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <p className="muted">That is everything.</p>
            )}
          </div>
        </>
      )}
    </>
  );
}
