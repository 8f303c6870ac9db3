import type { AddressInfo } from 'node:net';
import { eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { buildApp, type App } from '../../../src/app.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTable, reportRunTable } from '../../../src/db/schema.js';
import { runDueSchedules } from '../../../src/modules/report/scheduler.js';
import {
  addDaysTo,
  createCreator,
  ingest,
  localDateOf,
  startAnalyticsApp,
} from '../../helpers/analytics.js';
import { encodeId } from '../../helpers/fixtures.js';
import { finishedNode } from '../../helpers/jobs.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let alice: TestViewer;
let smtp: SMTPServer;
const received: ParsedMail[] = [];
const today = localDateOf(Date.now(), 'UTC');
const D = (k: number) => Date.parse(`${addDaysTo(today, -k)}T12:00:00Z`);

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateReportInput!) {
    createReport(input: $input) {
      report {
        id
        nextRunAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;
const RUN = /* GraphQL */ `
  mutation Run($id: ID!, $formats: [ExportFormat!]) {
    runReport(id: $id, formats: $formats) {
      run {
        id
        status
        trigger
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;
const RUN_NODE = /* GraphQL */ `
  query RunNode($id: ID!) {
    node(id: $id) {
      ... on ReportRun {
        status
        progress
        rows
        trigger
        emailed
        error
        startDate
        endDate
        report {
          id
          lastRun {
            id
          }
        }
        exports {
          id
          format
          status
          rows
          downloadUrl
          run {
            id
          }
          report {
            id
          }
        }
      }
    }
  }
`;

const finishedRun = (id: string, key = alice.key) => finishedNode(t, RUN_NODE, id, key);

async function createReport(input: Record<string, unknown>, key = alice.key) {
  const res = await t.graphql(CREATE, { variables: { input }, key });
  expect(res.body.data.createReport.userErrors).toEqual([]);
  return res.body.data.createReport.report as { id: string; nextRunAt: string | null };
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await startAnalyticsApp({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    JOB_RETRY_DELAY_SECONDS: '0',
  });
  const creator = await createCreator(t, {
    videos: [
      { platforms: ['youtube'], title: 'Alpha' },
      { platforms: ['tiktok'], title: 'Beta' },
    ],
  });
  alice = creator.viewer;
  await ingest(t, alice.key, [
    { video: creator.videos[0]!, platform: 'youtube', delta: 120, at: D(1) },
    { video: creator.videos[1]!, platform: 'tiktok', delta: 80, at: D(2) },
    { video: creator.videos[0]!, platform: 'youtube', delta: 40, at: D(5) },
  ]);
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('report runs', () => {
  it('runs a saved report now: one file per format, linked to the run and the report', async () => {
    const report = await createReport({ name: 'Top videos', kind: 'PERFORMANCE' });
    const res = await t.graphql(RUN, {
      variables: { id: report.id, formats: ['CSV', 'XLSX', 'PDF'] },
    });
    const { run, userErrors } = res.body.data.runReport;
    expect(userErrors).toEqual([]);
    expect(run).toMatchObject({ status: 'QUEUED', trigger: 'MANUAL' });
    const done = await finishedRun(run.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', progress: 1, emailed: false });
    expect(done.report).toEqual({ id: report.id, lastRun: { id: run.id } });
    expect(done.exports.map((e: { format: string }) => e.format)).toEqual(['CSV', 'XLSX', 'PDF']);
    for (const file of done.exports) {
      expect(file).toMatchObject({
        status: 'SUCCEEDED',
        rows: 2,
        run: { id: run.id },
        report: { id: report.id },
      });
      expect((await t.app.fetch(file.downloadUrl)).status).toBe(200);
    }
    expect(done.endDate).toBe(today);
  });

  it('mails a scheduled run to its recipients with the file attached, once per tick, and missed ticks run once', async () => {
    const report = await createReport({
      name: 'Weekly <b>numbers</b>',
      definition: {
        metrics: ['VIEWS'],
        dimensions: ['PLATFORM'],
        range: { preset: 'LAST_7_DAYS' },
      },
      schedule: { cron: '0 9 * * *', timezone: 'Europe/Berlin' },
      recipients: ['ada@example.com', 'grace@example.org'],
      formats: ['CSV'],
    });
    expect(report.nextRunAt).not.toBeNull();
    const id = Buffer.from(report.id, 'base64').toString('utf8').split(':')[1]!;
    // Three daily ticks were missed (the server was down): the due report runs once, covering
    // the days of the first missed tick.
    const missed = new Date(Date.now() - 3 * 86_400_000);
    await t.database.db
      .update(reportTable)
      .set({ nextRunAt: missed })
      .where(eq(reportTable.id, id));
    const services = t.app.services;
    const deps = { db: services.db, pubsub: services.pubsub, jobs: services.jobs };
    // Two passes at once, and the app's own scheduler (woken when the report was saved) may take
    // the tick too: whoever claims it, it is queued once.
    const counts = await Promise.all([runDueSchedules(deps), runDueSchedules(deps)]);
    expect(counts[0]! + counts[1]!).toBeLessThanOrEqual(1);
    expect(await runDueSchedules(deps)).toBe(0);
    const runs = await t.database.db
      .select()
      .from(reportRunTable)
      .where(eq(reportRunTable.reportId, id));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.scheduledFor).toEqual(missed);
    const [after] = await t.database.db.select().from(reportTable).where(eq(reportTable.id, id));
    expect(after!.nextRunAt!.getTime()).toBeGreaterThan(Date.now());

    const done = await finishedRun(encodeId('ReportRun', runs[0]!.id));
    expect(done).toMatchObject({ status: 'SUCCEEDED', trigger: 'SCHEDULE', emailed: true });
    const mail = received.find((m) => m.subject?.startsWith('Weekly <b>numbers</b>'));
    expect(mail).toBeDefined();
    expect(mail!.to).toBeDefined();
    expect(mail!.html).toContain('Weekly &#60;b&#62;numbers&#60;/b&#62;');
    expect(mail!.html).not.toContain('<b>numbers</b>');
    expect(mail!.text).toContain('Views: ');
    expect(mail!.attachments).toHaveLength(1);
    const csv = mail!.attachments[0]!.content.toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('Platform,Views');
    expect(csv).toContain('YOUTUBE');

    const notifications = await t.graphql(/* GraphQL */ `
      {
        notifications(first: 5) {
          edges {
            node {
              kind
              title
            }
          }
        }
      }
    `);
    expect(notifications.body.errors).toBeUndefined();
    expect(
      notifications.body.data.notifications.edges.map((e: { node: unknown }) => e.node),
    ).toContainEqual({
      kind: 'REPORT_RUN_SUCCEEDED',
      title: '“Weekly <b>numbers</b>” is ready',
    });
  });

  it('keeps runs to their owner and runReport to manage:reports', async () => {
    const report = await createReport({ name: 'Mine', kind: 'COMPARISON' });
    const bob = await t.createViewer();
    const stranger = await t.graphql(RUN, { variables: { id: report.id }, key: bob.key });
    expect(stranger.body.data.runReport.userErrors[0].code).toBe('NOT_FOUND');
    const reader = await t.createViewer({ scopes: ['read:analytics'] });
    const refused = await t.graphql(RUN, { variables: { id: report.id }, key: reader.key });
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('INSUFFICIENT_SCOPE');
    const run = (await t.graphql(RUN, { variables: { id: report.id } })).body.data.runReport.run;
    await finishedRun(run.id);
    const peek = await t.graphql(RUN_NODE, { variables: { id: run.id }, key: bob.key });
    expect(peek.body.data.node).toBeNull();
  });
});

describe('two instances on one database', () => {
  it('never run one schedule tick twice, and each run is worked once', async () => {
    const second = buildApp({
      config: t.config,
      database: t.database,
      logger: pino({ level: 'silent' }),
    });
    try {
      const ids: string[] = [];
      const owner = await t.createViewer({ plan: 'pro' });
      for (let i = 0; i < 8; i++) {
        const report = await createReport(
          {
            name: `Daily ${i}`,
            kind: 'COMPARISON',
            schedule: { cron: '0 7 * * *', timezone: 'UTC' },
          },
          owner.key,
        );
        ids.push(Buffer.from(report.id, 'base64').toString('utf8').split(':')[1]!);
      }
      const due = new Date(Date.now() - 60_000);
      await t.database.db
        .update(reportTable)
        .set({ nextRunAt: due })
        .where(inArray(reportTable.id, ids));
      const deps = (app: App) => ({
        db: app.services.db,
        pubsub: app.services.pubsub,
        jobs: app.services.jobs,
      });
      const counts = await Promise.all([
        runDueSchedules(deps(t.app)),
        runDueSchedules(deps(second)),
        runDueSchedules(deps(t.app)),
        runDueSchedules(deps(second)),
      ]);
      // The apps' own schedulers may claim some ticks too; none is queued twice (runs below).
      expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(8);
      const runs = await t.database.db
        .select()
        .from(reportRunTable)
        .where(inArray(reportRunTable.reportId, ids));
      expect(runs).toHaveLength(8);
      for (const run of runs) {
        const done = await finishedRun(encodeId('ReportRun', run.id), owner.key);
        expect(done.status).toBe('SUCCEEDED');
      }
      const after = await t.database.db
        .select()
        .from(reportRunTable)
        .where(inArray(reportRunTable.reportId, ids));
      expect(after.map((run) => run.attempts)).toEqual(after.map(() => 1));
    } finally {
      await second.stop();
    }
  });
});
