import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricEventTable, publicationCounterTable } from '../../../src/db/schema.js';
import { encodeId } from '../../helpers/fixtures.js';
import { seedAccount } from '../../helpers/seed.js';
import { ledgerMismatches } from '../../helpers/ledger.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const WORKERS = 64;
const INCREMENTS = 10_000;
const PER_REQUEST = 1_000;

async function views(t: TestApp, publicationId: string) {
  const [row] = await t.database.db
    .select()
    .from(publicationCounterTable)
    .where(eq(publicationCounterTable.publicationId, publicationId));
  return row?.views ?? 0;
}

async function setup(env: Record<string, string> = {}) {
  const t = await startTestApp(env);
  const viewer = await seedAccount(t, { channels: ['youtube'], videos: [{}] });
  return { t, viewer, publicationId: viewer.videos[0]!.publications[0]!.id };
}

const post = (t: TestApp | string, viewer: TestViewer, events: object[], signal?: AbortSignal) => {
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.key}` },
    body: JSON.stringify(events),
    ...(signal ? { signal } : {}),
  };
  return typeof t === 'string'
    ? fetch(`${t}/ingest`, init)
    : t.app.fetch('http://pulse.test/ingest', init);
};

describe('ING-CONC-02 one hot video under concurrency', () => {
  let t: TestApp;
  let viewer: TestViewer;
  let publicationId: string;
  beforeAll(async () => ({ t, viewer, publicationId } = await setup()));
  afterAll(() => t.close());

  it(`${WORKERS} workers × ${INCREMENTS} increments, with retried duplicates, give the exact count`, async () => {
    const publication = encodeId('Publication', publicationId);
    const worker = async (w: number) => {
      for (let start = 0; start < INCREMENTS; start += PER_REQUEST) {
        const events = Array.from({ length: PER_REQUEST }, (_, i) => ({
          id: `w${w}-${start + i}`,
          publication,
          metric: 'VIEWS',
          delta: 1,
        }));
        const first = await post(t, viewer, events);
        expect(first.status).toBe(200);
        // Every worker also retries its first request, as a client does after a lost answer.
        if (start === 0)
          expect(await (await post(t, viewer, events)).json()).toMatchObject({
            accepted: 0,
            duplicates: PER_REQUEST,
          });
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    expect(await views(t, publicationId)).toBe(WORKERS * INCREMENTS);
    expect(await ledgerMismatches(t.database.db)).toEqual([]);
  }, 180_000);
});

describe('ING-NEG-03 negative control: the checker sees a lost update', () => {
  let t: TestApp;
  let publicationId: string;
  let ownerId: string;
  beforeAll(async () => {
    const s = await setup();
    ({ t, publicationId } = s);
    ownerId = s.viewer.userId;
  });
  afterAll(() => t.close());

  /** Deliberately wrong, test-only: reads the counter, adds in JavaScript, writes it back. */
  async function naiveIncrement(worker: number, n: number) {
    const db = t.database.db;
    for (let i = 0; i < n; i++) {
      const current = await views(t, publicationId);
      await db.insert(metricEventTable).values({
        ownerId,
        eventId: `naive-${worker}-${i}`,
        publicationId,
        metric: 'views',
        delta: 1,
        occurredAt: new Date(),
      });
      await db
        .update(publicationCounterTable)
        .set({ views: current + 1 })
        .where(eq(publicationCounterTable.publicationId, publicationId));
    }
  }

  it('a read-modify-write writer fails the ledger check', async () => {
    await t.database.db
      .insert(publicationCounterTable)
      .values({ publicationId })
      .onConflictDoNothing();
    await Promise.all(Array.from({ length: 16 }, (_, w) => naiveIncrement(w, 25)));
    expect(await views(t, publicationId)).toBeLessThan(16 * 25);
    const mismatches = await ledgerMismatches(t.database.db);
    expect(mismatches.some((line) => line.startsWith('publication_counters'))).toBe(true);
  });
});

describe('ING-RESP-LOST-04 the answer is lost after commit', () => {
  let t: TestApp;
  let viewer: TestViewer;
  let publicationId: string;
  let baseUrl: string;
  beforeAll(async () => {
    ({ t, viewer, publicationId } = await setup());
    baseUrl = (await t.app.start()).url;
  });
  afterAll(() => t.close());

  it('a client that retries the same ids after a dropped response is counted once', async () => {
    const publication = encodeId('Publication', publicationId);
    const events = Array.from({ length: 500 }, (_, i) => ({
      id: `lost-${i}`,
      publication,
      metric: 'VIEWS',
      delta: 2,
    }));
    const controller = new AbortController();
    const dropped = post(baseUrl, viewer, events, controller.signal);
    setTimeout(() => controller.abort(), 5);
    await dropped.then(
      () => undefined,
      () => undefined,
    );
    // Retry until acknowledged, as a real client would.
    let answer: { accepted: number; duplicates: number } | undefined;
    for (let attempt = 0; attempt < 20 && !answer; attempt++) {
      const response = await post(baseUrl, viewer, events);
      if (response.status === 200) answer = await response.json();
    }
    expect(answer!.accepted + answer!.duplicates).toBe(500);
    expect(await views(t, publicationId)).toBe(1000);
    expect(await ledgerMismatches(t.database.db)).toEqual([]);
  });
});

describe('backpressure', () => {
  let t: TestApp;
  let viewer: TestViewer;
  let publicationId: string;
  beforeAll(
    async () =>
      ({ t, viewer, publicationId } = await setup({
        INGEST_MAX_QUEUED_EVENTS: '10',
        // Long enough that the first request's events are still queued when the second comes.
        INGEST_FLUSH_INTERVAL_MS: '3000',
      })),
  );
  afterAll(() => t.close());

  it('a full queue answers 503 with Retry-After and stores nothing of the refused request', async () => {
    const publication = encodeId('Publication', publicationId);
    const batch = (prefix: string) =>
      Array.from({ length: 10 }, (_, i) => ({
        id: `${prefix}-${i}`,
        publication,
        metric: 'VIEWS',
        delta: 1,
      }));
    const first = post(t, viewer, batch('a'));
    // Only once the first request's events wait in the queue does the second find it full.
    while (t.app.services.ingest.queued < 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const refused = await post(t, viewer, batch('b'));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect((await first).status).toBe(200);
    expect(await views(t, publicationId)).toBe(10);
    expect((await post(t, viewer, batch('b'))).status).toBe(200);
    expect(await views(t, publicationId)).toBe(20);
    expect(await ledgerMismatches(t.database.db)).toEqual([]);
  });
});
