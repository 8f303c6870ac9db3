import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/raw.js';
import { PLATFORMS } from '../../src/db/schema.js';
import { seedAccount } from '../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../helpers/test-app.js';

// Bad input is refused as such (a typed 400, or a per-item rejection), never reaching the
// database as something it refuses, and never echoed back.
let t: TestApp;
let viewer: TestViewer;
let publication: string;
const POST_ID = 'bad-input-post';

beforeAll(async () => {
  t = await startTestApp({ NODE_ENV: 'production' });
  const seeded = await seedAccount(t, {
    channels: PLATFORMS,
    videos: [{ platformPostId: POST_ID }],
  });
  viewer = seeded;
  publication = seeded.videos[0]!.publications[0]!.globalId;
});
afterAll(() => t.close());

const ingest = (events: unknown[]) =>
  t.app.fetch('http://pulse.test/ingest', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.key}` },
    body: JSON.stringify(events),
  });

async function storedEvents() {
  const [row] = await queryRows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from metric_events`,
  );
  return Number(row!.n);
}

let seq = 0;
const uid = () => `bad-${++seq}`;

const UNSTORABLE = ['a\u0000b', '\u0000', 'lone \ud800 high', 'lone \udc00 low'];

describe('strings PostgreSQL cannot store, on POST /ingest and recordMetrics', () => {
  it('a NUL or unpaired surrogate in an event id or post id is that item’s INVALID; the rest are stored', async () => {
    for (const bad of UNSTORABLE) {
      const before = await storedEvents();
      const response = await ingest([
        { id: uid(), publication, metric: 'VIEWS', delta: 1 },
        { id: bad, publication, metric: 'VIEWS', delta: 1 },
        { id: uid(), platform: 'YOUTUBE', platformPostId: bad, metric: 'VIEWS', delta: 1 },
        {
          id: uid(),
          platform: 'YOUTUBE',
          platformPostId: `${POST_ID}${bad}`,
          metric: 'VIEWS',
          delta: 1,
        },
      ]);
      expect(response.status, JSON.stringify(bad)).toBe(200);
      const body = await response.json();
      expect(body.accepted).toBe(1);
      expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
        [1, 'INVALID'],
        [2, 'INVALID'],
        [3, 'INVALID'],
      ]);
      expect(await storedEvents()).toBe(before + 1);
    }
  });

  it('recordMetrics: a NUL or an unpaired surrogate anywhere in the variables is a 400 BAD_USER_INPUT; nothing stored', async () => {
    const RECORD = `mutation($events: [MetricEventInput!]!) {
      recordMetrics(input: { events: $events }) { accepted rejected { index code } } }`;
    const before = await storedEvents();
    for (const events of [
      [{ id: 'a\u0000', publication, metric: 'VIEWS', delta: 1 }],
      [
        { id: uid(), publication, metric: 'VIEWS', delta: 1 },
        { id: 'x\ud800', publication, metric: 'VIEWS', delta: 1 },
      ],
      [{ id: uid(), platform: 'YOUTUBE', platformPostId: '\udfff', metric: 'VIEWS', delta: 1 }],
    ]) {
      const response = await t.graphql(RECORD, { variables: { events } });
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await storedEvents()).toBe(before);
  });

  it('a NUL or unpaired surrogate in any GraphQL string input (a video title, by variable or literal) is a 400', async () => {
    const before = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from videos`,
    );
    const byVariable = await t.graphql(
      'mutation($title: String!) { createVideo(input: { title: $title }) { __typename } }',
      { variables: { title: 'a\u0000b' } },
    );
    const byLiteral = await t.graphql(
      'mutation { createVideo(input: { title: "a\\u0000b" }) { __typename } }',
    );
    const inFilter = await t.graphql(
      '{ videos(first: 1, filter: { search: "x\\u0000" }) { totalCount } }',
    );
    const surrogateVariable = await t.graphql(
      'mutation($title: String!) { createVideo(input: { title: $title }) { __typename } }',
      { variables: { title: 'a\ud800b' } },
    );
    for (const response of [byVariable, byLiteral, inFilter, surrogateVariable]) {
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const after = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from videos`,
    );
    expect(after).toEqual(before);
  });
});

const cursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const ID = '00000000-0000-4000-8000-000000000000';

describe('cursors are checked before they reach SQL', () => {
  const cases: [string, string, string][] = [
    // [query's connection, order it belongs to, cursor]
    ['videos', 'PUBLISHED_AT DESC', cursor(['PUBLISHED_AT:desc', 'not a date', ID])],
    ['videos', 'PUBLISHED_AT DESC', cursor(['PUBLISHED_AT:desc', '2026-02-30 00:00:00+00', ID])],
    ['videos', 'CREATED_AT ASC', cursor(['CREATED_AT:asc', '2026-01-01 25:00:00+00', ID])],
    ['videos', 'VIEWS DESC', cursor(['VIEWS:desc', '12abc', ID])],
    ['videos', 'VIEWS DESC', cursor(['VIEWS:desc', '99999999999999999999', ID])],
    ['videos', 'ENGAGEMENT_RATE DESC', cursor(['ENGAGEMENT_RATE:desc', '1e999', ID])],
    ['videos', 'ENGAGEMENT_RATE DESC', cursor(['ENGAGEMENT_RATE:desc', '1e-999', ID])],
    ['videos', 'TITLE ASC', cursor(['TITLE:asc', 'a\u0000b', ID])],
    ['videos', 'TITLE ASC', cursor(['TITLE:asc', 'a', 'not-a-uuid'])],
    ['videos', 'PUBLISHED_AT DESC', cursor(['PUBLISHED_AT:desc', 7, ID])],
    ['notifications', '', cursor(['notifications:created_at:desc', 'yesterday', ID])],
    ['notifications', '', cursor(['notifications:created_at:desc', '-infinity', 'x'])],
  ];

  it.each(cases)('%s (%s) with %s → 400 BAD_USER_INPUT', async (connection, order, value) => {
    const [field, direction] = order.split(' ');
    const orderBy = field ? `, orderBy: { field: ${field}, direction: ${direction} }` : '';
    for (const side of ['after', 'before']) {
      const paging = side === 'after' ? 'first: 2' : 'last: 2';
      const response = await t.graphql(
        `{ ${connection}(${paging}, ${side}: "${value}"${orderBy}) { totalCount } }`,
      );
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('cursors this server made still page, in every ordering (an unpublished video too)', async () => {
    const draft = await t.graphql(
      'mutation { createVideo(input: { title: "Draft" }) { video { id } } }',
    );
    expect(draft.body.data.createVideo.video.id).toBeTruthy();
    for (const field of ['PUBLISHED_AT', 'CREATED_AT', 'TITLE', 'VIEWS', 'ENGAGEMENT_RATE']) {
      for (const direction of ['ASC', 'DESC']) {
        const seen: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 5; page++) {
          const response: any = await t.graphql(
            `query($after: String) { videos(first: 1, after: $after, orderBy: { field: ${field}, direction: ${direction} }) {
              edges { node { id } } pageInfo { endCursor hasNextPage } } }`,
            { variables: { after } },
          );
          expect(response.status, `${field} ${JSON.stringify(response.body)}`).toBe(200);
          seen.push(...response.body.data.videos.edges.map((edge: any) => edge.node.id));
          if (!response.body.data.videos.pageInfo.hasNextPage) break;
          after = response.body.data.videos.pageInfo.endCursor;
        }
        expect(new Set(seen).size, `${field} ${direction}`).toBe(2);
      }
    }
  });
});

describe('invalid JSON to /graphql', () => {
  it('is a 400 with a code, no originalError, and does not echo the body', async () => {
    const marker = 'ECHO_MARKER_7f3a';
    const bodies = [`{"query": "{ me { id } }", ${marker}`, `${marker} nope`, '{'];
    const accepts = ['application/graphql-response+json', 'application/json'];
    for (const [body, accept] of bodies.flatMap((b) => accepts.map((a) => [b, a] as const))) {
      const response = await t.app.fetch('http://pulse.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept,
          authorization: `Bearer ${viewer.key}`,
        },
        body,
      });
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(JSON.parse(text).errors[0].extensions.code).toBeTruthy();
      expect(text).not.toContain('originalError');
      expect(text).not.toContain(marker);
      expect(text).not.toContain('SyntaxError');
    }
  });
});
