import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoTable } from '../../../src/db/schema.js';
import { createChannels, createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let alice: TestViewer;
let bob: TestViewer;
let bobVideoId: string;
let bobPublicationId: string;
let bobChannelId: string;

beforeAll(async () => {
  t = await startTestApp();
  alice = await t.createViewer();
  bob = await t.createViewer();
  await createChannels(t.database.db, alice.userId);
  const [bobChannel] = await createChannels(t.database.db, bob.userId);
  bobChannelId = bobChannel!.id;
  await createPublishedVideo(t.database.db, alice.userId, {
    title: 'Alice video',
    counters: { youtube: { views: 10 } },
  });
  const bobs = await createPublishedVideo(t.database.db, bob.userId, {
    title: 'Bob video',
    counters: { youtube: { views: 99 } },
  });
  bobVideoId = bobs.video.id;
  bobPublicationId = bobs.publications[0]!.id;
});
afterAll(() => t.close());

describe('GQL-AUTHZ-11 a viewer reaches only their own objects', () => {
  const asAlice = (query: string, variables?: Record<string, unknown>) =>
    t.graphql(query, { key: alice.key, variables });

  it('node(id) and nodes(ids) return null for Bob’s video, publication, channel and user', async () => {
    const ids = [
      encodeId('Video', bobVideoId),
      encodeId('Publication', bobPublicationId),
      encodeId('Channel', bobChannelId),
      encodeId('User', bob.userId),
    ];
    for (const id of ids) {
      const response = await asAlice('query($id: ID!) { node(id: $id) { id } }', { id });
      expect(response.body.data.node, id).toBeNull();
    }
    const many = await asAlice('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(many.body.data.nodes).toEqual([null, null, null, null]);
  });

  it('video(id) and user(id) return null for Bob’s objects', async () => {
    const response = await asAlice(
      'query($v: ID!, $u: ID!) { video(id: $v) { title } user(id: $u) { email } }',
      {
        v: encodeId('Video', bobVideoId),
        u: encodeId('User', bob.userId),
      },
    );
    expect(response.body.data).toEqual({ video: null, user: null });
  });

  it('lists and nested fields never include Bob’s data', async () => {
    const response = await asAlice(
      '{ videos(first: 100) { totalCount edges { node { title publications { stats { views } } } } } me { channels { id } videos(first: 10) { totalCount } } }',
    );
    expect(response.body.data.videos.totalCount).toBe(1);
    expect(JSON.stringify(response.body.data)).not.toContain('Bob video');
    expect(JSON.stringify(response.body.data)).not.toContain('99');
    expect(response.body.data.me.channels).toHaveLength(4);
    expect(response.body.data.me.videos.totalCount).toBe(1);
  });

  it('unknown and malformed global ids answer null or BAD_USER_INPUT, never 5xx', async () => {
    const unknown = await asAlice('query($id: ID!) { node(id: $id) { id } }', {
      id: encodeId('Video', '00000000-0000-4000-8000-000000000000'),
    });
    expect(unknown.body.data.node).toBeNull();
    const unknownType = await asAlice('query($id: ID!) { node(id: $id) { id } }', {
      id: encodeId('Nope', 'x'),
    });
    expect(unknownType.status).toBeLessThan(500);
    for (const id of ['garbage', encodeId('Video', 'not-a-uuid'), '']) {
      const response = await asAlice(
        'query($id: ID!) { node(id: $id) { id } video(id: $id) { id } }',
        { id },
      );
      expect(response.status, id).toBeLessThan(500);
      expect(JSON.stringify(response.body)).not.toMatch(/INTERNAL_SERVER_ERROR|uuid/);
    }
  });

  it('mutations on Bob’s video report NOT_FOUND and change nothing', async () => {
    const id = encodeId('Video', bobVideoId);
    const update = await asAlice(
      'mutation($id: ID!) { updateVideo(input: { id: $id, title: "pwned" }) { userErrors { code } } }',
      { id },
    );
    const publish = await asAlice(
      'mutation($id: ID!) { publishVideo(input: { id: $id, platforms: [TIKTOK] }) { userErrors { code } } }',
      { id },
    );
    const remove = await asAlice(
      'mutation($id: ID!) { deleteVideo(input: { id: $id }) { userErrors { code } } }',
      { id },
    );
    expect(update.body.data.updateVideo.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(publish.body.data.publishVideo.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(remove.body.data.deleteVideo.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const [row] = await t.database.db
      .select()
      .from(videoTable)
      .where(eq(videoTable.id, bobVideoId));
    expect(row!.title).toBe('Bob video');
  });

  it('concurrent requests of two users never share cached rows', async () => {
    const query = '{ me { email } videos(first: 5) { edges { node { title owner { email } } } } }';
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.graphql(query, { key: i % 2 ? bob.key : alice.key })),
    );
    responses.forEach((response, i) => {
      const data = response.body.data;
      const expected = i % 2 ? 'Bob video' : 'Alice video';
      expect(data.videos.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual([
        expected,
      ]);
      expect(data.videos.edges[0].node.owner.email).toBe(data.me.email);
    });
  });
});

describe('scopes stored on keys are enforced per field', () => {
  it('a key without read:videos cannot list videos but can read the profile', async () => {
    const limited = await t.createViewer({ scopes: ['read:user'] });
    const me = await t.graphql('{ me { email } }', { key: limited.key });
    expect(me.body.data.me.email).toBeTruthy();
    const videos = await t.graphql('{ videos(first: 1) { totalCount } }', { key: limited.key });
    expect(videos.status).toBe(403);
    expect(videos.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:videos',
    });
    const nested = await t.graphql('{ me { channels { id } } }', { key: limited.key });
    expect(nested.body.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_SCOPE');
  });
});
