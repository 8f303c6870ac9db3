import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/modules/api-key/api-key.service.js';
import type { Scope } from '../../../src/modules/auth/scopes.js';
import { presetDays } from '../../../src/modules/analytics/storage/ranges.js';
import { MAX_SAVED_REPORTS } from '../../../src/modules/report/report.service.js';
import { localDate } from '../../../src/lib/time-zone.js';
import { seedAccount, type SeededAccount } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
let alice: SeededAccount;
let bob: SeededAccount;

beforeAll(async () => {
  t = await startTestApp();
  alice = await seedAccount(t, { timezone: 'Europe/Berlin', channels: ['youtube'] });
  bob = await seedAccount(t, { channels: ['youtube'] });
});
afterAll(() => t.close());

const ERRORS = `userErrors { field code message }`;
const REPORT = `id name schedule { cron paused } nextRunAt`;
const CREATE = `mutation($input: CreateReportInput!) { createReport(input: $input) { report { ${REPORT} } ${ERRORS} } }`;
const UPDATE = `mutation($input: UpdateReportInput!) { updateReport(input: $input) { report { ${REPORT} } ${ERRORS} } }`;
const DELETE = `mutation($id: ID!) { deleteReport(input: { id: $id }) { deletedReportId ${ERRORS} } }`;
const PAUSE = `mutation($id: ID!) { pauseReportSchedule(input: { id: $id }) { report { id } ${ERRORS} } }`;
const RESUME = `mutation($id: ID!) { resumeReportSchedule(input: { id: $id }) { report { id } ${ERRORS} } }`;
const GET = `query($id: ID!) { report(id: $id) { ${REPORT} } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Report { name } } }`;
const LIST = `query($first: Int, $after: String) { reports(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }`;

async function call(query: string, variables: Record<string, unknown>, key: string) {
  const response = await t.graphql(query, { variables, key });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data as Record<string, any>)[0];
}
const create = (input: Record<string, unknown>, key = alice.key) =>
  call(CREATE, { input: { name: 'Weekly', ...input } }, key);

describe('access to saved reports', () => {
  it("treats another account's reports as not found (IDOR)", async () => {
    const { report } = await create({ kind: 'PERFORMANCE', schedule: { cron: '0 9 * * 1' } });
    expect(await call(GET, { id: report.id }, bob.key)).toBeNull();
    expect(await call(NODE, { id: report.id }, bob.key)).toBeNull();
    expect((await call(LIST, {}, bob.key)).totalCount).toBe(0);
    const notFound = [{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }];
    const updated = await call(UPDATE, { input: { id: report.id, name: 'Mine now' } }, bob.key);
    expect(updated).toEqual({ report: null, userErrors: notFound });
    for (const query of [DELETE, PAUSE, RESUME])
      expect((await call(query, { id: report.id }, bob.key)).userErrors, query).toEqual(notFound);
    const still = await call(GET, { id: report.id }, alice.key);
    expect(still).toMatchObject({ name: 'Weekly', schedule: { paused: false } });
  });

  it('needs manage:reports to change and read:analytics to read', async () => {
    const { report } = await create({ kind: 'PERFORMANCE' });
    const reader = await t.createViewer({ scopes: ['read:analytics'] });
    // The reader is another account: it reads its own (none), and cannot write at all.
    const writes: [string, Record<string, unknown>][] = [
      [CREATE, { input: { name: 'x', kind: 'PERFORMANCE' } }],
      [UPDATE, { input: { id: report.id, name: 'x' } }],
      [DELETE, { id: report.id }],
      [PAUSE, { id: report.id }],
      [RESUME, { id: report.id }],
    ];
    for (const [query, variables] of writes) {
      const response = await t.graphql(query, { key: reader.key, variables });
      expect(response.body.errors?.[0]?.extensions?.code, query).toBe('INSUFFICIENT_SCOPE');
    }
    expect((await call(LIST, {}, reader.key)).totalCount).toBe(0);

    // The same account with a read-only key reads its reports; with a write-only key it writes.
    const keyFor = async (scopes: Scope[]) =>
      (await createApiKey(t.database.db, { ownerId: alice.userId, name: 'k', scopes })).secret;
    const readKey = await keyFor(['read:analytics']);
    expect((await call(GET, { id: report.id }, readKey)).name).toBe('Weekly');
    expect((await call(LIST, { first: 1 }, readKey)).edges).toHaveLength(1);
    const denied = await t.graphql(UPDATE, {
      key: readKey,
      variables: { input: { id: report.id, name: 'x' } },
    });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_SCOPE');

    const writeKey = await keyFor(['manage:reports']);
    for (const query of [GET, NODE]) {
      const response = await t.graphql(query, { key: writeKey, variables: { id: report.id } });
      expect(response.body.errors?.[0]?.extensions?.code, query).toBe('INSUFFICIENT_SCOPE');
    }
    const list = await t.graphql(LIST, { key: writeKey });
    expect(list.body.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_SCOPE');
    const renamed = await t.graphql(
      `mutation($id: ID!) { updateReport(input: { id: $id, name: "Renamed" }) { ${ERRORS} } }`,
      { key: writeKey, variables: { id: report.id } },
    );
    expect(renamed.body.data.updateReport.userErrors).toEqual([]);
    expect((await call(GET, { id: report.id }, alice.key)).name).toBe('Renamed');
  });
});

describe('plan limit and pagination', () => {
  it('caps saved reports per plan and pages through them newest first', async () => {
    const carol = await seedAccount(t, { plan: 'free' });
    const limit = MAX_SAVED_REPORTS.free;
    expect(limit).toBe(10);
    const ids: string[] = [];
    for (let i = 0; i < limit; i++) {
      const created = await create({ name: `R${i}`, kind: 'COMPARISON' }, carol.key);
      expect(created.userErrors).toEqual([]);
      ids.push(created.report.id);
    }
    const over = await create({ name: 'One more', kind: 'COMPARISON' }, carol.key);
    expect(over).toEqual({
      report: null,
      userErrors: [{ field: [], code: 'LIMIT_REACHED', message: expect.stringContaining('10') }],
    });
    expect(MAX_SAVED_REPORTS).toEqual({ free: 10, pro: 100, enterprise: 1_000 });

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await call(LIST, { first: 4, after }, carol.key);
      expect(page.totalCount).toBe(limit);
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());

    // Deleting one makes room again.
    await call(DELETE, { id: ids[0] }, carol.key);
    expect((await create({ name: 'Room', kind: 'GROWTH' }, carol.key)).userErrors).toEqual([]);
  });
});

describe('new range presets through analyticsReport', () => {
  it('understands PREVIOUS_MONTH and the others', async () => {
    const query = `query($preset: AnalyticsRangePreset!) { analyticsReport(input: { metrics: [VIEWS], range: { preset: $preset } }) { range { startDate endDate } } }`;
    for (const preset of [
      'YESTERDAY',
      'PREVIOUS_WEEK',
      'PREVIOUS_MONTH',
      'QUARTER_TO_DATE',
    ] as const) {
      const before = presetDays(preset, localDate(Date.now(), 'Europe/Berlin'));
      const result = await call(query, { preset }, alice.key);
      const after = presetDays(preset, localDate(Date.now(), 'Europe/Berlin'));
      expect([before, after], preset).toContainEqual(result.range);
    }
  });
});
