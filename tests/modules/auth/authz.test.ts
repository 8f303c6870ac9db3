import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, videoTable } from '../../../src/db/schema.js';
import { encodeId } from '../../helpers/fixtures.js';
import { seedAccounts } from '../../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';

let t: TestApp;
let alice: TestViewer;
let bob: TestViewer;
let bobVideoId: string;
let bobPublicationId: string;
let bobChannelId: string;

beforeAll(async () => {
  t = await startTestApp();
  const accounts = await seedAccounts(t, {
    alice: {
      channels: PLATFORMS,
      videos: [{ title: 'Alice video', counters: { youtube: { views: 10 } } }],
    },
    bob: {
      channels: PLATFORMS,
      videos: [{ title: 'Bob video', counters: { youtube: { views: 99 } } }],
    },
  });
  ({ alice, bob } = accounts);
  bobChannelId = accounts.bob.channels[0]!.id;
  bobVideoId = accounts.bob.videos[0]!.id;
  bobPublicationId = accounts.bob.videos[0]!.publications[0]!.id;
});
afterAll(() => t.close());

const Node = graphql(`
  query AuthzNode($id: ID!) {
    node(id: $id) {
      id
    }
  }
`);

describe('GQL-AUTHZ-11 a viewer reaches only their own objects', () => {
  const asAlice = <V>(variables: V) => ({ key: alice.key, variables });

  it('node(id) and nodes(ids) return null for Bob’s video, publication, channel and user', async () => {
    const ids = [
      encodeId('Video', bobVideoId),
      encodeId('Publication', bobPublicationId),
      encodeId('Channel', bobChannelId),
      encodeId('User', bob.userId),
    ];
    for (const id of ids) {
      const response = await t.request(Node, asAlice({ id }));
      expect(response.body.data!.node, id).toBeNull();
    }
    const many = await t.request(
      graphql(`
        query AuthzNodes($ids: [ID!]!) {
          nodes(ids: $ids) {
            id
          }
        }
      `),
      asAlice({ ids }),
    );
    expect(many.body.data!.nodes).toEqual([null, null, null, null]);
  });

  it('video(id) and user(id) return null for Bob’s objects', async () => {
    const response = await t.request(
      graphql(`
        query AuthzVideoAndUser($v: ID!, $u: ID!) {
          video(id: $v) {
            title
          }
          user(id: $u) {
            email
          }
        }
      `),
      asAlice({
        v: encodeId('Video', bobVideoId),
        u: encodeId('User', bob.userId),
      }),
    );
    expect(response.body.data).toEqual({ video: null, user: null });
  });

  it('lists and nested fields never include Bob’s data', async () => {
    const response = await t.request(
      graphql(`
        query AuthzLists {
          videos(first: 100) {
            totalCount
            edges {
              node {
                title
                publications {
                  stats {
                    views
                  }
                }
              }
            }
          }
          me {
            channels {
              id
            }
            videos(first: 10) {
              totalCount
            }
          }
        }
      `),
      { key: alice.key },
    );
    const data = response.body.data!;
    expect(data.videos.totalCount).toBe(1);
    expect(JSON.stringify(data)).not.toContain('Bob video');
    expect(JSON.stringify(data)).not.toContain('99');
    expect(data.me.channels).toHaveLength(4);
    expect(data.me.videos.totalCount).toBe(1);
  });

  it('unknown and malformed global ids answer null or BAD_USER_INPUT, never 5xx', async () => {
    const unknown = await t.request(
      Node,
      asAlice({ id: encodeId('Video', '00000000-0000-4000-8000-000000000000') }),
    );
    expect(unknown.body.data!.node).toBeNull();
    const unknownType = await t.request(Node, asAlice({ id: encodeId('Nope', 'x') }));
    expect(unknownType.status).toBeLessThan(500);
    const nodeAndVideo = graphql(`
      query AuthzNodeAndVideo($id: ID!) {
        node(id: $id) {
          id
        }
        video(id: $id) {
          id
        }
      }
    `);
    for (const id of ['garbage', encodeId('Video', 'not-a-uuid'), '']) {
      const response = await t.request(nodeAndVideo, asAlice({ id }));
      expect(response.status, id).toBeLessThan(500);
      expect(JSON.stringify(response.body)).not.toMatch(/INTERNAL_SERVER_ERROR|uuid/);
    }
  });

  it('mutations on Bob’s video report NOT_FOUND and change nothing', async () => {
    const id = encodeId('Video', bobVideoId);
    const update = await t.request(
      graphql(`
        mutation AuthzUpdateVideo($id: ID!) {
          updateVideo(input: { id: $id, title: "pwned" }) {
            userErrors {
              code
            }
          }
        }
      `),
      asAlice({ id }),
    );
    const publish = await t.request(
      graphql(`
        mutation AuthzPublishVideo($id: ID!) {
          publishVideo(input: { id: $id, platforms: [TIKTOK] }) {
            userErrors {
              code
            }
          }
        }
      `),
      asAlice({ id }),
    );
    const remove = await t.request(
      graphql(`
        mutation AuthzDeleteVideo($id: ID!) {
          deleteVideo(input: { id: $id }) {
            userErrors {
              code
            }
          }
        }
      `),
      asAlice({ id }),
    );
    expect(update.body.data!.updateVideo.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(publish.body.data!.publishVideo.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(remove.body.data!.deleteVideo.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const [row] = await t.database.db
      .select()
      .from(videoTable)
      .where(eq(videoTable.id, bobVideoId));
    expect(row!.title).toBe('Bob video');
  });

  it('concurrent requests of two users never share cached rows', async () => {
    const query = graphql(`
      query AuthzMeAndVideos {
        me {
          email
        }
        videos(first: 5) {
          edges {
            node {
              title
              owner {
                email
              }
            }
          }
        }
      }
    `);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.request(query, { key: i % 2 ? bob.key : alice.key })),
    );
    responses.forEach((response, i) => {
      const data = response.body.data!;
      const expected = i % 2 ? 'Bob video' : 'Alice video';
      expect(data.videos.edges.map((e) => e.node.title)).toEqual([expected]);
      expect(data.videos.edges[0]!.node.owner.email).toBe(data.me.email);
    });
  });
});

describe('scopes stored on keys are enforced per field', () => {
  it('a key without read:videos cannot list videos but can read the profile', async () => {
    const limited = await t.createViewer({ scopes: ['read:user'] });
    const me = await t.request(
      graphql(`
        query AuthzMe {
          me {
            email
          }
        }
      `),
      { key: limited.key },
    );
    expect(me.body.data!.me.email).toBeTruthy();
    const videos = await t.request(
      graphql(`
        query AuthzVideoCount {
          videos(first: 1) {
            totalCount
          }
        }
      `),
      { key: limited.key },
    );
    expect(videos.status).toBe(403);
    expect(videos.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:videos',
    });
    const nested = await t.request(
      graphql(`
        query AuthzChannels {
          me {
            channels {
              id
            }
          }
        }
      `),
      { key: limited.key },
    );
    expect(nested.body.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_SCOPE');
  });
});
