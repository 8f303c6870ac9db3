import { readFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockFileFor } from '../../src/db/data-dir-lock.js';
import {
  exportTable,
  ownerDailyRollupTable,
  publicationDailyRollupTable,
  reportRunTable,
} from '../../src/db/schema.js';
import type { ReportInput } from '../../src/modules/analytics/report/report.compile.js';
import { runReport } from '../../src/modules/analytics/report/report.service.js';
import { createReport } from '../../src/modules/report/report.service.js';
import { createUser } from '../../src/modules/user/user.service.js';
import { useCliDatabase } from '../helpers/cli.js';
import { createChannels, createPublishedVideo, encodeId } from '../helpers/fixtures.js';
import { runToEnd } from '../helpers/process.js';
import { onPostgres } from '../helpers/test-app.js';

// `report run` and `export` are other processes on a database they open themselves (a PGlite
// directory or a PostgreSQL database), with no server running.
const shared = useCliDatabase('pulse-cli-report');

let dir: string;
let exportDir: string;
let reportId: string;
let ownerId: string;
const settings = { now: Date.now(), hourlyRetentionDays: 7 };
const DAYS = ['2025-03-01', '2025-03-02', '2025-03-03'];
const definition: ReportInput = {
  metrics: ['views', 'likes'],
  dimensions: ['VIDEO', 'DATE'],
  orderBy: [{ field: 'views', direction: 'desc' }],
  range: { startDate: DAYS[0]!, endDate: DAYS.at(-1)! },
};

const cli = (args: string[], env: Record<string, string> = {}) =>
  runToEnd('src/cli/index.ts', args, {
    DATABASE_URL: shared.url,
    EXPORT_DIR: exportDir,
    MAIL_CAPTURE_DIR: join(dir, 'mail'),
    JOB_RETRY_DELAY_SECONDS: '0',
    ...env,
  });

/** What analyticsReport answers for the definition: video global ID, date, views, likes. */
async function expectedRows(): Promise<string[][]> {
  return shared.open(async ({ db }) => {
    const report = await runReport(db, { id: ownerId, timezone: 'UTC' }, definition, settings);
    return report.rows.map((row) => [
      encodeId('Video', row.dimensions[0]!.value),
      row.dimensions[1]!.value,
      String(row.current.views),
      String(row.current.likes),
    ]);
  });
}

async function readXlsx(path: string): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const sheet = book.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    rows.push(values.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))));
  });
  return rows;
}

/** CSV rows without the header, in the columns analyticsReport has (the title is extra). */
const csvRows = (text: string) =>
  (parse(text, { bom: true }) as string[][]).map((r) => [r[0]!, r[2]!, r[3]!, r[4]!]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-cli-report-'));
  exportDir = join(dir, 'exports');
  await shared.open(
    async ({ db }) => {
      const user = await createUser(db, {
        email: 'reports@pulse.test',
        name: 'Reports',
        plan: 'pro',
        timezone: 'UTC',
      });
      if (!user.ok) throw new Error(JSON.stringify(user.errors));
      ownerId = user.value.id;
      const [channel] = await createChannels(db, ownerId, ['youtube']);
      const titles = ['Alpha', '=HYPERLINK("http://x")', 'Gamma'];
      for (const [v, title] of titles.entries()) {
        const { publications } = await createPublishedVideo(db, ownerId, { title });
        const publication = publications[0]!;
        for (const [d, day] of DAYS.entries()) {
          const views = 100 * (v + 1) + 7 * d;
          const values = { views, likes: Math.floor(views / 10) };
          await db.insert(publicationDailyRollupTable).values({
            publicationId: publication.id,
            day,
            ownerId,
            videoId: publication.videoId,
            channelId: channel!.id,
            platform: 'youtube',
            ...values,
          });
        }
      }
      for (const [d, day] of DAYS.entries()) {
        const views = titles.reduce((sum, _, v) => sum + 100 * (v + 1) + 7 * d, 0);
        await db.insert(ownerDailyRollupTable).values({
          ownerId,
          platform: 'youtube',
          day,
          views,
          likes: titles.reduce((s, _, v) => s + Math.floor((100 * (v + 1) + 7 * d) / 10), 0),
        });
      }
      const report = await createReport(
        db,
        { id: ownerId, plan: 'pro', timezone: 'UTC' },
        { name: 'Top videos', kind: 'custom', definition, formats: ['csv'] },
        settings,
      );
      if (!report.ok) throw new Error(JSON.stringify(report.errors));
      reportId = report.value.id;
    },
    { migrate: true },
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

// Each step starts a CLI process (tsx compiles on start, pg-boss starts): generous on 2 cores.
describe('npm run cli -- export / report run', { timeout: 180_000 }, () => {
  it('export writes a CSV equal to analyticsReport, by uuid, formula cells neutralised', async () => {
    const out = join(dir, 'top.csv');
    const result = await cli(['export', reportId, '--format', 'csv', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote 9 rows of “Top videos” (2025-03-01 – 2025-03-03`);
    const text = await readFile(out, 'utf8');
    const [header, ...rest] = parse(text, { bom: true }) as string[][];
    expect(header).toEqual(['Video ID', 'Video', 'Date', 'Views', 'Likes']);
    expect(csvRows(text).slice(1)).toEqual(await expectedRows());
    expect(rest.map((r) => r[1])).toContain(`'=HYPERLINK("http://x")`);
    // No temp file is left beside it.
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('export by global ID writes an XLSX (format from --format) that exceljs reads back', async () => {
    const out = join(dir, 'top.xlsx');
    const result = await cli([
      'export',
      encodeId('Report', reportId),
      '--format',
      'xlsx',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const rows = await readXlsx(out);
    expect(rows[0]).toEqual(['Video ID', 'Video', 'Date', 'Views', 'Likes']);
    expect(rows.slice(1).map((r) => [r[0]!, r[2]!, r[3]!, r[4]!])).toEqual(await expectedRows());
  });

  it('export to stdout (--out -) with the format taken from --format, messages on stderr', async () => {
    const result = await cli(['export', reportId, '--format', 'ndjson', '--out', '-']);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(9);
    expect(lines.map((l) => [l.video, l.date, String(l.views), String(l.likes)])).toEqual(
      await expectedRows(),
    );
    expect(result.stderr).toContain('wrote 9 rows');
  });

  it('export takes the format from --out when --format is missing', async () => {
    const out = join(dir, 'top.json');
    const result = await cli(['export', reportId, '--out', out]);
    expect(result.code).toBe(0);
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.meta.title).toBe('Top videos');
    expect(
      json.rows.map((r: Record<string, unknown>) => [
        r.video,
        r.date,
        String(r.views),
        String(r.likes),
      ]),
    ).toEqual(await expectedRows());
  });

  it('export refuses a bad id, an unknown report, a bad format with exit 2 and writes nothing', async () => {
    const out = join(dir, 'never.csv');
    const bad = await cli(['export', 'not-an-id', '--format', 'csv', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"not-an-id" is not a report id');
    const wrongType = await cli(['export', encodeId('Video', reportId), '--out', out]);
    expect(wrongType.code).toBe(2);
    const unknown = await cli(['export', '00000000-0000-4000-8000-000000000000', '--out', out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No report with id 00000000-0000-4000-8000-000000000000');
    const format = await cli(['export', reportId, '--format', 'docx', '--out', out]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Unknown format(s): docx. Known: csv, xlsx, json, ndjson, pdf');
    const none = await cli(['export', reportId, '--out', join(dir, 'file.txt')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Give --format');
    expect(existsSync(out)).toBe(false);
  });

  it('report run queues a run, works it in the CLI process and prints each file', async () => {
    const result = await cli([
      'report',
      'run',
      encodeId('Report', reportId),
      '--formats',
      'csv,xlsx',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/queued run \S+ of “Top videos”/);
    expect(result.stderr).toContain('succeeded: 9 rows, 2 file(s)');
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(lines.map((l) => l.slice(0, 2))).toEqual([
      ['csv', '9'],
      ['xlsx', '9'],
    ]);
    const [csv, xlsx] = lines.map((l) => l[3]!);
    expect(csv!.startsWith(exportDir)).toBe(true);
    expect(csvRows(await readFile(csv!, 'utf8')).slice(1)).toEqual(await expectedRows());
    expect((await readXlsx(xlsx!)).length).toBe(10);
    await shared.open(async ({ db }) => {
      const runs = await db
        .select()
        .from(reportRunTable)
        .where(eq(reportRunTable.reportId, reportId));
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'succeeded', trigger: 'manual', rows: 9 });
      const files = await db.select().from(exportTable).where(eq(exportTable.runId, runs[0]!.id));
      expect(files.map((f) => f.status).sort()).toEqual(['succeeded', 'succeeded']);
    });
  });

  it('report run --no-wait only queues; a later report run works the queue and prints a link with signing keys', async () => {
    const queued = await cli(['report', 'run', reportId, '--no-wait']);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toBe('');
    expect(queued.stderr).toContain('Not waiting');
    await shared.open(async ({ db }) => {
      const runs = await db
        .select()
        .from(reportRunTable)
        .where(eq(reportRunTable.status, 'queued'));
      expect(runs).toHaveLength(1);
    });
    const key = 'k'.repeat(48);
    const run = await cli(['report', 'run', reportId, '--formats', 'json'], {
      EXPORT_SIGNING_KEYS: key,
      PUBLIC_URL: 'http://127.0.0.1:4999',
    });
    expect(run.code).toBe(0);
    const [format, rows, bytes, path, link] = run.stdout.trim().split('\t');
    expect([format, rows]).toEqual(['json', '9']);
    expect(Number(bytes)).toBeGreaterThan(0);
    const json = JSON.parse(await readFile(path!, 'utf8'));
    expect(json.rows).toHaveLength(9);
    expect(link).toMatch(
      /^http:\/\/127\.0\.0\.1:4999\/exports\/[0-9a-f-]{36}\/download\?expires=\d+&signature=/,
    );
    // The run queued with --no-wait was worked too, first: the queue hands out the oldest job
    // first, and the CLI works one at a time.
    const statuses = await shared.open(async ({ db }) =>
      (await db.select().from(reportRunTable).where(eq(reportRunTable.reportId, reportId))).map(
        (r) => r.status,
      ),
    );
    expect(statuses).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('report run refuses a bad format list and an unknown report with exit 2', async () => {
    const format = await cli(['report', 'run', reportId, '--formats', 'csv,csv']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Give each format once');
    const unknown = await cli([
      'report',
      'run',
      encodeId('Report', '00000000-0000-4000-8000-000000000000'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No report with id');
  });
});

// PGlite is one process: a server holding its directory keeps the CLI out (on PostgreSQL both share it).
if (!onPostgres)
  describe('npm run cli -- report run / export beside a server', { timeout: 120_000 }, () => {
    it('refuses while a server holds the embedded data directory, and writes nothing', async () => {
      const dataDir = shared.url.slice('file://'.length);
      // This test process plays the server: a live pid holding the lock.
      await writeFile(
        lockFileFor(dataDir),
        JSON.stringify({ pid: process.pid, role: 'server', startedAt: 'now' }),
      );
      try {
        for (const args of [
          ['report', 'run', reportId],
          ['export', reportId, '--format', 'csv', '--out', join(dir, 'locked.csv')],
        ]) {
          const refused = await cli(args);
          expect(refused.code).toBe(1);
          expect(refused.stderr).toContain(
            `The embedded database in ${dataDir} is in use by a running Pulse server (pid ${process.pid}`,
          );
          expect(refused.stderr).toContain('Nothing was changed');
        }
        expect(existsSync(join(dir, 'locked.csv'))).toBe(false);
      } finally {
        await rm(lockFileFor(dataDir));
      }
    });
  });
