import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannels, createPublishedVideo, encodeId } from '../helpers/fixtures.js';
import { collectOutput, exited, runScript, waitFor } from '../helpers/process.js';
import { startTestApp, type TestApp, type TestViewer } from '../helpers/test-app.js';

let t: TestApp;
let baseUrl: string;
let viewer: TestViewer;
let videoId: string;

beforeAll(async () => {
  t = await startTestApp();
  baseUrl = (await t.app.start()).url;
  viewer = await t.createViewer();
  await createChannels(t.database.db, viewer.userId, ['youtube']);
  const { video } = await createPublishedVideo(t.database.db, viewer.userId, {
    title: 'Live one',
    counters: { youtube: { views: 42, likes: 4 } },
  });
  videoId = encodeId('Video', video.id);
});
afterAll(() => t.close());

describe('client/examples/watch-video.ts (urql + graphql-ws)', () => {
  it('prints the view count at once and again as the video gains views (videoViewsUpdated)', async () => {
    const child = runScript('client/examples/watch-video.ts', [videoId], {
      PULSE_URL: baseUrl,
      PULSE_API_KEY: viewer.key,
    });
    const output = collectOutput(child);
    try {
      await waitFor(
        () => output.stdout.includes('Live one views=42 +0'),
        20_000,
        `first update; ${output.stderr}`,
      );
      const recorded = await t.graphql(
        'mutation($e: [MetricEventInput!]!) { recordMetrics(input: { events: $e }) { accepted } }',
        {
          variables: { e: [{ id: 'urql-example-1', video: videoId, metric: 'VIEWS', delta: 25 }] },
        },
      );
      expect(recorded.body.data?.recordMetrics.accepted).toBe(1);
      await waitFor(
        () => output.stdout.includes('Live one views=67 +25'),
        10_000,
        `second update; ${output.stdout}`,
      );
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });

  it('exits 1 with the error when the video is not the caller’s', async () => {
    const stranger = await t.createViewer();
    const child = runScript('client/examples/watch-video.ts', [videoId], {
      PULSE_URL: baseUrl,
      PULSE_API_KEY: stranger.key,
    });
    const output = collectOutput(child);
    expect((await exited(child)).code).toBe(1);
    expect(output.stderr).toContain('Video not found');
  });
});
