import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTable } from '../../../src/db/schema.js';
import { sweepExpiredExports } from '../../../src/modules/export/export.service.js';
import { sseClient, wsClient } from '../../helpers/live.js';
import { S3rver, type S3rverServer } from '../../helpers/s3rver.js';
import { seedAccount } from '../../helpers/seed.js';
import { finishedNode } from '../../helpers/jobs.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const EXPORT = /* GraphQL */ `
  mutation Export($input: ExportReportInput!) {
    exportReport(input: $input) {
      export {
        id
        status
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
        rows
        bytes
        attempts
        deadLettered
        errorCode
        error
        downloadUrl
      }
    }
  }
`;
const PROGRESS = /* GraphQL */ `
  subscription Progress($id: ID!) {
    exportProgress(id: $id) {
      status
      progress
    }
  }
`;
const definition = {
  metrics: ['VIEWS'],
  dimensions: ['PLATFORM'],
  range: { preset: 'LAST_7_DAYS' },
};

async function exportOf(t: TestApp, key: string, input: Record<string, unknown> = {}) {
  const res = await t.graphql(EXPORT, {
    variables: { input: { definition, format: 'CSV', ...input } },
    key,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.exportReport;
}

const finished = (t: TestApp, id: string, key: string) => finishedNode(t, NODE, id, key);

describe('limits and expiry', () => {
  let t: TestApp;
  let viewer: TestViewer;
  beforeAll(async () => {
    t = await startTestApp({ EXPORT_MAX_BYTES: '10', EXPORT_LINK_TTL_HOURS: '0.0005' });
    viewer = await seedAccount(t, { channels: ['youtube'] });
  });
  afterAll(() => t.close());

  it('fails a file past EXPORT_MAX_BYTES at once with EXPORT_TOO_LARGE, not after retries', async () => {
    const { export: queued } = await exportOf(t, viewer.key);
    const done = await finished(t, queued.id, viewer.key);
    expect(done).toMatchObject({
      status: 'FAILED',
      errorCode: 'EXPORT_TOO_LARGE',
      attempts: 1,
      deadLettered: false,
      downloadUrl: null,
    });
    const [row] = await t.database.db
      .select()
      .from(exportTable)
      .where(eq(exportTable.title, 'Report'));
    expect(row!.storageKey).toBeNull();
  });
});

describe('links, retention, concurrency and progress', () => {
  let t: TestApp;
  let viewer: TestViewer;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp({ EXPORT_LINK_TTL_HOURS: '0.0005' });
    viewer = await seedAccount(t, { channels: ['youtube'] });
    baseUrl = (await t.app.start()).url;
  });
  afterAll(() => t.close());

  it('refuses a link once it expired (410), though the file is still kept', async () => {
    const done = await finished(t, (await exportOf(t, viewer.key)).export.id, viewer.key);
    expect((await fetch(done.downloadUrl)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const expired = await fetch(done.downloadUrl);
    expect(expired.status).toBe(410);
    expect((await expired.json()).errors[0].extensions.code).toBe('LINK_EXPIRED');
    // A new link works: the file itself is kept for EXPORT_RETENTION_DAYS.
    const again = await finished(t, done.id, viewer.key);
    expect((await fetch(again.downloadUrl)).status).toBe(200);
  });

  it('deletes files past their retention; their links then answer 410', async () => {
    const done = await finished(t, (await exportOf(t, viewer.key)).export.id, viewer.key);
    const id = Buffer.from(done.id, 'base64').toString().split(':')[1]!;
    const [row] = await t.database.db.select().from(exportTable).where(eq(exportTable.id, id));
    await t.database.db
      .update(exportTable)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(exportTable.id, id));
    expect(await sweepExpiredExports(t.app.services.exports)).toBeGreaterThanOrEqual(1);
    await expect(t.app.services.exports.storage.open(row!.storageKey!)).rejects.toThrow();
    const gone = await fetch(done.downloadUrl);
    expect(gone.status).toBe(410);
  });

  it('streams progress over graphql-ws and SSE: current state first, completes when done', async () => {
    for (const client of [wsClient(baseUrl, viewer.key), sseClient(baseUrl, viewer.key)]) {
      const { export: queued } = await exportOf(t, viewer.key);
      const seen: string[] = [];
      for await (const message of client.iterate({
        query: PROGRESS,
        variables: { id: queued.id },
      })) {
        expect(message.errors).toBeUndefined();
        seen.push((message.data as { exportProgress: { status: string } }).exportProgress.status);
      }
      expect(seen.at(-1)).toBe('SUCCEEDED');
      expect(seen.length).toBeGreaterThanOrEqual(1);
      await client.dispose();
    }
  });

  it("refuses another user's export on a subscription too", async () => {
    const { export: queued } = await exportOf(t, viewer.key);
    const bob = await t.createViewer();
    const client = wsClient(baseUrl, bob.key);
    const consume = async () => {
      for await (const _ of client.iterate({ query: PROGRESS, variables: { id: queued.id } })) {
        throw new Error('a message reached another user');
      }
    };
    await expect(consume()).rejects.toSatisfy((errors: unknown) =>
      JSON.stringify(errors).includes('NOT_FOUND'),
    );
    await client.dispose();
  });
});

describe('concurrent exports per plan', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No worker: exports stay queued, so the limit is what answers.
    t = await startTestApp({ JOB_WORKERS: '0' });
  });
  afterAll(() => t.close());

  it('queues at most the plan limit at once (free: 2), then LIMIT_REACHED', async () => {
    const viewer = await seedAccount(t, { channels: ['youtube'] });
    const answers = await Promise.all([1, 2, 3].map(() => exportOf(t, viewer.key)));
    const refused = answers.filter((a) => a.export === null);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.userErrors[0].code).toBe('LIMIT_REACHED');
  });
});

describe('S3 storage (s3rver)', () => {
  let t: TestApp;
  let s3: S3rverServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-s3-'));
    s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'pulse-exports' }],
    });
    const { port } = await s3.run();
    t = await startTestApp({
      EXPORT_STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: 'pulse-exports',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the file in the bucket; the signed link redirects to a presigned GET that returns it', async () => {
    const viewer = await seedAccount(t, { channels: ['youtube'] });
    const done = await finished(t, (await exportOf(t, viewer.key)).export.id, viewer.key);
    expect(done.status).toBe('SUCCEEDED');
    const redirect = await t.app.fetch(done.downloadUrl, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const presigned = redirect.headers.get('location')!;
    expect(presigned).toContain('X-Amz-Signature');
    const file = await fetch(presigned);
    expect(file.status).toBe(200);
    expect((await file.text()).split('\r\n')[0]).toBe('Platform,Views');
  });
});
