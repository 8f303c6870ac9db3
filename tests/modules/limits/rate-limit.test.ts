import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChannels, createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { rawSocket } from '../../helpers/live.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

// The real tiers, enforced: this suite opts in (other suites run with RATE_LIMIT_ENABLED=false).
let t: TestApp;
let baseUrl: string;

const TYPENAME = '{ __typename }';
const WATCH = 'subscription($id: ID!) { videoUpdated(id: $id) { id } }';

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_ENABLED: 'true', COST_LIMIT_ENABLED: 'true' });
  baseUrl = (await t.app.start()).url;
});
afterAll(() => t.close());
afterEach(() => void vi.useRealTimers());

const free = () => t.createViewer({ plan: 'free' });

/** Parses `"minute";r=0;t=42, "day";r=990;t=3600` into { minute: { r, t }, day: { r, t } }. */
function parseList(header: string | null): Record<string, Record<string, number>> {
  expect(header).toBeTruthy();
  return Object.fromEntries(
    header!.split(/,\s*/).map((item) => {
      const [name, ...params] = item.split(';');
      expect(name).toMatch(/^"[a-z]+"$/);
      return [
        name!.slice(1, -1),
        Object.fromEntries(
          params.map((param) => {
            const [key, value] = param.split('=');
            return [key!, Number(value)];
          }),
        ),
      ];
    }),
  );
}

describe('RL-01 per-minute limit and daily quota (free tier)', () => {
  it('10 operations in a minute → 200; the 11th → 429 with Retry-After, RateLimit, RateLimit-Policy; after the wait → 200', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-03-10T12:00:00Z'));
    const viewer = await free();
    const { perMinute, perDay } = t.config.protection.tiers.free;
    expect([perMinute, perDay]).toEqual([10, 1000]);
    for (let i = 1; i <= perMinute; i++) {
      const ok = await t.graphql(TYPENAME, { key: viewer.key });
      expect(ok.status).toBe(200);
      expect(parseList(ok.headers.get('ratelimit'))['minute']!['r']).toBe(perMinute - i);
      expect(ok.body.extensions?.['cost'].rateLimit.minute.remaining).toBe(perMinute - i);
      vi.setSystemTime(Date.now() + 1000);
    }
    const refused = await t.graphql(TYPENAME, { key: viewer.key });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.extensions?.['window']).toBe('minute');
    expect(refused.body.data ?? null).toBeNull();
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBe(50); // the window opened 10 fake seconds ago
    expect(parseList(refused.headers.get('ratelimit-policy'))).toEqual({
      minute: { q: 10, w: 60 },
      day: { q: 1000, w: 86_400 },
    });
    const state = parseList(refused.headers.get('ratelimit'));
    expect(state['minute']).toEqual({ r: 0, t: retryAfter });
    expect(state['day']!['r']).toBe(990);

    vi.setSystemTime(Date.now() + (retryAfter - 1) * 1000);
    expect((await t.graphql(TYPENAME, { key: viewer.key })).status).toBe(429);
    vi.setSystemTime(Date.now() + 1000);
    const again = await t.graphql(TYPENAME, { key: viewer.key });
    expect(again.status).toBe(200);
    expect(parseList(again.headers.get('ratelimit'))['minute']).toEqual({ r: 9, t: 60 });
  });

  it('the daily quota runs out at 1,000 and starts again at UTC midnight', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-03-10T20:00:00Z'));
    const viewer = await free();
    const { perMinute, perDay } = t.config.protection.tiers.free;
    for (let i = 0; i < perDay!; i++) {
      if (i > 0 && i % perMinute === 0) vi.setSystemTime(Date.now() + 60_000);
      const response = await t.graphql(TYPENAME, { key: viewer.key });
      if (response.status !== 200) throw new Error(`operation ${i + 1}: ${response.status}`);
    }
    vi.setSystemTime(Date.now() + 60_000); // a fresh minute: only the day is used up
    const refused = await t.graphql(TYPENAME, { key: viewer.key });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.['window']).toBe('day');
    const secondsToMidnight = Math.ceil((Date.parse('2030-03-11T00:00:00Z') - Date.now()) / 1000);
    expect(Number(refused.headers.get('retry-after'))).toBe(secondsToMidnight);
    expect(parseList(refused.headers.get('ratelimit'))['day']).toEqual({
      r: 0,
      t: secondsToMidnight,
    });

    vi.setSystemTime(new Date('2030-03-10T23:59:59Z'));
    expect((await t.graphql(TYPENAME, { key: viewer.key })).status).toBe(429);
    vi.setSystemTime(new Date('2030-03-11T00:00:00Z'));
    const nextDay = await t.graphql(TYPENAME, { key: viewer.key });
    expect(nextDay.status).toBe(200);
    expect(parseList(nextDay.headers.get('ratelimit'))['day']!['r']).toBe(perDay! - 1);
  }, 180_000); // a thousand requests, on a machine that may be busy

  it('pro has 100/min and 10,000/day; enterprise 1,000/min and no daily cap', async () => {
    const pro = await t.createViewer({ plan: 'pro' });
    const answers = await Promise.all(
      Array.from({ length: 101 }, () => t.graphql(TYPENAME, { key: pro.key })),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(100);
    expect(parseList(answers[0]!.headers.get('ratelimit-policy'))).toEqual({
      minute: { q: 100, w: 60 },
      day: { q: 10_000, w: 86_400 },
    });
    const enterprise = await t.createViewer({ plan: 'enterprise' });
    const ok = await t.graphql(TYPENAME, { key: enterprise.key });
    expect(parseList(ok.headers.get('ratelimit-policy'))).toEqual({ minute: { q: 1000, w: 60 } });
    expect(ok.body.extensions?.['cost'].rateLimit.day).toBeUndefined();
  });
});

describe('RL-02 atomic counting', () => {
  it('200 simultaneous requests on a fresh free key → exactly 10 succeed, the rest are 429', async () => {
    const viewer = await free();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => t.graphql(TYPENAME, { key: viewer.key })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(190);
  });
});

describe('RL-03 one budget across HTTP, SSE and WebSocket', () => {
  it('operations on every transport draw on the same per-key budget', async () => {
    const viewer = await free();
    await createChannels(t.database.db, viewer.userId);
    const { video } = await createPublishedVideo(t.database.db, viewer.userId);
    const videoId = encodeId('Video', video.id);

    // 4 over HTTP
    for (let i = 0; i < 4; i++) {
      expect((await t.graphql(TYPENAME, { key: viewer.key })).status).toBe(200);
    }
    // 3 SSE subscriptions
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${viewer.key}`,
        },
        body: JSON.stringify({ query: WATCH, variables: { id: videoId } }),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(parseList(response.headers.get('ratelimit'))['minute']!['r']).toBe(10 - 5 - i);
      const reader = response.body!.getReader();
      let received = '';
      while (!received.includes('event: next')) {
        const chunk = await reader.read(); // keep-alive comments may come first
        if (chunk.done) break;
        received += new TextDecoder().decode(chunk.value);
      }
      expect(received).toContain('event: next');
      controller.abort();
    }
    // 3 WebSocket subscribes (one socket)
    const socket = await rawSocket(baseUrl);
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${viewer.key}` } });
    await socket.next((message) => message.type === 'connection_ack');
    for (let i = 0; i < 3; i++) {
      socket.send({
        id: `ws-${i}`,
        type: 'subscribe',
        payload: { query: WATCH, variables: { id: videoId } },
      });
      expect((await socket.next((m) => m.id === `ws-${i}`)).type).toBe('next');
      socket.send({ id: `ws-${i}`, type: 'complete' });
    }

    // The budget (10) is spent: each transport now refuses.
    const http = await t.graphql(TYPENAME, { key: viewer.key });
    expect(http.status).toBe(429);

    const sse = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${viewer.key}`,
      },
      body: JSON.stringify({ query: WATCH, variables: { id: videoId } }),
    });
    expect(await sse.text()).toContain('RATE_LIMITED');

    socket.send({
      id: 'refused',
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: videoId } },
    });
    const refused = await socket.next((m) => m.id === 'refused');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions.code).toBe('RATE_LIMITED');
    // A refused subscribe leaves the socket open.
    socket.send({ type: 'ping' });
    await socket.next((m) => m.type === 'pong');
    expect(socket.socket.readyState).toBe(socket.socket.OPEN);
    socket.socket.close(1000);
  });
});

describe('anonymous callers', () => {
  it('are limited per IP address (introspection only)', async () => {
    const introspect = () =>
      fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await introspect()).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
    // A key has its own budget, whatever the address.
    expect((await t.graphql(TYPENAME, { key: (await free()).key })).status).toBe(200);
  });
});
