import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { getIntrospectionQuery, type IntrospectionOptions } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../src/db/schema.js';
import { MAX_SERIES_BUCKETS } from '../../../src/modules/analytics/storage/ranges.js';
import { INTROSPECTION_SCHEMA_COST } from '../../../src/modules/limits/cost-model.js';
import { addDaysTo } from '../../helpers/analytics.js';
import { rawSocket } from '../../helpers/live.js';
import { seedAccounts } from '../../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

// Cost limits on (the default outside tests) and production mode; rate limits off: these cases
// fire many requests.
let t: TestApp;
let baseUrl: string;
let free: TestViewer;
let pro: TestViewer;
let enterprise: TestViewer;

beforeAll(async () => {
  t = await startTestApp({ COST_LIMIT_ENABLED: 'true', NODE_ENV: 'production' });
  baseUrl = (await t.app.start()).url;
  const withOneVideo = { channels: PLATFORMS, videos: [{ title: 'One' }] };
  ({ free, pro, enterprise } = await seedAccounts(t, {
    free: { plan: 'free', ...withOneVideo },
    pro: { plan: 'pro' },
    enterprise: { plan: 'enterprise', ...withOneVideo },
  }));
});
afterAll(() => t.close());

type Response = Awaited<ReturnType<TestApp['graphql']>> & { body: { data?: any } };
const codeOf = (response: Response) => response.body.errors?.[0]?.extensions?.['code'];
const costOf = (response: Response) => response.body.extensions?.['cost']?.requested;

async function statementsDuring(run: () => Promise<unknown>) {
  const before = t.database.stats.statements;
  await run();
  return t.database.stats.statements - before;
}

const today = () => new Date().toISOString().slice(0, 10);
/** The `days` local days ending today (test viewers live in UTC). */
const lastDays = (days: number) => ({ startDate: addDaysTo(today(), 1 - days), endDate: today() });

const ALL_METRICS = [
  'VIEWS',
  'LIKES',
  'SHARES',
  'COMMENTS',
  'SAVES',
  'CLICKS',
  'IMPRESSIONS',
  'REACH',
  'WATCH_SECONDS',
  'ENGAGEMENT_RATE',
  'CTR',
];

const SERIES = `query Series($range: AnalyticsRangeInput, $interval: AnalyticsInterval!, $metrics: [AnalyticsMetric!]!) {
  analytics(range: $range) { series(interval: $interval, metrics: $metrics) { label values { metric value previous change trend } } }
}`;

const series = (
  key: string,
  range: Record<string, unknown>,
  interval: string,
  metrics: string[] = ['VIEWS'],
) => t.graphql(SERIES, { key, variables: { range, interval, metrics } });

const valuesOf = (response: Response) =>
  (response.body.data?.analytics.series as { values: unknown[] }[]).reduce(
    (sum, bucket) => sum + bucket.values.length,
    0,
  );

describe('GQL-COST-02 answers cost what they produce', () => {
  it('a series costs one per value: buckets × metrics', async () => {
    const response = await series(enterprise.key, lastDays(90), 'DAY', ['VIEWS', 'LIKES', 'CTR']);
    expect(response.status).toBe(200);
    expect(valuesOf(response)).toBe(270);
    // analytics 1 + series 1 + 90 buckets × 3 values.
    expect(costOf(response)).toBe(2 + 270);
  });

  it('a year of HOUR over all metrics is refused with 400 before any SQL; a coarser interval runs', async () => {
    const range = lastDays(365);
    let response!: Response;
    const statements = await statementsDuring(async () => {
      response = await series(free.key, range, 'HOUR', ALL_METRICS);
    });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.['field']).toBe('interval');
    expect(statements).toBe(0);

    const monthly = await series(free.key, range, 'MONTH', ALL_METRICS);
    expect(monthly.status).toBe(200);
    expect(costOf(monthly)).toBe(2 + valuesOf(monthly));
  });

  it(`bounds a series to ${MAX_SERIES_BUCKETS} buckets: at the bound 200, one more 400 BAD_USER_INPUT`, async () => {
    expect(MAX_SERIES_BUCKETS).toBe(1_000);
    const at = await series(enterprise.key, lastDays(MAX_SERIES_BUCKETS), 'DAY');
    expect(at.status).toBe(200);
    expect(at.body.data.analytics.series).toHaveLength(MAX_SERIES_BUCKETS);
    const over = await series(enterprise.key, lastDays(MAX_SERIES_BUCKETS + 1), 'DAY');
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('BAD_USER_INPUT');
    // HOUR: 1,000 hours.
    const hours = await series(enterprise.key, lastDays(42), 'HOUR');
    expect(hours.status).toBe(400);
    expect(codeOf(hours)).toBe('BAD_USER_INPUT');
  });

  it('an over-cost series is refused with 400 QUERY_TOO_COMPLEX before any SQL; smaller runs', async () => {
    const limit = t.config.protection.tiers.free.maxCost;
    // 2 + days × 2 values: the largest range within the free limit, and one day more.
    const fits = Math.floor((limit - 2) / 2);
    let over!: Response;
    const statements = await statementsDuring(async () => {
      over = await series(free.key, lastDays(fits + 1), 'DAY', ['VIEWS', 'LIKES']);
    });
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('QUERY_TOO_COMPLEX');
    expect(over.body.errors?.[0]?.extensions?.['cost']).toEqual({
      requested: 2 + (fits + 1) * 2,
      limit,
    });
    // Only the credential lookup, as for any request.
    expect(statements).toBeLessThanOrEqual(1);
    const within = await series(free.key, lastDays(fits), 'DAY', ['VIEWS', 'LIKES']);
    expect(within.status).toBe(200);
  });

  it('aliases and lists multiply: five copies of a series, a series per video of a page', async () => {
    const five = await t.graphql(
      `{ analytics(range: { preset: LAST_90_DAYS }) { ${Array.from(
        { length: 5 },
        (_, i) => `s${i}: series(interval: DAY, metrics: [VIEWS, LIKES]) { values { value } }`,
      ).join(' ')} } }`,
      { key: enterprise.key },
    );
    expect(five.status).toBe(200);
    expect(costOf(five)).toBe(1 + 5 * (1 + 90 * 2));

    const perVideo = await t.graphql(
      '{ videos(first: 50) { edges { node { analytics(range: { preset: LAST_90_DAYS }) { series(interval: DAY) { values { value } } } } } } }',
      { key: enterprise.key },
    );
    // connection 2 + 50 × (node 1 + analytics 1 + series 1 + 90 values).
    expect(costOf(perVideo)).toBe(2 + 50 * (3 + 90));
  });

  it('a fragment used under two ranges is costed under each', async () => {
    const response = await t.graphql(
      `{ a: analytics(range: { preset: LAST_7_DAYS }) { ...S } b: analytics(range: { preset: LAST_365_DAYS }) { ...S } }
       fragment S on Analytics { series(interval: DAY) { values { value } } }`,
      { key: enterprise.key },
    );
    expect(response.status).toBe(200);
    expect(costOf(response)).toBe(2 + 7 + 2 + 365);
  });

  it('a report costs its rows × (metrics + dimensions); rows are the limit or the combinations', async () => {
    const report = (input: Record<string, unknown>, key = enterprise.key) =>
      t.graphql(
        'query($input: AnalyticsReportInput!) { analyticsReport(input: $input) { rows { dimensions { value } metrics { value } } } }',
        { key, variables: { input } },
      );
    // DATE over 28 days × WEEKDAY (7): 196 rows at most, 2 metrics + 2 dimensions each.
    const dated = await report({
      metrics: ['VIEWS', 'LIKES'],
      dimensions: ['DATE', 'WEEKDAY'],
      range: { preset: 'LAST_28_DAYS' },
    });
    expect(dated.status).toBe(200);
    expect(costOf(dated)).toBe(2 + 28 * 7 * 4);
    // TAG has no bound: the limit (default 1,000) decides.
    const tagged = await report({ metrics: ['VIEWS'], dimensions: ['TAG'] }, free.key);
    expect(tagged.status).toBe(400);
    expect(codeOf(tagged)).toBe('QUERY_TOO_COMPLEX');
    const limited = await report({ metrics: ['VIEWS'], dimensions: ['TAG'], limit: 100 }, free.key);
    expect(limited.status).toBe(200);
    expect(costOf(limited)).toBe(2 + 100 * 2);
  });

  it('property: for random ranges, intervals and metrics, cost is at least the values returned and monotone in them; never 5xx', async () => {
    const seen: { values: number; cost: number }[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            interval: fc.constantFrom('DAY', 'WEEK', 'MONTH'),
            days: fc.integer({ min: 1, max: 1_200 }),
          }),
          fc.record({ interval: fc.constant('HOUR'), days: fc.integer({ min: 1, max: 45 }) }),
        ),
        fc.subarray(ALL_METRICS, { minLength: 1 }),
        async ({ interval, days }, metrics) => {
          const response = await series(enterprise.key, lastDays(days), interval, metrics);
          expect(response.status).toBeLessThan(500);
          if (response.status === 200) {
            const values = valuesOf(response);
            const cost = costOf(response) as number;
            expect(cost).toBeGreaterThanOrEqual(values);
            seen.push({ values, cost });
          } else {
            expect(response.status).toBe(400);
            expect(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']).toContain(codeOf(response));
          }
        },
      ),
      { numRuns: 40 },
    );
    seen.sort((a, b) => a.values - b.values || a.cost - b.cost);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.cost).toBeGreaterThanOrEqual(seen[i - 1]!.cost);
    expect(new Set(seen.map((s) => s.values)).size).toBeGreaterThan(5);
  });
});

/** GraphiQL's own introspection query builder, taken from the bundle yoga serves. */
function graphiqlIntrospectionQuery(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@graphql-yoga/render-graphiql/package.json'));
  const bundle = readFileSync(join(root, 'esm/graphiql.js'), 'utf8');
  const js = JSON.parse(bundle.slice(bundle.indexOf('"'), bundle.indexOf('";\n') + 1)) as string;
  const match = /function (\w+)\(n\)\{const e=\{descriptions:!0,specifiedByUrl:!1/.exec(js);
  if (!match) throw new Error('GraphiQL introspection query builder not found');
  const start = match.index;
  const end = js.indexOf('`}function ', start) + 2;
  const build = new Function(`${js.slice(start, end)}; return ${match[1]};`)() as (
    options: object,
  ) => string;
  // What GraphiQL sends (yoga turns both options on).
  return build({ inputValueDeprecation: true, schemaDescription: true });
}

describe('GQL-DEPTH-01 introspection obeys the depth limit, except the ofType chain', () => {
  const variants: [string, IntrospectionOptions][] = [
    ['graphql default', {}],
    [
      'codegen / graphql-tools url-loader',
      {
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      },
    ],
    [
      'every option',
      {
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      },
    ],
  ];

  // __schema(1) types(2) fields(3) args(4) type(5) inputFields(6) type(7) name(8). (graphql's
  // own MaxIntrospectionDepthRule refuses three nested fields/inputFields/interfaces/
  // possibleTypes; these stay under it.)
  const atLimit =
    '{ __schema { types { fields { args { type { inputFields { type { name } } } } } } } }';
  const overLimit =
    '{ __schema { types { fields { args { type { inputFields { type { ofType { name } } } } } } } } }';

  const expectDepthRefusal = (response: Response) => {
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.body.errors?.[0]?.extensions?.['limit']).toBe('depth');
  };

  it.each(variants)(
    'answers the standard introspection query (%s) anonymously, and refuses a document one level over the limit',
    async (_, options) => {
      const response = await t.graphql(getIntrospectionQuery(options), { key: null });
      expect(response.status).toBe(200);
      expect(response.body.data.__schema.queryType.name).toBe('Query');
      expect(costOf(response)).toBe(INTROSPECTION_SCHEMA_COST);
      expectDepthRefusal(await t.graphql(overLimit, { key: null }));
    },
  );

  it("answers GraphiQL's own introspection query anonymously, and refuses one level over", async () => {
    const response = await t.graphql(graphiqlIntrospectionQuery(), { key: null });
    expect(response.status).toBe(200);
    expect(response.body.data.__schema.types.length).toBeGreaterThan(10);
    expectDepthRefusal(await t.graphql(overLimit, { key: null }));
  });

  it('an introspection document at the depth limit: 200; limit+1: 400 QUERY_TOO_COMPLEX, with credentials and through fragments too', async () => {
    expect(t.config.protection.armor.maxDepth).toBe(8);
    expect((await t.graphql(atLimit, { key: null })).status).toBe(200);
    const throughFragments = `{ __schema { types { ...A } } }
      fragment A on __Type { fields { args { ...B } } }
      fragment B on __InputValue { type { inputFields { type { ofType { name } } } } }`;
    for (const [document, key] of [
      [overLimit, null],
      [overLimit, free.key],
      [throughFragments, null],
    ] as const) {
      expectDepthRefusal(await t.graphql(document, { key }));
    }
  });

  it('the ofType exemption is for the chain only: other nesting under ofType counts', async () => {
    const response = await t.graphql(
      '{ __schema { types { fields { type { ofType { inputFields { type { ofType { name } } } } } } } } }',
      { key: free.key },
    );
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('GQL-ALIAS-04 introspection copies', () => {
  const schemas = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `s${i}: __schema { types { name fields { name description } } }`).join(' ')} }`;

  it('anonymous: one schema per request; a second needs credentials (401 UNAUTHENTICATED)', async () => {
    expect((await t.graphql(schemas(1), { key: null })).status).toBe(200);
    const two = await t.graphql(schemas(2), { key: null });
    expect(two.status).toBe(401);
    expect(codeOf(two)).toBe('UNAUTHENTICATED');
    expect(two.headers.get('www-authenticate')).toBeTruthy();
    const fifteen = await t.graphql(schemas(15), { key: null });
    expect(fifteen.status).toBe(401);
    expect(fifteen.body.data ?? null).toBeNull();
  });

  it('with credentials, each schema costs INTROSPECTION_SCHEMA_COST: 15 are over the free limit', async () => {
    const fits = Math.floor(t.config.protection.tiers.free.maxCost / INTROSPECTION_SCHEMA_COST);
    const within = await t.graphql(schemas(fits), { key: free.key });
    expect(within.status).toBe(200);
    expect(costOf(within)).toBe(fits * INTROSPECTION_SCHEMA_COST);
    const fifteen = await t.graphql(schemas(15), { key: free.key });
    expect(fifteen.status).toBe(400);
    expect(codeOf(fifteen)).toBe('QUERY_TOO_COMPLEX');
    expect(fifteen.body.errors?.[0]?.extensions?.['cost']).toMatchObject({
      requested: 15 * INTROSPECTION_SCHEMA_COST,
    });
    const sixteen = await t.graphql(schemas(16), { key: enterprise.key });
    expect(sixteen.status).toBe(400);
    expect(sixteen.body.errors?.[0]?.extensions?.['limit']).toBe('aliases');
  });
});

/** `count` aliased copies of the standard introspection query's `__schema` selection. */
function schemaCopies(count: number): string {
  const standard = getIntrospectionQuery({ descriptions: true });
  const body = standard.slice(standard.indexOf('__schema {') + '__schema'.length);
  const selection = body.slice(0, body.indexOf('fragment FullType'));
  const fragments = body.slice(body.indexOf('fragment FullType'));
  const schema = selection.trim().replace(/\}\s*$/, '');
  return `query { ${Array.from({ length: count }, (_, i) => `s${i}: __schema ${schema}`).join(' ')} } ${fragments}`;
}

describe('response byte cap', () => {
  it('an answer over GRAPHQL_MAX_RESPONSE_BYTES is a 400 QUERY_TOO_COMPLEX (limit responseBytes), never sent', async () => {
    const max = t.config.limits.graphqlMaxResponseBytes;
    expect(max).toBe(2 * 1024 * 1024);
    const one = await t.app.fetch('http://pulse.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pro.key}` },
      body: JSON.stringify({ query: schemaCopies(1) }),
    });
    const size = (await one.text()).length;
    expect(one.status).toBe(200);
    const copies = Math.ceil(max / size) + 1;
    expect(copies * INTROSPECTION_SCHEMA_COST).toBeLessThanOrEqual(
      t.config.protection.tiers.pro.maxCost,
    );
    const response = await t.graphql(schemaCopies(copies), { key: pro.key });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      limit: 'responseBytes',
      max,
    });
    expect(response.body.data ?? null).toBeNull();
    expect(JSON.stringify(response.body).length).toBeLessThan(1_000);
  });
});

describe('WS-PARSE-04 refusals over graphql-ws are error messages without internals', () => {
  it('an over-cost query and an over-bucket series: error messages, socket open; no extensions.http on WS, HTTP or SSE', async () => {
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${free.key}` } });
    await raw.next((m) => m.type === 'connection_ack');

    raw.send({
      id: 'cost',
      type: 'subscribe',
      payload: {
        query: SERIES,
        variables: { range: lastDays(365), interval: 'DAY', metrics: ['VIEWS', 'LIKES'] },
      },
    });
    const cost = await raw.next((m) => m.id === 'cost');
    expect(cost.type).toBe('error');
    expect(cost.payload[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(cost.payload[0].extensions.http).toBeUndefined();

    // The shape the defect was found with: an over-cost connection query.
    raw.send({
      id: 'page',
      type: 'subscribe',
      payload: {
        query: '{ videos(first: 100) { edges { node { publications { channel { handle } } } } } }',
      },
    });
    const page = await raw.next((m) => m.id === 'page');
    expect(page.type).toBe('error');
    expect(page.payload[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(page.payload[0].extensions.http).toBeUndefined();

    raw.send({
      id: 'buckets',
      type: 'subscribe',
      payload: {
        query: SERIES,
        variables: { range: lastDays(365), interval: 'HOUR', metrics: ['VIEWS'] },
      },
    });
    const buckets = await raw.next((m) => m.id === 'buckets');
    expect(buckets.type).toBe('error');
    expect(buckets.payload[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(buckets.payload[0].extensions.http).toBeUndefined();

    raw.send({ id: 'ok', type: 'subscribe', payload: { query: '{ me { id } }' } });
    const ok = await raw.next((m) => m.id === 'ok' && m.type === 'next');
    expect(ok.payload.data.me.id).toBeTruthy();
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    expect(JSON.stringify([cost, page, buckets])).not.toContain('"http"');
    raw.socket.close(1000);

    // HTTP and SSE: yoga turns extensions.http into the status line and strips it.
    const http = await t.graphql(SERIES, {
      key: free.key,
      variables: { range: lastDays(365), interval: 'DAY', metrics: ['VIEWS', 'LIKES'] },
    });
    expect(http.status).toBe(400);
    expect(JSON.stringify(http.body)).not.toContain('"http"');

    // SSE (what graphql-sse and yoga's own SSE clients send): the refusal's status and body.
    const sse = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${free.key}`,
      },
      body: JSON.stringify({
        query: SERIES,
        variables: { range: lastDays(365), interval: 'DAY', metrics: ['VIEWS', 'LIKES'] },
      }),
    });
    const text = await sse.text();
    expect(sse.status).toBeLessThan(500);
    expect(text).toContain('QUERY_TOO_COMPLEX');
    expect(text).not.toContain('"http"');
  });

  it('WS-SLOW-07: an answer over the byte cap over graphql-ws is a small error message, so a socket never buffers more than its threshold plus one capped answer', async () => {
    const raw = await rawSocket(baseUrl);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${pro.key}` } });
    await raw.next((m) => m.type === 'connection_ack');
    // Within the pro cost limit, over 2 MiB.
    raw.send({ id: 'big', type: 'subscribe', payload: { query: schemaCopies(15) } });
    const big = await raw.next((m) => m.id === 'big', 20_000);
    expect(big.type).toBe('error');
    expect(big.payload[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'responseBytes',
    });
    expect(big.payload[0].extensions.http).toBeUndefined();
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close(1000);
  });
});
