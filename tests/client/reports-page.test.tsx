import { GraphQLError } from 'graphql';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateReportDocument,
  PauseReportScheduleDocument,
  ReportPreviewDocument,
  ReportRunLiveDocument,
  RunReportDocument,
} from '../../client/src/gql/graphql.js';
import { ReportsPage } from '../../client/src/pages/reports-page.js';
import { PREVIEW_ROWS } from '../../client/src/pages/reports/report-preview.js';
import {
  reportId,
  runId,
  NEXT_RUN,
  schedule,
  run,
  csvFile,
  type Fixture,
  report,
  reportsPage,
  detail,
  NEW_DEFINITION,
  preview,
  newPreview,
  pendingPreview,
  userErrors,
} from './report-fixtures.js';
import { location, renderPage } from './render.js';

afterEach(cleanup);

describe('Reports page', () => {
  it('explains what a report is when there is none', async () => {
    renderPage(<ReportsPage />, { route: '/reports', mocks: [reportsPage([])] });
    expect(screen.getByRole('heading', { level: 1, name: 'Reports' })).toBeTruthy();
    expect(await screen.findByText('No saved reports yet')).toBeTruthy();
    expect(screen.getByText(/A report is a question you keep/).textContent).toContain(
      'on a schedule',
    );
  });

  it('lists saved reports with their schedule, next run and last run', async () => {
    renderPage(<ReportsPage />, {
      route: '/reports',
      mocks: [
        reportsPage([
          report(1, { schedule: schedule(), nextRunAt: NEXT_RUN, lastRun: run(1) }),
          report(2, { kind: 'GROWTH', lastRun: run(2, { status: 'FAILED', progress: 0.4 }) }),
        ]),
      ],
    });
    const items = await screen.findAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Every Monday at 09:00 (Europe/Paris)');
    expect(items[0]!.textContent).toContain('Mon, Dec 7, 2026, 09:00');
    expect(items[0]!.textContent).toContain('Succeeded');
    expect(items[1]!.textContent).toContain('Growth');
    expect(items[1]!.textContent).toContain('On demand');
    expect(items[1]!.textContent).toContain('Failed');
    expect(within(items[1]!).getByRole('link', { name: 'Report 2' }).getAttribute('href')).toBe(
      `/reports?report=${encodeURIComponent(reportId(2))}`,
    );
  });

  it('fills the builder from a preset kind', async () => {
    renderPage(<ReportsPage />, {
      route: '/reports?report=new',
      mocks: [reportsPage([]), newPreview, pendingPreview],
    });
    const kind = (await screen.findByLabelText('Kind')) as HTMLSelectElement;
    await userEvent.selectOptions(kind, 'PERFORMANCE');
    const checked = screen
      .getAllByRole('checkbox')
      .filter(
        (box) =>
          (box as HTMLInputElement).checked &&
          box.closest('fieldset')?.querySelector('legend')?.textContent === 'Metrics',
      )
      .map((box) => box.parentElement!.textContent);
    expect(checked).toEqual(['Views', 'Likes', 'Comments', 'Shares', 'Engagement rate']);
    expect((screen.getByLabelText('Group by (dimension 1)') as HTMLSelectElement).value).toBe(
      'VIDEO',
    );
    expect((screen.getByLabelText('Row limit') as HTMLInputElement).value).toBe('100');
    expect((screen.getByLabelText('Sort by') as HTMLSelectElement).value).toBe('VIEWS');
    expect((screen.getByLabelText('Date range') as HTMLSelectElement).value).toBe('LAST_28_DAYS');
  });

  it('previews the rows once the fields settle, and shows the API’s refusal inline', async () => {
    const platforms = { ...NEW_DEFINITION, dimensions: ['PLATFORM'] };
    const refused = {
      request: {
        query: ReportPreviewDocument,
        variables: {
          input: {
            ...platforms,
            filters: [{ field: 'PLATFORM', operator: 'CONTAINS', value: 'tube' }],
            limit: PREVIEW_ROWS,
          },
        },
      },
      result: {
        errors: [
          new GraphQLError(
            'filters[0].operator: CONTAINS works on VIDEO (title), CHANNEL (handle, name) and TAG, not on PLATFORM',
            { extensions: { code: 'BAD_USER_INPUT', field: 'filters[0].operator' } },
          ),
        ],
      },
    };
    renderPage(<ReportsPage />, {
      route: '/reports?report=new',
      mocks: [
        reportsPage([]),
        newPreview,
        preview(platforms, [{ value: 'YOUTUBE', views: 4200 }]),
        refused,
      ],
    });
    const table = await screen.findByTestId('preview-table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Date', 'Views']);
    expect(within(table).getAllByRole('row')[2]!.textContent).toBe('2026-12-031,500');
    expect(screen.getByTestId('preview-summary').textContent).toContain('2 rows');

    await userEvent.selectOptions(screen.getByLabelText('Group by (dimension 1)'), 'PLATFORM');
    await waitFor(() =>
      expect(screen.getByTestId('preview-table').textContent).toContain('YouTube4,200'),
    );

    // An impossible filter: the API's reason shows in place of the rows.
    await userEvent.click(screen.getByRole('button', { name: 'Add a filter' }));
    await userEvent.selectOptions(screen.getByLabelText('Filter 1: condition'), 'CONTAINS');
    await userEvent.type(screen.getByLabelText('Filter 1: value'), 'tube');
    await waitFor(() =>
      expect(screen.getByTestId('preview-error').textContent).toBe(
        'The API refused this combination. filters[0].operator: CONTAINS works on VIDEO (title), CHANNEL (handle, name) and TAG, not on PLATFORM',
      ),
    );
    expect(screen.getByTestId('preview-error').getAttribute('role')).toBe('alert');
    expect(screen.queryByTestId('preview-table')).toBeNull();
  });

  it('needs a metric before it previews', async () => {
    renderPage(<ReportsPage />, {
      route: '/reports?report=new',
      mocks: [reportsPage([]), newPreview],
    });
    await screen.findByTestId('preview-table');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Views' }));
    expect(await screen.findByText('Pick at least one metric.')).toBeTruthy();
    expect(screen.queryByTestId('preview-table')).toBeNull();
  });

  it('shows refused fields next to them and in a summary, and saves nothing', async () => {
    const input = {
      name: '',
      kind: 'CUSTOM',
      definition: NEW_DEFINITION,
      formats: ['CSV'],
      schedule: { cron: '*/5 * * * *', timezone: 'Europe/Paris' },
      skipIfEmpty: false,
    };
    renderPage(<ReportsPage />, {
      route: '/reports?report=new',
      mocks: [
        reportsPage([]),
        newPreview,
        {
          request: { query: CreateReportDocument, variables: { input } },
          result: {
            data: {
              __typename: 'Mutation',
              createReport: {
                __typename: 'CreateReportPayload',
                report: null,
                userErrors: userErrors([
                  { field: ['input', 'name'], message: 'give a name of 1–100 characters' },
                  { field: ['input', 'schedule', 'cron'], message: 'runs at most hourly' },
                ]),
              },
            },
          },
        },
      ],
    });
    await userEvent.type(await screen.findByLabelText('Schedule (cron)'), '*/5 * * * *');
    await userEvent.click(screen.getByRole('button', { name: 'Save report' }));
    const alert = await screen.findByText('Not saved.');
    expect(alert.closest('[role="alert"]')!.textContent).toContain(
      'schedule.cron: runs at most hourly',
    );
    const name = screen.getByLabelText('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toBe(
      'give a name of 1–100 characters',
    );
    const cron = screen.getByLabelText('Schedule (cron)');
    expect(cron.getAttribute('aria-invalid')).toBe('true');
    const described = cron.getAttribute('aria-describedby')!.split(' ');
    expect(described.map((id) => document.getElementById(id)!.textContent)).toContain(
      'runs at most hourly',
    );
    expect(location.current).toBe('/reports?report=new');
  });

  it('saves a new report and opens it under its own address', async () => {
    const saved = report(7, { name: 'Daily views' });
    const input = {
      name: 'Daily views',
      kind: 'CUSTOM',
      definition: NEW_DEFINITION,
      formats: ['CSV'],
      schedule: null,
      skipIfEmpty: false,
    };
    renderPage(<ReportsPage />, {
      route: '/reports?report=new',
      mocks: [
        reportsPage([]),
        newPreview,
        {
          request: { query: CreateReportDocument, variables: { input } },
          result: {
            data: {
              __typename: 'Mutation',
              createReport: { __typename: 'CreateReportPayload', report: saved, userErrors: [] },
            },
          },
        },
        reportsPage([saved]),
        detail(saved),
        preview({
          ...NEW_DEFINITION,
          dimensions: ['PLATFORM'],
          range: { preset: 'LAST_90_DAYS' },
          metrics: ['VIEWS', 'LIKES'],
        }),
      ],
    });
    await userEvent.type(await screen.findByLabelText('Name'), 'Daily views');
    await userEvent.click(screen.getByRole('button', { name: 'Save report' }));
    const heading = await screen.findByRole('heading', { level: 2, name: 'Daily views' });
    expect(location.current).toBe(`/reports?report=${encodeURIComponent(reportId(7))}`);
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText('Report saved.')).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Daily views' })).toBeTruthy();
  });

  it('shows the saved schedule in words with its next run, and pauses it', async () => {
    const saved = report(3, { schedule: schedule(), nextRunAt: NEXT_RUN });
    renderPage(<ReportsPage />, {
      route: `/reports?report=${encodeURIComponent(reportId(3))}`,
      mocks: [
        reportsPage([saved]),
        detail(saved),
        pendingPreview,
        {
          request: {
            query: PauseReportScheduleDocument,
            variables: { input: { id: reportId(3) } },
          },
          result: {
            data: {
              __typename: 'Mutation',
              pauseReportSchedule: {
                __typename: 'PauseReportSchedulePayload',
                report: {
                  __typename: 'Report',
                  id: reportId(3),
                  nextRunAt: null,
                  schedule: schedule(true),
                },
                userErrors: [],
              },
            },
          },
        },
      ],
    });
    const description = await screen.findByTestId('schedule-description');
    expect(description.textContent).toBe(
      'Every Monday at 09:00 (Europe/Paris)Next run Mon, Dec 7, 2026, 09:00 (Europe/Paris)',
    );
    expect((screen.getByLabelText('Time zone') as HTMLSelectElement).value).toBe('Europe/Paris');
    // Typing another expression shows a hint until it is saved.
    const cron = screen.getByLabelText('Schedule (cron)');
    await userEvent.clear(cron);
    await userEvent.type(cron, '30 7 * * 1-5');
    expect(screen.getByTestId('schedule-hint').textContent).toContain(
      'Every weekday at 07:30 (Europe/Paris)',
    );
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 9 * * 1');
    await userEvent.click(screen.getByRole('button', { name: 'Pause schedule' }));
    await screen.findByRole('button', { name: 'Resume schedule' });
    expect(screen.getByTestId('schedule-description').textContent).toContain('Paused');
    expect(screen.queryByTestId('next-run')).toBeNull();
  });

  it.each([
    ['its progress', { progress: 0.5 }],
    ['to its download link', { status: 'SUCCEEDED', progress: 1, rows: 4, exports: [csvFile(9)] }],
  ])('runs a report now and follows the run live: %s', async (_, update) => {
    const saved = report(4);
    const queued = run(9, { status: 'RUNNING', progress: 0.25, rows: null, finishedAt: null });
    renderPage(<ReportsPage />, {
      route: `/reports?report=${encodeURIComponent(reportId(4))}`,
      mocks: [
        reportsPage([saved]),
        detail(saved),
        pendingPreview,
        {
          request: {
            query: RunReportDocument,
            variables: { id: reportId(4), formats: ['CSV', 'PDF'] },
          },
          result: {
            data: {
              __typename: 'Mutation',
              runReport: { __typename: 'RunReportPayload', run: queued, userErrors: [] },
            },
          },
        },
        detail(saved, [queued]),
        reportsPage([{ ...saved, lastRun: queued }]),
        {
          request: { query: ReportRunLiveDocument, variables: { id: runId(9) } },
          result: { data: { reportRunUpdated: { ...queued, ...update } } },
        },
      ],
    });
    expect(await screen.findByText(/No runs yet/)).toBeTruthy();
    await userEvent.click(
      within(screen.getByRole('region', { name: 'Runs' })).getByRole('checkbox', { name: 'PDF' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Run now' }));
    const item = await screen.findByTestId('report-run');
    if ((update as Fixture)['status'] === 'SUCCEEDED') {
      const link = await within(item).findByRole('link', { name: /^Download CSV/ });
      expect(link.getAttribute('href')).toBe(csvFile(9).downloadUrl);
      expect(within(item).queryByRole('progressbar')).toBeNull();
      expect(item.textContent).toContain('Succeeded');
      // The list shows the same run (one cached object) as the report's last run.
      expect(document.querySelector('.report-item')!.textContent).toContain('Succeeded');
    } else {
      expect(item.textContent).toContain('Running');
      const bar = within(item).getByRole('progressbar');
      await waitFor(() => expect(bar.getAttribute('value')).toBe('50'));
      expect(item.textContent).toContain('50 %');
    }
  });

  it('offers each file of a finished run, and says why a run failed', async () => {
    const saved = report(5);
    renderPage(<ReportsPage />, {
      route: `/reports?report=${encodeURIComponent(reportId(5))}`,
      mocks: [
        reportsPage([saved]),
        detail(saved, [
          run(2, { exports: [csvFile(2)] }),
          run(1, {
            status: 'FAILED',
            progress: 0.3,
            rows: null,
            deadLettered: true,
            attempts: 4,
            error: 'The database did not answer.',
          }),
        ]),
        pendingPreview,
      ],
    });
    const [done, failed] = await screen.findAllByTestId('report-run');
    const link = within(done!).getByRole('link', { name: /^Download CSV/ });
    expect(link.getAttribute('href')).toBe(csvFile(2).downloadUrl);
    expect(link.getAttribute('download')).toBe('platforms-2.csv');
    expect(done!.textContent).toContain('4 rows');
    expect(within(done!).queryByRole('progressbar')).toBeNull();
    expect(failed!.textContent).toContain('Dead-lettered');
    expect(failed!.textContent).toContain('Failed: The database did not answer.');
    expect(within(failed!).queryByRole('link')).toBeNull();
  });

  it('says when the report does not exist', async () => {
    renderPage(<ReportsPage />, {
      route: `/reports?report=${encodeURIComponent(reportId(404))}`,
      mocks: [reportsPage([]), detail(null)],
    });
    expect(await screen.findByText('No such report')).toBeTruthy();
  });
});
