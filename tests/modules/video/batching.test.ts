import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../src/db/schema.js';
import { seedAccount } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';

let t: TestApp;

const List = graphql(`
  query VideosBatchingList($first: Int!) {
    videos(first: $first) {
      edges {
        node {
          id
          title
          owner {
            id
            email
          }
          stats {
            views
            engagementRate
          }
          publications {
            platform
            channel {
              handle
            }
            stats {
              views
              likes
            }
          }
        }
      }
    }
  }
`);

beforeAll(async () => {
  t = await startTestApp();
  await seedAccount(t, {
    channels: PLATFORMS,
    videos: Array.from({ length: 120 }, (_, i) => ({
      title: `Video ${i}`,
      counters:
        i % 2 ? { youtube: { views: i }, tiktok: { views: 2 * i } } : { instagram: { views: i } },
    })),
  });
});
afterAll(() => t.close());

async function statementsFor(first: number) {
  const warm = await t.request(List, { variables: { first } }); // records the key's last use first
  expect(warm.body.errors).toBeUndefined();
  const before = t.database.stats.statements;
  const response = await t.request(List, { variables: { first } });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.videos.edges).toHaveLength(first);
  return t.database.stats.statements - before;
}

describe('DataLoader batching', () => {
  it('runs the same small number of statements for 10 and 100 videos (no N+1)', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    // authentication, the page, publications with counters, their channels
    expect(ten).toBeLessThanOrEqual(4);
    expect(hundred).toBe(ten);
  });

  it('runs at most 3 statements for owner, publications { stats } and stats', async () => {
    const query = graphql(`
      query VideosBatchingNested {
        videos(first: 100) {
          edges {
            node {
              owner {
                email
              }
              stats {
                views
              }
              publications {
                stats {
                  views
                }
              }
            }
          }
        }
      }
    `);
    await t.request(query);
    const before = t.database.stats.statements;
    const response = await t.request(query);
    expect(response.body.data!.videos.edges).toHaveLength(100);
    expect(t.database.stats.statements - before).toBeLessThanOrEqual(3);
  });
});
