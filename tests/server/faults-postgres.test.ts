import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricEventTable, publicationCounterTable } from '../../src/db/schema.js';
import { encodeId } from '../helpers/fixtures.js';
import { seedAccount } from '../helpers/seed.js';
import { ledgerMismatches } from '../helpers/ledger.js';
import { rawSocket } from '../helpers/live.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { onPostgres, startTestApp, type TestApp, type TestViewer } from '../helpers/test-app.js';

/**
 * RELIABILITY.md §F under the ledger of §E: a database outage is answered 503 with Retry-After
 * on every path within the request deadline, never a 500 or a hang; nothing acknowledged is lost.
 * Bounds are the server's (ready 0.8 s, deadline 10 s, recovery 5 s) plus room for a loaded CI
 * machine.
 */
const READY_BOUND_MS = 1_500;
const ANSWER_BOUND_MS = 11_000;
const RECOVERY_BOUND_MS = 6_000;
const CLIENT_TIMEOUT_MS = 20_000;
const CLIENTS = 4;
const EVENTS_PER_REQUEST = 20;
const STALL_MS = 20_000;

interface Answer {
  status: number;
  retryAfter: string | null;
  code: string | undefined;
  startedAt: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** status 0: no answer before the client gave up (indeterminate). */
async function timed(request: () => Promise<Response>): Promise<Answer> {
  const startedAt = performance.now();
  try {
    const response = await request();
    const body = (await response.json().catch(() => ({}))) as {
      errors?: { extensions?: { code?: string } }[];
    };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: body.errors?.[0]?.extensions?.code,
      startedAt,
      ms: performance.now() - startedAt,
    };
  } catch {
    return { status: 0, retryAfter: null, code: undefined, startedAt, ms: 0 };
  }
}

interface Target {
  t: TestApp;
  viewer: TestViewer;
  publicationId: string;
  /** A real port, so the clients see what a network client sees. */
  baseUrl: string;
}

async function setup(options: Parameters<typeof startTestApp>[1] = {}): Promise<Target> {
  const t = await startTestApp({}, options);
  const viewer = await seedAccount(t, { channels: ['youtube'], videos: [{}] });
  const { url } = await t.app.start();
  return { t, viewer, publicationId: viewer.videos[0]!.publications[0]!.id, baseUrl: url };
}

const ingest = (target: Target, events: object[]) =>
  fetch(`${target.baseUrl}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.viewer.key}` },
    body: JSON.stringify(events),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });

const graphql = (target: Target, query = '{ me { id } }') =>
  fetch(`${target.baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${target.viewer.key}`,
    },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });

const get = (target: Target, path: string) =>
  fetch(`${target.baseUrl}${path}`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });

/**
 * Integrators posting events with ids they made, each retrying a refused request with the same
 * ids until it is acknowledged, as RELIABILITY.md §E's clients do.
 */
function startIngestLoad(target: Target) {
  const publication = encodeId('Publication', target.publicationId);
  const attempted = new Set<string>();
  const acked = new Set<string>();
  const answers: Answer[] = [];
  let running = true;
  const client = async (c: number) => {
    for (let n = 0; running; n++) {
      const events = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
        id: `c${c}-${n}-${i}`,
        publication,
        metric: 'VIEWS',
        delta: 1,
      }));
      for (const event of events) attempted.add(event.id);
      for (;;) {
        const answer = await timed(() => ingest(target, events));
        answers.push(answer);
        if (answer.status === 200) break;
        await sleep(200);
      }
      for (const event of events) acked.add(event.id);
      await sleep(20);
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  return {
    attempted,
    acked,
    answers,
    /** Lets every client finish (its last batch acknowledged) and stops. */
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

/** Every answer arrived, and every refusal was 503 SERVICE_UNAVAILABLE with Retry-After. */
function expectOnlyAcksOrRetryLater(name: string, load: ReturnType<typeof startIngestLoad>) {
  const { answers } = load;
  const unanswered = answers.filter((answer) => answer.status === 0);
  expect(unanswered).toEqual([]);
  const refusals = answers.filter((answer) => answer.status !== 200);
  for (const refusal of refusals) {
    expect(refusal).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
    expect(refusal.ms).toBeLessThan(ANSWER_BOUND_MS);
  }
  const slowest = Math.max(...refusals.map((refusal) => refusal.ms));
  console.info(
    `${name} ingest: ${answers.length} answers, ${refusals.length} refusals (slowest ${Math.round(slowest)} ms), ${load.acked.size} of ${load.attempted.size} events acknowledged`,
  );
  return refusals;
}

function expectUnavailable(answer: Answer, boundMs = ANSWER_BOUND_MS) {
  expect(answer).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  expect(answer.ms).toBeLessThan(boundMs);
}

async function expectReadyUnavailableAndLive(target: Target) {
  const ready = await timed(() => get(target, '/ready'));
  expect(ready.status).toBe(503);
  expect(ready.ms).toBeLessThan(READY_BOUND_MS);
  expect((await get(target, '/health')).status).toBe(200);
}

/** A WebSocket whose authentication cannot reach the database closes 1013 (try again later). */
async function expectSocketToldToRetry(target: Target) {
  const raw = await rawSocket(target.baseUrl);
  raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${target.viewer.key}` } });
  expect((await raw.closed).code).toBe(1013);
}

/** Milliseconds from now until an authenticated GraphQL request succeeds again. */
async function timeToRecovery(target: Target): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answer = await timed(() => graphql(target));
    if (answer.status === 200) return performance.now() - started;
    expect(answer.status).toBe(503);
    if (performance.now() - started > 2 * RECOVERY_BOUND_MS) return Infinity;
    await sleep(100);
  }
}

/**
 * /ready pings on its own connection, which may be the one the outage broke: a balancer polls it,
 * so it must turn 200 within the recovery bound, not on the very first poll.
 */
async function expectReadyAgain(target: Target) {
  await expect
    .poll(async () => (await get(target, '/ready')).status, {
      timeout: RECOVERY_BOUND_MS,
      interval: 100,
    })
    .toBe(200);
}

/** §E: acked ids stored exactly once, nothing stored unattempted, counters equal a recount. */
async function expectLedgerHolds(target: Target, load: ReturnType<typeof startIngestLoad>) {
  const db = target.t.database.db;
  const stored = await db
    .select({ eventId: metricEventTable.eventId })
    .from(metricEventTable)
    .where(eq(metricEventTable.ownerId, target.viewer.userId));
  const storedIds = stored.map((row) => row.eventId);
  expect(new Set(storedIds).size).toBe(storedIds.length);
  expect([...load.acked].filter((id) => !storedIds.includes(id))).toEqual([]);
  expect(storedIds.filter((id) => !load.attempted.has(id))).toEqual([]);
  const [counter] = await db
    .select({ views: publicationCounterTable.views })
    .from(publicationCounterTable)
    .where(eq(publicationCounterTable.publicationId, target.publicationId));
  expect(counter!.views).toBeGreaterThanOrEqual(load.acked.size);
  expect(counter!.views).toBeLessThanOrEqual(load.attempted.size);
  expect(counter!.views).toBe(storedIds.length);
  expect(await ledgerMismatches(db)).toEqual([]);
}

/** A test app whose database connections pass through a TCP proxy the test can cut or stall. */
function proxiedTarget(): { proxy: TcpProxy; target: Target } {
  const proxied = {} as { proxy: TcpProxy; target: Target };
  beforeAll(async () => {
    proxied.proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    proxied.target = await setup({ connectVia: (url) => proxied.proxy.rewrite(url) });
  });
  afterAll(async () => {
    await proxied.proxy.restore();
    await proxied.target.t.close();
    await proxied.proxy.close();
  });
  return proxied;
}

if (onPostgres) {
  describe('FLT-PG-RESTART-01 PostgreSQL goes away mid-load and comes back', () => {
    const proxied = proxiedTarget();

    it('answers 503 + Retry-After fast, /ready 503, /health 200, recovers within 5 s, ledger holds', async () => {
      const { proxy, target } = proxied;
      const load = startIngestLoad(target);
      await sleep(1_000);
      await proxy.cut();

      const [during, ingested] = await Promise.all([
        timed(() => graphql(target)),
        timed(() => ingest(target, [])),
      ]);
      expectUnavailable(during);
      expectUnavailable(ingested);
      await expectReadyUnavailableAndLive(target);
      await expectSocketToldToRetry(target);
      await sleep(2_000);
      expectUnavailable(await timed(() => graphql(target)));

      await proxy.restore();
      const recoveryMs = await timeToRecovery(target);
      console.info(
        `FLT-PG-RESTART-01: outage answer ${Math.round(during.ms)} ms, recovery ${Math.round(recoveryMs)} ms`,
      );
      expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
      await expectReadyAgain(target);

      await sleep(1_000);
      await load.stop();
      const refusals = expectOnlyAcksOrRetryLater('FLT-PG-RESTART-01', load);
      expect(refusals.length).toBeGreaterThan(0);
      await expectLedgerHolds(target, load);
    }, 60_000);
  });

  describe('FLT-PG-STALL-02 PostgreSQL stops answering for 20 s mid-load', () => {
    const proxied = proxiedTarget();

    it('every request ends by its deadline with 503 + Retry-After, recovers within 5 s, ledger holds', async () => {
      const { proxy, target } = proxied;
      const load = startIngestLoad(target);
      await sleep(1_000);
      proxy.stall();
      const stalledAt = performance.now();

      const [first] = await Promise.all([
        timed(() => graphql(target)),
        expectReadyUnavailableAndLive(target),
      ]);
      expectUnavailable(first);
      // The silent connections are dropped together: later requests do not wait out the silence.
      const next = await timed(() => graphql(target));
      expectUnavailable(next);
      expectUnavailable(await timed(() => ingest(target, [])));
      await expectReadyUnavailableAndLive(target);

      await sleep(Math.max(0, STALL_MS - (performance.now() - stalledAt)));
      await proxy.restore();
      const recoveryMs = await timeToRecovery(target);
      console.info(
        `FLT-PG-STALL-02: first answer ${Math.round(first.ms)} ms, next ${Math.round(next.ms)} ms, recovery ${Math.round(recoveryMs)} ms`,
      );
      expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
      await expectReadyAgain(target);

      await sleep(1_000);
      await load.stop();
      const refusals = expectOnlyAcksOrRetryLater('FLT-PG-STALL-02', load);
      expect(refusals.length).toBeGreaterThan(0);
      await expectLedgerHolds(target, load);
    }, 90_000);
  });
} else {
  describe('FLT-PG-RESTART-01 (PGlite) the embedded database closed', () => {
    let target: Target;
    let openSocket: Awaited<ReturnType<typeof rawSocket>>;
    beforeAll(async () => {
      target = await setup();
      openSocket = await rawSocket(target.baseUrl);
      openSocket.send({
        type: 'connection_init',
        payload: { authorization: `Bearer ${target.viewer.key}` },
      });
      await openSocket.next((message) => message.type === 'connection_ack');
      await target.t.closeDatabase();
    });
    afterAll(() => target.t.close());

    it('GraphQL and its API-key authentication answer 503 SERVICE_UNAVAILABLE + Retry-After', async () => {
      expectUnavailable(await timed(() => graphql(target)));
    });

    it('POST /ingest answers 503 + Retry-After, acknowledging nothing', async () => {
      const publication = encodeId('Publication', target.publicationId);
      expectUnavailable(
        await timed(() => ingest(target, [{ id: 'e1', publication, metric: 'VIEWS', delta: 1 }])),
      );
    });

    it('/ready answers 503 within a second, /health stays 200', async () => {
      await expectReadyUnavailableAndLive(target);
    });

    it('a WebSocket authenticating with an API key closes 1013, not 4403', async () => {
      await expectSocketToldToRetry(target);
    });

    it('an operation on a socket opened before gets a SERVICE_UNAVAILABLE error; the socket stays open', async () => {
      openSocket.send({ id: 'during', type: 'subscribe', payload: { query: '{ me { id } }' } });
      const answer = await openSocket.next((message) => message.id === 'during');
      expect(answer.type).toBe('error');
      expect(answer.payload[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      openSocket.send({ type: 'ping' });
      await openSocket.next((message) => message.type === 'pong');
      openSocket.socket.close();
    });
  });
}
