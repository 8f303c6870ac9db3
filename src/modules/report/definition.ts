import type { Db } from '../../db/client.js';
import { isTimeZone } from '../../lib/time-zone.js';
import {
  AnalyticsInputError,
  type AnalyticsSettings,
  type ViewOwner,
} from '../analytics/analytics.service.js';
import {
  MAX_REPORT_LIMIT,
  type ReportFilter,
  type ReportInput,
} from '../analytics/report/report.compile.js';
import { runReport } from '../analytics/report/report.service.js';
import {
  RangeError as AnalyticsRangeError,
  resolveRange,
  type RangeInput,
} from '../analytics/storage/ranges.js';
import { firstDataDate } from '../analytics/storage/rollups.js';
import { userError, type UserErrorData } from '../common/user-error.js';

/**
 * A saved report's definition is analyticsReport's input (ReportInput), stored in
 * `reports.definition` with internal values (metric keys such as `engagementRate`, directions
 * `asc`/`desc`), its instants as ISO strings. The range is usually a preset (LAST_7_DAYS,
 * PREVIOUS_MONTH, …) resolved when the report runs, in the definition's time zone or else the
 * owner's; fixed dates (`startDate`/`endDate`, or `from`/`to`) stay fixed.
 */

/** A definition with the defaults written out: the range (LAST_28_DAYS) and compare (NONE). */
export function normalizeDefinition(definition: ReportInput): ReportInput {
  const range = withoutEmpty(definition.range ?? {});
  return {
    metrics: [...definition.metrics],
    dimensions: definition.dimensions ? [...definition.dimensions] : [],
    filters: (definition.filters ?? []).map(
      (f) =>
        withoutEmpty({
          field: f.field,
          operator: f.operator,
          value: f.value,
          values: f.values,
        }) as ReportFilter,
    ),
    orderBy: (definition.orderBy ?? []).map((o) => ({ field: o.field, direction: o.direction })),
    limit: definition.limit ?? null,
    range: Object.keys(range).length ? range : { preset: 'LAST_28_DAYS' },
    compare: definition.compare ?? 'NONE',
    timeZone: definition.timeZone ?? null,
  };
}

const withoutEmpty = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;

/** The JSON stored in `reports.definition` (instants as ISO strings). */
export function toStoredDefinition(definition: ReportInput): Record<string, unknown> {
  return JSON.parse(JSON.stringify(normalizeDefinition(definition))) as Record<string, unknown>;
}

/** A stored definition back as a ReportInput (`from`/`to` as Dates again). */
export function fromStoredDefinition(stored: Record<string, unknown>): ReportInput {
  const definition = stored as unknown as ReportInput & {
    range?: (Omit<RangeInput, 'from' | 'to'> & { from?: string | null; to?: string | null }) | null;
  };
  const range = definition.range ?? {};
  return normalizeDefinition({
    ...definition,
    range: {
      ...range,
      from: range.from ? new Date(range.from) : null,
      to: range.to ? new Date(range.to) : null,
    },
  });
}

export interface ResolvedDefinition {
  /** The definition with its range as dates (`from`/`to` for hour ranges such as LAST_24_HOURS) and its zone set. */
  input: ReportInput;
  /** The local days covered, both included. */
  range: { startDate: string; endDate: string };
  timeZone: string;
}

/**
 * Resolves a definition's range at `now`, in its own time zone or else the owner's, so the run
 * covers fixed dates whatever the clock says while it runs. ALL_TIME needs the owner's first day
 * with data: pass it, or use resolveDefinitionFor. A bad range throws AnalyticsInputError naming
 * the field (e.g. `range.startDate`), as analyticsReport would.
 */
export function resolveDefinition(
  definition: ReportInput,
  now: number,
  ownerTimeZone: string,
  firstDay?: string | null,
): ResolvedDefinition {
  const timeZone = definition.timeZone ?? ownerTimeZone;
  if (!isTimeZone(timeZone))
    throw new AnalyticsInputError('must be an IANA time zone such as Europe/Paris', 'timeZone');
  if (definition.range?.preset === 'ALL_TIME' && firstDay === undefined)
    throw new Error('resolveDefinition: ALL_TIME needs the first day with data');
  let period;
  try {
    period = resolveRange(definition.range, {
      timeZone,
      now,
      firstDataDate: () => firstDay ?? null,
    });
  } catch (error) {
    if (error instanceof AnalyticsRangeError)
      throw new AnalyticsInputError(error.message, error.field);
    throw error;
  }
  const range: RangeInput =
    period.resolution === 'hour'
      ? { from: new Date(period.from), to: new Date(period.to) }
      : { startDate: period.startDate, endDate: period.endDate };
  return {
    input: { ...definition, range, timeZone },
    range: { startDate: period.startDate, endDate: period.endDate },
    timeZone,
  };
}

/** resolveDefinition, reading the owner's first day with data when the range is ALL_TIME. */
export async function resolveDefinitionFor(
  db: Db,
  ownerId: string,
  definition: ReportInput,
  now: number,
  ownerTimeZone: string,
): Promise<ResolvedDefinition> {
  const firstDay =
    definition.range?.preset === 'ALL_TIME' ? await firstDataDate(db, ownerId) : undefined;
  return resolveDefinition(definition, now, ownerTimeZone, firstDay);
}

/** An AnalyticsInputError field (`filters[0].value`) as a user error path under `prefix`. */
export function fieldPath(prefix: string[], field: string): string[] {
  const parts = field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((part) => (part === 'timeZone' ? 'timezone' : part));
  return [...prefix, ...parts];
}

/**
 * Checks a definition the way a run will: resolves it now and runs it once with `limit: 1`
 * (runReport itself, so save-time and run-time checks cannot disagree). Null when it is fine,
 * else the problem at its path under `prefix` (e.g. ['input', 'definition', 'orderBy', '0', 'field']).
 */
export async function definitionProblem(
  db: Db,
  owner: ViewOwner,
  definition: ReportInput,
  settings: AnalyticsSettings,
  prefix: string[] = ['input', 'definition'],
): Promise<UserErrorData | null> {
  try {
    const resolved = await resolveDefinitionFor(
      db,
      owner.id,
      definition,
      settings.now,
      owner.timezone,
    );
    const limit = definition.limit;
    // An out-of-range limit goes through as given, for runReport to refuse before any SQL.
    const probeLimit =
      limit == null || (Number.isInteger(limit) && limit >= 1 && limit <= MAX_REPORT_LIMIT)
        ? 1
        : limit;
    await runReport(db, owner, { ...resolved.input, limit: probeLimit }, settings);
    return null;
  } catch (error) {
    if (error instanceof AnalyticsInputError)
      return userError(fieldPath(prefix, error.field), 'INVALID', error.message);
    throw error;
  }
}
