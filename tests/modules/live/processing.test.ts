import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoTable } from '../../../src/db/schema.js';
import { createVideo } from '../../../src/modules/video/video.service.js';
import { createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { seedAccounts } from '../../helpers/seed.js';
import { rawSocket, sseClient, take, wsClient } from '../../helpers/live.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let baseUrl: string;
let alice: TestViewer;
let bob: TestViewer;

beforeAll(async () => {
  // Rate limits have their own suite; these tests send many operations.
  t = await startTestApp({ RATE_LIMIT_ENABLED: 'false' });
  baseUrl = (await t.app.start()).url;
  ({ alice, bob } = await seedAccounts(t, {
    alice: { channels: ['youtube'] },
    bob: { channels: ['youtube'] },
  }));
});
afterAll(() => t.close());

async function draft(ownerId = alice.userId) {
  const created = await createVideo(t.database.db, ownerId, {
    title: 'Raw footage',
    url: 'https://media.pulse.test/raw.mp4',
  });
  if (!created.ok) throw new Error('fixture');
  return { id: created.value.id, globalId: encodeId('Video', created.value.id) };
}

const REPORT = `mutation($input: UpdateVideoProcessingInput!) {
  updateVideoProcessing(input: $input) {
    video { id status processingProgress }
    userErrors { field code }
  }
}`;

async function report(id: string, status: string, progress?: number, key = alice.key) {
  const response = await t.graphql(REPORT, {
    variables: { input: { id, status, ...(progress === undefined ? {} : { progress }) } },
    key,
  });
  return response.body.data?.updateVideoProcessing ?? response.body;
}

const stored = async (id: string) => {
  const [row] = await t.database.db.select().from(videoTable).where(eq(videoTable.id, id));
  return { status: row!.status, progress: row!.processingProgress };
};

describe('updateVideoProcessing', () => {
  it('walks draft → processing → ready, with progress defaults, and refuses invalid transitions with typed errors', async () => {
    const video = await draft();
    expect(await report(video.globalId, 'PROCESSING')).toEqual({
      video: { id: video.globalId, status: 'PROCESSING', processingProgress: 0 },
      userErrors: [],
    });
    expect((await report(video.globalId, 'PROCESSING', 40)).video.processingProgress).toBe(40);
    // Omitted progress keeps the current one while processing.
    expect((await report(video.globalId, 'PROCESSING')).video.processingProgress).toBe(40);

    const refusals: [string, number | undefined, string[], string][] = [
      ['PROCESSING', 30, ['input', 'progress'], 'INVALID'], // never lower while processing
      ['PROCESSING', 101, ['input', 'progress'], 'INVALID'],
      ['PROCESSING', -1, ['input', 'progress'], 'INVALID'],
      ['READY', 90, ['input', 'progress'], 'INVALID'], // READY is 100
      ['PUBLISHED', undefined, ['input', 'status'], 'INVALID'],
      ['DRAFT', undefined, ['input', 'status'], 'INVALID'],
    ];
    for (const [status, progress, field, code] of refusals) {
      expect(await report(video.globalId, status, progress)).toEqual({
        video: null,
        userErrors: [{ field, code }],
      });
    }
    expect(await stored(video.id)).toEqual({ status: 'processing', progress: 40 });

    expect((await report(video.globalId, 'READY')).video).toMatchObject({
      status: 'READY',
      processingProgress: 100,
    });
    // Only a running job finishes or fails.
    for (const status of ['READY', 'FAILED'])
      expect((await report(video.globalId, status)).userErrors).toEqual([
        { field: ['input', 'status'], code: 'INVALID_STATUS' },
      ]);
    // A ready video may be processed again (re-encode), starting at 0.
    expect((await report(video.globalId, 'PROCESSING')).video.processingProgress).toBe(0);
    expect((await report(video.globalId, 'FAILED', 12)).video).toMatchObject({
      status: 'FAILED',
      processingProgress: 12,
    });
    expect((await report(video.globalId, 'PROCESSING', 5)).video.status).toBe('PROCESSING');
  });

  it("refuses another user's video (NOT_FOUND), a published video (INVALID_STATUS) and a key without write:videos", async () => {
    const foreign = await draft(bob.userId);
    expect((await report(foreign.globalId, 'PROCESSING')).userErrors).toEqual([
      { field: ['input', 'id'], code: 'NOT_FOUND' },
    ]);
    expect(await stored(foreign.id)).toEqual({ status: 'draft', progress: 0 });

    const { video } = await createPublishedVideo(t.database.db, alice.userId);
    expect((await report(encodeId('Video', video.id), 'PROCESSING')).userErrors).toEqual([
      { field: ['input', 'status'], code: 'INVALID_STATUS' },
    ]);

    const reader = await t.createViewer({ scopes: ['read:videos'] });
    const own = await draft(reader.userId);
    const response = await t.graphql(REPORT, {
      variables: { input: { id: own.globalId, status: 'PROCESSING' } },
      key: reader.key,
    });
    expect(response.status).toBe(403);
    expect(response.body.errors![0]!.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'write:videos',
    });
    expect(await stored(own.id)).toEqual({ status: 'draft', progress: 0 });
  });

  it('concurrent progress reports never move progress backwards; the highest wins', async () => {
    const video = await draft();
    await report(video.globalId, 'PROCESSING');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => report(video.globalId, 'PROCESSING', i + 1)),
    );
    for (const result of results) {
      if (result.userErrors.length > 0)
        expect(result.userErrors).toEqual([{ field: ['input', 'progress'], code: 'INVALID' }]);
    }
    expect(await stored(video.id)).toEqual({ status: 'processing', progress: 20 });
  });
});

const WATCH = `subscription($id: ID!) {
  videoProcessingStatus(videoId: $id) { video { id title status } status progress at }
}`;

const statusOf = (result: { data?: unknown }) =>
  (
    result.data as {
      videoProcessingStatus: { status: string; progress: number; at: string; video: any };
    }
  ).videoProcessingStatus;

describe('videoProcessingStatus', () => {
  it('sends the current state at once, then each change (repeats skipped), and completes when the video is deleted (graphql-ws)', async () => {
    const video = await draft();
    const client = wsClient(baseUrl, alice.key);
    const stream = client.iterate({ query: WATCH, variables: { id: video.globalId } });
    const next = take(stream);
    expect(statusOf(await next())).toMatchObject({
      status: 'DRAFT',
      progress: 0,
      video: { id: video.globalId, title: 'Raw footage', status: 'DRAFT' },
    });

    await report(video.globalId, 'PROCESSING');
    expect(statusOf(await next())).toMatchObject({ status: 'PROCESSING', progress: 0 });
    await report(video.globalId, 'PROCESSING', 50);
    await report(video.globalId, 'PROCESSING', 50); // no change: no message
    await report(video.globalId, 'PROCESSING', 30); // refused: no message
    await report(video.globalId, 'READY');
    const fifty = statusOf(await next());
    expect(fifty).toMatchObject({ status: 'PROCESSING', progress: 50 });
    const ready = statusOf(await next());
    expect(ready).toMatchObject({
      status: 'READY',
      progress: 100,
      video: { status: 'READY' },
    });
    expect(Date.parse(ready.at)).toBeGreaterThanOrEqual(Date.parse(fifty.at));

    const published = await t.graphql(
      'mutation($id: ID!) { publishVideo(input: { id: $id, platforms: [YOUTUBE] }) { userErrors { code } } }',
      { variables: { id: video.globalId } },
    );
    expect(published.body.data.publishVideo.userErrors).toEqual([]);
    expect(statusOf(await next())).toMatchObject({ status: 'PUBLISHED', progress: 100 });

    await t.graphql('mutation($id: ID!) { deleteVideo(input: { id: $id }) { deletedVideoId } }', {
      variables: { id: video.globalId },
    });
    expect((await stream.next()).done).toBe(true);
    await client.dispose();
  });

  it("WS-SCOPE-03: another user's video → NOT_FOUND error message; the socket's other subscriptions keep flowing", async () => {
    const mine = await draft();
    const foreign = await draft(bob.userId);
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    raw.send({
      id: 'mine',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: mine.globalId } },
    });
    await raw.next((m) => m.id === 'mine' && m.type === 'next');
    raw.send({
      id: 'foreign',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: foreign.globalId } },
    });
    const refused = await raw.next((m) => m.id === 'foreign');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions.code).toBe('NOT_FOUND');

    await report(mine.globalId, 'PROCESSING', 10);
    const update = await raw.next(
      (m) =>
        m.id === 'mine' &&
        m.type === 'next' &&
        m.payload.data.videoProcessingStatus.progress === 10,
    );
    expect(update.payload.data.videoProcessingStatus.status).toBe('PROCESSING');
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close(1000);
  });

  it('WS-SSE-08: streams over Server-Sent Events and completes when the video is deleted', async () => {
    const video = await draft();
    const client = sseClient(baseUrl, alice.key);
    const stream = client.iterate({ query: WATCH, variables: { id: video.globalId } });
    const next = take(stream);
    expect(statusOf(await next())).toMatchObject({ status: 'DRAFT' });
    await report(video.globalId, 'PROCESSING', 70);
    expect(statusOf(await next())).toMatchObject({ status: 'PROCESSING', progress: 70 });
    await t.graphql('mutation($id: ID!) { deleteVideo(input: { id: $id }) { deletedVideoId } }', {
      variables: { id: video.globalId },
    });
    expect((await stream.next()).done).toBe(true);
    client.dispose();
  });
});
