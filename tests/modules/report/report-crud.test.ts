import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTable } from '../../../src/db/schema.js';
import { nextTick } from '../../../src/modules/report/schedule.js';
import { countRows } from '../../helpers/fixtures.js';
import { seedAccount, type SeededAccount } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
let alice: SeededAccount;

beforeAll(async () => {
  t = await startTestApp();
  alice = await seedAccount(t, { timezone: 'Europe/Berlin', channels: ['youtube'] });
});
afterAll(() => t.close());

const REPORT_FIELDS = /* GraphQL */ `
  id
  name
  description
  kind
  definition {
    metrics
    dimensions
    filters {
      field
      operator
      value
      values
    }
    orderBy {
      field
      direction
    }
    limit
    range {
      preset
      from
      to
      startDate
      endDate
    }
    compare
    timezone
  }
  schedule {
    cron
    timezone
    paused
    description
  }
  nextRunAt
  recipients
  formats
  skipIfEmpty
  createdAt
  updatedAt
`;
const ERRORS = `userErrors { field code message }`;
const CREATE = `mutation($input: CreateReportInput!) { createReport(input: $input) { report { ${REPORT_FIELDS} } ${ERRORS} } }`;
const UPDATE = `mutation($input: UpdateReportInput!) { updateReport(input: $input) { report { ${REPORT_FIELDS} } ${ERRORS} } }`;
const DELETE = `mutation($id: ID!) { deleteReport(input: { id: $id }) { deletedReportId ${ERRORS} } }`;
const PAUSE = `mutation($id: ID!) { pauseReportSchedule(input: { id: $id }) { report { id schedule { paused } nextRunAt } ${ERRORS} } }`;
const RESUME = `mutation($id: ID!) { resumeReportSchedule(input: { id: $id }) { report { id schedule { paused } nextRunAt } ${ERRORS} } }`;
const GET = `query($id: ID!) { report(id: $id) { ${REPORT_FIELDS} } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Report { name } } }`;
const LIST = `query($first: Int, $after: String) { reports(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }`;

async function call(query: string, variables: Record<string, unknown>, key: string) {
  const response = await t.graphql(query, { variables, key });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data as Record<string, any>)[0];
}
const create = (input: Record<string, unknown>, key = alice.key) =>
  call(CREATE, { input: { name: 'Weekly', ...input } }, key);

const DEFINITION = {
  metrics: ['VIEWS', 'ENGAGEMENT_RATE'],
  dimensions: ['PLATFORM', 'DATE'],
  filters: [{ field: 'PLATFORM', operator: 'IN', values: ['YOUTUBE', 'TIKTOK'] }],
  orderBy: [{ field: 'VIEWS', direction: 'DESC' }],
  limit: 50,
  range: { preset: 'PREVIOUS_WEEK' },
  compare: 'PREVIOUS_PERIOD',
  timezone: 'Asia/Kolkata',
};

/** nextTick from just before and just after a request, to bracket what the server computed. */
async function bracketNextTick<T>(cron: string, zone: string, run: () => Promise<T>) {
  const before = nextTick(cron, zone, new Date()).toISOString();
  const result = await run();
  const after = nextTick(cron, zone, new Date()).toISOString();
  return { result, expected: [before, after] };
}

describe('saved reports', () => {
  it('round-trips create, read, list, update and delete', async () => {
    const { result: created, expected } = await bracketNextTick('0 9 * * 1', 'Europe/Berlin', () =>
      create({
        name: '  Weekly platforms ',
        description: 'For the team',
        definition: DEFINITION,
        schedule: { cron: '0 9 * * 1' },
        recipients: ['team@example.com', 'Boss@Example.com', 'team@example.com'],
        formats: ['CSV', 'PDF'],
        skipIfEmpty: true,
      }),
    );
    expect(created.userErrors).toEqual([]);
    const report = created.report;
    expect(report).toMatchObject({
      name: 'Weekly platforms',
      description: 'For the team',
      kind: 'CUSTOM',
      definition: {
        metrics: ['VIEWS', 'ENGAGEMENT_RATE'],
        dimensions: ['PLATFORM', 'DATE'],
        filters: [
          { field: 'PLATFORM', operator: 'IN', value: null, values: ['YOUTUBE', 'TIKTOK'] },
        ],
        orderBy: [{ field: 'VIEWS', direction: 'DESC' }],
        limit: 50,
        range: { preset: 'PREVIOUS_WEEK', from: null, to: null, startDate: null, endDate: null },
        compare: 'PREVIOUS_PERIOD',
        timezone: 'Asia/Kolkata',
      },
      // The schedule zone defaults to the owner's.
      schedule: {
        cron: '0 9 * * 1',
        timezone: 'Europe/Berlin',
        paused: false,
        description: 'Every Monday at 09:00 (Europe/Berlin)',
      },
      recipients: ['team@example.com', 'Boss@Example.com'],
      formats: ['CSV', 'PDF'],
      skipIfEmpty: true,
    });
    expect(expected).toContain(new Date(report.nextRunAt).toISOString());

    // Stored with internal values.
    const [row] = await t.database.db
      .select()
      .from(reportTable)
      .where(eq(reportTable.ownerId, alice.userId));
    expect(row!.definition).toMatchObject({
      metrics: ['views', 'engagementRate'],
      orderBy: [{ field: 'views', direction: 'desc' }],
      filters: [{ field: 'PLATFORM', operator: 'IN', values: ['YOUTUBE', 'TIKTOK'] }],
      timeZone: 'Asia/Kolkata',
    });
    expect(row!.scheduleFormats).toEqual(['csv', 'pdf']);

    expect(await call(GET, { id: report.id }, alice.key)).toEqual(report);
    expect(await call(NODE, { id: report.id }, alice.key)).toEqual({
      id: report.id,
      name: 'Weekly platforms',
    });
    const listed = await call(LIST, {}, alice.key);
    expect(listed.totalCount).toBe(1);
    expect(listed.edges.map((e: any) => e.node.id)).toEqual([report.id]);

    const { result: updated, expected: expectedUpdate } = await bracketNextTick(
      '30 7 * * *',
      'America/Los_Angeles',
      () =>
        call(
          UPDATE,
          {
            input: {
              id: report.id,
              name: 'Daily',
              description: null,
              definition: {
                metrics: ['LIKES'],
                range: { startDate: '2026-01-01', endDate: '2026-01-31' },
              },
              schedule: { cron: '30 7 * * *', timezone: 'america/los_angeles' },
              recipients: null,
              formats: null,
            },
          },
          alice.key,
        ),
    );
    expect(updated.userErrors).toEqual([]);
    expect(updated.report).toMatchObject({
      id: report.id,
      name: 'Daily',
      description: '',
      definition: {
        metrics: ['LIKES'],
        dimensions: [],
        limit: null,
        range: { preset: null, startDate: '2026-01-01', endDate: '2026-01-31' },
        compare: 'NONE',
        timezone: null,
      },
      schedule: {
        cron: '30 7 * * *',
        timezone: 'America/Los_Angeles',
        description: 'Every day at 07:30 (America/Los_Angeles)',
      },
      recipients: [],
      formats: ['CSV'],
      skipIfEmpty: true,
      createdAt: report.createdAt,
    });
    expect(expectedUpdate).toContain(new Date(updated.report.nextRunAt).toISOString());
    expect(
      new Date(updated.report.nextRunAt).toLocaleTimeString('en-GB', {
        timeZone: 'America/Los_Angeles',
      }),
    ).toBe('07:30:00');
    expect(Date.parse(updated.report.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(report.updatedAt),
    );

    // Omitted fields stay; a null schedule means on demand only.
    const unscheduled = await call(UPDATE, { input: { id: report.id, schedule: null } }, alice.key);
    expect(unscheduled.report).toMatchObject({ name: 'Daily', schedule: null, nextRunAt: null });

    const deleted = await call(DELETE, { id: report.id }, alice.key);
    expect(deleted).toEqual({ deletedReportId: report.id, userErrors: [] });
    expect(await call(GET, { id: report.id }, alice.key)).toBeNull();
    expect(await countRows(t.database.db, 'reports')).toBe(0);
    const again = await call(DELETE, { id: report.id }, alice.key);
    expect(again.userErrors).toEqual([
      { field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) },
    ]);
  });

  it('starts each kind from its preset, and a given definition wins', async () => {
    const kinds = {
      PERFORMANCE: {
        metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'ENGAGEMENT_RATE'],
        dimensions: ['VIDEO'],
        orderBy: [{ field: 'VIEWS', direction: 'DESC' }],
        limit: 100,
        range: { preset: 'LAST_28_DAYS' },
        compare: 'NONE',
      },
      GROWTH: {
        metrics: ['VIEWS', 'REACH', 'IMPRESSIONS'],
        dimensions: ['WEEK'],
        orderBy: [{ field: 'WEEK', direction: 'ASC' }],
        limit: null,
        range: { preset: 'LAST_90_DAYS' },
        compare: 'PREVIOUS_PERIOD',
      },
      COMPARISON: {
        metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'REACH', 'ENGAGEMENT_RATE'],
        dimensions: ['PLATFORM'],
        orderBy: [{ field: 'VIEWS', direction: 'DESC' }],
        limit: null,
        range: { preset: 'LAST_28_DAYS' },
        compare: 'PREVIOUS_PERIOD',
      },
    };
    for (const [kind, definition] of Object.entries(kinds)) {
      const created = await create({ kind });
      expect(created.userErrors, kind).toEqual([]);
      expect(created.report.kind).toBe(kind);
      expect(created.report.definition, kind).toMatchObject({
        ...definition,
        filters: [],
        timezone: null,
      });
      expect(created.report.schedule).toBeNull();
      expect(created.report.nextRunAt).toBeNull();
    }
    const custom = await create({ kind: 'CUSTOM' });
    expect(custom.report).toBeNull();
    expect(custom.userErrors).toEqual([
      {
        field: ['input', 'definition'],
        code: 'INVALID',
        message: 'a CUSTOM report needs a definition',
      },
    ]);
    const overridden = await create({ kind: 'GROWTH', definition: { metrics: ['SAVES'] } });
    expect(overridden.report.kind).toBe('GROWTH');
    expect(overridden.report.definition).toMatchObject({
      metrics: ['SAVES'],
      dimensions: [],
      range: { preset: 'LAST_28_DAYS' },
      compare: 'NONE',
    });
    // The kind is a label on update: the definition stays.
    const relabelled = await call(
      UPDATE,
      { input: { id: overridden.report.id, kind: 'PERFORMANCE' } },
      alice.key,
    );
    expect(relabelled.report.kind).toBe('PERFORMANCE');
    expect(relabelled.report.definition.metrics).toEqual(['SAVES']);
  });

  it('refuses bad schedules, recipients and formats per field, saving nothing', async () => {
    const before = await countRows(t.database.db, 'reports');
    const errorsOf = async (input: Record<string, unknown>) => {
      const result = await create({ kind: 'PERFORMANCE', ...input });
      expect(result.report).toBeNull();
      return result.userErrors.map((e: any) => [e.field.join('.'), e.code]);
    };
    const cron = [['input.schedule.cron', 'INVALID']];
    expect(await errorsOf({ schedule: { cron: '0 0 9 * * 1' } })).toEqual(cron);
    expect(await errorsOf({ schedule: { cron: '* * * * *' } })).toEqual(cron);
    expect(await errorsOf({ schedule: { cron: '*/30 * * * *' } })).toEqual(cron);
    expect(await errorsOf({ schedule: { cron: '0 9 * * 1', timezone: 'Mars/Olympus' } })).toEqual([
      ['input.schedule.timezone', 'INVALID'],
    ]);
    const tooMany = Array.from({ length: 21 }, (_, i) => `r${i}@example.com`);
    expect(await errorsOf({ recipients: tooMany })).toEqual([['input.recipients', 'INVALID']]);
    expect(
      await errorsOf({ recipients: ['a@example.com', 'nope', 'b@', 'x y@example.com'] }),
    ).toEqual([
      ['input.recipients.1', 'INVALID'],
      ['input.recipients.2', 'INVALID'],
      ['input.recipients.3', 'INVALID'],
    ]);
    expect(await errorsOf({ formats: [] })).toEqual([['input.formats', 'INVALID']]);
    expect(await errorsOf({ name: 'x'.repeat(101) })).toEqual([['input.name', 'INVALID']]);
    expect(await errorsOf({ name: '   ' })).toEqual([['input.name', 'INVALID']]);
    expect(await countRows(t.database.db, 'reports')).toBe(before);

    // A bad update changes nothing either.
    const { report } = await create({ kind: 'PERFORMANCE', schedule: { cron: '0 8 1 * *' } });
    const refused = await call(
      UPDATE,
      {
        input: {
          id: report.id,
          name: 'Renamed',
          schedule: { cron: '*/5 * * * *' },
          definition: { metrics: [] },
        },
      },
      alice.key,
    );
    expect(refused.report).toBeNull();
    expect(refused.userErrors.map((e: any) => e.field.join('.')).sort()).toEqual([
      'input.definition.metrics',
      'input.schedule.cron',
    ]);
    const kept = await call(GET, { id: report.id }, alice.key);
    expect(kept).toMatchObject({ name: 'Weekly', schedule: { cron: '0 8 1 * *' } });
    expect(kept.schedule.description).toBe('On day 1 of every month at 08:00 (Europe/Berlin)');
  });

  it('pauses and resumes a schedule, recomputing nextRunAt from now', async () => {
    const { report } = await create({
      kind: 'COMPARISON',
      schedule: { cron: '15 * * * *', timezone: 'Asia/Kolkata' },
    });
    expect(report.schedule.description).toBe('Every hour at minute 15 (Asia/Kolkata)');
    expect(new Date(report.nextRunAt).getUTCMinutes()).toBe(45); // :15 in UTC+5:30
    const paused = await call(PAUSE, { id: report.id }, alice.key);
    expect(paused).toMatchObject({
      report: { schedule: { paused: true }, nextRunAt: null },
      userErrors: [],
    });
    // Changing the cron while paused keeps it paused.
    const changed = await call(
      UPDATE,
      { input: { id: report.id, schedule: { cron: '0 6 * * *', timezone: 'UTC' } } },
      alice.key,
    );
    expect(changed.report).toMatchObject({ schedule: { paused: true }, nextRunAt: null });
    const { result: resumed, expected } = await bracketNextTick('0 6 * * *', 'UTC', () =>
      call(RESUME, { id: report.id }, alice.key),
    );
    expect(resumed.report.schedule.paused).toBe(false);
    expect(expected).toContain(new Date(resumed.report.nextRunAt).toISOString());

    const { report: unscheduled } = await create({ kind: 'PERFORMANCE' });
    for (const query of [PAUSE, RESUME]) {
      const result = await call(query, { id: unscheduled.id }, alice.key);
      expect(result.userErrors).toEqual([
        { field: ['input', 'id'], code: 'INVALID_STATUS', message: 'This report has no schedule.' },
      ]);
    }
  });
});
