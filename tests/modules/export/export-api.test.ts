import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDaysTo,
  createCreator,
  ingest,
  localDateOf,
  startAnalyticsApp,
  type FixtureVideo,
} from '../../helpers/analytics.js';
import { encodeId } from '../../helpers/fixtures.js';
import { finishedNode } from '../../helpers/jobs.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let alice: TestViewer;
let videos: FixtureVideo[];
const now = Date.now();
const today = localDateOf(now, 'UTC');
const D = (k: number) => Date.parse(`${addDaysTo(today, -k)}T12:00:00Z`);

const EXPORT = /* GraphQL */ `
  mutation Export($input: ExportReportInput!) {
    exportReport(input: $input) {
      export {
        id
        status
        format
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
        id
        status
        progress
        rows
        bytes
        errorCode
        error
        fileName
        downloadUrl
        downloadExpiresAt
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

async function exportOf(input: Record<string, unknown>, key = alice.key) {
  const res = await t.graphql(EXPORT, { variables: { input }, key });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.exportReport;
}

const finished = (id: string, key = alice.key) => finishedNode(t, NODE, id, key);

beforeAll(async () => {
  t = await startAnalyticsApp({ JOB_RETRY_DELAY_SECONDS: '0' });
  const creator = await createCreator(t, {
    videos: [
      { platforms: ['youtube', 'tiktok'], title: '=HYPERLINK("http://x","click")' },
      { platforms: ['youtube'], title: 'Beta, "quoted"\nvlog' },
    ],
  });
  alice = creator.viewer;
  videos = creator.videos;
  await ingest(t, alice.key, [
    { video: videos[0]!, platform: 'youtube', delta: 100, at: D(1) },
    { video: videos[0]!, platform: 'tiktok', delta: 300, at: D(2) },
    { video: videos[1]!, platform: 'youtube', delta: 50, at: D(3) },
    { video: videos[1]!, platform: 'youtube', metric: 'LIKES', delta: 5, at: D(3) },
  ]);
});
afterAll(() => t.close());

describe('exportReport', () => {
  const definition = {
    metrics: ['VIEWS', 'LIKES'],
    dimensions: ['VIDEO', 'DATE'],
    range: { preset: 'LAST_7_DAYS' },
  };

  it('writes a CSV whose rows are analyticsReport rows, downloadable by its signed link', async () => {
    const { export: queued, userErrors } = await exportOf({ definition, format: 'CSV' });
    expect(userErrors).toEqual([]);
    expect(queued.status).toBe('QUEUED');
    const done = await finished(queued.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', progress: 1, rows: 3 });
    const api = await t.graphql(REPORT, { variables: { input: definition } });
    const expected = api.body.data.analyticsReport.rows.map(
      (row: { dimensions: { value: string }[]; metrics: { value: number }[] }) => [
        ...row.dimensions.map((d) => d.value),
        ...row.metrics.map((m) => String(m.value)),
      ],
    );
    const response = await t.app.fetch(done.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const [header, ...records] = parse(await response.text()) as string[][];
    expect(header).toEqual(['Video ID', 'Video', 'Date', 'Views', 'Likes']);
    expect(records.map((r) => [r[0], r[2], r[3], r[4]])).toEqual(expected);
    // A title that is a formula is neutralised in the spreadsheet.
    expect(records.some((r) => r[1] === `'=HYPERLINK("http://x","click")`)).toBe(true);
    expect(records.some((r) => r[1] === 'Beta, "quoted"\nvlog')).toBe(true);
  });

  it('refuses tampered and expired links, and revoked ones after revokeExportLinks', async () => {
    const done = await finished((await exportOf({ definition, format: 'JSON' })).export.id);
    const url = new URL(done.downloadUrl);
    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 60));
    expect((await t.app.fetch(tampered.toString())).status).toBe(403);
    const noSignature = new URL(url);
    noSignature.searchParams.delete('signature');
    expect((await t.app.fetch(noSignature.toString())).status).toBe(403);
    expect((await t.app.fetch(url.toString())).status).toBe(200);
    const revoke = await t.graphql(
      /* GraphQL */ `
        mutation Revoke($id: ID!) {
          revokeExportLinks(id: $id) {
            export {
              linksRevoked
              downloadUrl
            }
            userErrors {
              code
            }
          }
        }
      `,
      { variables: { id: done.id } },
    );
    expect(revoke.body.data.revokeExportLinks.export).toEqual({
      linksRevoked: true,
      downloadUrl: null,
    });
    const gone = await t.app.fetch(url.toString());
    expect(gone.status).toBe(410);
    expect((await gone.json()).errors[0].extensions.code).toBe('LINK_REVOKED');
  });

  it('gives per-field errors for bad definitions and nothing is queued', async () => {
    const { export: none, userErrors } = await exportOf({
      definition: { ...definition, orderBy: [{ field: 'SHARES', direction: 'DESC' }] },
      format: 'CSV',
    });
    expect(none).toBeNull();
    expect(userErrors[0]).toMatchObject({
      code: 'INVALID',
      field: ['input', 'definition', 'orderBy', '0', 'field'],
    });
    const both = await exportOf({
      definition,
      report: encodeId('Report', '00000000-0000-4000-8000-000000000000'),
      format: 'CSV',
    });
    expect(both.userErrors[0].code).toBe('INVALID');
  });

  it("keeps exports to their owner: another user's id resolves to nothing", async () => {
    const done = await finished((await exportOf({ definition, format: 'NDJSON' })).export.id);
    const bob = await t.createViewer();
    const res = await t.graphql(NODE, { variables: { id: done.id }, key: bob.key });
    expect(res.body.data.node).toBeNull();
    const narrow = await t.createViewer({ scopes: ['read:videos'] });
    const refused = await t.graphql(EXPORT, {
      variables: { input: { definition, format: 'CSV' } },
      key: narrow.key,
    });
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('INSUFFICIENT_SCOPE');
  });
});
