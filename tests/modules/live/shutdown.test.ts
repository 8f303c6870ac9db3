import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../../src/app.js';
import { openDatabase, type Database } from '../../../src/db/client.js';
import { seedAccount } from '../../helpers/seed.js';
import { graphql } from '../../gql/index.js';
import { take } from '../../helpers/live.js';
import { onPostgres, startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const WATCH = `subscription($id: ID!) {
  videoViewsUpdated(videoId: $id, minIntervalMs: 100) { views delta }
}`;

// Rate limits have their own suite.
const env = { RATE_LIMIT_ENABLED: 'false' };

let first: TestApp;
let second: App;
let secondDatabase: Database;
let viewer: TestViewer;
let videoId: string;

beforeAll(async () => {
  first = await startTestApp(env);
  // A second instance on the same database: on PGlite the same (single-connection) database
  // object, on PostgreSQL a pool of its own, as a second process would have.
  secondDatabase = onPostgres ? await openDatabase(first.config.database) : first.database;
  second = buildApp({
    config: first.config,
    database: secondDatabase,
    logger: pino({ level: 'silent' }),
  });
  const seeded = await seedAccount(first, {
    channels: ['youtube'],
    videos: [{ counters: { youtube: { views: 100 } } }],
  });
  viewer = seeded;
  videoId = seeded.videos[0]!.globalId;
});
afterAll(async () => {
  await second.stop();
  if (secondDatabase !== first.database) await secondDatabase.close();
  await first.close();
});

/** Records views through `app`, one instance or the other. */
async function recordViews(app: App, views: number) {
  const response = await first.request(
    graphql(`
      mutation LiveShutdownRecordViews($events: [MetricEventInput!]!) {
        recordMetrics(input: { events: $events }) {
          accepted
        }
      }
    `),
    {
      app,
      key: viewer.key,
      variables: {
        events: [{ id: `e-${Math.random()}`, video: videoId, metric: 'VIEWS', delta: views }],
      },
    },
  );
  expect(response.body.data!.recordMetrics.accepted).toBe(1);
}

describe('WS-SHUTDOWN-09', () => {
  it('stopping an instance closes its sockets with 1001; the client reconnects to another and its first message carries the stored count', async () => {
    const firstUrl = (await first.app.start()).url;
    const secondUrl = (await second.start()).url;
    let target = firstUrl;
    const closeCodes: number[] = [];
    const connectedTo: string[] = [];
    const client = createClient({
      url: () => `${target.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${viewer.key}` },
      lazy: true,
      retryAttempts: 5,
      retryWait: async () => {},
      shouldRetry: () => true,
      on: {
        connected: () => void connectedTo.push(target),
        closed: (event) => void closeCodes.push((event as { code: number }).code),
      },
    });
    const stream = client.iterate({ query: WATCH, variables: { id: videoId } });
    const next = take(stream);
    expect((await next()).data?.videoViewsUpdated).toEqual({ views: 100, delta: 0 });
    await recordViews(first.app, 5);
    expect((await next()).data?.videoViewsUpdated).toEqual({ views: 105, delta: 5 });

    // Committed through the other instance: without a shared pub/sub transport (Redis) the
    // first instance's subscribers do not hear of it, but the database has it.
    await recordViews(second, 7);

    target = secondUrl;
    await first.app.stop();
    expect(closeCodes).toContain(1001);
    // The client resubscribed on the second instance: its first message is the stored count.
    expect((await next()).data?.videoViewsUpdated).toEqual({ views: 112, delta: 0 });
    expect(connectedTo).toEqual([firstUrl, secondUrl]);

    await recordViews(second, 1);
    expect((await next()).data?.videoViewsUpdated).toEqual({ views: 113, delta: 1 });
    await stream.return?.();
    await client.dispose();
  });
});
