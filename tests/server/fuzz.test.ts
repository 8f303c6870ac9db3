import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { queryRows } from '../../src/db/raw.js';
import { PLATFORMS } from '../../src/db/schema.js';
import { createApiKey } from '../../src/modules/api-key/api-key.service.js';
import { schema } from '../../src/schema.js';
import { countRows, encodeId } from '../helpers/fixtures.js';
import { ledgerMismatches } from '../helpers/ledger.js';
import { seedAccounts } from '../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../helpers/test-app.js';

// Production settings: masking, no suggestions, real tiers (an enterprise key, so the fuzzer
// mostly gets past the rate limit), cost limits on.
let t: TestApp;
let baseUrl: string;
let viewer: TestViewer;
let videoIds: string[];
/** Global ids of the fuzzing user's publications, and of another account's content. */
let publicationIds: string[];
let foreignIds: string[];
const POST_IDS = ['fuzz-post-0', 'fuzz-post-1', 'fuzz-post-2'];
const FOREIGN_POST_ID = 'fuzz-foreign-post';

beforeAll(async () => {
  t = await startTestApp({
    NODE_ENV: 'production',
    RATE_LIMIT_ENABLED: 'true',
    COST_LIMIT_ENABLED: 'true',
    WS_CONNECTION_INIT_TIMEOUT_MS: '300',
    // Thousands of /ingest cases: write each batch at once rather than after the usual wait.
    INGEST_FLUSH_INTERVAL_MS: '0',
  });
  baseUrl = (await t.app.start()).url;
  const accounts = await seedAccounts(t, {
    viewer: {
      plan: 'enterprise',
      channels: PLATFORMS,
      videos: [0, 1, 2].map((i) => ({
        title: `Fuzz ${i}`,
        // The last one is on two platforms, so addressing it by video alone is ambiguous.
        counters: i < 2 ? { youtube: {} } : { youtube: {}, tiktok: {} },
        platformPostId: POST_IDS[i]!,
      })),
    },
    other: {
      channels: PLATFORMS,
      videos: [{ counters: { youtube: {}, tiktok: {} }, platformPostId: FOREIGN_POST_ID }],
    },
  });
  viewer = accounts.viewer;
  videoIds = accounts.viewer.videos.map((video) => video.globalId);
  publicationIds = accounts.viewer.videos.flatMap((video) =>
    video.publications.map((p) => p.globalId),
  );
  const foreign = accounts.other.videos[0]!;
  foreignIds = [foreign.globalId, ...foreign.publications.map((p) => p.globalId)];
});
afterAll(() => t.close());

const ALLOWED_HTTP = [200, 400, 413, 429];
/** Words that would betray a stack trace, SQL or internals in an answer. */
const LEAKS = [
  /\bat .+\(.+:\d+:\d+\)/,
  /node_modules/,
  /\bselect\b.+\bfrom\b/i,
  /\binsert into\b/i,
  /\brelation "/i,
  /syntax error at or near/i,
  /postgres|pglite/i,
  /src\/[a-z]/,
  // Schema suggestions ("Did you mean \"views\"?") leak field names; the lexer's hint about
  // quote characters names nothing from the schema.
  /did you mean (?!to use a double quote)/i,
  // yoga's request parser attaches the JSON.parse error, which quotes the body.
  /originalError/,
  /SyntaxError/,
];

/** A fresh key of the fuzzing user: each case gets its own rate-limit budget. */
async function freshKey(name: string) {
  return (await createApiKey(t.database.db, { ownerId: viewer.userId, name })).secret;
}

async function post(body: string, key = viewer.key) {
  const response = await t.app.fetch('http://pulse.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

function expectSafe({ status, text }: { status: number; text: string }, what: string) {
  expect(ALLOWED_HTTP, `${what} → ${status}: ${text.slice(0, 500)}`).toContain(status);
  for (const leak of LEAKS) expect(text, `${what} leaks ${leak}`).not.toMatch(leak);
  // Unexpected errors are masked, but they are still bugs: bad input must be refused as such.
  expect(text, `${what}: ${text.slice(0, 500)}`).not.toContain('INTERNAL_SERVER_ERROR');
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** A body that was not even JSON must not come back in the answer, not even in part. */
function expectNoEcho(answer: string, body: string) {
  const fragments = body.split(/[\s"{}[\],:\\]+/).filter((part) => part.length >= 6);
  for (const fragment of fragments) expect(answer, `echoes ${fragment}`).not.toContain(fragment);
}

// ---------------------------------------------------------------------------------------------
// Values for input types: mostly well-shaped, with the boundary values FUZZ-VARS-02 lists.

const INF = '__PULSE_FUZZ_INFINITY__';
const boundaryStrings = [
  '',
  'x'.repeat(10_000),
  '\u0000',
  'a\u0000b',
  '😀🏳️‍🌈 ‮ tx',
  "'; drop table users; --",
  '%s%n%x',
  '\\',
  '${7*7}',
  'VmlkZW86bm90LWEtdXVpZA==', // a global ID whose id is not a UUID
];
const boundaryNumbers: unknown[] = [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1.5, INF, -0];
const wrongShapes: unknown[] = [{}, [], { a: 1 }, true, null, [[[]]]];

function scalarValue(type: GraphQLNamedType, hostile: number): fc.Arbitrary<unknown> {
  const typical: Record<string, fc.Arbitrary<unknown>> = {
    Int: fc.integer({ min: -5, max: 120 }),
    Float: fc.double({ noNaN: true, noDefaultInfinity: true }),
    SafeInt: fc.integer({ min: -5, max: 1000 }),
    Boolean: fc.boolean(),
    String: fc.string({ maxLength: 30 }),
    ID: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...videoIds) },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    ),
    DateTime: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString()),
    LocalDate: fc.constantFrom('2030-01-01', '2029-12-31', '2026-11-01'),
    URL: fc.constantFrom('https://example.com/a', 'http://127.0.0.1:1/x'),
    EmailAddress: fc.constantFrom('a@example.com', 'b@pulse.test'),
    TimeZone: fc.constantFrom('Europe/Paris', 'UTC', 'Asia/Kolkata'),
  };
  const invalid: Record<string, unknown[]> = {
    DateTime: ['2030-13-45T99:99:99Z', 'now'],
    LocalDate: ['2030-02-30', 'yesterday'],
    URL: ['javascript:alert(1)', 'not a url'],
    EmailAddress: ['not-an-email'],
    TimeZone: ['Mars/Olympus'],
  };
  const boundary = fc.constantFrom(
    ...boundaryStrings,
    ...boundaryNumbers,
    ...wrongShapes,
    ...(invalid[type.name] ?? []),
  );
  return fc.oneof(
    { weight: 20, arbitrary: typical[type.name] ?? fc.string({ maxLength: 30 }) },
    { weight: hostile, arbitrary: boundary },
  );
}

/** Values for `type`; `hostile` (of 20) weighs boundary and wrong-shaped values in. */
function inputValue(type: GraphQLInputType, hostile: number, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return inputValue(type.ofType, hostile, depth);
  if (isListType(type)) {
    return fc.oneof(
      {
        weight: 20,
        arbitrary: fc.array(inputValue(type.ofType, hostile, depth + 1), { maxLength: 3 }),
      },
      { weight: hostile, arbitrary: fc.constantFrom(...wrongShapes, 'x', 1) },
    );
  }
  if (isEnumType(type)) {
    return fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...type.getValues().map((value) => value.name)) },
      { weight: hostile, arbitrary: fc.constantFrom('NOPE', '', 1, null) },
    );
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    return fc.oneof(
      {
        weight: 20,
        arbitrary: fc.record(
          Object.fromEntries(
            fields.map((field) => [field.name, inputValue(field.type, hostile, depth + 1)]),
          ),
          { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) },
        ),
      },
      { weight: hostile, arbitrary: fc.constantFrom(...wrongShapes, 'x', 7) },
    );
  }
  return scalarValue(type, hostile);
}

const typeString = (type: GraphQLInputType): string => String(type);

/** JSON for a request body, with the Infinity sentinel written as a number JSON cannot hold. */
const bodyJson = (value: unknown) => JSON.stringify(value).replaceAll(`"${INF}"`, '1e309');

// ---------------------------------------------------------------------------------------------
// Documents: random selections over the schema, with random arguments, then random mutations.

const roots = () =>
  [schema.getQueryType(), schema.getMutationType()].filter(
    (root): root is GraphQLObjectType => !!root,
  );

/** An index below `length` (fc.gen compares its arguments, so schema objects are never passed). */
const pick = (g: fc.GeneratorValue, length: number) => g(fc.nat, { max: length - 1 });

/** A selection set for `type`, `depth` levels deep at most. */
function selection(g: fc.GeneratorValue, type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  if (isUnionType(type)) return '{ __typename }';
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const fields = Object.values(type.getFields());
  const count = g(fc.integer, { min: 1, max: Math.min(4, fields.length) });
  const picked: GraphQLField<unknown, unknown>[] = [
    ...new Set(Array.from({ length: count }, () => fields[pick(g, fields.length)]!)),
  ];
  const parts = picked.map((field, index) => {
    const named = getNamedType(field.type);
    if (!isLeafType(named) && depth <= 0) return '__typename';
    const alias = g(fc.boolean) && index > 0 ? `a${index}: ` : '';
    return `${alias}${field.name}${argumentsOf(g, field)} ${selection(g, named, depth - 1)}`;
  });
  if (isInterfaceType(type) && g(fc.boolean)) {
    const [implementation] = schema.getPossibleTypes(type);
    if (implementation) parts.push(`... on ${implementation.name} { __typename }`);
  }
  return `{ ${parts.join(' ')} }`;
}

function literal(value: unknown, type: GraphQLInputType): string {
  const inner = getNullableType(type);
  if (value === INF) return '1e309';
  if (isEnumType(inner) && typeof value === 'string' && inner.getValue(value)) return value;
  if (Array.isArray(value)) {
    const item = isListType(inner) ? inner.ofType : inner;
    return `[${value.map((entry) => literal(entry, item as GraphQLInputType)).join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const fields = isInputObjectType(inner) ? inner.getFields() : {};
    return `{ ${Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .map(
        ([key, entry]) =>
          `${key}: ${literal(entry, (fields[key]?.type ?? inner) as GraphQLInputType)}`,
      )
      .join(', ')} }`;
  }
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

function argumentsOf(g: fc.GeneratorValue, field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter(
    (arg: GraphQLArgument) => isNonNullType(arg.type) || g(fc.integer, { min: 0, max: 3 }) === 0,
  );
  if (!args.length) return '';
  return `(${args
    .map(
      (arg) =>
        `${arg.name}: ${literal(
          g(() => inputValue(arg.type, 1)),
          arg.type,
        )}`,
    )
    .join(', ')})`;
}

const documentArb = fc.gen().map((g) => {
  const all = roots();
  const root = all[pick(g, all.length)]!;
  const operation = root === schema.getMutationType() ? 'mutation' : 'query';
  return `${operation} Fuzz ${selection(g, root, g(fc.integer, { min: 1, max: 5 }))}`;
});

const NOISE = [
  '{',
  '}',
  '(',
  ')',
  ':',
  '$x',
  '...',
  '"',
  '@include(if: true)',
  '@skip(if: $nope)',
  '1e309',
  '\u0000',
  '__schema { types { name } }',
  'fragment F on Query { me { id } }',
  '... F',
  'query',
  '#',
];

const mutatedArb = fc
  .tuple(
    documentArb,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.oneof(fc.constantFrom(...NOISE), fc.constant(null)),
        fc.nat({ max: 8 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([document, edits]) =>
    edits.reduce((text, [at, insert, cut]) => {
      const position = at % (text.length + 1);
      return text.slice(0, position) + (insert ?? '') + text.slice(position + (insert ? 0 : cut));
    }, document),
  );

describe('FUZZ-DOC-01 random valid and mutated documents', () => {
  it('valid documents from the schema: status in {200, 400, 413, 429}, no stack or SQL', async () => {
    const key = await freshKey('fuzz documents');
    await fc.assert(
      fc.asyncProperty(documentArb, async (document) => {
        expectSafe(await post(JSON.stringify({ query: document }), key), document);
      }),
      // A failure's document is in the assertion message; shrinking it costs minutes of requests.
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('mutated documents: the same', async () => {
    const key = await freshKey('fuzz documents');
    await fc.assert(
      fc.asyncProperty(mutatedArb, async (document) => {
        expectSafe(await post(JSON.stringify({ query: document }), key), document);
      }),
      // A failure's document is in the assertion message; shrinking it costs minutes of requests.
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('random request bodies: the same', async () => {
    const key = await freshKey('fuzz documents');
    const bodies = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ query: fc.anything(), variables: fc.anything(), operationName: fc.anything() }),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const answer = await post(text, key);
        expectSafe(answer, text.slice(0, 200));
        if (!isJson(text)) expectNoEcho(answer.text, text);
      }),
      { numRuns: 300, endOnFailure: true, seed: 1201 },
    );
    expect((await post(JSON.stringify({ query: '{ me { id } }' }))).status).toBe(200);
  });
});

describe('FUZZ-VARS-02 boundary values for every input', () => {
  const cases = roots().flatMap((root) =>
    Object.values(root.getFields())
      .filter((field) => field.args.length > 0)
      .flatMap((field) =>
        field.args.map((arg) => ({
          root: root === schema.getMutationType() ? 'mutation' : 'query',
          field,
          arg,
        })),
      ),
  );

  it('covers every argument of every root field', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((entry) => [`${entry.field.name}(${entry.arg.name})`, entry] as const))(
    '%s: typed errors or success, never a 5xx, a stack or SQL',
    async (_name, { root, field, arg }) => {
      const usersBefore = await countRows(t.database.db, 'users');
      const key = await freshKey(`vars ${field.name}(${arg.name})`);
      const others = field.args.filter((other) => other !== arg && isNonNullType(other.type));
      const declarations = [arg, ...others]
        .map((entry) => `$${entry.name}: ${typeString(entry.type)}`)
        .join(', ');
      const passed = [arg, ...others].map((entry) => `${entry.name}: $${entry.name}`).join(', ');
      const named = getNamedType(field.type);
      const document = `${root} Vars(${declarations}) { ${field.name}(${passed}) ${
        isLeafType(named) ? '' : '{ __typename }'
      } }`;
      await fc.assert(
        fc.asyncProperty(
          inputValue(arg.type, 10),
          fc.record(
            Object.fromEntries(others.map((other) => [other.name, inputValue(other.type, 2)])),
          ),
          async (value, rest) => {
            const body = bodyJson({ query: document, variables: { ...rest, [arg.name]: value } });
            expectSafe(await post(body, key), `${document} ${body.slice(0, 300)}`);
          },
        ),
        { numRuns: 25 },
      );
      // Hostile strings were data, never SQL: the tables are all still there.
      expect(await countRows(t.database.db, 'users')).toBe(usersBefore);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// POST /ingest bodies and connection cursors: client input that reaches SQL by other ways than
// GraphQL variables. Seeded, so a failure reproduces.

const INGEST_STATUSES = [200, 400, 413, 415];
const ITEM_CODES = ['INVALID', 'NOT_FOUND', 'AMBIGUOUS'];

async function ingest(body: string, type: string, key: string) {
  const response = await t.app.fetch('http://pulse.test/ingest', {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${key}` },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const hostile = () =>
  fc.constantFrom(...boundaryStrings, ...boundaryNumbers, ...wrongShapes, '\ud800', 'x\udfff');

/** One event-ish object: mostly well-formed, each field sometimes hostile or missing. */
const eventArb = () => {
  const field = <T>(typical: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 6, arbitrary: typical }, { weight: 1, arbitrary: hostile() });
  const uuid = fc.uuid();
  return fc.record(
    {
      id: field(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constant('fixed-id'))),
      publication: field(
        fc.oneof(
          fc.constantFrom(...publicationIds, ...foreignIds),
          uuid.map((id) => encodeId('Publication', id)),
          fc.constantFrom(...videoIds),
        ),
      ),
      video: field(
        fc.oneof(
          fc.constantFrom(...videoIds, ...foreignIds),
          uuid.map((id) => encodeId('Video', id)),
        ),
      ),
      platform: field(fc.constantFrom('YOUTUBE', 'tiktok', 'Instagram', 'twitter', 'myspace')),
      platformPostId: field(
        fc.oneof(fc.constantFrom(...POST_IDS, FOREIGN_POST_ID), fc.string({ maxLength: 12 })),
      ),
      metric: field(fc.constantFrom('VIEWS', 'likes', 'WATCH_SECONDS', 'REVENUE', 'nope')),
      delta: field(fc.integer({ min: -2, max: 1000 })),
      total: field(fc.integer({ min: 0, max: 10_000 })),
      occurredAt: field(
        fc
          .integer({ min: -40 * 86_400_000, max: 600_000 })
          .map((offset) => new Date(Date.now() + offset).toISOString()),
      ),
    },
    { requiredKeys: [] },
  );
};

describe('FUZZ-DOC-01 POST /ingest bodies', () => {
  it('status in {200, 400, 413, 415}, per-item codes only, no 5xx, stack, SQL or echo', async () => {
    const events = fc.array(fc.oneof({ weight: 8, arbitrary: eventArb() }, hostile()), {
      maxLength: 6,
    });
    const bodies = fc.oneof(
      {
        weight: 6,
        arbitrary: events.map((list) => ({ type: 'application/json', body: bodyJson(list) })),
      },
      {
        weight: 2,
        arbitrary: events.map((list) => ({
          type: 'application/x-ndjson',
          body: list.map((event) => bodyJson(event)).join('\n'),
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .oneof(fc.string(), fc.json())
          .map((body) => ({ type: 'application/json', body })),
      },
      {
        weight: 1,
        arbitrary: fc.string().map((body) => ({ type: 'application/x-ndjson', body })),
      },
    );
    // Its own key: the fuzzing user's default key stays within its rate budget for the others.
    const key = await freshKey('fuzz ingest');
    await fc.assert(
      fc.asyncProperty(bodies, async ({ type, body }) => {
        const answer = await ingest(body, type, key);
        const what = `${type} ${body.slice(0, 300)} → ${answer.status}: ${answer.text.slice(0, 300)}`;
        expect(INGEST_STATUSES, what).toContain(answer.status);
        for (const leak of LEAKS) expect(answer.text, `${what} leaks ${leak}`).not.toMatch(leak);
        expect(answer.text, what).not.toContain('INTERNAL_SERVER_ERROR');
        if (answer.status !== 200) {
          if (!isJson(body)) expectNoEcho(answer.text, body);
          return;
        }
        const report = JSON.parse(answer.text) as {
          accepted: number;
          duplicates: number;
          rejected: { code: string; message: string }[];
        };
        for (const item of report.rejected) expect(ITEM_CODES, what).toContain(item.code);
      }),
      { numRuns: 1000, endOnFailure: true, seed: 1202 },
    );
    // Nothing reached another account's content, and the ledger still adds up.
    const [foreign] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from metric_events where owner_id <> ${viewer.userId}`,
    );
    expect(Number(foreign!.n)).toBe(0);
    expect(await ledgerMismatches(t.database.db)).toEqual([]);
  }, 120_000);
});

describe('FUZZ-VARS-02 connection cursors', () => {
  const ORDERS = ['PUBLISHED_AT', 'CREATED_AT', 'TITLE', 'VIEWS', 'LIKES', 'ENGAGEMENT_RATE'];
  const base64url = (text: string) => Buffer.from(text).toString('base64url');
  const sortKey = fc.oneof(
    fc
      .date({ noInvalidDate: true })
      .map((date) => date.toISOString().replace('T', ' ').replace('Z', '+00')),
    fc
      .tuple(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom('+00', '-05', '+05:30', '+99', ''),
      )
      .map(
        ([year, month, day, hour, zone]) =>
          `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${String(hour).padStart(2, '0')}:00:00${zone}`,
      ),
    fc.constantFrom('-infinity', 'infinity', 'NaN', 'Infinity', '1e309', '1e-400', '-0', '0x1f'),
    fc.integer().map(String),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    fc.double().map(String),
    fc.string({ maxLength: 20 }),
    hostile(),
  );
  const rowId = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), hostile());
  const order = fc.oneof(
    fc
      .tuple(fc.constantFrom(...ORDERS), fc.constantFrom('asc', 'desc'))
      .map(([field, direction]) => `${field}:${direction}`),
    fc.constantFrom('notifications:created_at:desc', 'name:asc'),
    fc.string({ maxLength: 10 }),
  );
  const cursorArb = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(order, sortKey, rowId).map((parts) => base64url(bodyJson(parts))),
    },
    { weight: 1, arbitrary: fc.json().map(base64url) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );
  const queryArb = fc.oneof(
    fc
      .tuple(fc.constantFrom(...ORDERS), fc.constantFrom('ASC', 'DESC'))
      .map(
        ([field, direction]) =>
          `videos(PAGE, orderBy: { field: ${field}, direction: ${direction} }) { edges { cursor } totalCount }`,
      ),
    fc.constant('notifications(PAGE) { edges { cursor } }'),
    fc.constant('appDirectory(PAGE) { edges { cursor } }'),
  );

  it('any cursor: a page or 400 BAD_USER_INPUT, never a 5xx or INTERNAL_SERVER_ERROR', async () => {
    // Accounts of their own, a fresh one every few hundred cases: rate budgets are per account,
    // and this run must neither hit the limit nor use up the fuzzing user's budget.
    const account = async () => (await t.createViewer({ plan: 'enterprise' })).key;
    let key = await account();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(queryArb, cursorArb, fc.boolean(), async (field, cursor, forward) => {
        if (++runs % 400 === 0) key = await account();
        const page = forward ? 'first: 2, after: $cursor' : 'last: 2, before: $cursor';
        const document = `query($cursor: String) { ${field.replace('PAGE', page)} }`;
        const answer = await post(JSON.stringify({ query: document, variables: { cursor } }), key);
        expectSafe(answer, `${document} ${cursor}`);
        if (answer.status === 400) {
          expect(JSON.parse(answer.text).errors[0].extensions.code, answer.text).toBe(
            'BAD_USER_INPUT',
          );
        }
      }),
      { numRuns: 1000, endOnFailure: true, seed: 1203 },
    );
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------

/** Close codes this server documents (README): protocol errors, auth, limits, shutdown. */
const DOCUMENTED_CLOSE_CODES = [1000, 1001, 1008, 1009, 1013, 4400, 4401, 4403, 4408, 4409, 4429];

describe('FUZZ-WS-03 random graphql-ws message sequences', () => {
  const WATCH = 'subscription($id: ID!) { videoUpdated(id: $id) { id title } }';
  const message = fc.oneof(
    fc.constant(() => ({
      type: 'connection_init',
      payload: { authorization: `Bearer ${viewer.key}` },
    })),
    fc.constant(() => ({ type: 'connection_init', payload: { authorization: 'Bearer nope' } })),
    fc.constant(() => ({ type: 'connection_init' })),
    fc.constant(() => ({ type: 'connection_init', payload: 'x' })),
    fc.constant(() => ({ type: 'ping' })),
    fc.constant(() => ({ type: 'pong' })),
    fc.constantFrom('a', 'b').map((id) => () => ({
      id,
      type: 'subscribe',
      payload: { query: WATCH, variables: { id: videoIds[0] } },
    })),
    fc.constantFrom('a', 'b').map((id) => () => ({ id, type: 'complete' })),
    fc.constant(() => ({ id: 'c', type: 'subscribe', payload: { query: 'subscription {' } })),
    fc.constant(() => ({ id: 'd', type: 'subscribe', payload: { query: 42 } })),
    fc.constant(() => ({ type: 'subscribe', payload: { query: WATCH } })),
    fc.constant(() => ({ type: 'nope' })),
    fc.constant(() => '{not json'),
    fc.constant(() => ''),
    fc.constant(() => Buffer.from([0xff, 0x00, 0x13])),
    fc.constant(() => 'x'.repeat(70 * 1024)),
  );

  it('close only with documented codes; the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 8 }), async (sequence) => {
        const socket = new WebSocket(
          `${baseUrl.replace(/^http/, 'ws')}/graphql`,
          'graphql-transport-ws',
        );
        const closed = new Promise<number>((resolve) =>
          socket.on('close', (code) => resolve(code)),
        );
        socket.on('error', () => {});
        await new Promise((resolve) => {
          socket.once('open', resolve);
          socket.once('close', resolve);
        });
        for (const make of sequence) {
          if (socket.readyState !== WebSocket.OPEN) break;
          const payload = make();
          socket.send(
            typeof payload === 'string' || Buffer.isBuffer(payload)
              ? payload
              : JSON.stringify(payload),
          );
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const code = await Promise.race([
          closed,
          new Promise<number>((resolve) =>
            setTimeout(() => {
              socket.close(1000);
              resolve(closed as unknown as number);
            }, 400),
          ),
        ]);
        expect(
          DOCUMENTED_CLOSE_CODES,
          JSON.stringify(sequence.map((make) => make()).map(String)),
        ).toContain(await code);
      }),
      { numRuns: 60 },
    );
    expect((await post(JSON.stringify({ query: '{ me { id } }' }))).status).toBe(200);
  });
});
