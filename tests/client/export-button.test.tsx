import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  contentDefinition,
  ExportButton,
  overviewDefinition,
} from '../../client/src/components/export-button.js';
import { ExportViewDocument, ExportViewProgressDocument } from '../../client/src/gql/graphql.js';
import { renderPage } from './render.js';

afterEach(cleanup);

const EXPORT_ID = Buffer.from('Export:1').toString('base64');
const definition = overviewDefinition({
  range: { preset: 'LAST_7_DAYS' },
  compare: 'NONE',
  interval: 'DAY',
  platforms: ['YOUTUBE'],
  tag: 'vlog',
});
const TITLE = 'Overview, Last 7 days';

const exportState = (overrides: Record<string, unknown> = {}) => ({
  __typename: 'Export',
  id: EXPORT_ID,
  format: 'CSV',
  status: 'QUEUED',
  progress: 0,
  fileName: null,
  downloadUrl: null,
  error: null,
  rows: null,
  ...overrides,
});

const started = (payload: Record<string, unknown>, format = 'CSV') => ({
  request: {
    query: ExportViewDocument,
    variables: { input: { definition, format, title: TITLE } },
  },
  result: {
    data: {
      __typename: 'Mutation',
      exportReport: { __typename: 'ExportPayload', userErrors: [], export: null, ...payload },
    },
  },
});

const progress = (overrides: Record<string, unknown>) => ({
  request: { query: ExportViewProgressDocument, variables: { id: EXPORT_ID } },
  result: { data: { exportProgress: exportState(overrides) } },
});

const button = () => screen.getByRole('button', { name: `Export: ${TITLE}` });
const panel = () => screen.getByRole('group', { name: `Export ${TITLE}` });

describe('the views as report definitions', () => {
  it('asks the Overview’s question: its range, comparison, buckets and filters', () => {
    expect(definition).toEqual({
      metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'WATCH_SECONDS', 'ENGAGEMENT_RATE'],
      dimensions: ['DATE'],
      range: { preset: 'LAST_7_DAYS' },
      compare: 'NONE',
      filters: [
        { field: 'PLATFORM', operator: 'IN', values: ['YOUTUBE'] },
        { field: 'TAG', operator: 'EQ', value: 'vlog' },
      ],
    });
    const hourly = overviewDefinition({
      range: { preset: 'LAST_24_HOURS' },
      compare: 'PREVIOUS_PERIOD',
      interval: 'HOUR',
      platforms: [],
      tag: '',
    });
    expect(hourly.dimensions).toEqual(['DATE', 'HOUR']);
    expect(hourly.filters).toBeUndefined();
  });

  it('lists the Content page’s videos with its search, filters and metric order', () => {
    expect(
      contentDefinition({ search: 'review', platforms: [], tag: 'Tech', orderField: 'LIKES' }),
    ).toEqual({
      metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'ENGAGEMENT_RATE'],
      dimensions: ['VIDEO'],
      range: { preset: 'ALL_TIME' },
      filters: [
        { field: 'VIDEO', operator: 'CONTAINS', value: 'review' },
        { field: 'TAG', operator: 'EQ', value: 'tech' },
      ],
      orderBy: [{ field: 'LIKES', direction: 'DESC' }],
    });
    expect(
      contentDefinition({ search: '', platforms: [], tag: '', orderField: 'PUBLISHED_AT' }),
    ).toEqual({
      metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'ENGAGEMENT_RATE'],
      dimensions: ['VIDEO'],
      range: { preset: 'ALL_TIME' },
    });
  });
});

describe('the Export button', () => {
  it('opens its formats, and Escape closes them with focus back on the button', async () => {
    renderPage(<ExportButton definition={definition} title={TITLE} />);
    expect(button().getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('group')).toBeNull();
    await userEvent.click(button());
    expect(button().getAttribute('aria-expanded')).toBe('true');
    expect(
      within(panel())
        .getAllByRole('button')
        .map((choice) => choice.textContent),
    ).toEqual(['CSV', 'Excel (XLSX)', 'PDF']);
    await userEvent.keyboard('{Escape}');
    expect(button().getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button());
  });

  it('shows the progress the server reports live', async () => {
    renderPage(<ExportButton definition={definition} title={TITLE} />, {
      mocks: [started({ export: exportState() }), progress({ status: 'RUNNING', progress: 0.4 })],
    });
    await userEvent.click(button());
    await userEvent.click(within(panel()).getByRole('button', { name: 'CSV' }));
    const bar = await within(panel()).findByRole('progressbar', { name: 'Export progress (CSV)' });
    await waitFor(() => expect(bar.getAttribute('value')).toBe('40'));
    expect(panel().textContent).toContain('40 %');
    // One export at a time.
    expect(
      (within(panel()).getByRole('button', { name: 'PDF' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it('offers the file once it is ready', async () => {
    const url = `http://pulse.test/exports/1/download?expires=1&signature=s`;
    renderPage(<ExportButton definition={definition} title={TITLE} />, {
      mocks: [
        started({ export: exportState() }),
        progress({
          status: 'SUCCEEDED',
          progress: 1,
          fileName: 'Overview-Last-7-days.csv',
          downloadUrl: url,
          rows: 7,
        }),
      ],
    });
    await userEvent.click(button());
    await userEvent.click(within(panel()).getByRole('button', { name: 'CSV' }));
    const link = await within(panel()).findByRole('link', {
      name: 'Download Overview-Last-7-days.csv',
    });
    expect(link.getAttribute('href')).toBe(url);
    expect(link.getAttribute('download')).toBe('Overview-Last-7-days.csv');
    expect(panel().textContent).toContain('7 rows');
    expect(within(panel()).queryByRole('progressbar')).toBeNull();
  });

  it('says why the server refused or the file failed', async () => {
    renderPage(<ExportButton definition={definition} title={TITLE} />, {
      mocks: [
        started(
          {
            userErrors: [
              {
                __typename: 'UserError',
                field: [],
                code: 'LIMIT_REACHED',
                message: 'Your plan runs 2 exports at once; wait for one to finish.',
              },
            ],
          },
          'PDF',
        ),
        started({ export: exportState({ format: 'XLSX' }) }, 'XLSX'),
        progress({ format: 'XLSX', status: 'FAILED', error: 'The export is too large.' }),
      ],
    });
    await userEvent.click(button());
    await userEvent.click(within(panel()).getByRole('button', { name: 'PDF' }));
    expect((await within(panel()).findByRole('alert')).textContent).toBe(
      'Your plan runs 2 exports at once; wait for one to finish.',
    );
    await userEvent.click(within(panel()).getByRole('button', { name: 'Excel (XLSX)' }));
    await waitFor(() =>
      expect(within(panel()).getByRole('alert').textContent).toBe(
        'The export failed. The export is too large.',
      ),
    );
  });

  it('notes what the file leaves out of the view', async () => {
    renderPage(
      <ExportButton
        definition={definition}
        title={TITLE}
        note="The status filter is not part of the file."
      />,
    );
    await userEvent.click(button());
    expect(panel().textContent).toContain('The status filter is not part of the file.');
  });
});
