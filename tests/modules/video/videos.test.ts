import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform } from '../../../src/db/schema.js';
import { VIDEO_ORDER_FIELDS } from '../../../src/modules/video/video.service.js';
import { seedAccount } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';
import type { VideoOrder } from '../../gql/graphql.js';

let t: TestApp;
const VIDEO_COUNT = 23;

const Page = graphql(`
  query VideosPage(
    $first: Int
    $last: Int
    $after: String
    $before: String
    $orderBy: VideoOrder
    $filter: VideoFilter
  ) {
    videos(
      first: $first
      last: $last
      after: $after
      before: $before
      orderBy: $orderBy
      filter: $filter
    ) {
      totalCount
      edges {
        cursor
        node {
          id
          title
          tags
          status
          publishedAt
          stats {
            views
            likes
            comments
            shares
            engagementRate
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

type Node = NonNullable<ResultOf<typeof Page>['videos']['edges'][number]['node']>;

async function page(variables: VariablesOf<typeof Page>) {
  const response = await t.request(Page, { variables });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!.videos;
}

async function walkForward(orderBy: VideoOrder, size: number) {
  const seen: Node[] = [];
  let after: string | null | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const result = await page({ first: size, after, orderBy });
    seen.push(...result.edges.map((edge) => edge.node));
    if (!result.pageInfo.hasNextPage) return seen;
    after = result.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

async function walkBackward(orderBy: VideoOrder, size: number) {
  const seen: Node[] = [];
  let before: string | null | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const result = await page({ last: size, before, orderBy });
    seen.unshift(...result.edges.map((edge) => edge.node));
    if (!result.pageInfo.hasPreviousPage) return seen;
    before = result.pageInfo.startCursor;
  }
  throw new Error('pagination did not end');
}

beforeAll(async () => {
  t = await startTestApp();
  const platformSets: Platform[][] = [
    ['youtube'],
    ['tiktok'],
    ['youtube', 'instagram'],
    ['twitter'],
  ];
  await seedAccount(t, {
    channels: PLATFORMS,
    videos: Array.from({ length: VIDEO_COUNT }, (_, i) => {
      const platforms = platformSets[i % platformSets.length]!;
      // Views repeat every 5 videos, so orderings by VIEWS have ties to break.
      const views = (i % 5) * 100;
      return {
        title: i === 7 ? 'Cooking 100% real pasta' : `Video ${String(i).padStart(2, '0')}`,
        tags: i % 3 === 0 ? ['cooking', 'Food'] : ['travel'],
        counters: Object.fromEntries(
          platforms.map((platform) => [platform, { views, likes: i, comments: 1, shares: 1 }]),
        ),
      };
    }),
  });
  // Two unpublished videos, to check that NULL published_at sorts consistently.
  await t.request(
    graphql(`
      mutation VideosCreateDrafts {
        a: createVideo(input: { title: "Draft A" }) {
          video {
            id
          }
        }
        b: createVideo(input: { title: "Draft B" }) {
          video {
            id
          }
        }
      }
    `),
  );
});
afterAll(() => t.close());

describe('videos connection', () => {
  const orderings = VIDEO_ORDER_FIELDS.flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
  );

  it.each(orderings)(
    'walks every video exactly once, forwards and backwards, ordered by $field $direction',
    async (orderBy) => {
      const forward = await walkForward(orderBy, 4);
      const ids = forward.map((node) => node.id);
      expect(ids).toHaveLength(VIDEO_COUNT + 2);
      expect(new Set(ids).size).toBe(ids.length);
      const backward = await walkBackward(orderBy, 4);
      expect(backward.map((node) => node.id)).toEqual(ids);
    },
  );

  it('orders by VIEWS DESC with ties broken consistently', async () => {
    const nodes = await walkForward({ field: 'VIEWS', direction: 'DESC' }, 6);
    const views = nodes.map((node) => node.stats.views);
    expect(views).toEqual([...views].sort((a, b) => b - a));
  });

  it('orders by TITLE ASC alphabetically', async () => {
    const nodes = await walkForward({ field: 'TITLE', direction: 'ASC' }, 100);
    const titles = nodes.map((node) => node.title);
    expect(titles[0]).toBe('Cooking 100% real pasta');
    expect(titles.slice(1, 3)).toEqual(['Draft A', 'Draft B']);
  });

  it('defaults to 20 items, newest published first, and counts all', async () => {
    const result = await page({});
    expect(result.edges).toHaveLength(20);
    expect(result.totalCount).toBe(VIDEO_COUNT + 2);
    expect(result.pageInfo.hasNextPage).toBe(true);
  });

  it('sums publication stats into the video and derives engagement rate', async () => {
    const result = await page({ first: 100, filter: { platforms: ['INSTAGRAM'] } });
    for (const { node } of result.edges) {
      const perPlatformViews = node.stats.views / 2;
      expect(node.stats.views).toBe(perPlatformViews * 2);
      if (node.stats.views > 0) expect(node.stats.engagementRate).toBeGreaterThan(0);
      else expect(node.stats.engagementRate).toBeNull();
    }
  });
});

describe('videos filter', () => {
  it('filters by platform', async () => {
    const result = await page({ first: 100, filter: { platforms: ['TWITTER'] } });
    expect(result.totalCount).toBe(Math.floor(VIDEO_COUNT / 4) + (VIDEO_COUNT % 4 > 3 ? 1 : 0));
    expect(result.edges).toHaveLength(result.totalCount);
  });

  it('filters by status', async () => {
    const drafts = await page({ first: 100, filter: { status: ['DRAFT'] } });
    expect(drafts.edges.map((edge) => edge.node.title).sort()).toEqual(['Draft A', 'Draft B']);
    expect(drafts.totalCount).toBe(2);
  });

  it('searches titles case-insensitively, treating % and _ literally', async () => {
    expect((await page({ filter: { search: 'COOKING' } })).totalCount).toBe(1);
    expect((await page({ filter: { search: '100%' } })).totalCount).toBe(1);
    expect((await page({ filter: { search: '%' } })).totalCount).toBe(1);
    expect((await page({ filter: { search: '_' } })).totalCount).toBe(0);
  });

  it('filters by any of the tags, case-insensitively', async () => {
    const expected = Math.ceil(VIDEO_COUNT / 3);
    expect((await page({ filter: { tags: ['FOOD'] } })).totalCount).toBe(expected);
    expect((await page({ filter: { tags: ['food', 'travel'] } })).totalCount).toBe(VIDEO_COUNT);
  });

  it('filters by publication time', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await page({ filter: { publishedAfter: future } })).totalCount).toBe(0);
    expect((await page({ filter: { publishedBefore: future } })).totalCount).toBe(VIDEO_COUNT);
  });
});

describe('GQL-FIRST-03 page size', () => {
  it.each([0, -1, 101])(
    'refuses first=%i with 400 BAD_USER_INPUT before any SQL',
    async (first) => {
      const before = t.database.stats.statements;
      const response = await t.request(Page, { variables: { first } });
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(t.database.stats.statements).toBe(before);
    },
  );

  it('refuses literal and nested out-of-range sizes too', async () => {
    const literal = await t.graphql('{ videos(last: 500) { totalCount } }');
    expect(literal.status).toBe(400);
    expect(literal.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const nested = await t.graphql('{ me { videos(first: 1000) { totalCount } } }');
    expect(nested.status).toBe(400);
  });

  it('refuses 2^31 (not an Int) with 400', async () => {
    const response = await t.request(Page, { variables: { first: 2 ** 31 } });
    expect(response.status).toBe(400);
  });

  it('accepts the bounds 1 and 100', async () => {
    expect((await page({ first: 1 })).edges).toHaveLength(1);
    expect((await page({ first: 100 })).edges).toHaveLength(VIDEO_COUNT + 2);
  });

  it('refuses a malformed cursor or one from another ordering with BAD_USER_INPUT', async () => {
    const garbage = await t.request(Page, { variables: { first: 2, after: 'nonsense' } });
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { pageInfo } = await page({ first: 2, orderBy: { field: 'VIEWS', direction: 'DESC' } });
    const mixed = await t.request(Page, {
      variables: {
        first: 2,
        after: pageInfo.endCursor,
        orderBy: { field: 'TITLE', direction: 'ASC' },
      },
    });
    expect(mixed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
