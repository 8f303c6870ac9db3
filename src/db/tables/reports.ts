import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { userTable } from './core.js';

export const REPORT_KINDS = ['performance', 'growth', 'comparison', 'custom'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ['manual', 'schedule'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export const FILE_FORMATS = ['csv', 'xlsx', 'json', 'ndjson', 'pdf'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** A saved report: what to compute (`definition`, analyticsReport's input with a relative range) and, optionally, when. */
export const reportTable = pgTable(
  'reports',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text().notNull().default(''),
    kind: text().$type<ReportKind>().notNull().default('custom'),
    definition: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Five-field cron in `scheduleTimeZone`; null = run on demand only. */
    scheduleCron: text(),
    scheduleTimeZone: text(),
    schedulePaused: boolean().notNull().default(false),
    /** Formats a scheduled run produces and mails. */
    scheduleFormats: text()
      .array()
      .$type<FileFormat[]>()
      .notNull()
      .default(sql`'{csv}'::text[]`),
    recipients: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    skipIfEmpty: boolean().notNull().default(false),
    /** The next tick of the schedule (null when unscheduled or paused). */
    nextRunAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('reports_owner_id_created_at_id_idx').on(t.ownerId, t.createdAt, t.id),
    index('reports_next_run_at_idx').on(t.nextRunAt),
    check('reports_kind_check', sql`${t.kind} in (${inList(REPORT_KINDS)})`),
  ],
);

/** One run of a report. A schedule tick is unique per report, so two instances cannot both run it. */
export const reportRunTable = pgTable(
  'report_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    reportId: uuid()
      .notNull()
      .references(() => reportTable.id, { onDelete: 'cascade' }),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    trigger: text().$type<RunTrigger>().notNull(),
    /** The schedule tick this run is for (schedule runs only). */
    scheduledFor: timestamp({ withTimezone: true }),
    status: text().$type<RunStatus>().notNull().default('queued'),
    progress: real().notNull().default(0),
    attempts: integer().notNull().default(0),
    /** The definition as run: its relative range resolved to dates in the owner's zone. */
    resolved: jsonb().$type<Record<string, unknown>>(),
    rows: integer(),
    error: text(),
    /** True once the job gave up after its retries (the dead-letter state). */
    deadLettered: boolean().notNull().default(false),
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('report_runs_report_id_queued_at_id_idx').on(t.reportId, t.queuedAt, t.id),
    uniqueIndex('report_runs_report_id_scheduled_for_idx').on(t.reportId, t.scheduledFor),
    check('report_runs_status_check', sql`${t.status} in (${inList(RUN_STATUSES)})`),
    check('report_runs_trigger_check', sql`${t.trigger} in (${inList(RUN_TRIGGERS)})`),
  ],
);

/** A file produced from a report definition, by a run or on its own. */
export const exportTable = pgTable(
  'exports',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => userTable.id, { onDelete: 'cascade' }),
    reportId: uuid().references(() => reportTable.id, { onDelete: 'set null' }),
    runId: uuid().references(() => reportRunTable.id, { onDelete: 'cascade' }),
    format: text().$type<FileFormat>().notNull(),
    title: text().notNull(),
    /** The analyticsReport input as exported, its range resolved. */
    definition: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text().$type<RunStatus>().notNull().default('queued'),
    progress: real().notNull().default(0),
    attempts: integer().notNull().default(0),
    deadLettered: boolean().notNull().default(false),
    rows: integer(),
    bytes: bigint({ mode: 'number' }),
    /** Where the finished file is; set only once the whole file is stored. */
    storageKey: text(),
    fileName: text(),
    contentType: text(),
    errorCode: text(),
    error: text(),
    /** The file and its links are gone after this. */
    expiresAt: timestamp({ withTimezone: true }),
    /** Links stop working from this moment (revoked by the owner). */
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('exports_owner_id_created_at_id_idx').on(t.ownerId, t.createdAt, t.id),
    index('exports_run_id_idx').on(t.runId),
    index('exports_expires_at_idx').on(t.expiresAt),
    check('exports_status_check', sql`${t.status} in (${inList(RUN_STATUSES)})`),
    check('exports_format_check', sql`${t.format} in (${inList(FILE_FORMATS)})`),
  ],
);

export type ReportRecord = typeof reportTable.$inferSelect;
export type ReportRunRecord = typeof reportRunTable.$inferSelect;
export type ExportRecord = typeof exportTable.$inferSelect;
