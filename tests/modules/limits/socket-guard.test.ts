import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import {
  CLOSE_POLICY_VIOLATION,
  CLOSE_TRY_AGAIN_LATER,
  createSocketGuard,
} from '../../../src/modules/limits/socket-guard.js';
import { createVideo } from '../../../src/modules/video/video.service.js';
import { seedAccount } from '../../helpers/seed.js';
import { rawSocket } from '../../helpers/live.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

/** The parts of a ws socket the guard touches. */
function fakeSocket() {
  let onClose: (() => void) | undefined;
  const socket = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as unknown[],
    closedWith: undefined as number | undefined,
    send(data: unknown) {
      socket.sent.push(data);
    },
    close(code: number) {
      socket.closedWith = code;
      socket.readyState = 2;
    },
    once(event: string, listener: () => void) {
      if (event === 'close') onClose = listener;
    },
    emitClose: () => onClose?.(),
  };
  return socket;
}
const asWs = (socket: ReturnType<typeof fakeSocket>) => socket as unknown as WebSocket;

describe('socket guard', () => {
  it('WS-CAP-05: more than N subscribe messages within any window closes the socket with 1008', () => {
    let now = 0;
    const guard = createSocketGuard({
      maxSubscribes: 3,
      windowMs: 1000,
      maxBufferedBytes: 1024,
      now: () => now,
    });
    const flooder = fakeSocket();
    const steady = fakeSocket();
    guard.attach(asWs(flooder));
    guard.attach(asWs(steady));

    // Three within a second are fine; a fourth within the same second is one too many.
    for (const at of [0, 100, 200]) {
      now = at;
      expect(guard.subscribed(asWs(flooder))).toBe(false);
    }
    now = 999;
    expect(guard.subscribed(asWs(flooder))).toBe(true);
    expect(flooder.closedWith).toBe(CLOSE_POLICY_VIOLATION);

    // Spread out, the same number never trips: the window slides.
    for (const at of [0, 400, 800, 1000, 1400, 1800, 2000, 2400]) {
      now = at;
      expect(guard.subscribed(asWs(steady))).toBe(false);
    }
    expect(steady.closedWith).toBeUndefined();

    expect(guard.stats().sockets).toBe(2);
    flooder.emitClose();
    steady.emitClose();
    expect(guard.stats().sockets).toBe(0);
  });

  it('WS-SLOW-07: a socket whose send buffer passes the threshold is closed with 1013; others keep sending', () => {
    const guard = createSocketGuard({ maxSubscribes: 100, windowMs: 1000, maxBufferedBytes: 1000 });
    const slow = fakeSocket();
    const fast = fakeSocket();
    guard.attach(asWs(slow));
    guard.attach(asWs(fast));
    slow.send('a');
    slow.bufferedAmount = 1000; // at the threshold: still fine
    slow.send('b');
    expect(slow.closedWith).toBeUndefined();
    slow.bufferedAmount = 1001;
    slow.send('c');
    expect(slow.closedWith).toBe(CLOSE_TRY_AGAIN_LATER);
    expect(slow.sent).toEqual(['a', 'b', 'c']);
    fast.send('x');
    expect(fast.closedWith).toBeUndefined();
    expect(fast.sent).toEqual(['x']);
  });
});

let t: TestApp;
let baseUrl: string;
let alice: TestViewer;
let videoId: string;

const WATCH = `subscription($id: ID!) { videoViewsUpdated(videoId: $id, minIntervalMs: 100) { views } }`;

beforeAll(async () => {
  t = await startTestApp({
    // Deterministic whatever the machine's speed: 30 subscribes within a minute.
    WS_MAX_SUBSCRIBES_PER_WINDOW: '30',
    WS_SUBSCRIBE_WINDOW_MS: '60000',
    WS_MAX_BUFFERED_BYTES: '65536',
    // Rate and cost limits have their own suites; these tests send many, large operations.
    RATE_LIMIT_ENABLED: 'false',
    COST_LIMIT_ENABLED: 'false',
  });
  baseUrl = (await t.app.start()).url;
  const seeded = await seedAccount(t, { channels: ['youtube'], videos: [{}] });
  alice = seeded;
  videoId = seeded.videos[0]!.globalId;
});
afterAll(() => t.close());

async function connect(key = alice.key) {
  const raw = await rawSocket(baseUrl);
  raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
  await raw.next((m) => m.type === 'connection_ack');
  return raw;
}

async function activeSubscriptions() {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/pulse_active_subscriptions (\d+)/.exec(text)?.[1] ?? NaN);
}

describe('WS-CAP-05 over a real WebSocket', () => {
  it('a subscribe/complete flood closes the socket with 1008; every registry returns to its baseline', async () => {
    const baseline = {
      hub: t.app.services.liveHub.stats(),
      analytics: t.app.services.analyticsHub.stats(),
      subscriptions: await activeSubscriptions(),
    };
    const bystander = await connect();
    bystander.send({
      id: 'keep',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: videoId } },
    });
    await bystander.next((m) => m.id === 'keep' && m.type === 'next');

    const flooder = await connect();
    const limit = t.config.limits.wsMaxSubscribesPerWindow;
    // Up to the limit, each subscribe runs (and each complete frees it again).
    for (let i = 0; i < limit - 1; i++) {
      flooder.send({
        id: `s${i}`,
        type: 'subscribe',
        payload: { query: WATCH, variables: { id: videoId } },
      });
      await flooder.next((m) => m.id === `s${i}` && m.type === 'next');
      flooder.send({ id: `s${i}`, type: 'complete' });
    }
    // Keep one running, so closing has something to release.
    flooder.send({
      id: 'live',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: videoId } },
    });
    await flooder.next((m) => m.id === 'live' && m.type === 'next');
    expect(t.app.services.liveHub.stats().subscribers).toBe(baseline.hub.subscribers + 2);

    flooder.send({
      id: 'over',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: videoId } },
    });
    expect((await flooder.closed).code).toBe(1008);
    expect(t.app.services.socketGuard.stats().floodClosed).toBe(1);

    // The flooder's subscriptions are gone; the bystander's stream is untouched.
    await expect
      .poll(() => t.app.services.liveHub.stats().subscribers)
      .toBe(baseline.hub.subscribers + 1);
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
    bystander.socket.close(1000);
    await bystander.closed;
    await expect.poll(() => t.app.services.liveHub.stats()).toEqual(baseline.hub);
    await expect
      .poll(() => t.app.services.analyticsHub.stats().subscribers)
      .toBe(baseline.analytics.subscribers);
    await expect.poll(() => t.app.services.socketGuard.stats().sockets).toBe(0);
    await expect.poll(activeSubscriptions).toBe(baseline.subscriptions);
  });
});

describe('WS-SLOW-07 over a real WebSocket', () => {
  it('a client that stops reading is closed with 1013 once its buffer passes the threshold; another client is unaffected', async () => {
    // Large answers: 100 videos with 5,000-character descriptions (~500 KB per page), far more
    // in all than the kernel's socket buffers absorb.
    for (let i = 0; i < 100; i++)
      await createVideo(t.database.db, alice.userId, {
        title: `Long ${i}`,
        description: 'x'.repeat(5000),
      });
    const PAGE = '{ videos(first: 100) { edges { node { id description } } } }';

    const slow = await connect();
    const fast = await connect();
    // The slow client stops reading: the server's writes pile up in its send buffer.
    (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    // 25 requests (under this app's flood limit of 30): ~12 MB of answers.
    for (let i = 0; i < 25; i++)
      slow.send({ id: `q${i}`, type: 'subscribe', payload: { query: PAGE } });

    // Meanwhile the other client is served normally.
    fast.send({ id: 'page', type: 'subscribe', payload: { query: PAGE } });
    const page = await fast.next((m) => m.id === 'page' && m.type === 'next', 15_000);
    expect(page.payload.data.videos.edges).toHaveLength(100);

    await expect
      .poll(() => t.app.services.socketGuard.stats().slowClosed, { timeout: 15_000 })
      .toBe(1);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(1013);
    await expect.poll(() => t.app.services.socketGuard.stats().sockets).toBe(1);

    fast.send({ id: 'again', type: 'subscribe', payload: { query: '{ me { id } }' } });
    expect((await fast.next((m) => m.id === 'again')).type).toBe('next');
    fast.socket.close(1000);
  });
});
