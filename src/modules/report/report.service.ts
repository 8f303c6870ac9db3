import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  FILE_FORMATS,
  REPORT_KINDS,
  reportTable,
  userTable,
  type FileFormat,
  type Plan,
  type ReportKind,
  type ReportRecord,
} from '../../db/schema.js';
import type { AnalyticsSettings } from '../analytics/analytics.service.js';
import type { ReportInput } from '../analytics/report/report.compile.js';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../common/input.js';
import type { Keyset } from '../common/pagination.js';
import {
  fail,
  ok,
  userError,
  type MutationResult,
  type UserErrorData,
} from '../common/user-error.js';
import { definitionProblem, fromStoredDefinition, toStoredDefinition } from './definition.js';
import { presetDefinition } from './presets.js';
import { checkRecipients } from './recipients.js';
import { canonicalTimeZone, scheduleProblems, scheduledNextRun } from './schedule.js';
import { nudgeScheduler } from './schedule-signal.js';

/** Saved reports an account may hold, per plan (cf. MAX_API_KEYS in limits/plan-limits.ts). */
export const MAX_SAVED_REPORTS: Readonly<Record<Plan, number>> = {
  free: 10,
  pro: 100,
  enterprise: 1_000,
};

export const MAX_REPORT_NAME = 100;
export const MAX_REPORT_DESCRIPTION = 1_000;

/** Who saves: the owner's plan caps the count, their zone is the default schedule zone. */
export interface ReportOwner {
  id: string;
  plan: Plan;
  timezone: string;
}

export interface ScheduleInput {
  /** Five-field cron expression. */
  cron: string;
  /** IANA zone; default the owner's `users.timezone`. */
  timezone?: string | null;
}

export interface NewReport {
  name: string;
  description?: string | null;
  kind: ReportKind;
  /** Default: the kind's preset (required for CUSTOM). */
  definition?: ReportInput | null;
  schedule?: ScheduleInput | null;
  recipients?: string[] | null;
  formats?: FileFormat[] | null;
  skipIfEmpty?: boolean | null;
}

/**
 * What to change: omitted (undefined) fields stay; null clears `description`, `recipients`,
 * `formats` (back to CSV) and `schedule` (on demand only). Name, kind, definition and skipIfEmpty
 * cannot be null.
 */
export type ReportPatch = { [K in keyof NewReport]?: NewReport[K] | null };

type Values = Partial<typeof reportTable.$inferInsert>;

const notFound = <T>() =>
  fail<T>(userError(['input', 'id'], 'NOT_FOUND', 'No such report (or it is not yours).'));

/** Checks the given fields and turns them into column values; collects every problem. */
async function validate(
  db: Db,
  owner: ReportOwner,
  patch: ReportPatch,
  settings: AnalyticsSettings,
  current: ReportRecord | null,
): Promise<MutationResult<Values>> {
  const errors: UserErrorData[] = [];
  const values: Values = {};
  const at = (field: string) => ['input', field];
  const notNull = (field: string) => userError(at(field), 'INVALID', 'cannot be null');

  if (patch.name !== undefined) {
    const name = patch.name?.trim();
    if (name == null) errors.push(notNull('name'));
    else if (!name || name.length > MAX_REPORT_NAME)
      errors.push(userError(at('name'), 'INVALID', `must be 1–${MAX_REPORT_NAME} characters`));
    else if (!isStorableText(name))
      errors.push(userError(at('name'), 'INVALID', UNSTORABLE_TEXT_MESSAGE));
    else values.name = name;
  }
  if (patch.description !== undefined) {
    const description = patch.description?.trim() ?? '';
    if (description.length > MAX_REPORT_DESCRIPTION)
      errors.push(
        userError(
          at('description'),
          'INVALID',
          `must be at most ${MAX_REPORT_DESCRIPTION} characters`,
        ),
      );
    else if (!isStorableText(description))
      errors.push(userError(at('description'), 'INVALID', UNSTORABLE_TEXT_MESSAGE));
    else values.description = description;
  }
  if (patch.kind !== undefined) {
    if (patch.kind === null || !REPORT_KINDS.includes(patch.kind))
      errors.push(userError(at('kind'), 'INVALID', `must be one of ${REPORT_KINDS.join(', ')}`));
    else values.kind = patch.kind;
  }
  if (patch.skipIfEmpty !== undefined) {
    if (patch.skipIfEmpty === null) errors.push(notNull('skipIfEmpty'));
    else values.skipIfEmpty = patch.skipIfEmpty;
  }
  if (patch.recipients !== undefined) {
    const checked = checkRecipients(patch.recipients ?? [], at('recipients'));
    errors.push(...checked.errors);
    values.recipients = checked.value;
  }
  if (patch.formats !== undefined) {
    const formats = [...new Set<FileFormat>(patch.formats ?? ['csv'])];
    if (formats.length === 0)
      errors.push(userError(at('formats'), 'INVALID', 'give at least one format'));
    else if (formats.some((f) => !FILE_FORMATS.includes(f)))
      errors.push(userError(at('formats'), 'INVALID', `must be among ${FILE_FORMATS.join(', ')}`));
    else values.scheduleFormats = formats;
  }
  if (patch.schedule !== undefined) {
    if (patch.schedule === null) {
      Object.assign(values, { scheduleCron: null, scheduleTimeZone: null, schedulePaused: false });
      values.nextRunAt = null;
    } else {
      const zone = patch.schedule.timezone ?? owner.timezone;
      const problems = scheduleProblems(patch.schedule.cron, zone, new Date(settings.now));
      for (const problem of problems)
        errors.push(userError(['input', 'schedule', problem.field], 'INVALID', problem.message));
      if (problems.length === 0) {
        const paused = current?.schedulePaused ?? false;
        values.scheduleCron = patch.schedule.cron.trim().split(/\s+/).join(' ');
        values.scheduleTimeZone = canonicalTimeZone(zone)!;
        values.schedulePaused = paused;
        values.nextRunAt = scheduledNextRun(
          { cron: values.scheduleCron, timeZone: values.scheduleTimeZone, paused },
          new Date(settings.now),
        );
      }
    }
  }
  if (patch.definition !== undefined || !current) {
    const kind = values.kind ?? current?.kind ?? 'custom';
    const definition =
      patch.definition === undefined && !current ? presetDefinition(kind) : patch.definition;
    if (definition == null) {
      errors.push(
        userError(
          at('definition'),
          'INVALID',
          patch.definition === null ? 'cannot be null' : 'a CUSTOM report needs a definition',
        ),
      );
    } else {
      const problem = await definitionProblem(db, owner, definition, settings);
      if (problem) errors.push(problem);
      else values.definition = toStoredDefinition(definition);
    }
  }
  return errors.length ? fail(...errors) : ok(values);
}

/**
 * Saves a report. A kind other than CUSTOM without a definition gets the kind's preset (see
 * presets.ts). The definition is checked by a dry run, the schedule by scheduleProblems; every
 * problem comes back as a user error at its field, and nothing is saved. The owner's plan caps
 * the count (LIMIT_REACHED), counted under a lock on the owner's row so concurrent saves cannot
 * overshoot it.
 */
export async function createReport(
  db: Db,
  owner: ReportOwner,
  input: NewReport,
  settings: AnalyticsSettings,
): Promise<MutationResult<ReportRecord>> {
  const valid = await validate(db, owner, input, settings, null);
  if (!valid.ok) return valid;
  const limit = MAX_SAVED_REPORTS[owner.plan];
  const result = await db.transaction(async (tx) => {
    await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(eq(userTable.id, owner.id))
      .for('update');
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(reportTable)
      .where(eq(reportTable.ownerId, owner.id));
    if (Number(row?.count ?? 0) >= limit)
      return fail<ReportRecord>(
        userError(
          [],
          'LIMIT_REACHED',
          `The ${owner.plan} plan allows ${limit} saved reports; delete one first.`,
        ),
      );
    const [created] = await tx
      .insert(reportTable)
      .values({
        ownerId: owner.id,
        name: valid.value.name!,
        kind: valid.value.kind ?? 'custom',
        definition: valid.value.definition!,
        ...valid.value,
      })
      .returning();
    return ok(created!);
  });
  if (result.ok && result.value.nextRunAt) nudgeScheduler();
  return result;
}

/**
 * Changes a report (see ReportPatch). A new schedule gets its `nextRunAt` from now (none while
 * paused); a new definition is checked like at creation.
 */
export async function updateReport(
  db: Db,
  owner: ReportOwner,
  id: string,
  patch: ReportPatch,
  settings: AnalyticsSettings,
): Promise<MutationResult<ReportRecord>> {
  const [current] = await loadReportsByIds(db, owner.id, [id]);
  if (!current) return notFound();
  const valid = await validate(db, owner, patch, settings, current);
  if (!valid.ok) return valid;
  const [updated] = await db
    .update(reportTable)
    .set({ ...valid.value, updatedAt: new Date(settings.now) })
    .where(and(eq(reportTable.id, id), eq(reportTable.ownerId, owner.id)))
    .returning();
  if (updated?.nextRunAt) nudgeScheduler();
  return updated ? ok(updated) : notFound();
}

/** Deletes a report with its runs (exports keep their files, unlinked from it). */
export async function deleteReport(
  db: Db,
  ownerId: string,
  id: string,
): Promise<MutationResult<string>> {
  const [deleted] = await db
    .delete(reportTable)
    .where(and(eq(reportTable.id, id), eq(reportTable.ownerId, ownerId)))
    .returning({ id: reportTable.id });
  return deleted ? ok(deleted.id) : notFound();
}

/**
 * Pauses (no `nextRunAt`, nothing runs) or resumes a schedule. Resuming counts from `now`:
 * ticks missed while paused are not replayed. Idempotent; a report without a schedule is
 * INVALID_STATUS.
 */
export async function setReportSchedulePaused(
  db: Db,
  ownerId: string,
  id: string,
  paused: boolean,
  now: Date,
): Promise<MutationResult<ReportRecord>> {
  const [current] = await loadReportsByIds(db, ownerId, [id]);
  if (!current) return notFound();
  if (!current.scheduleCron || !current.scheduleTimeZone)
    return fail(userError(['input', 'id'], 'INVALID_STATUS', 'This report has no schedule.'));
  const nextRunAt = scheduledNextRun(
    { cron: current.scheduleCron, timeZone: current.scheduleTimeZone, paused },
    now,
  );
  const [updated] = await db
    .update(reportTable)
    .set({ schedulePaused: paused, nextRunAt, updatedAt: now })
    .where(and(eq(reportTable.id, id), eq(reportTable.ownerId, ownerId)))
    .returning();
  if (updated?.nextRunAt) nudgeScheduler();
  return updated ? ok(updated) : notFound();
}

/** Reports by id, restricted to the owner's. */
export function loadReportsByIds(
  db: Db,
  ownerId: string,
  ids: readonly string[],
): Promise<ReportRecord[]> {
  return db
    .select()
    .from(reportTable)
    .where(and(inArray(reportTable.id, [...ids]), eq(reportTable.ownerId, ownerId)));
}

/** A report's definition as analyticsReport's input. */
export const reportDefinition = (report: ReportRecord): ReportInput =>
  fromStoredDefinition(report.definition);

export interface ReportPage {
  after?: Keyset;
  before?: Keyset;
  limit: number;
  /** Fetch from the end (for `last`); rows come back in reverse order. */
  inverted: boolean;
}

export type ReportListRow = ReportRecord & { sortKey: string };

const r = reportTable;

/** The owner's reports, newest first, keyset-paginated on (created_at, id) (the owner's index). */
export async function listReports(
  db: Db,
  ownerId: string,
  page: ReportPage,
): Promise<ReportListRow[]> {
  const where: SQL[] = [eq(r.ownerId, ownerId)];
  const keyset = (keyset: Keyset, older: boolean) =>
    sql`(${r.createdAt}, ${r.id}) ${sql.raw(older ? '<' : '>')} (cast(${keyset.key} as timestamptz), cast(${keyset.id} as uuid))`;
  if (page.after) where.push(keyset(page.after, true));
  if (page.before) where.push(keyset(page.before, false));
  const order = page.inverted ? asc : desc;
  const rows = await db
    .select({ report: r, sortKey: sql<string>`(${r.createdAt})::text` })
    .from(r)
    .where(and(...where))
    .orderBy(order(r.createdAt), order(r.id))
    .limit(page.limit);
  return rows.map((row) => ({ ...row.report, sortKey: row.sortKey }));
}

export async function countReports(db: Db, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(r)
    .where(eq(r.ownerId, ownerId));
  return Number(row?.count ?? 0);
}
