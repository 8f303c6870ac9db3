import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../src/db/raw.js';
import {
  PLATFORMS,
  metricEventTable,
  publicationCounterTable,
  videoCounterTable,
} from '../../../src/db/schema.js';
import { createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { ledgerMismatches } from '../../helpers/ledger.js';
import { seedAccounts, type SeededVideo } from '../../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let alice: TestViewer;
let bob: TestViewer;
let video: string; // Alice's, on YouTube only
let multiVideo: string; // Alice's, on YouTube and TikTok
let publication: string;
let publicationId: string;
let bobPublication: string;
let bobVideo: string; // Bob's, on YouTube only
let bobMultiVideo: string; // Bob's, on YouTube and TikTok
const BOB_POST_ID = 'bob-post-1';

const RECORD = /* GraphQL */ `
  mutation Record($events: [MetricEventInput!]!) {
    recordMetrics(input: { events: $events }) {
      accepted
      duplicates
      rejected {
        index
        id
        code
        message
      }
    }
  }
`;

const record = (events: Record<string, unknown>[], key = alice.key) =>
  t.graphql(RECORD, { variables: { events }, key });

const ingest = (body: string, type = 'application/json', key: string | null = alice.key) =>
  t.app.fetch('http://pulse.test/ingest', {
    method: 'POST',
    headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
  });

let seq = 0;
const uid = (prefix = 'e') => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function counter(id = publicationId) {
  const [row] = await t.database.db
    .select()
    .from(publicationCounterTable)
    .where(eq(publicationCounterTable.publicationId, id));
  return row;
}

async function eventCount() {
  const [row] = await queryRows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from metric_events`,
  );
  return Number(row!.n);
}

beforeAll(async () => {
  // 1,000 events do not fit the default 64 KiB GraphQL body; deployments raise it the same way.
  t = await startTestApp({ GRAPHQL_MAX_BODY_BYTES: String(1024 * 1024) });
  const onYouTube = { counters: { youtube: {} } };
  const onYouTubeAndTikTok = { counters: { youtube: {}, tiktok: {} } };
  const accounts = await seedAccounts(t, {
    alice: { channels: PLATFORMS, videos: [onYouTube, onYouTubeAndTikTok] },
    bob: {
      channels: PLATFORMS,
      videos: [{ ...onYouTube, platformPostId: BOB_POST_ID }, onYouTubeAndTikTok],
    },
  });
  ({ alice, bob } = accounts);
  const [single, multi] = accounts.alice.videos as [SeededVideo, SeededVideo];
  video = single.globalId;
  publicationId = single.publications[0]!.id;
  publication = single.publications[0]!.globalId;
  multiVideo = multi.globalId;
  const [bobs, bobsMulti] = accounts.bob.videos as [SeededVideo, SeededVideo];
  bobPublication = bobs.publications[0]!.globalId;
  bobVideo = bobs.globalId;
  bobMultiVideo = bobsMulti.globalId;
});
afterAll(async () => {
  expect(await ledgerMismatches(t.database.db)).toEqual([]);
  await t.close();
});

describe('recordMetrics', () => {
  it('stores increments, addressed three ways, and answers after commit', async () => {
    const before = (await counter())!.views;
    const [row] = await t.database.db
      .select()
      .from(publicationCounterTable)
      .where(eq(publicationCounterTable.publicationId, publicationId));
    expect(row).toBeTruthy();
    const postId = 'yt-post-1';
    await t.database.db.execute(
      sql`update publications set platform_post_id = ${postId} where id = ${publicationId}`,
    );
    const events = [
      { id: uid(), publication, metric: 'VIEWS', delta: 5 },
      { id: uid(), video, metric: 'VIEWS', delta: 7 },
      { id: uid(), video, metric: 'LIKES', delta: 2 },
      { id: uid(), platform: 'YOUTUBE', platformPostId: postId, metric: 'VIEWS', delta: 1 },
    ];
    const response = await record(events);
    expect(response.body.data.recordMetrics).toEqual({
      accepted: events.length,
      duplicates: 0,
      rejected: [],
    });
    const after = (await counter())!;
    expect(after.views - before).toBe(13);
    expect(await ledgerMismatches(t.database.db)).toEqual([]);
  });

  it('ING-DEDUP-01: the same id twice, sequentially and 50× concurrently, is stored and counted once', async () => {
    const before = (await counter())!.views;
    const id = uid('dup');
    const first = await record([{ id, publication, metric: 'VIEWS', delta: 3 }]);
    const second = await record([{ id, publication, metric: 'VIEWS', delta: 3 }]);
    expect(first.body.data.recordMetrics).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(second.body.data.recordMetrics).toMatchObject({ accepted: 0, duplicates: 1 });

    const racing = uid('race');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        record([{ id: racing, publication, metric: 'VIEWS', delta: 10 }]),
      ),
    );
    const accepted = answers.reduce((sum, a) => sum + a.body.data.recordMetrics.accepted, 0);
    const duplicates = answers.reduce((sum, a) => sum + a.body.data.recordMetrics.duplicates, 0);
    expect([accepted, duplicates]).toEqual([1, 49]);
    expect((await counter())!.views - before).toBe(13);
    const stored = await t.database.db
      .select()
      .from(metricEventTable)
      .where(eq(metricEventTable.eventId, racing));
    expect(stored).toHaveLength(1);
  });

  it('ING-BATCH-05: one invalid item is reported; the valid ones are stored together', async () => {
    const events = [
      { id: uid(), publication, metric: 'VIEWS', delta: 1 },
      { id: uid(), publication, metric: 'VIEWS', delta: 1, total: 5 },
      { id: uid(), publication, metric: 'LIKES', delta: 1 },
    ];
    const before = await eventCount();
    const response = await record(events);
    expect(response.body.data.recordMetrics.accepted).toBe(2);
    expect(response.body.data.recordMetrics.rejected).toEqual([
      {
        index: 1,
        id: events[1]!.id,
        code: 'INVALID',
        message: expect.stringContaining('exactly one'),
      },
    ]);
    expect((await eventCount()) - before).toBe(2);
  });

  it('ING-VALIDATE-06: bad items are refused with reasons and nothing of them is stored', async () => {
    const before = await eventCount();
    const now = Date.now();
    const ghost = encodeId('Video', '00000000-0000-4000-8000-000000000000');
    const response = await record([
      { id: uid(), video: ghost, metric: 'VIEWS', delta: 1 },
      { id: uid(), publication, metric: 'VIEWS', delta: 2_000_000_000_000 },
      {
        id: uid(),
        publication,
        metric: 'VIEWS',
        delta: 1,
        occurredAt: new Date(now + 3_600_000).toISOString(),
      },
      {
        id: uid(),
        publication,
        metric: 'VIEWS',
        delta: 1,
        occurredAt: new Date(now - 40 * 86_400_000).toISOString(),
      },
      { id: uid(), multiVideo: undefined, video: multiVideo, metric: 'VIEWS', delta: 1 },
      { id: '', publication, metric: 'VIEWS', delta: 1 },
      { id: uid(), metric: 'VIEWS', delta: 1 },
    ]);
    const { accepted, rejected } = response.body.data.recordMetrics;
    expect(accepted).toBe(0);
    expect(rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [0, 'NOT_FOUND'],
      [1, 'INVALID'],
      [2, 'INVALID'],
      [3, 'INVALID'],
      [4, 'AMBIGUOUS'],
      [5, 'INVALID'],
      [6, 'INVALID'],
    ]);
    expect(await eventCount()).toBe(before);
  });

  it('NOT_FOUND and AMBIGUOUS for the owner’s own video name the platforms it is published on', async () => {
    const response = await record([
      { id: uid(), video, platform: 'INSTAGRAM', metric: 'VIEWS', delta: 1 },
      { id: uid(), video: multiVideo, metric: 'VIEWS', delta: 1 },
    ]);
    const [missing, ambiguous] = response.body.data.recordMetrics.rejected;
    expect(missing).toMatchObject({ index: 0, code: 'NOT_FOUND' });
    expect(missing.message).toContain('YOUTUBE');
    expect(missing.message).not.toContain('no such publication');
    expect(ambiguous).toMatchObject({ index: 1, code: 'AMBIGUOUS' });
    expect(ambiguous.message).toContain('TIKTOK, YOUTUBE');
    // Another account's video in the same form says nothing of its platforms.
    const foreign = await record([
      { id: uid(), video: bobVideo, platform: 'INSTAGRAM', metric: 'VIEWS', delta: 1 },
    ]);
    expect(foreign.body.data.recordMetrics.rejected[0].message).toBe('no such publication');
  });

  it('ING-VALIDATE-06: negative or non-integer amounts and oversized batches are 400 BAD_USER_INPUT', async () => {
    const before = await eventCount();
    const negative = await record([{ id: uid(), publication, metric: 'VIEWS', delta: -1 }]);
    expect(negative.body.data.recordMetrics.rejected[0].code).toBe('INVALID');
    const huge = await record([{ id: uid(), publication, metric: 'VIEWS', delta: 2 ** 53 + 1 }]);
    expect(huge.status).toBe(400);
    const tooMany = await record(
      Array.from({ length: 1001 }, () => ({ id: uid(), publication, metric: 'VIEWS', delta: 1 })),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await eventCount()).toBe(before);
  });

  it('ING-SNAPSHOT-08: snapshots out of order and repeated leave the counter at the latest total', async () => {
    const target = { video: multiVideo, platform: 'TIKTOK' };
    const totals = [100, 300, 200, 300, 250, 300];
    for (const total of totals) {
      const response = await record([{ id: uid('snap'), ...target, metric: 'SAVES', total }]);
      expect(response.body.data.recordMetrics.accepted).toBe(1);
    }
    const rows = await queryRows<{ delta: number }>(
      t.database.db,
      sql`select delta from metric_events where event_id like 'snap-%' order by received_at`,
    );
    expect(rows.map((r) => Number(r.delta))).toEqual([100, 200, 0, 0, 0, 0]);
    const saves = await queryRows<{ saves: number }>(
      t.database.db,
      sql`select c.saves from publication_counters c join publications p on p.id = c.publication_id where p.platform = 'tiktok' and p.owner_id = ${alice.userId}`,
    );
    expect(Number(saves[0]!.saves)).toBe(300);
    // Increments and a snapshot in one call: the snapshot only raises the counter to its total.
    const mixed = await record([
      { id: uid('snap'), ...target, metric: 'SAVES', delta: 50 },
      { id: uid('snap'), ...target, metric: 'SAVES', total: 320 },
    ]);
    expect(mixed.body.data.recordMetrics.accepted).toBe(2);
    const after = await queryRows<{ saves: number }>(
      t.database.db,
      sql`select c.saves from publication_counters c join publications p on p.id = c.publication_id where p.platform = 'tiktok' and p.owner_id = ${alice.userId}`,
    );
    expect(Number(after[0]!.saves)).toBe(350);
    expect(await ledgerMismatches(t.database.db)).toEqual([]);
  });

  it('publishes the video’s new totals after commit, for the live fan-out', async () => {
    const videoId = Buffer.from(video, 'base64').toString().split(':')[1]!;
    const events = t.app.services.pubsub
      .subscribe('video:metrics', videoId)
      [Symbol.asyncIterator]();
    const next = events.next();
    await record([{ id: uid(), video, metric: 'VIEWS', delta: 4 }]);
    const { value } = await next;
    const [stored] = await t.database.db
      .select()
      .from(videoCounterTable)
      .where(eq(videoCounterTable.videoId, videoId));
    expect(value).toMatchObject({
      videoId,
      ownerId: alice.userId,
      deltas: { views: 4 },
      totals: { views: stored!.views },
    });
    await events.return?.();
  });

  it('writes hourly and daily rollups per publication and per owner × platform', async () => {
    const at = '2026-11-20T10:15:00.000Z';
    const recent = new Date(Date.now() - 86_400_000);
    recent.setUTCMinutes(15, 0, 0);
    await record([
      { id: uid(), publication, metric: 'CLICKS', delta: 6, occurredAt: recent.toISOString() },
      { id: uid(), publication, metric: 'CLICKS', delta: 4, occurredAt: recent.toISOString() },
    ]);
    const hour = new Date(recent);
    hour.setUTCMinutes(0);
    const rows = await queryRows<{ clicks: number }>(
      t.database.db,
      sql`select clicks from publication_hourly_rollups where publication_id = ${publicationId} and hour = ${hour.toISOString()}::timestamptz`,
    );
    expect(Number(rows[0]!.clicks)).toBe(10);
    const owner = await queryRows<{ clicks: number }>(
      t.database.db,
      sql`select clicks from owner_daily_rollups where owner_id = ${alice.userId} and platform = 'youtube' and day = ${hour.toISOString().slice(0, 10)}::date`,
    );
    expect(Number(owner[0]!.clicks)).toBeGreaterThanOrEqual(10);
    expect(at).toBeTruthy();
  });
});

describe('POST /ingest', () => {
  it('accepts a JSON array and NDJSON with the same semantics', async () => {
    const ids = [uid(), uid()];
    const json = await ingest(
      JSON.stringify([
        { id: ids[0], publication, metric: 'VIEWS', delta: 2 },
        { id: ids[1], publication, metric: 'views', delta: 3 },
      ]),
    );
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const ndjson = await ingest(
      [
        `{"id":"${ids[0]}","publication":"${publication}","metric":"VIEWS","delta":2}`,
        '{not json',
        `{"id":"${uid()}","video":"${video}","metric":"WATCH_SECONDS","delta":30}`,
      ].join('\n'),
      'application/x-ndjson',
    );
    expect(ndjson.status).toBe(200);
    const answer = await ndjson.json();
    expect(answer).toMatchObject({
      accepted: 1,
      duplicates: 1,
      rejected: [{ index: 1, code: 'INVALID' }],
    });
  });

  it('answers 401 without a key, 403 without write:metrics, 415 for other types, 400 for a non-array', async () => {
    expect((await ingest('[]', 'application/json', null)).status).toBe(401);
    const reader = await t.createViewer({ scopes: ['read:videos'] });
    expect((await ingest('[]', 'application/json', reader.key)).status).toBe(403);
    expect((await ingest('[]', 'text/plain')).status).toBe(415);
    expect((await ingest('{"id":"x"}')).status).toBe(400);
  });

  it('ING-VALIDATE-06: more than 10,000 events or a body over the limit is 413, nothing stored', async () => {
    const before = await eventCount();
    const many = JSON.stringify(
      Array.from({ length: 10_001 }, (_, i) => ({
        id: `big-${i}`,
        publication,
        metric: 'VIEWS',
        delta: 1,
      })),
    );
    expect((await ingest(many)).status).toBe(413);
    const fat = JSON.stringify([
      {
        id: uid(),
        publication,
        metric: 'VIEWS',
        delta: 1,
        pad: 'x'.repeat(t.config.ingest.maxBodyBytes),
      },
    ]);
    expect((await ingest(fat)).status).toBe(413);
    expect(await eventCount()).toBe(before);
  });
});

// RELIABILITY.md's first cut said 403 for another account's video; the README's rule wins
// (issue 12): a 403 told the caller the content exists, so it is NOT_FOUND like nothing at all.
describe('ING-AUTHZ-07 another account’s content answers as if it did not exist', () => {
  const missing = (type: string) => encodeId(type, '00000000-0000-4000-8000-000000000000');
  // Each addressing form: naming Bob's content, and naming nothing, the same way.
  const forms = (): [string, Record<string, unknown>, Record<string, unknown>][] => [
    ['publication', { publication: bobPublication }, { publication: missing('Publication') }],
    ['video on one platform', { video: bobVideo }, { video: missing('Video') }],
    // Bob's video is on two platforms: "ambiguous" would tell it exists.
    ['video on several platforms', { video: bobMultiVideo }, { video: missing('Video') }],
    [
      'video + platform',
      { video: bobMultiVideo, platform: 'TIKTOK' },
      { video: missing('Video'), platform: 'TIKTOK' },
    ],
    [
      'platform + post id',
      { platform: 'YOUTUBE', platformPostId: BOB_POST_ID },
      { platform: 'YOUTUBE', platformPostId: 'no-such-post' },
    ],
  ];

  async function bobsEvents() {
    const [row] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from metric_events where owner_id = ${bob.userId}`,
    );
    return Number(row!.n);
  }

  it('recordMetrics: identical item results and status; the other events are stored', async () => {
    for (const [name, foreign, nonexistent] of forms()) {
      const rejectedId = uid('probe');
      const answers = [];
      for (const target of [foreign, nonexistent]) {
        const before = await eventCount();
        const response = await record([
          { id: uid(), publication, metric: 'VIEWS', delta: 1 },
          { id: rejectedId, ...target, metric: 'VIEWS', delta: 1 },
        ]);
        expect(response.body.errors, name).toBeUndefined();
        expect(await eventCount(), name).toBe(before + 1);
        answers.push({ status: response.status, data: JSON.stringify(response.body.data) });
      }
      expect(answers[0], name).toEqual(answers[1]);
      expect(JSON.parse(answers[0]!.data).recordMetrics.rejected, name).toEqual([
        expect.objectContaining({ index: 1, id: rejectedId, code: 'NOT_FOUND' }),
      ]);
    }
    expect(await bobsEvents()).toBe(0);
  });

  it('POST /ingest: byte-identical bodies and the same status', async () => {
    for (const [name, foreign, nonexistent] of forms()) {
      const rejectedId = uid('probe');
      const answers = [];
      for (const target of [foreign, nonexistent]) {
        const before = await eventCount();
        const response = await ingest(
          JSON.stringify([
            { id: uid(), publication, metric: 'VIEWS', delta: 1 },
            { id: rejectedId, ...target, metric: 'VIEWS', delta: 1 },
          ]),
        );
        expect(await eventCount(), name).toBe(before + 1);
        answers.push({ status: response.status, body: await response.text() });
      }
      expect(answers[0], name).toEqual(answers[1]);
      expect(answers[0]!.status, name).toBe(200);
      expect(JSON.parse(answers[0]!.body).rejected, name).toEqual([
        expect.objectContaining({ index: 1, id: rejectedId, code: 'NOT_FOUND' }),
      ]);
    }
    expect(await bobsEvents()).toBe(0);
  });

  it('a post id is unique per account: the same id on another account neither blocks nor receives', async () => {
    const mine = await createPublishedVideo(t.database.db, alice.userId, {
      counters: { instagram: {} },
    });
    const theirs = await createPublishedVideo(t.database.db, bob.userId, {
      counters: { instagram: {} },
    });
    for (const { publications } of [mine, theirs]) {
      await t.database.db.execute(
        sql`update publications set platform_post_id = 'shared-post' where id = ${publications[0]!.id}`,
      );
    }
    const response = await record([
      {
        id: uid(),
        platform: 'INSTAGRAM',
        platformPostId: 'shared-post',
        metric: 'VIEWS',
        delta: 3,
      },
    ]);
    expect(response.body.data.recordMetrics).toMatchObject({ accepted: 1, rejected: [] });
    expect((await counter(mine.publications[0]!.id))!.views).toBe(3);
    expect((await counter(theirs.publications[0]!.id))!.views).toBe(0);
  });

  it('Bob’s own key still reaches his content (the lookup is per owner, not broken)', async () => {
    const response = await record(
      [
        { id: uid(), video: bobMultiVideo, metric: 'VIEWS', delta: 1 },
        { id: uid(), platform: 'YOUTUBE', platformPostId: BOB_POST_ID, metric: 'VIEWS', delta: 1 },
      ],
      bob.key,
    );
    expect(response.body.data.recordMetrics).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, code: 'AMBIGUOUS' }],
    });
  });
});
