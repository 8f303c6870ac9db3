import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDaysTo,
  createCreator,
  ingest,
  localDateOf,
  startAnalyticsApp,
  type TestEvent,
} from '../../helpers/analytics.js';
import { finishedNode } from '../../helpers/jobs.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let alice: TestViewer;
const today = localDateOf(Date.now(), 'UTC');

const EXPORT = /* GraphQL */ `
  mutation Export($input: ExportReportInput!) {
    exportReport(input: $input) {
      export {
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
const NODE = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) {
      ... on Export {
        status
        error
        downloadUrl
      }
    }
  }
`;
const REPORT = /* GraphQL */ `
  query Report($input: AnalyticsReportInput!) {
    analyticsReport(input: $input) {
      rows {
        dimensions {
          value
        }
        metrics {
          value
          previous
        }
      }
    }
  }
`;

async function download(input: Record<string, unknown>): Promise<Response> {
  const res = await t.graphql(EXPORT, { variables: { input } });
  expect(res.body.data.exportReport.userErrors).toEqual([]);
  const node = await finishedNode(t, NODE, res.body.data.exportReport.export.id, alice.key);
  if (node.status === 'FAILED') throw new Error(node.error);
  return t.app.fetch(node.downloadUrl);
}

beforeAll(async () => {
  t = await startAnalyticsApp({ RATE_LIMIT_ENABLED: 'false' });
  const creator = await createCreator(t, {
    videos: [
      { platforms: ['youtube', 'tiktok'], tags: ['a'], title: 'One' },
      { platforms: ['instagram'], tags: ['a', 'b'], title: 'Two' },
      { platforms: ['twitter', 'youtube'], tags: ['b'], title: 'Three' },
    ],
  });
  alice = creator.viewer;
  const events: TestEvent[] = [];
  const metrics = ['VIEWS', 'LIKES', 'SHARES', 'CLICKS', 'IMPRESSIONS'] as const;
  creator.videos.forEach((video, v) =>
    video.publications.forEach((publication, p) => {
      for (let day = 0; day < 20; day += 1 + ((v + p) % 3))
        for (const metric of metrics)
          events.push({
            video,
            platform: publication.platform,
            metric,
            delta: 1 + ((day * 7 + v * 3 + p) % 13) * (metric === 'IMPRESSIONS' ? 10 : 1),
            // Ingest refuses the future: today's events sit a minute ago when 10:00 UTC is still ahead.
            at: Math.min(Date.parse(`${addDaysTo(today, -day)}T10:00:00Z`), Date.now() - 60_000),
          });
    }),
  );
  await ingest(t, alice.key, events);
});
afterAll(() => t.close());

const definitions = fc.record({
  metrics: fc.uniqueArray(
    fc.constantFrom('VIEWS', 'LIKES', 'SHARES', 'CLICKS', 'ENGAGEMENT_RATE', 'CTR'),
    { minLength: 1, maxLength: 3 },
  ),
  dimensions: fc.uniqueArray(
    fc.constantFrom('DATE', 'WEEK', 'PLATFORM', 'VIDEO', 'TAG', 'WEEKDAY'),
    { maxLength: 2 },
  ),
  range: fc.constantFrom(
    { preset: 'LAST_7_DAYS' },
    { preset: 'LAST_28_DAYS' },
    { preset: 'MONTH_TO_DATE' },
  ),
  compare: fc.constantFrom('NONE', 'PREVIOUS_PERIOD'),
  limit: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
});

/** analyticsReport's rows as flat cells: dimension values, then each metric (and its previous). */
async function expectedRows(definition: Record<string, unknown>) {
  const res = await t.graphql(REPORT, { variables: { input: definition } });
  expect(res.body.errors).toBeUndefined();
  const compared = definition['compare'] === 'PREVIOUS_PERIOD';
  return res.body.data.analyticsReport.rows.map(
    (row: {
      dimensions: { value: string }[];
      metrics: { value: number | null; previous: number | null }[];
    }) => ({
      dimensions: row.dimensions.map((d) => d.value),
      metrics: row.metrics.flatMap((m) => (compared ? [m.value, m.previous] : [m.value])),
    }),
  );
}

/** Splits a file row into the same shape; VIDEO's extra title column is left out. */
function shape(cells: unknown[], definition: { dimensions: string[] }) {
  const dimensionCells: unknown[] = [];
  let index = 0;
  for (const dimension of definition.dimensions) {
    dimensionCells.push(cells[index]);
    index += dimension === 'VIDEO' ? 2 : 1;
  }
  // XLSX keeps dates as date cells (shown in the sheet's date format).
  const text = (cell: unknown) =>
    cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell);
  return { dimensions: dimensionCells.map(text), metrics: cells.slice(index) };
}

const numberOrNull = (cell: unknown) =>
  cell === '' || cell === null || cell === undefined ? null : Number(cell);

describe('exported rows are analyticsReport rows (random definitions)', () => {
  it('CSV, XLSX and JSON agree with the API for every definition', async () => {
    await fc.assert(
      fc.asyncProperty(definitions, async (definition) => {
        const expected = await expectedRows(definition);

        const csv = parse(
          await (await download({ definition, format: 'CSV' })).text(),
        ) as string[][];
        expect(
          csv
            .slice(1)
            .map((cells) => shape(cells, definition))
            .map((r) => ({ ...r, metrics: r.metrics.map(numberOrNull) })),
        ).toEqual(expected);

        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(
          Buffer.from(
            await (await download({ definition, format: 'XLSX' })).arrayBuffer(),
          ) as unknown as ExcelJS.Buffer,
        );
        const sheet = workbook.getWorksheet('Data')!;
        const xlsxRows: unknown[][] = [];
        const width = sheet.getRow(1).cellCount;
        sheet.eachRow((row, number) => {
          // exceljs reads no cell for a trailing empty (null) value.
          if (number > 1)
            xlsxRows.push(Array.from({ length: width }, (_, i) => row.getCell(i + 1).value));
        });
        expect(
          xlsxRows
            .map((cells) => shape(cells, definition))
            .map((r) => ({ ...r, metrics: r.metrics.map(numberOrNull) })),
        ).toEqual(expected);

        const json = (await (await download({ definition, format: 'JSON' })).json()) as {
          meta: { columns: { key: string }[] };
          rows: Record<string, unknown>[];
        };
        const keys = json.meta.columns.map((c) => c.key);
        expect(
          json.rows.map((row) =>
            shape(
              keys.map((k) => row[k]),
              definition,
            ),
          ),
        ).toEqual(expected);
      }),
      { numRuns: 10 },
    );
  }, 240_000);
});
