import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../src/db/schema.js';
import { seedAccounts, type SeededAccount } from '../../helpers/seed.js';
import { rawSocket, sseClient, take, wsClient } from '../../helpers/live.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
let baseUrl: string;
let alice: SeededAccount;
let bob: SeededAccount;
let aliceVideo: string;
let bobVideo: string;

const WATCH = 'subscription($id: ID!) { videoUpdated(id: $id) { id title status } }';

beforeAll(async () => {
  // Rate limits have their own suite; these tests open many operations.
  t = await startTestApp({ WS_CONNECTION_INIT_TIMEOUT_MS: '400', RATE_LIMIT_ENABLED: 'false' });
  baseUrl = (await t.app.start()).url;
  ({ alice, bob } = await seedAccounts(t, {
    alice: { channels: PLATFORMS, videos: [{ title: 'Start' }] },
    bob: { channels: PLATFORMS, videos: [{ title: 'Bob' }] },
  }));
  aliceVideo = alice.videos[0]!.globalId;
  bobVideo = bob.videos[0]!.globalId;
});
afterAll(() => t.close());

const rename = (id: string, title: string, key = alice.key) =>
  t.graphql(
    'mutation($id: ID!, $title: String!) { updateVideo(input: { id: $id, title: $title }) { userErrors { code } } }',
    {
      variables: { id, title },
      key,
    },
  );

describe('graphql-ws', () => {
  it('sends the current video first, then each change', async () => {
    const client = wsClient(baseUrl, alice.key);
    const stream = client.iterate({ query: WATCH, variables: { id: aliceVideo } });
    const next = take(stream);
    expect((await next()).data?.videoUpdated).toMatchObject({
      title: 'Start',
      status: 'PUBLISHED',
    });
    await rename(aliceVideo, 'Renamed once');
    expect((await next()).data?.videoUpdated).toMatchObject({ title: 'Renamed once' });
    await rename(aliceVideo, 'Renamed twice');
    expect((await next()).data?.videoUpdated).toMatchObject({ title: 'Renamed twice' });
    await stream.return?.();
    await client.dispose();
  });

  it('WS-AUTH-02: bad or missing credentials close the socket with 4403', async () => {
    for (const payload of [
      { authorization: 'Bearer nope' },
      {},
      { authorization: 'Bearer pulse_' + 'A'.repeat(50) },
    ]) {
      const raw = await rawSocket(baseUrl);
      raw.send({ type: 'connection_init', payload });
      expect((await raw.closed).code).toBe(4403);
    }
  });

  it('WS-INIT-01: no connection_init closes with 4408; a second init closes with 4429', async () => {
    const silent = await rawSocket(baseUrl);
    expect((await silent.closed).code).toBe(4408);
    const twice = await rawSocket(baseUrl);
    twice.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await twice.next((m) => m.type === 'connection_ack');
    twice.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    expect((await twice.closed).code).toBe(4429);
  });

  it('WS-PARSE-04 / WS-SCOPE-03: per-operation problems come back as error messages and the socket keeps working', async () => {
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${alice.key}` } });
    await raw.next((m) => m.type === 'connection_ack');

    raw.send({
      id: 'syntax',
      type: 'subscribe',
      payload: { query: 'subscription { videoUpdated(' },
    });
    const syntax = await raw.next((m) => m.id === 'syntax');
    expect(syntax.type).toBe('error');

    raw.send({
      id: 'foreign',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: bobVideo } },
    });
    const foreign = await raw.next((m) => m.id === 'foreign');
    expect(foreign.type).toBe('error');
    expect(foreign.payload[0].extensions.code).toBe('NOT_FOUND');

    raw.send({
      id: 'page',
      type: 'subscribe',
      payload: { query: '{ videos(first: 1000) { totalCount } }' },
    });
    const page = await raw.next((m) => m.id === 'page');
    expect(page.type).toBe('error');
    expect(page.payload[0].extensions.code).toBe('BAD_USER_INPUT');

    raw.send({
      id: 'ok',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: aliceVideo } },
    });
    const ok = await raw.next((m) => m.id === 'ok' && m.type === 'next');
    expect(ok.payload.data.videoUpdated.id).toBe(aliceVideo);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close(1000);
  });

  it('WS-PAYLOAD-06: a frame over the payload limit closes the socket with 1009, the server lives on', async () => {
    const raw = await rawSocket(baseUrl);
    raw.send({
      type: 'connection_init',
      payload: { pad: 'x'.repeat(t.config.limits.wsMaxPayloadBytes + 1) },
    });
    expect((await raw.closed).code).toBe(1009);
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
  });

  it('runs queries and mutations over the socket too', async () => {
    const client = wsClient(baseUrl, alice.key);
    const result = await take(client.iterate({ query: '{ me { email } }' }))();
    expect(result.data).toEqual({ me: { email: expect.stringContaining('@') } });
    await client.dispose();
  });
});

describe('SSE', () => {
  it('WS-SSE-08: streams the same subscription over Server-Sent Events', async () => {
    const client = sseClient(baseUrl, alice.key);
    const stream = client.iterate({ query: WATCH, variables: { id: aliceVideo } });
    const next = take(stream);
    expect((await next()).data?.videoUpdated).toMatchObject({ id: aliceVideo });
    await rename(aliceVideo, 'Over SSE');
    expect((await next()).data?.videoUpdated).toMatchObject({ title: 'Over SSE' });
    await stream.return?.();
    client.dispose();
  });

  it('WS-SSE-08: applies the same authentication and ownership rules', async () => {
    const anonymous = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: WATCH, variables: { id: aliceVideo } }),
    });
    expect(anonymous.status).toBe(401);
    const foreign = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${alice.key}`,
      },
      body: JSON.stringify({ query: WATCH, variables: { id: bobVideo } }),
    });
    const text = await foreign.text();
    expect(text).toContain('NOT_FOUND');
    expect(text).not.toContain('"Bob"');
  });
});

describe('metrics', () => {
  it('counts active subscriptions', async () => {
    const client = wsClient(baseUrl, alice.key);
    const stream = client.iterate({ query: WATCH, variables: { id: aliceVideo } });
    await take(stream)();
    const during = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(during).toMatch(/pulse_active_subscriptions 1/);
    await stream.return?.();
    await client.dispose();
    await expect
      .poll(
        async () =>
          (await (await fetch(`${baseUrl}/metrics`)).text()).match(
            /pulse_active_subscriptions (\d+)/,
          )?.[1],
      )
      .toBe('0');
  });
});
