import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/modules/api-key/api-key.token.js';
import { collectOutput, exited, runScript, waitFor } from '../../helpers/process.js';
import { createSharedDatabaseUrl } from '../../helpers/test-app.js';

const demoKey = generateApiKey();
let database: Awaited<ReturnType<typeof createSharedDatabaseUrl>>;
let files: string;

const env = () => ({
  DATABASE_URL: database.url,
  PORT: '0',
  DEMO: 'true',
  DEMO_API_KEY: demoKey,
  DEMO_TRAFFIC: 'false',
  LOG_LEVEL: 'info',
  EXPORT_DIR: join(files, 'exports'),
  MAIL_CAPTURE_DIR: join(files, 'mail'),
  EXPORT_SIGNING_KEYS: 'k'.repeat(40),
  JOB_HEARTBEAT_SECONDS: '10',
  JOB_RETRY_DELAY_SECONDS: '0',
  // The test polls the export's state more often than a free plan may ask.
  RATE_LIMIT_ENABLED: 'false',
});

async function startServer() {
  const server = runScript('src/main.ts', [], env());
  const output = collectOutput(server);
  await waitFor(
    () => output.stdout.includes('Pulse is ready'),
    60_000,
    `startup; got ${output.stderr}`,
  );
  const line = output.stdout.split('\n').find((entry) => entry.includes('Pulse is ready'))!;
  return { server, url: `http://127.0.0.1:${JSON.parse(line).port}` };
}

async function graphql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${demoKey}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: any; errors?: unknown[] };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const NODE = `query($id: ID!) { node(id: $id) { ... on Export { status progress attempts rows downloadUrl } } }`;

beforeAll(async () => {
  database = await createSharedDatabaseUrl('pulse-export-crash');
  files = await mkdtemp(join(tmpdir(), 'pulse-crash-files-'));
});
afterAll(async () => {
  await database.drop();
  await rm(files, { recursive: true, force: true });
});

describe('a worker killed in mid-export', () => {
  it('the export is retried by the next instance and finishes; no partial file is ever linked', async () => {
    const first = await startServer();
    const queued = await graphql(
      first.url,
      `
        mutation ($input: ExportReportInput!) {
          exportReport(input: $input) {
            export {
              id
            }
            userErrors {
              message
            }
          }
        }
      `,
      {
        input: {
          format: 'XLSX',
          definition: {
            metrics: ['VIEWS', 'LIKES', 'COMMENTS'],
            dimensions: ['VIDEO', 'DATE', 'PLATFORM'],
            range: { preset: 'LAST_365_DAYS' },
          },
        },
      },
    );
    expect(queued.errors).toBeUndefined();
    const id = queued.data.exportReport.export.id as string;
    await until(
      async () => (await graphql(first.url, NODE, { id })).data.node.status === 'RUNNING',
      60_000,
      'the export to start',
    );
    first.server.kill('SIGKILL');
    await exited(first.server);

    const second = await startServer();
    try {
      const during = await graphql(second.url, NODE, { id });
      expect(during.data.node.downloadUrl).toBeNull();
      let done: any;
      await until(
        async () => {
          done = (await graphql(second.url, NODE, { id })).data.node;
          return done.status === 'SUCCEEDED' || done.status === 'FAILED';
        },
        90_000,
        'the retried export to finish',
      );
      expect(done).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
      // Retried at least once (more when a loaded machine delays a heartbeat past its deadline).
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      const file = await fetch(done.downloadUrl);
      expect(file.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await file.arrayBuffer()) as unknown as ExcelJS.Buffer);
      expect(workbook.getWorksheet('Data')!.actualRowCount).toBe(done.rows + 1);
    } finally {
      second.server.kill('SIGTERM');
      await exited(second.server);
    }
  }, 240_000);
});
