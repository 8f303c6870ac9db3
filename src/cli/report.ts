import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { eq } from 'drizzle-orm';
import { pino, type Logger } from 'pino';
import type { Db } from '../db/client.js';
import {
  FILE_FORMATS,
  reportRunTable,
  reportTable,
  userTable,
  type ExportRecord,
  type FileFormat,
  type ReportRunRecord,
} from '../db/schema.js';
import { loadConfigWith, type Config } from '../env.js';

import { createJobQueue } from '../lib/job-queue.js';
import { createPulsePubSub } from '../lib/pubsub.js';
import { AnalyticsInputError } from '../modules/analytics/analytics.service.js';
import { uuidFromGlobalId } from '../modules/common/global-id.js';
import { buildExportDocument } from '../modules/export/export.document.js';
import { downloadLink, fileNameOf } from '../modules/export/export.service.js';
import { createExportServices, type ExportServices } from '../modules/export/export.services.js';
import { ExportTooLargeError, writeExport } from '../modules/export/format/index.js';
import { createMailer } from '../modules/mail/index.js';
import { resolveDefinitionFor } from '../modules/report/definition.js';
import { announceExport, announceRun } from '../modules/report/reporting.events.js';
import { reportDefinition } from '../modules/report/report.service.js';
import { defineRunJobs } from '../modules/report/runner.js';
import { exportsOfRuns, runReportNow } from '../modules/report/run.service.js';
import { withDatabase } from './database.js';

/** The command's answer is on stdout; the server's info logs would only be noise on stderr. */
const CLI_CONFIG = { defaults: { LOG_LEVEL: 'error' } };

// `npm run cli -- report run <id>` and `export <id>`: saved reports from scripts, with or
// without a running server (the CLI works the job queue itself, as the server does).

export const REPORT_USAGE = `  report run <report id> [--formats csv,xlsx] [--no-wait]
                             run a saved report now (as runReport does) and wait for its files
  export <report id> [--format xlsx] [--out file.xlsx]
                             write a saved report's export straight to a file ("-": stdout)`;

export interface ReportCommandOptions {
  formats?: string | undefined;
  format?: string | undefined;
  out?: string | undefined;
  'no-wait'?: boolean | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POLL_MS = 250;

class UsageError extends Error {}

const say = (message: string) => process.stderr.write(`${message}\n`);

/** A report's uuid from a global ID (`Report:…`, base64) or the uuid itself. */
export function parseReportId(text: string | undefined): string {
  if (!text) throw new UsageError('Give the report: its global ID (from the API) or its uuid.');
  const id = UUID.test(text) ? text.toLowerCase() : uuidFromGlobalId(text, 'Report');
  if (!id) throw new UsageError(`"${text}" is not a report id (a Report global ID or a uuid).`);
  return id;
}

/** `csv,xlsx` → formats, each known and given once. */
export function parseFormats(list: string): FileFormat[] {
  const formats = list
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const unknown = formats.filter((f) => !FILE_FORMATS.includes(f as FileFormat));
  if (unknown.length || formats.length === 0)
    throw new UsageError(
      `Unknown format(s): ${unknown.join(', ') || '(none)'}. Known: ${FILE_FORMATS.join(', ')}`,
    );
  if (new Set(formats).size !== formats.length) throw new UsageError('Give each format once.');
  return formats as FileFormat[];
}

async function findReport(db: Db, id: string) {
  const [found] = await db
    .select({ report: reportTable, owner: userTable })
    .from(reportTable)
    .innerJoin(userTable, eq(userTable.id, reportTable.ownerId))
    .where(eq(reportTable.id, id));
  if (!found) throw new UsageError(`No report with id ${id}.`);
  return found;
}

/** Logs go to stderr (stdout is the command's answer); errors only unless LOG_LEVEL says more. */
const cliLogger = (config: Config): Logger =>
  pino({ level: config.logLevel, base: { service: 'pulse-cli' } }, pino.destination(2));

/** Runs `report <action> …` / `export …`; returns the exit code (2: usage, 1: failure). */
export async function runReportCommand(
  command: 'report run' | 'export',
  operands: string[],
  options: ReportCommandOptions,
): Promise<number> {
  try {
    const id = parseReportId(operands[0]);
    if (operands.length > 1) throw new UsageError(`Unexpected argument "${operands[1]}".`);
    if (command === 'export') return await exportCommand(id, options);
    const formats = options.formats === undefined ? null : parseFormats(options.formats);
    return await withDatabase(({ db }) => runCommand(db, id, formats, !options['no-wait']));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(`${error.message}\n\n${REPORT_USAGE}`);
    return 2;
  }
}

// ---- report run ----

async function runCommand(
  db: Db,
  id: string,
  formats: FileFormat[] | null,
  wait: boolean,
): Promise<number> {
  const config = loadConfigWith(CLI_CONFIG);
  const { report, owner } = await findReport(db, id);
  const logger = cliLogger(config);
  const pubsub = createPulsePubSub();
  // One worker is enough to work this run; --no-wait only queues it (for the server to work).
  const jobs = createJobQueue({
    db,
    database: config.database,
    config: { ...config.jobs, workers: wait ? 1 : 0 },
    logger,
  });
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port || 4000}`;
  const exports: ExportServices = createExportServices({
    config,
    db,
    pubsub,
    jobs,
    logger,
    publicUrl: () => publicUrl,
    onFinished: (tx, record) => announceExport(tx, exports.settings, record),
  });
  const mailer = createMailer(config.mail, logger);
  defineRunJobs({ exports, mailer, logger, onFinished: announceRun });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  try {
    const queued = await runReportNow(
      { db, pubsub, jobs },
      owner,
      report,
      formats ?? report.scheduleFormats,
    );
    if (!queued.ok) {
      say(queued.errors.map((e) => `${[...e.field].join('.') || 'run'}: ${e.message}`).join('\n'));
      return queued.errors.some((e) => e.code === 'INVALID') ? 2 : 1;
    }
    const runId = encodeGlobalID('ReportRun', queued.value.id);
    say(`queued run ${runId} of “${report.name}” (${queued.value.id})`);
    if (!wait) {
      say(
        config.database.kind === 'pglite'
          ? 'Not waiting: the server works it when it starts (npm start).'
          : 'Not waiting: a running server (or `report run` without --no-wait) works it.',
      );
      return 0;
    }
    const run = await waitForRun(db, queued.value.id, () => interrupted);
    if (!run) {
      say('Interrupted: the run stays queued; a server (or another `report run`) finishes it.');
      return 130;
    }
    if (run.status === 'failed') {
      say(`run ${runId} failed: ${run.error ?? 'unknown error'}`);
      return 1;
    }
    const files = await exportsOfRuns(db, report.ownerId, [run.id]);
    say(`run ${runId} succeeded: ${run.rows ?? 0} rows, ${files.length} file(s)`);
    for (const file of files)
      process.stdout.write(`${await describeFile(config, exports, file)}\n`);
    return 0;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await exports.stop();
    // Running jobs finish (or are retried elsewhere) before the database closes.
    await jobs.stop();
    await mailer.close();
  }
}

/** Polls the run's row: another instance (a server on PostgreSQL) may be the one working it. */
async function waitForRun(
  db: Db,
  runId: string,
  interrupted: () => boolean,
): Promise<ReportRunRecord | null> {
  let last = '';
  for (;;) {
    const [run] = await db.select().from(reportRunTable).where(eq(reportRunTable.id, runId));
    if (!run) throw new Error(`The run ${runId} no longer exists (its report was deleted).`);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    const state =
      run.status === 'running'
        ? `running, ${Math.floor(run.progress * 100)} %`
        : run.error
          ? `queued for a retry after: ${run.error}`
          : 'queued';
    if (state !== last) say(`  ${state}`);
    last = state;
    if (interrupted()) return null;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

/** `format  rows  bytes  where` — the local path or S3 link, then a download link if it can make one. */
async function describeFile(
  config: Config,
  exports: ExportServices,
  file: ExportRecord,
): Promise<string> {
  const storage = config.exports.storage;
  const key = file.storageKey ?? '';
  const expiresAt = new Date(
    Math.min(Date.now() + exports.settings.linkTtlMs, file.expiresAt?.getTime() ?? Date.now()),
  );
  const where =
    storage.kind === 'local'
      ? join(resolve(storage.dir), ...key.split('/'))
      : ((await exports.storage.presignedUrl(key, {
          expiresAt,
          fileName: file.fileName ?? basename(key),
          contentType: file.contentType ?? 'application/octet-stream',
        })) ?? key);
  // Without EXPORT_SIGNING_KEYS this process signs with a key of its own that no server accepts.
  const link =
    config.exports.signingKeys.length > 0 ? downloadLink(exports.settings, file)?.url : undefined;
  return [file.format, String(file.rows ?? 0), String(file.bytes ?? 0), where, link]
    .filter((cell) => cell !== undefined)
    .join('\t');
}

// ---- export ----

function formatOf(options: ReportCommandOptions): FileFormat {
  if (options.format !== undefined) {
    const [format, ...more] = parseFormats(options.format);
    if (more.length) throw new UsageError('export writes one format; --format takes one.');
    return format!;
  }
  const extension = options.out?.split('.').at(-1)?.toLowerCase();
  if (options.out && options.out !== '-' && FILE_FORMATS.includes(extension as FileFormat))
    return extension as FileFormat;
  throw new UsageError(
    `Give --format (${FILE_FORMATS.join(', ')}) or an --out file named *.<format>.`,
  );
}

const kib = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

async function exportCommand(id: string, options: ReportCommandOptions): Promise<number> {
  const format = formatOf(options);
  return withDatabase(async ({ db }) => {
    const config = loadConfigWith(CLI_CONFIG);
    const { report, owner } = await findReport(db, id);
    const now = Date.now();
    const toStdout = options.out === '-';
    const out = toStdout
      ? null
      : resolve(options.out ?? fileNameOf(report.name, format, new Date(now)));
    try {
      const resolved = await resolveDefinitionFor(
        db,
        owner.id,
        reportDefinition(report),
        now,
        owner.timezone,
      );
      const doc = await buildExportDocument({
        db,
        owner,
        input: resolved.input,
        settings: { now, hourlyRetentionDays: config.retention.hourlyDays },
        title: report.name,
        maxRows: config.exports.maxRows,
      });
      const options = { maxBytes: config.exports.maxBytes };
      const written = out
        ? await writeFileAtomically(out, (stream) => writeExport(format, doc, stream, options))
        : await writeToStdout((stream) => writeExport(format, doc, stream, options));
      const log = toStdout ? say : (line: string) => process.stdout.write(`${line}\n`);
      log(
        `wrote ${written.rows.toLocaleString('en-US')} rows of “${report.name}” (${resolved.range.startDate} – ${resolved.range.endDate}, ${format}, ${kib(written.bytes)}) to ${out ?? 'stdout'}`,
      );
      return 0;
    } catch (error) {
      if (error instanceof AnalyticsInputError) {
        say(`The report cannot run: ${error.field}: ${error.message}`);
        return 1;
      }
      if (error instanceof ExportTooLargeError) {
        say(
          `The file would pass the ${error.limitBytes.toLocaleString('en-US')}-byte export limit (EXPORT_MAX_BYTES); narrow the report's range, filters or limit.`,
        );
        return 1;
      }
      throw error;
    }
  });
}

/** stdout cannot be ended, so the export ends a pass-through piped into it instead. */
async function writeToStdout<T>(write: (stream: Writable) => Promise<T>): Promise<T> {
  const pass = new PassThrough();
  pass.pipe(process.stdout, { end: false });
  return write(pass);
}

/** Nothing appears at `path` unless the whole file was written (a temp file, then a rename). */
async function writeFileAtomically<T>(
  path: string,
  write: (stream: Writable) => Promise<T>,
): Promise<T> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  const stream = createWriteStream(temp, { flags: 'wx' });
  try {
    const result = await write(stream);
    await rename(temp, path);
    return result;
  } catch (error) {
    stream.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
