import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { queryRows } from '../../../db/raw.js';
import { METRIC_KEYS } from '../../../db/schema.js';
import {
  createAnalyticsView,
  isExactTimeZone,
  type AnalyticsMetric,
  type AnalyticsSettings,
  type AnalyticsView,
  type ViewOwner,
} from '../analytics.service.js';
import {
  compileFilters,
  DEFAULT_REPORT_LIMIT,
  dimensionSql,
  fail,
  isDimension,
  MAX_DIMENSIONS,
  MAX_REPORT_LIMIT,
  metricSql,
  ORDERED_TEXT,
  sumOf,
  type Report,
  type ReportDimension,
  type ReportField,
  type ReportInput,
  type ReportRow,
} from './report.compile.js';
import { metricColumn, zeroMetrics } from '../../common/metric-keys.js';
import { firstWholeDay, inList, METRIC_LIST, usesPublicationRows } from '../storage/rollups.js';
import { addDays, daysBetween, HOUR_MS, startOfLocalDay } from '../../../lib/time-zone.js';

/**
 * The general report: metrics per combination of dimensions over a range, optionally with the
 * comparison period's values for the same dimensions (its days shifted onto the range's, unit
 * by unit, as in series). One parameterized statement.
 */
export async function runReport(
  db: Db,
  owner: ViewOwner,
  input: ReportInput,
  settings: AnalyticsSettings,
): Promise<Report> {
  const prepared = await prepareReport(db, owner, input, settings);
  const rows = await queryRows<Record<string, unknown>>(db, prepared.statement);
  return {
    view: prepared.view,
    metrics: prepared.metrics,
    dimensions: prepared.dimensions,
    totalRows: rows.length ? Number(rows[0]!['total_rows']) : 0,
    exactTimeZone: await isExactTimeZone(prepared.view),
    rows: rows.map(prepared.decode),
  };
}

/** A report compiled to its one statement, for running at once or streaming (exports). */
export interface PreparedReport {
  view: AnalyticsView;
  metrics: AnalyticsMetric[];
  dimensions: ReportDimension[];
  /** Rows in order, each with `total_rows` (the count before the limit). */
  statement: SQL;
  decode(row: Record<string, unknown>): ReportRow;
}

export interface PrepareOptions {
  /** The largest `limit` allowed (analyticsReport: MAX_REPORT_LIMIT; exports go further). */
  maxLimit?: number;
  /** The limit when the input gives none. */
  defaultLimit?: number;
}

/** Validates a report input (throwing AnalyticsInputError naming the field) and compiles it. */
export async function prepareReport(
  db: Db,
  owner: ViewOwner,
  input: ReportInput,
  settings: AnalyticsSettings,
  options: PrepareOptions = {},
): Promise<PreparedReport> {
  const maxLimit = options.maxLimit ?? MAX_REPORT_LIMIT;
  const metrics = [...new Set(input.metrics)];
  if (metrics.length === 0) fail('metrics', 'give at least one metric');
  const dimensions = input.dimensions ?? [];
  if (new Set(dimensions).size !== dimensions.length) fail('dimensions', 'a dimension is repeated');
  if (dimensions.length > MAX_DIMENSIONS)
    fail('dimensions', `at most ${MAX_DIMENSIONS} dimensions`);
  const limit = input.limit ?? options.defaultLimit ?? DEFAULT_REPORT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    fail('limit', `limit must be between 1 and ${maxLimit}`);
  const compiled = compileFilters(input.filters ?? [], dimensions.includes('TAG'));
  const orderBy = input.orderBy?.length
    ? input.orderBy
    : dimensions.some((d) => ORDERED_TEXT.includes(d))
      ? [{ field: dimensions.find((d) => ORDERED_TEXT.includes(d))!, direction: 'asc' as const }]
      : [{ field: metrics[0]!, direction: 'desc' as const }];
  orderBy.forEach((order, index) => {
    if (
      isDimension(order.field) ? !dimensions.includes(order.field) : !metrics.includes(order.field)
    )
      fail(
        `orderBy[${index}].field`,
        `${order.field} is not among the report's dimensions or metrics`,
      );
  });

  const view = await createAnalyticsView(
    db,
    owner,
    {
      range: input.range,
      compare: input.compare,
      timeZone: input.timeZone,
      filter: compiled.pushdown,
    },
    settings,
  );
  const hourly = dimensions.includes('HOUR') || compiled.needsHour;
  const cutoff = settings.now - settings.hourlyRetentionDays * 24 * HOUR_MS;
  const windows = view.previous ? [view.period, view.previous] : [view.period];
  if (hourly && windows.some((p) => p.from < cutoff))
    fail(
      'dimensions',
      `HOUR needs the range (and its comparison) within hourly retention (the last ${settings.hourlyRetentionDays} days)`,
    );

  const publication =
    usesPublicationRows(compiled.pushdown) ||
    (['VIDEO', 'CHANNEL', 'TAG'] as const).some(
      (f) => dimensions.includes(f) || compiled.fields.has(f),
    ) ||
    compiled.needsVideo ||
    compiled.needsChannel;
  const source = await sourceRows(view, publication, hourly);
  const needsVideo = compiled.needsVideo || dimensions.includes('TAG');
  const joins = sql.join(
    [
      needsVideo ? sql`join videos v on v.id = r.video_id` : sql``,
      compiled.needsChannel ? sql`join channels c on c.id = r.channel_id` : sql``,
      dimensions.includes('TAG') ? sql`cross join lateral unnest(v.tags) as tag` : sql``,
    ],
    sql` `,
  );
  const dims = dimensions.map((d, i) => sql`${dimensionSql[d]} as ${sql.raw(`d${i}`)}`);
  // Only what the report needs is carried: its metrics' counts, and the columns its dimensions
  // and filters read, pre-summed per window before any join (tags multiply rows).
  const used = new Set<ReportField>([...dimensions, ...metrics, ...compiled.fields]);
  const counts = METRIC_KEYS.filter(
    (key) =>
      used.has(key) ||
      (used.has('engagementRate') && ['views', 'likes', 'comments', 'shares'].includes(key)) ||
      (used.has('ctr') && ['clicks', 'impressions'].includes(key)),
  );
  const keyColumns = [
    ...(['DATE', 'WEEK', 'MONTH', 'WEEKDAY'].some((f) => used.has(f as ReportField))
      ? ['day']
      : []),
    ...(used.has('HOUR') ? ['local_hour'] : []),
    ...(used.has('PLATFORM') ? ['platform'] : []),
    ...(used.has('VIDEO') || used.has('TAG') || needsVideo ? ['video_id'] : []),
    ...(used.has('CHANNEL') || compiled.needsChannel ? ['channel_id'] : []),
  ];
  const inner = sql`select ${sql.raw(['w', ...keyColumns, ...counts.map((k) => `sum(${metricColumn(k)}) as ${metricColumn(k)}`)].join(', '))}
    from (${source}) s group by ${sql.raw(['w', ...keyColumns].join(', '))}`;
  const sums = counts.flatMap((key) => [
    sql`${sumOf(metricColumn(key), 0)}::float8 as ${sql.raw(`"c_${key}"`)}`,
    ...(view.previous
      ? [sql`${sumOf(metricColumn(key), 1)}::float8 as ${sql.raw(`"p_${key}"`)}`]
      : []),
  ]);
  const order = [
    ...orderBy.map(
      (o) =>
        sql`${isDimension(o.field) ? sql.raw(`d${dimensions.indexOf(o.field)}`) : metricSql(o.field)} ${sql.raw(o.direction === 'asc' ? 'asc nulls first' : 'desc nulls last')}`,
    ),
    ...dimensions.map((_, i) => sql.raw(`d${i} asc`)),
  ];
  const statement = sql`select ${sql.join([...dims, ...sums, sql`count(*) over () as total_rows`], sql`, `)}
        from (${inner}) r ${joins}
        ${compiled.where.length ? sql`where ${sql.join(compiled.where, sql` and `)}` : sql``}
        ${dims.length ? sql`group by ${sql.raw(dimensions.map((_, i) => `d${i}`).join(', '))}` : sql``}
        ${compiled.having.length ? sql`having ${sql.join(compiled.having, sql` and `)}` : sql``}
        order by ${sql.join(order, sql`, `)}
        limit ${limit}`;
  // Only the selected counts are read; the rest stay 0. Exports decode every row of 100,000s.
  const columnsOf = (prefix: string) => counts.map((k) => [k, `${prefix}_${k}`] as const);
  const currentColumns = columnsOf('c');
  const previousColumns = columnsOf('p');
  const pick = (row: Record<string, unknown>, columns: typeof currentColumns) => {
    const values = zeroMetrics();
    for (const [key, column] of columns) values[key] = Number(row[column] ?? 0);
    return values;
  };
  const dimensionColumns = dimensions.map((dimension, i) => [dimension, `d${i}`] as const);
  return {
    view,
    metrics,
    dimensions,
    statement,
    decode: (row) => ({
      dimensions: dimensionColumns.map(([dimension, column]) => ({
        dimension,
        value: String(row[column]),
      })),
      current: pick(row, currentColumns),
      previous: view.previous ? pick(row, previousColumns) : null,
    }),
  };
}

/**
 * The rows a report groups: both windows' rollup rows with `w` (0 = range, 1 = comparison),
 * the local `day` (comparison rows shifted onto the range's days) and `local_hour` when hourly.
 */
async function sourceRows(
  view: AnalyticsView,
  publication: boolean,
  hourly: boolean,
): Promise<SQL> {
  const { source } = view;
  const tables = publication
    ? { daily: 'publication_daily_rollups', hourly: 'publication_hourly_rollups' }
    : { daily: 'owner_daily_rollups', hourly: 'owner_hourly_rollups' };
  const conditions = [sql`owner_id = ${source.ownerId}`];
  const f = source.filter;
  if (f.platforms) conditions.push(sql`platform in (${inList(f.platforms)})`);
  if (publication && f.videoIds) conditions.push(sql`video_id in (${inList(f.videoIds)})`);
  if (publication && f.channelIds) conditions.push(sql`channel_id in (${inList(f.channelIds)})`);
  const where = sql.join(conditions, sql` and `);
  const ids = publication
    ? sql`video_id, channel_id`
    : sql`null::uuid as video_id, null::uuid as channel_id`;
  const windows = view.previous ? [view.period, view.previous] : [view.period];
  const otherZone = source.timeZone !== source.storageTimeZone;
  const firstHourly = otherZone ? firstWholeDay(await source.hourlyFrom(), source.timeZone) : null;
  const parts: SQL[] = [];
  windows.forEach((period, w) => {
    const shiftMs = period.from === view.period.from ? 0 : view.period.from - period.from;
    const shiftDays = daysBetween(period.startDate, view.period.startDate);
    const fromHourly = (from: number, to: number) => {
      const local = sql`((hour + ${`${shiftMs / 1000} seconds`}::interval) at time zone ${source.timeZone})`;
      return sql`select ${sql.raw(String(w))} as w, ${local}::date as day, extract(hour from ${local})::int as local_hour, platform, ${ids}, ${METRIC_LIST}
        from ${sql.raw(tables.hourly)} where ${where}
        and hour >= ${new Date(from).toISOString()}::timestamptz and hour < ${new Date(to).toISOString()}::timestamptz`;
    };
    const fromDaily = (start: string, end: string) =>
      sql`select ${sql.raw(String(w))} as w, day + ${shiftDays}::int as day, null::int as local_hour, platform, ${ids}, ${METRIC_LIST}
        from ${sql.raw(tables.daily)} where ${where} and day >= ${start}::date and day <= ${end}::date`;
    if (hourly || period.resolution === 'hour') parts.push(fromHourly(period.from, period.to));
    else if (!firstHourly || period.startDate >= firstHourly)
      parts.push(
        otherZone
          ? fromHourly(period.from, period.to)
          : fromDaily(period.startDate, period.endDate),
      );
    else {
      // Another zone's days older than the hourly rows are the account zone's days.
      const lastDaily = period.endDate < firstHourly ? period.endDate : firstHourly;
      parts.push(
        fromDaily(
          period.startDate,
          lastDaily === firstHourly ? addDays(firstHourly, -1) : lastDaily,
        ),
      );
      if (period.endDate >= firstHourly)
        parts.push(fromHourly(startOfLocalDay(firstHourly, source.timeZone), period.to));
    }
  });
  return sql.join(parts, sql` union all `);
}
