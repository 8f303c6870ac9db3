/** Complete GraphQL results for the Reports page's mocks (with __typename, as the server sends them). */
import {
  ReportDetailDocument,
  ReportPreviewDocument,
  ReportsPageDocument,
} from '../../client/src/gql/graphql.js';
import { RUNS_SHOWN } from '../../client/src/pages/reports-page.js';
import { PREVIEW_ROWS } from '../../client/src/pages/reports/report-preview.js';

export const reportId = (n: number) => Buffer.from(`Report:${n}`).toString('base64');
export const runId = (n: number) => Buffer.from(`ReportRun:${n}`).toString('base64');
export const NEXT_RUN = '2026-12-07T08:00:00.000Z'; // Monday 09:00 in Paris

export const schedule = (paused = false) => ({
  __typename: 'ReportSchedule',
  cron: '0 9 * * 1',
  timezone: 'Europe/Paris',
  paused,
  description: 'Every Monday at 09:00 (Europe/Paris)',
});

export function run(n: number, overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'ReportRun',
    id: runId(n),
    status: 'SUCCEEDED',
    progress: 1,
    trigger: 'MANUAL',
    queuedAt: '2026-12-03T10:00:00.000Z',
    startedAt: '2026-12-03T10:00:01.000Z',
    finishedAt: '2026-12-03T10:00:02.000Z',
    rows: 4,
    error: null,
    deadLettered: false,
    attempts: 1,
    startDate: '2026-09-05',
    endDate: '2026-12-03',
    exports: [],
    ...overrides,
  };
}

export const csvFile = (n: number) => ({
  __typename: 'Export',
  id: Buffer.from(`Export:${n}`).toString('base64'),
  format: 'CSV',
  status: 'SUCCEEDED',
  fileName: `platforms-${n}.csv`,
  downloadUrl: `http://pulse.test/exports/${n}/download?expires=1&signature=s`,
  bytes: 113,
});

/** A GraphQL object as the server sends it (loosely typed: tests override any field). */
export type Fixture = Record<string, any>;

export function report(n: number, overrides: Record<string, unknown> = {}): Fixture {
  return {
    __typename: 'Report',
    id: reportId(n),
    name: `Report ${n}`,
    kind: 'CUSTOM',
    nextRunAt: null,
    schedule: null,
    lastRun: null,
    description: '',
    formats: ['CSV'],
    recipients: [],
    skipIfEmpty: false,
    updatedAt: '2026-12-03T10:00:00.000Z',
    definition: {
      __typename: 'ReportDefinition',
      metrics: ['VIEWS', 'LIKES'],
      dimensions: ['PLATFORM'],
      compare: 'NONE',
      limit: null,
      timezone: null,
      orderBy: [],
      filters: [],
      range: {
        __typename: 'ReportDefinitionRange',
        preset: 'LAST_90_DAYS',
        startDate: null,
        endDate: null,
        from: null,
        to: null,
      },
    },
    ...overrides,
  };
}

const summary = ({
  definition,
  description,
  formats,
  recipients,
  skipIfEmpty,
  updatedAt,
  ...rest
}: ReturnType<typeof report>) => rest;

export const reportsPage = (reports: ReturnType<typeof report>[]) => ({
  request: { query: ReportsPageDocument },
  result: {
    data: {
      __typename: 'Query',
      me: { __typename: 'User', id: 'VXNlcjox', timezone: 'Europe/Paris' },
      reports: {
        __typename: 'ReportConnection',
        totalCount: reports.length,
        edges: reports.map((node) => ({
          __typename: 'ReportEdge',
          node: {
            ...summary(node),
            lastRun: node.lastRun
              ? (({ id, status, progress, finishedAt, queuedAt }: any) => ({
                  __typename: 'ReportRun',
                  id,
                  status,
                  progress,
                  finishedAt,
                  queuedAt,
                }))(node.lastRun)
              : null,
          },
        })),
      },
    },
  },
});

export const detail = (
  value: ReturnType<typeof report> | null,
  runs: ReturnType<typeof run>[] = [],
) => ({
  request: {
    query: ReportDetailDocument,
    variables: { id: value?.id ?? reportId(404), runs: RUNS_SHOWN },
  },
  result: {
    data: {
      __typename: 'Query',
      report: value && {
        ...value,
        lastRun: runs[0] ?? null,
        runs: {
          __typename: 'ReportRunConnection',
          edges: runs.map((node) => ({ __typename: 'ReportRunEdge', node })),
        },
      },
    },
  },
});

export const NEW_DEFINITION = {
  metrics: ['VIEWS'],
  dimensions: ['DATE'],
  range: { preset: 'LAST_28_DAYS' },
  compare: 'NONE',
};

export function preview(
  input: Record<string, unknown>,
  rows: { value: string; views: number }[] = [],
) {
  return {
    request: {
      query: ReportPreviewDocument,
      variables: { input: { ...input, limit: PREVIEW_ROWS } },
    },
    result: {
      data: {
        __typename: 'Query',
        analyticsReport: {
          __typename: 'AnalyticsReport',
          dimensions: input['dimensions'],
          metrics: ['VIEWS'],
          totalRows: rows.length,
          truncated: false,
          timezone: 'Europe/Paris',
          range: { __typename: 'AnalyticsPeriod', startDate: '2026-11-06', endDate: '2026-12-03' },
          previousRange: null,
          rows: rows.map((row) => ({
            __typename: 'AnalyticsReportRow',
            dimensions: [
              {
                __typename: 'ReportDimensionValue',
                dimension: (input['dimensions'] as string[])[0],
                value: row.value,
                platform: (input['dimensions'] as string[])[0] === 'PLATFORM' ? row.value : null,
                video: null,
                channel: null,
              },
            ],
            metrics: [
              {
                __typename: 'MetricComparison',
                metric: 'VIEWS',
                value: row.views,
                previous: null,
                changePct: null,
              },
            ],
          })),
        },
      },
    },
  };
}

export const newPreview = preview(NEW_DEFINITION, [
  { value: '2026-12-02', views: 1200 },
  { value: '2026-12-03', views: 1500 },
]);

/** Any preview, never answered (for tests about other parts of the page). */
export const pendingPreview = {
  request: { query: ReportPreviewDocument, variables: () => true },
  result: preview({ metrics: ['VIEWS'], dimensions: ['PLATFORM'] }).result,
  delay: 60_000,
};

export const userErrors = (errors: { field: string[]; message: string }[]) =>
  errors.map((error) => ({ __typename: 'UserError', code: 'INVALID', ...error }));
