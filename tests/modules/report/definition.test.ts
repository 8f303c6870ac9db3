import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../../../src/modules/analytics/analytics.service.js';
import type { ReportInput } from '../../../src/modules/analytics/report/report.compile.js';
import { runReport } from '../../../src/modules/analytics/report/report.service.js';
import {
  fieldPath,
  fromStoredDefinition,
  resolveDefinition,
  resolveDefinitionFor,
  toStoredDefinition,
} from '../../../src/modules/report/definition.js';
import { presetDefinition, REPORT_PRESETS } from '../../../src/modules/report/presets.js';
import {
  createCreator,
  DAY,
  ingest,
  localDateOf,
  startAnalyticsApp,
  type FixtureVideo,
} from '../../helpers/analytics.js';
import { countRows } from '../../helpers/fixtures.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';

const NOW = Date.parse('2026-03-18T12:00:00Z'); // a Wednesday
const base: ReportInput = { metrics: ['views'], dimensions: ['PLATFORM'] };

describe('resolveDefinition', () => {
  it('turns a relative range into fixed dates in the owner zone', () => {
    const resolved = resolveDefinition(
      { ...base, range: { preset: 'PREVIOUS_MONTH' } },
      NOW,
      'Europe/Paris',
    );
    expect(resolved.range).toEqual({ startDate: '2026-02-01', endDate: '2026-02-28' });
    expect(resolved.timeZone).toBe('Europe/Paris');
    expect(resolved.input).toEqual({
      ...base,
      range: { startDate: '2026-02-01', endDate: '2026-02-28' },
      timeZone: 'Europe/Paris',
    });
  });

  it("prefers the definition's zone, where today may differ", () => {
    // 02:00 UTC on 1 April is still 31 March in Los Angeles.
    const now = Date.parse('2026-04-01T02:00:00Z');
    const definition: ReportInput = {
      ...base,
      range: { preset: 'QUARTER_TO_DATE' },
      timeZone: 'America/Los_Angeles',
    };
    expect(resolveDefinition(definition, now, 'UTC').range).toEqual({
      startDate: '2026-01-01',
      endDate: '2026-03-31',
    });
    expect(resolveDefinition({ ...definition, timeZone: null }, now, 'UTC').range).toEqual({
      startDate: '2026-04-01',
      endDate: '2026-04-01',
    });
  });

  it('gives hour ranges as instants and keeps fixed dates', () => {
    const hours = resolveDefinition({ ...base, range: { preset: 'LAST_24_HOURS' } }, NOW, 'UTC');
    expect(hours.input.range).toEqual({
      from: new Date('2026-03-17T13:00:00Z'),
      to: new Date('2026-03-18T13:00:00Z'),
    });
    expect(hours.range).toEqual({ startDate: '2026-03-17', endDate: '2026-03-18' });
    const fixed = resolveDefinition(
      { ...base, range: { startDate: '2025-01-01', endDate: '2025-01-31' } },
      NOW,
      'UTC',
    );
    expect(fixed.input.range).toEqual({ startDate: '2025-01-01', endDate: '2025-01-31' });
    // No range: LAST_28_DAYS, as analyticsReport.
    expect(resolveDefinition(base, NOW, 'UTC').range).toEqual({
      startDate: '2026-02-19',
      endDate: '2026-03-18',
    });
  });

  it('needs the first day with data for ALL_TIME', () => {
    const definition: ReportInput = { ...base, range: { preset: 'ALL_TIME' } };
    expect(() => resolveDefinition(definition, NOW, 'UTC')).toThrow(/first day/);
    expect(resolveDefinition(definition, NOW, 'UTC', '2025-06-01').range).toEqual({
      startDate: '2025-06-01',
      endDate: '2026-03-18',
    });
  });

  it('throws AnalyticsInputError naming the field for a bad range or zone', () => {
    const bad = () =>
      resolveDefinition(
        { ...base, range: { startDate: '2026-02-10', endDate: '2026-02-01' } },
        NOW,
        'UTC',
      );
    expect(bad).toThrow(AnalyticsInputError);
    expect(bad).toThrow(expect.objectContaining({ field: 'range.endDate' }));
    expect(() => resolveDefinition({ ...base, timeZone: 'Mars/Olympus' }, NOW, 'UTC')).toThrow(
      expect.objectContaining({ field: 'timeZone' }),
    );
  });

  it('maps error fields to input paths', () => {
    expect(fieldPath(['input', 'definition'], 'filters[2].value')).toEqual([
      'input',
      'definition',
      'filters',
      '2',
      'value',
    ]);
    expect(fieldPath(['input', 'definition'], 'timeZone')).toEqual([
      'input',
      'definition',
      'timezone',
    ]);
  });
});

describe('stored definitions', () => {
  it('round-trip with defaults written out and instants as ISO strings', () => {
    const definition: ReportInput = {
      metrics: ['views', 'engagementRate'],
      filters: [{ field: 'PLATFORM', operator: 'EQ', value: 'YOUTUBE', values: null }],
      range: { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') },
    };
    const stored = toStoredDefinition(definition);
    expect(stored).toEqual({
      metrics: ['views', 'engagementRate'],
      dimensions: [],
      filters: [{ field: 'PLATFORM', operator: 'EQ', value: 'YOUTUBE' }],
      orderBy: [],
      limit: null,
      range: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' },
      compare: 'NONE',
      timeZone: null,
    });
    const back = fromStoredDefinition(stored);
    expect(back.range).toEqual({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
    });
    expect(toStoredDefinition(back)).toEqual(stored);
    expect(toStoredDefinition({ metrics: ['views'] }).range).toEqual({ preset: 'LAST_28_DAYS' });
  });
});

describe('report kind presets', () => {
  it('are the documented definitions', () => {
    expect(REPORT_PRESETS.performance).toEqual({
      metrics: ['views', 'likes', 'comments', 'shares', 'engagementRate'],
      dimensions: ['VIDEO'],
      orderBy: [{ field: 'views', direction: 'desc' }],
      limit: 100,
      range: { preset: 'LAST_28_DAYS' },
      compare: 'NONE',
    });
    expect(REPORT_PRESETS.growth).toMatchObject({
      metrics: ['views', 'reach', 'impressions'],
      dimensions: ['WEEK'],
      range: { preset: 'LAST_90_DAYS' },
      compare: 'PREVIOUS_PERIOD',
    });
    expect(REPORT_PRESETS.comparison).toMatchObject({
      dimensions: ['PLATFORM'],
      compare: 'PREVIOUS_PERIOD',
    });
    expect(presetDefinition('custom')).toBeNull();
    // A copy: changing it leaves the preset alone.
    presetDefinition('growth')!.metrics.push('likes');
    expect(REPORT_PRESETS.growth.metrics).toHaveLength(3);
  });
});

describe('definitions against the database', () => {
  let t: TestApp;
  let alice: TestViewer;
  let A: FixtureVideo;
  let B: FixtureVideo;
  const now = Date.now();
  const at = (daysAgo: number) => now - daysAgo * DAY;

  beforeAll(async () => {
    t = await startAnalyticsApp({ RETENTION_HOURLY_DAYS: '30' });
    const creator = await createCreator(t, {
      timezone: 'America/Los_Angeles',
      videos: [{ platforms: ['youtube', 'tiktok'] }, { platforms: ['instagram'] }],
    });
    alice = creator.viewer;
    [A, B] = creator.videos as [FixtureVideo, FixtureVideo];
    await ingest(t, alice.key, [
      { video: A, platform: 'youtube', delta: 120, at: at(1) },
      { video: A, platform: 'tiktok', delta: 80, at: at(3) },
      { video: B, platform: 'instagram', delta: 40, at: at(5) },
      { video: A, platform: 'youtube', metric: 'LIKES', delta: 12, at: at(2) },
      { video: B, platform: 'instagram', delta: 500, at: at(40) },
    ]);
  });
  afterAll(() => t.close());

  const CREATE = /* GraphQL */ `
    mutation Create($input: CreateReportInput!) {
      createReport(input: $input) {
        report {
          id
        }
        userErrors {
          field
          code
          message
        }
      }
    }
  `;
  const create = async (definition: Record<string, unknown>) => {
    const response = await t.graphql(CREATE, {
      variables: { input: { name: 'Broken', definition } },
      key: alice.key,
    });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.createReport as {
      report: { id: string } | null;
      userErrors: { field: string[]; code: string; message: string }[];
    };
  };
  const fieldOf = async (definition: Record<string, unknown>) => {
    const result = await create(definition);
    expect(result.report).toBeNull();
    expect(result.userErrors).toHaveLength(1);
    expect(result.userErrors[0]!.code).toBe('INVALID');
    return result.userErrors[0]!.field;
  };

  it('refuses every invalid definition at its field, saving nothing', async () => {
    const ok = { metrics: ['VIEWS'], range: { preset: 'LAST_7_DAYS' } };
    const path = (...rest: string[]) => ['input', 'definition', ...rest];
    expect(await fieldOf({ ...ok, metrics: [] })).toEqual(path('metrics'));
    expect(await fieldOf({ ...ok, dimensions: ['PLATFORM', 'PLATFORM'] })).toEqual(
      path('dimensions'),
    );
    expect(await fieldOf({ ...ok, orderBy: [{ field: 'LIKES', direction: 'DESC' }] })).toEqual(
      path('orderBy', '0', 'field'),
    );
    expect(
      await fieldOf({ ...ok, dimensions: ['HOUR'], range: { preset: 'LAST_90_DAYS' } }),
    ).toEqual(path('dimensions'));
    expect(
      await fieldOf({ ...ok, filters: [{ field: 'PLATFORM', operator: 'EQ', value: 'MYSPACE' }] }),
    ).toEqual(path('filters', '0', 'value'));
    expect(
      await fieldOf({
        ...ok,
        filters: [
          { field: 'PLATFORM', operator: 'EQ', value: 'YOUTUBE' },
          { field: 'VIEWS', operator: 'GT', value: 'many' },
        ],
      }),
    ).toEqual(path('filters', '1', 'value'));
    expect(await fieldOf({ ...ok, filters: [{ field: 'VIDEO', operator: 'IN' }] })).toEqual(
      path('filters', '0', 'values'),
    );
    expect(await fieldOf({ ...ok, limit: 0 })).toEqual(path('limit'));
    expect(await fieldOf({ ...ok, limit: 10_001 })).toEqual(path('limit'));
    expect(
      await fieldOf({ ...ok, range: { startDate: '2026-02-10', endDate: '2026-02-01' } }),
    ).toEqual(path('range', 'endDate'));
    expect(
      await fieldOf({ ...ok, range: { preset: 'LAST_7_DAYS', startDate: '2026-02-01' } }),
    ).toEqual(path('range'));
    expect(await countRows(t.database.db, 'reports')).toBe(0);
  });

  it('reports the definition error together with the other fields', async () => {
    const result = await t.graphql(CREATE, {
      variables: {
        input: {
          name: '  ',
          definition: { metrics: [] },
          schedule: { cron: '*/30 * * * *', timezone: 'Mars/Olympus' },
          recipients: ['ok@example.com', 'not an address'],
        },
      },
      key: alice.key,
    });
    const fields = result.body.data.createReport.userErrors.map((e: any) => e.field.join('.'));
    expect(fields.sort()).toEqual(
      [
        'input.name',
        'input.definition.metrics',
        'input.schedule.cron',
        'input.schedule.timezone',
        'input.recipients.1',
      ].sort(),
    );
    expect(await countRows(t.database.db, 'reports')).toBe(0);
  });

  it("resolved at run time, gives analyticsReport's rows for the same range", async () => {
    const definition: ReportInput = {
      metrics: ['views', 'likes'],
      dimensions: ['PLATFORM'],
      range: { preset: 'LAST_7_DAYS' },
    };
    const owner = { id: alice.userId, timezone: 'America/Los_Angeles' };
    const settings = { hourlyRetentionDays: 30, now };
    const resolved = await resolveDefinitionFor(
      t.database.db,
      owner.id,
      definition,
      now,
      owner.timezone,
    );
    const today = localDateOf(now, owner.timezone);
    expect(resolved.range.endDate).toBe(today);
    const direct = await runReport(t.database.db, owner, definition, settings);
    const saved = await runReport(t.database.db, owner, resolved.input, settings);
    expect(saved.rows).toEqual(direct.rows);
    expect(saved.view.period).toEqual(direct.view.period);
    expect(saved.rows.map((r) => [r.dimensions[0]!.value, r.current.views])).toEqual([
      ['youtube', 120],
      ['tiktok', 80],
      ['instagram', 40],
    ]);
    // ALL_TIME reaches back to the first day with data (40 days ago).
    const all = await resolveDefinitionFor(
      t.database.db,
      owner.id,
      { ...definition, range: { preset: 'ALL_TIME' } },
      now,
      owner.timezone,
    );
    expect(all.range.startDate).toBe(localDateOf(at(40), owner.timezone));
  });
});
