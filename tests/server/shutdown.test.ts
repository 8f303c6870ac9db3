import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seedAccount } from '../helpers/seed.js';
import { sseClient, take } from '../helpers/live.js';
import { startTestApp } from '../helpers/test-app.js';

describe('graceful stop', () => {
  it('turns readiness off, closes WebSockets with 1001 and completes SSE streams', async () => {
    const t = await startTestApp();
    try {
      const { url } = await t.app.start();
      const viewer = await seedAccount(t, { channels: ['youtube'], videos: [{}] });

      const sse = sseClient(url, viewer.key);
      const stream = sse.iterate({
        query: 'subscription($id: ID!) { videoUpdated(id: $id) { id } }',
        variables: { id: viewer.videos[0]!.globalId },
      });
      await take(stream)();

      const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) =>
        socket.once('close', (code) => resolve(code)),
      );

      await t.app.stop();
      expect(await closed).toBe(1001);
      expect((await stream.next()).done).toBe(true);
      expect((await t.app.fetch('http://pulse.test/ready')).status).toBe(503);
      expect((await t.app.fetch('http://pulse.test/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
