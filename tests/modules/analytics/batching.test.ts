import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreator, DAY, ingest, startAnalyticsApp } from '../../helpers/analytics.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let viewer: TestViewer;

beforeAll(async () => {
  t = await startAnalyticsApp();
  const creator = await createCreator(t, {
    videos: Array.from({ length: 110 }, (_, i) => ({
      platforms: i % 2 ? ['youtube', 'tiktok'] : ['instagram'],
    })),
  });
  viewer = creator.viewer;
  await ingest(
    t,
    viewer.key,
    creator.videos.flatMap((video, i) => [
      { video, platform: i % 2 ? 'youtube' : 'instagram', delta: i + 1, at: Date.now() - 2 * DAY },
      { video, platform: i % 2 ? 'youtube' : 'instagram', delta: 1, at: Date.now() - 9 * DAY },
    ]),
  );
});
afterAll(() => t.close());

const PAGE = /* GraphQL */ `
  query Page($first: Int!) {
    videos(first: $first) {
      edges {
        node {
          analytics(range: { preset: LAST_7_DAYS }, compare: PREVIOUS_PERIOD) {
            totals {
              views {
                value
                previous
                trend
              }
              engagementRate {
                value
              }
            }
            byPlatform {
              platform
              share
            }
            series(interval: DAY) {
              label
              values {
                value
                previous
              }
            }
          }
        }
      }
    }
    me {
      channels {
        growth(range: { preset: LAST_28_DAYS }) {
          change
        }
      }
    }
  }
`;

async function statementsFor(first: number) {
  await t.graphql(PAGE, { variables: { first }, key: viewer.key }); // warms the key's last use
  const before = t.database.stats.statements;
  const response = await t.graphql(PAGE, { variables: { first }, key: viewer.key });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data.videos.edges).toHaveLength(first);
  return { count: t.database.stats.statements - before, data: response.body.data };
}

describe('Video.analytics and Channel.growth are batched', () => {
  it('a page of 100 videos with analytics costs the same statements as a page of 10', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    // authentication, the page, one per analytics part (platform sums, series), channels, growth
    expect(ten.count).toBeLessThanOrEqual(7);
    expect(hundred.count).toBe(ten.count);
    const totals = hundred.data.videos.edges.map((e: any) => e.node.analytics.totals.views);
    // Each video got i + 1 views two days ago: 100 distinct values between 1 and 110.
    const values = new Set(totals.map((v: any) => v.value));
    expect(values.size).toBe(100);
    for (const value of values) expect(value).toBeGreaterThanOrEqual(1);
    expect(totals.every((v: any) => v.previous === 1 && v.trend === 'UP')).toBe(true);
    for (const edge of hundred.data.videos.edges) {
      const { series, totals: sums } = edge.node.analytics;
      expect(series).toHaveLength(7);
      expect(series.reduce((s: number, b: any) => s + b.values[0].value, 0)).toBe(sums.views.value);
    }
  });
});
