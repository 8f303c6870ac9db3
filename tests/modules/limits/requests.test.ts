import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../src/db/schema.js';
import { CONNECTION_COST } from '../../../src/modules/limits/cost-model.js';
import { encodeId } from '../../helpers/fixtures.js';
import { seedAccounts } from '../../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

// Cost limits on (the default outside tests), rate limits off: these cases fire many requests.
let t: TestApp;
let free: TestViewer;
let enterprise: TestViewer;

beforeAll(async () => {
  t = await startTestApp({ COST_LIMIT_ENABLED: 'true', NODE_ENV: 'production' });
  ({ free, enterprise } = await seedAccounts(t, {
    free: {
      plan: 'free',
      channels: PLATFORMS,
      videos: [0, 1, 2].map((i) => ({
        title: `Video ${i}`,
        counters: { youtube: { views: i }, tiktok: { views: 2 * i } },
      })),
    },
    enterprise: { plan: 'enterprise' },
  }));
});
afterAll(() => t.close());

const codeOf = (response: { body: { errors?: { extensions?: Record<string, any> }[] } }) =>
  response.body.errors?.[0]?.extensions?.['code'];

/** Statements the database ran during `run`. */
async function statementsDuring(run: () => Promise<unknown>) {
  const before = t.database.stats.statements;
  await run();
  return t.database.stats.statements - before;
}

describe('GQL-DEPTH-01 depth limit', () => {
  // me(1) videos(2) edges(3) node(4) publications(5) channel(6) owner(7) id(8)
  const atLimit =
    '{ me { videos(first: 1) { edges { node { publications { channel { owner { id } } } } } } } }';
  const overLimit =
    '{ me { videos(first: 1) { edges { node { publications { channel { owner { videos(first: 1) { totalCount } } } } } } } } }';

  it('answers a query at the depth limit', async () => {
    expect(t.config.protection.armor.maxDepth).toBe(8);
    const response = await t.graphql(atLimit, { key: free.key });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.me.videos.edges).toHaveLength(1);
  });

  it('refuses limit+1 with 400 QUERY_TOO_COMPLEX before authentication or any resolver', async () => {
    let response!: Awaited<ReturnType<TestApp['graphql']>>;
    const statements = await statementsDuring(async () => {
      response = await t.graphql(overLimit, { key: free.key });
    });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.body.errors?.[0]?.extensions?.['limit']).toBe('depth');
    expect(response.body.data ?? null).toBeNull();
    expect(statements).toBe(0);
  });

  it('counts depth through fragments too', async () => {
    const response = await t.graphql(
      `query { me { ...Deep } }
       fragment Deep on User { videos(first: 1) { edges { node { publications { channel { owner { videos(first: 1) { totalCount } } } } } } } }`,
      { key: free.key },
    );
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('GQL-COST-02 query cost', () => {
  // Per video: node 1 + publications (1 + 4 × channel 1) = 6; the connection itself costs 2.
  const SHAPE =
    'query Shape($n: Int!) { videos(first: $n) { edges { node { publications { channel { handle } } } } } }';
  const costOf = (n: number) => CONNECTION_COST + 6 * n;
  const freeLimit = () => t.config.protection.tiers.free.maxCost;

  it('reports the cost, the limit and what is left in extensions.cost of every response', async () => {
    const response = await t.graphql(SHAPE, { key: free.key, variables: { n: 3 } });
    expect(response.status).toBe(200);
    expect(response.body.extensions?.['cost']).toMatchObject({
      requested: costOf(3),
      limit: freeLimit(),
      tier: 'free',
    });
    const me = await t.graphql('{ me { email } }', { key: enterprise.key });
    expect(me.body.extensions?.['cost']).toMatchObject({ requested: 1, limit: 10_000 });
  });

  it('refuses an over-cost query with 400 before any resolver SQL; the same shape smaller runs', async () => {
    const n = Math.floor((freeLimit() - CONNECTION_COST) / 6) + 1;
    expect(costOf(n)).toBeGreaterThan(freeLimit());
    // Fresh lastUsedAt, so authentication is the only statement a resolver-free request runs.
    await t.graphql('{ __typename }', { key: free.key });
    const authOnly = await statementsDuring(() => t.graphql('{ __typename }', { key: free.key }));
    let over!: Awaited<ReturnType<TestApp['graphql']>>;
    const overStatements = await statementsDuring(async () => {
      over = await t.graphql(SHAPE, { key: free.key, variables: { n } });
    });
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('QUERY_TOO_COMPLEX');
    expect(over.body.errors?.[0]?.extensions?.['cost']).toEqual({
      requested: costOf(n),
      limit: freeLimit(),
    });
    expect(over.body.data ?? null).toBeNull();
    // Only the credential lookup ran: the tier is the credential's.
    expect(overStatements).toBe(authOnly);

    const smaller = await t.graphql(SHAPE, { key: free.key, variables: { n: n - 1 } });
    expect(smaller.status).toBe(200);
    expect(smaller.body.data.videos.edges).toHaveLength(3);

    // The same query is fine for a higher tier.
    const pro = await t.graphql(SHAPE, { key: enterprise.key, variables: { n } });
    expect(pro.status).toBe(200);
  });

  it('refuses what no tier allows before authentication: the statement counter does not move', async () => {
    const everything = Array.from(
      { length: 10 },
      (_, i) =>
        `v${i}: videos(first: 100) { edges { node { publications { channel { owner { channels { handle } } } } } } }`,
    ).join(' ');
    let response!: Awaited<ReturnType<TestApp['graphql']>>;
    const statements = await statementsDuring(async () => {
      response = await t.graphql(`{ ${everything} }`, { key: enterprise.key });
    });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
    expect(statements).toBe(0);
  });

  it('property: for any first, accepted iff its cost is within the tier limit; never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -10, max: 400 }), async (n) => {
        const response = await t.graphql(SHAPE, { key: free.key, variables: { n } });
        expect(response.status).toBeLessThan(500);
        if (n < 1 || n > t.config.limits.maxPageSize) {
          expect(response.status).toBe(400);
          expect(codeOf(response)).toBe('BAD_USER_INPUT');
        } else if (costOf(n) <= freeLimit()) {
          expect(response.status).toBe(200);
          expect(response.body.extensions?.['cost'].requested).toBe(costOf(n));
        } else {
          expect(response.status).toBe(400);
          expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('measures `last`, the default page size, nodes(ids) and aliases', async () => {
    const cost = async (query: string) =>
      (await t.graphql(query, { key: enterprise.key })).body.extensions?.['cost'].requested;
    expect(await cost('{ videos(last: 10) { edges { node { id } } } }')).toBe(CONNECTION_COST + 10);
    expect(await cost('{ videos { totalCount edges { node { id } } } }')).toBe(
      CONNECTION_COST + t.config.limits.defaultPageSize,
    );
    expect(await cost('{ a: me { id } b: me { id } }')).toBe(2);
    const ids = [randomUUID(), randomUUID(), randomUUID()].map((id) => encodeId('Video', id));
    expect(await cost(`{ nodes(ids: ${JSON.stringify(ids)}) { id } }`)).toBe(3);
  });
});

describe('GQL-FIRST-03 page size with cost limits on', () => {
  it.each([0, -1, 101, 2 ** 31])(
    'refuses first=%s with 400 BAD_USER_INPUT before any SQL',
    async (first) => {
      let response!: Awaited<ReturnType<TestApp['graphql']>>;
      const statements = await statementsDuring(async () => {
        response = await t.graphql('query($n: Int) { videos(first: $n) { totalCount } }', {
          key: free.key,
          variables: { n: first },
        });
      });
      expect(response.status).toBe(400);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(statements).toBe(0);
    },
  );

  it('refuses a missing required variable with 400 BAD_USER_INPUT before any SQL', async () => {
    let response!: Awaited<ReturnType<TestApp['graphql']>>;
    const statements = await statementsDuring(async () => {
      response = await t.graphql('query($n: Int!) { videos(first: $n) { totalCount } }', {
        key: free.key,
      });
    });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(statements).toBe(0);
  });
});

describe('GQL-ALIAS-04 aliases', () => {
  const aliased = (count: number, field: string) =>
    `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

  it('answers 15 aliases', async () => {
    expect(t.config.protection.armor.maxAliases).toBe(15);
    const response = await t.graphql(aliased(15, 'me { id }'), { key: free.key });
    expect(response.status).toBe(200);
  });

  it('refuses 16 aliases with 400 QUERY_TOO_COMPLEX', async () => {
    const response = await t.graphql(aliased(16, 'me { id }'), { key: free.key });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses 100 aliased __typename with 400', async () => {
    const response = await t.graphql(aliased(100, '__typename'), { key: free.key });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
  });

  it('counts aliases inside fragments', async () => {
    const fields = Array.from({ length: 16 }, (_, i) => `n${i}: name`).join(' ');
    const response = await t.graphql(`{ me { ...F } } fragment F on User { ${fields} }`, {
      key: free.key,
    });
    expect(response.status).toBe(400);
  });
});

describe('GQL-TOKENS-05 document size and body limits', () => {
  // 16 tokens around the list, one per tag. (Hundreds of sibling fields would trip graphql-js's
  // own guard against quadratic field-merging checks first.)
  const tokens = (count: number) =>
    `{ videos(filter: { tags: [${Array(count - 16)
      .fill('"t"')
      .join(' ')}] }) { totalCount } }`;

  it('answers 1,000 tokens and refuses 1,001 with 400 QUERY_TOO_COMPLEX', async () => {
    expect(t.config.protection.armor.maxTokens).toBe(1000);
    expect((await t.graphql(tokens(1000), { key: enterprise.key })).status).toBe(200);
    const over = await t.graphql(tokens(1001), { key: enterprise.key });
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('QUERY_TOO_COMPLEX');
    expect(over.body.errors?.[0]?.extensions?.['limit']).toBe('tokens');
  });

  it('refuses more than 10 directives with 400 QUERY_TOO_COMPLEX', async () => {
    const directives = (count: number) =>
      `query Q($y: Boolean = true) { me { ${Array.from({ length: count }, (_, i) => `f${i}: name @include(if: $y)`).join(' ')} } }`;
    expect((await t.graphql(directives(10), { key: free.key })).status).toBe(200);
    const over = await t.graphql(directives(11), { key: free.key });
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('QUERY_TOO_COMPLEX');
  });

  it('answers a 5 MB body with 413 before parsing', async () => {
    const statements = await statementsDuring(async () => {
      const response = await t.app.fetch('http://pulse.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${free.key}` },
        body: JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(5e6) } }),
      });
      expect(response.status).toBe(413);
    });
    expect(statements).toBe(0);
  });

  it('answers 10k-deep JSON variables with 400 and keeps serving', async () => {
    const deepList = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    for (const deep of [deepList, deepObject]) {
      const response = await t.app.fetch('http://pulse.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          authorization: `Bearer ${free.key}`,
        },
        body: `{"query":"query($f: VideoFilter) { videos(filter: $f) { totalCount } }","variables":{"f":${deep}}}`,
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).not.toMatch(/stack|at \w+ \(/i);
    }
    expect((await t.graphql('{ me { id } }', { key: free.key })).status).toBe(200);
  });
});

describe('text with NUL (found by FUZZ-VARS-02: PostgreSQL text cannot hold U+0000)', () => {
  it('is refused with 400 BAD_USER_INPUT before any SQL, in variables and in literals', async () => {
    const cases: [string, Record<string, unknown> | undefined][] = [
      [
        'mutation($name: String) { updateProfile(input: { name: $name }) { user { name } } }',
        { name: 'a\u0000b' },
      ],
      ['mutation { updateProfile(input: { name: "a\\u0000b" }) { user { name } } }', undefined],
      ['query($s: VideoFilter) { videos(filter: $s) { totalCount } }', { s: { search: '\u0000' } }],
    ];
    for (const [query, variables] of cases) {
      let response!: Awaited<ReturnType<TestApp['graphql']>>;
      const statements = await statementsDuring(async () => {
        response = await t.graphql(query, { key: free.key, variables });
      });
      expect(response.status, query).toBe(400);
      expect(codeOf(response), query).toBe('BAD_USER_INPUT');
      expect(statements).toBe(0);
    }
  });
});

describe('GQL-SUGGEST-07 no field suggestions in production', () => {
  const misspelled: [string, string, Record<string, unknown> | undefined, string][] = [
    ['field', '{ me { emial } }', undefined, 'email'],
    ['argument', '{ videos(frist: 2) { totalCount } }', undefined, 'first'],
    ['enum value', '{ videos(orderBy: { field: VIWES }) { totalCount } }', undefined, 'VIEWS'],
    [
      'type',
      'query($f: VideoFiltr) { videos(filter: $f) { totalCount } }',
      undefined,
      'VideoFilter',
    ],
    [
      'enum value in variables',
      'query($o: VideoOrder) { videos(orderBy: $o) { totalCount } }',
      { o: { field: 'VIWES' } },
      'VIEWS',
    ],
    [
      'input field in variables',
      'query($f: VideoFilter) { videos(filter: $f) { totalCount } }',
      { f: { serach: 'x' } },
      'search',
    ],
  ];

  it.each(misspelled)(
    'a misspelled %s gets no "Did you mean" and no real name',
    async (_what, query, variables, realName) => {
      const response = await t.graphql(query, { key: free.key, variables });
      expect(response.status).toBe(400);
      const body = JSON.stringify(response.body);
      expect(body).not.toMatch(/did you mean/i);
      expect(body).not.toContain(`"${realName}"`);
      expect(body).not.toContain(`\\"${realName}\\"`);
    },
  );

  it('development mode does suggest (so the cases above prove the blocking)', async () => {
    const dev = await startTestApp({ NODE_ENV: 'development' });
    try {
      await dev.createViewer();
      for (const [, query, variables] of misspelled) {
        const response = await dev.graphql(query, { variables });
        expect(JSON.stringify(response.body), query).toMatch(/Did you mean/);
      }
    } finally {
      await dev.close();
    }
  });
});

describe('introspection stays on', () => {
  it("GraphiQL's full introspection query fits every document limit, anonymously too", async () => {
    const response = await t.graphql(getIntrospectionQuery(), { key: null });
    expect(response.status).toBe(200);
    expect(response.body.data.__schema.queryType.name).toBe('Query');
  });
});
