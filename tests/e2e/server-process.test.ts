import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EXAMPLE_QUERY } from '../../src/server/graphiql.js';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
import { collectOutput, exited, runScript, waitFor } from '../helpers/process.js';
import { createTestDatabaseUrl } from '../helpers/test-app.js';

const demoKey = generateApiKey();
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>>;
let server: ReturnType<typeof runScript>;
let output: { stdout: string; stderr: string };
let baseUrl: string;
let readyLog: Record<string, unknown>;

beforeAll(async () => {
  database = await createTestDatabaseUrl();
  server = runScript('src/main.ts', [], {
    DATABASE_URL: database.url,
    PORT: '0',
    DEMO: 'true',
    DEMO_API_KEY: demoKey,
    DEMO_TRAFFIC: 'false',
    LOG_LEVEL: 'info',
  });
  output = collectOutput(server);
  await waitFor(
    () => output.stdout.includes('Pulse is ready'),
    30_000,
    `startup; got ${output.stderr}`,
  );
  const line = output.stdout.split('\n').find((entry) => entry.includes('Pulse is ready'))!;
  readyLog = JSON.parse(line);
  baseUrl = `http://127.0.0.1:${readyLog['port']}`;
});

afterAll(async () => {
  if (server.exitCode === null) server.kill('SIGKILL');
  await database.drop();
});

describe('npm start (src/main.ts) as a process', () => {
  it('logs structured JSON with the GraphiQL URL and the demo key', () => {
    expect(readyLog).toMatchObject({
      level: 30,
      graphiql: `${baseUrl}/graphql`,
      demoApiKey: demoKey,
    });
  });

  it('serves demo data: one user, 4 channels, at least 200 videos with publications and counters', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demoKey}` },
      body: JSON.stringify({
        query:
          '{ me { email channels { platform followers } } videos(first: 100, orderBy: { field: VIEWS }) { totalCount edges { node { stats { views } publications { stats { views } } } } } }',
      }),
    });
    const { data } = await response.json();
    expect(data.me.channels).toHaveLength(4);
    expect(data.videos.totalCount).toBeGreaterThanOrEqual(200);
    const top = data.videos.edges[0].node;
    expect(top.stats.views).toBeGreaterThan(0);
    expect(top.stats.views).toBe(
      top.publications.reduce(
        (sum: number, p: { stats: { views: number } }) => sum + p.stats.views,
        0,
      ),
    );
  });

  it('answers the README example query with the demo key', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demoKey}` },
      body: JSON.stringify({ query: EXAMPLE_QUERY }),
    });
    expect(response.status).toBe(200);
    const { data, errors } = await response.json();
    expect(errors).toBeUndefined();
    expect(data.videos.edges).toHaveLength(5);
  });

  it('on SIGTERM closes sockets with 1001, ends streams and exits 0 within 10 s', async () => {
    const socket = new WebSocket(
      `${baseUrl.replace('http', 'ws')}/graphql`,
      'graphql-transport-ws',
    );
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${demoKey}` } }),
    );
    await new Promise((resolve) => socket.once('message', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    const started = Date.now();
    server.kill('SIGTERM');
    expect(await closed).toBe(1001);
    const { code } = await exited(server);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output.stdout).toContain('"msg":"stopped"');
  });
});

describe('demo traffic', () => {
  it('keeps the newest demo videos gaining views through the ingest path', async () => {
    const trafficDatabase = await createTestDatabaseUrl();
    const child = runScript('src/main.ts', [], {
      DATABASE_URL: trafficDatabase.url,
      PORT: '0',
      DEMO_API_KEY: demoKey,
      DEMO: 'true',
    });
    const logs = collectOutput(child);
    try {
      await waitFor(
        () => logs.stdout.includes('Pulse is ready'),
        30_000,
        `startup; got ${logs.stderr}`,
      );
      const port = JSON.parse(
        logs.stdout.split('\n').find((line) => line.includes('Pulse is ready'))!,
      )['port'];
      const newestViews = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${demoKey}` },
          body: JSON.stringify({
            query:
              '{ videos(first: 10, orderBy: { field: PUBLISHED_AT, direction: DESC }, filter: { status: [PUBLISHED] }) { edges { node { stats { views } } } } }',
          }),
        });
        const { data } = await response.json();
        return data.videos.edges.reduce(
          (sum: number, edge: { node: { stats: { views: number } } }) =>
            sum + edge.node.stats.views,
          0,
        );
      };
      const start = await newestViews();
      await expect.poll(newestViews, { timeout: 10_000, interval: 500 }).toBeGreaterThan(start);
    } finally {
      child.kill('SIGTERM');
      expect((await exited(child)).code).toBe(0);
      await trafficDatabase.drop();
    }
  });
});
