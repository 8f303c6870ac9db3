import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiKeyTable, PLATFORMS } from '../../../src/db/schema.js';
import { createApiKey } from '../../../src/modules/api-key/api-key.service.js';
import { encodeId } from '../../helpers/fixtures.js';
import { seedAccount } from '../../helpers/seed.js';
import { rawSocket, sseClient } from '../../helpers/live.js';
import { TestIssuer } from '../../helpers/oauth.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

/**
 * AUTH-KEY-03 / WS-AUTH-02: a stream lives exactly as long as the secret it was opened with
 * keeps working over HTTP, whichever way that secret stops working, and a socket whose
 * credential died never runs another operation.
 */
const AUDIENCE = 'https://api.pulse.test';
const ME = '{ me { email } }';
const ROTATE = `mutation($id: ID!) { rotateApiKey(input: { id: $id }) { secret userErrors { code } } }`;
const WATCH = 'subscription($id: ID!) { videoUpdated(id: $id) { title } }';

let issuer: TestIssuer;
let t: TestApp;
let baseUrl: string;
let owner: TestViewer;
let videoId: string;

beforeAll(async () => {
  issuer = await TestIssuer.start();
  t = await startTestApp({
    OAUTH_ISSUER: issuer.url,
    OAUTH_AUDIENCE: AUDIENCE,
    OAUTH_CLOCK_TOLERANCE_SECONDS: '0',
  });
  baseUrl = (await t.app.start()).url;
  const seeded = await seedAccount(t, {
    plan: 'enterprise',
    channels: PLATFORMS,
    videos: [{ title: 'Live' }],
  });
  owner = seeded;
  videoId = seeded.videos[0]!.globalId;
});
afterAll(async () => {
  await t.close();
  await issuer.close();
});

async function newKey() {
  const { apiKey, secret } = await createApiKey(t.database.db, {
    ownerId: owner.userId,
    name: 'streamer',
  });
  return { id: encodeId('ApiKey', apiKey.id), rowId: apiKey.id, secret };
}

async function openSocket(authorization: string) {
  const raw = await rawSocket(baseUrl);
  raw.send({ type: 'connection_init', payload: { authorization } });
  await raw.next((message) => message.type === 'connection_ack');
  return raw;
}

/** Runs `{ me }` over the socket: the `next` or `error` message it got back. */
async function operate(raw: Awaited<ReturnType<typeof openSocket>>, id: string) {
  raw.send({ id, type: 'subscribe', payload: { query: ME } });
  return raw.next((message) => message.id === id && ['next', 'error'].includes(message.type));
}

/** Resolves with the close code, or rejects if the socket is still open after `ms`. */
const closedWithin = (raw: Awaited<ReturnType<typeof openSocket>>, ms: number) =>
  Promise.race([
    raw.closed.then(({ code }) => code),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms),
    ),
  ]);

function openSse(secret: string) {
  const client = sseClient(baseUrl, secret);
  const stream = client.iterate({ query: WATCH, variables: { id: videoId } });
  return { client, stream };
}

describe('AUTH-KEY-03 streams end when their secret stops working', () => {
  it('a second rotation ends the streams opened with the first secret (it fails over HTTP too)', async () => {
    const key = await newKey();
    const socket = await openSocket(`Bearer ${key.secret}`);
    const sse = openSse(key.secret);
    expect((await sse.stream.next()).value?.data).toEqual({ videoUpdated: { title: 'Live' } });

    const first = await t.graphql(ROTATE, { key: owner.key, variables: { id: key.id } });
    expect(first.body.data.rotateApiKey.userErrors).toEqual([]);
    // Within its grace the old secret works everywhere, streams included.
    expect((await t.graphql(ME, { key: key.secret })).status).toBe(200);
    expect((await operate(socket, 'during-grace')).type).toBe('next');

    const second = await t.graphql(ROTATE, { key: owner.key, variables: { id: key.id } });
    expect(second.body.data.rotateApiKey.userErrors).toEqual([]);
    expect((await t.graphql(ME, { key: key.secret })).status).toBe(401);
    expect(await closedWithin(socket, 3_000)).toBe(4403);
    const last = await sse.stream.next();
    expect(last.value?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await sse.stream.next()).done).toBe(true);
    sse.client.dispose();

    // The newest secret is unaffected.
    const fresh = await openSocket(`Bearer ${second.body.data.rotateApiKey.secret}`);
    expect((await operate(fresh, 'fresh')).type).toBe('next');
    fresh.socket.close();
  });

  it('rotation past its grace ends the streams of the old secret; those of the new one go on', async () => {
    const key = await newKey();
    const old = await openSocket(`Bearer ${key.secret}`);
    const rotated = await t.graphql(ROTATE, { key: owner.key, variables: { id: key.id } });
    const current = await openSocket(`Bearer ${rotated.body.data.rotateApiKey.secret}`);
    // The grace ends (as if its 24 h had passed).
    await t.database.db
      .update(apiKeyTable)
      .set({ previousHashExpiresAt: new Date(Date.now() - 1_000) })
      .where(eq(apiKeyTable.id, key.rowId));
    expect((await t.graphql(ME, { key: key.secret })).status).toBe(401);
    expect(await closedWithin(old, 3_000)).toBe(4403);
    expect((await operate(current, 'after-grace')).type).toBe('next');
    expect(current.socket.readyState).toBe(WebSocket.OPEN);
    current.socket.close();
  });

  it('a stream opened with the previous secret during its grace ends when the grace does', async () => {
    const key = await newKey();
    await t.graphql(ROTATE, { key: owner.key, variables: { id: key.id } });
    const sse = openSse(key.secret);
    expect((await sse.stream.next()).value?.data).toEqual({ videoUpdated: { title: 'Live' } });
    await t.database.db
      .update(apiKeyTable)
      .set({ previousHashExpiresAt: new Date(Date.now() - 1_000) })
      .where(eq(apiKeyTable.id, key.rowId));
    const last = await sse.stream.next();
    expect(last.value?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await sse.stream.next()).done).toBe(true);
    sse.client.dispose();
  });
});

describe('WS-AUTH-02 no operation runs on a socket whose credential died', () => {
  // The sweep is paused, so only the check before each operation stands between a dead
  // credential and an answer.
  beforeAll(() => t.app.services.auth.sessions.stop());

  it('a key disabled elsewhere (no sweep yet): the next operation gets an error, never data, and the socket closes 4403', async () => {
    const key = await newKey();
    const socket = await openSocket(`Bearer ${key.secret}`);
    expect((await operate(socket, 'alive')).type).toBe('next');
    // Disabled by another instance or the CLI: nothing here is told.
    await t.database.db
      .update(apiKeyTable)
      .set({ disabledAt: new Date() })
      .where(eq(apiKeyTable.id, key.rowId));
    const answer = await operate(socket, 'dead');
    expect(answer.type).toBe('error');
    expect(answer.payload[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await closedWithin(socket, 3_000)).toBe(4403);
  });

  it('a subscription on a revoked key is refused the same way', async () => {
    const key = await newKey();
    const socket = await openSocket(`Bearer ${key.secret}`);
    await t.database.db
      .update(apiKeyTable)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeyTable.id, key.rowId));
    socket.send({
      id: 'sub',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: videoId } },
    });
    const answer = await socket.next((message) => message.id === 'sub');
    expect(answer.type).toBe('error');
    expect(await closedWithin(socket, 3_000)).toBe(4403);
  });

  it('an OAuth token that expired while the socket was open: the next operation is refused', async () => {
    const token = await issuer.token(
      { sub: owner.userId, scope: 'read:user read:videos' },
      { audience: AUDIENCE, expiresIn: 1 },
    );
    const socket = await openSocket(`Bearer ${token}`);
    expect((await operate(socket, 'fresh')).type).toBe('next');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const answer = await operate(socket, 'expired');
    expect(answer.type).toBe('error');
    expect(answer.payload[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await closedWithin(socket, 3_000)).toBe(4403);
  });
});
