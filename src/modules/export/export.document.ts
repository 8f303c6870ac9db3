import { encodeGlobalID } from '@pothos/plugin-relay';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { streamRows } from '../../db/cursor.js';
import { queryRows } from '../../db/raw.js';
import {
  createAnalyticsView,
  isRate,
  metricValue,
  platformTotals,
  series,
  totals,
  type AnalyticsMetric,
  type AnalyticsSettings,
  type ViewOwner,
} from '../analytics/analytics.service.js';
import type {
  ReportDimension,
  ReportInput,
  ReportRow,
} from '../analytics/report/report.compile.js';
import { prepareReport } from '../analytics/report/report.service.js';
import type { ColumnFormat, ExportColumn, ExportDocument, ExportRow } from './format/index.js';

const DIMENSION_LABELS: Record<ReportDimension, string> = {
  DATE: 'Date',
  WEEK: 'Week',
  MONTH: 'Month',
  PLATFORM: 'Platform',
  VIDEO: 'Video ID',
  CHANNEL: 'Channel ID',
  TAG: 'Tag',
  WEEKDAY: 'Weekday',
  HOUR: 'Hour',
};

const METRIC_LABELS: Record<AnalyticsMetric, string> = {
  views: 'Views',
  likes: 'Likes',
  shares: 'Shares',
  comments: 'Comments',
  saves: 'Saves',
  clicks: 'Clicks',
  impressions: 'Impressions',
  reach: 'Reach',
  watchSeconds: 'Watch time (s)',
  engagementRate: 'Engagement rate (%)',
  ctr: 'CTR (%)',
};

const metricFormat = (metric: AnalyticsMetric): ColumnFormat =>
  isRate(metric) ? 'decimal' : metric === 'watchSeconds' ? 'duration' : 'integer';

/** The column key of a dimension; VIDEO and CHANNEL also get a readable name column. */
export const dimensionKey = (dimension: ReportDimension) => dimension.toLowerCase();

/** The columns of an export: dimensions (with names for videos and channels), then metrics. */
export function exportColumns(
  dimensions: readonly ReportDimension[],
  metrics: readonly AnalyticsMetric[],
  compared: boolean,
): ExportColumn[] {
  const columns: ExportColumn[] = [];
  for (const dimension of dimensions) {
    const format: ColumnFormat = ['DATE', 'WEEK'].includes(dimension)
      ? 'date'
      : ['WEEKDAY', 'HOUR'].includes(dimension)
        ? 'integer'
        : 'text';
    columns.push({
      key: dimensionKey(dimension),
      label: DIMENSION_LABELS[dimension],
      kind: 'dimension',
      format,
    });
    if (dimension === 'VIDEO')
      columns.push({ key: 'video_title', label: 'Video', kind: 'dimension', format: 'text' });
    if (dimension === 'CHANNEL')
      columns.push({ key: 'channel_name', label: 'Channel', kind: 'dimension', format: 'text' });
  }
  for (const metric of metrics) {
    columns.push({
      key: metric,
      label: METRIC_LABELS[metric],
      kind: 'metric',
      format: metricFormat(metric),
    });
    if (compared)
      columns.push({
        key: `${metric}_previous`,
        label: `${METRIC_LABELS[metric]}, previous`,
        kind: 'metric',
        format: metricFormat(metric),
      });
  }
  return columns;
}

/** A report row as the API shows it: global IDs, upper-case platforms, numbers as numbers. */
function dimensionValue(dimension: ReportDimension, value: string): string | number {
  if (dimension === 'VIDEO') return encodeGlobalID('Video', value);
  if (dimension === 'CHANNEL') return encodeGlobalID('Channel', value);
  if (dimension === 'PLATFORM') return value.toUpperCase();
  if (dimension === 'WEEKDAY' || dimension === 'HOUR') return Number(value);
  return value;
}

/** Names of videos or channels, looked up once per id for the whole export. */
class NameCache {
  private readonly names = new Map<string, string | null>();

  constructor(
    private readonly db: Db,
    private readonly table: 'videos' | 'channels',
  ) {}

  /** Looks up the ids not seen yet: one statement, one array parameter, per chunk at most. */
  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.names.has(id));
    if (missing.length === 0) return;
    // Bounded: an export over more distinct ids than this looks some up again, never holds all.
    if (this.names.size > 50_000) this.names.clear();
    const column = this.table === 'videos' ? sql`title` : sql`name`;
    const found = await queryRows<{ id: string; name: string }>(
      this.db,
      sql`select id, ${column} as name from ${sql.raw(this.table)} where id = any(${`{${missing.join(',')}}`}::uuid[])`,
    );
    for (const id of missing) this.names.set(id, null);
    for (const row of found) this.names.set(row.id, row.name);
  }

  get(id: string): string | null {
    return this.names.get(id) ?? null;
  }
}

export interface DocumentSource {
  db: Db;
  owner: ViewOwner;
  input: ReportInput;
  settings: AnalyticsSettings;
  title: string;
  description?: string;
  /** Rows at most (the input's own limit applies when lower). */
  maxRows: number;
  /** Rows per fetch from the database. */
  chunkSize?: number;
}

/**
 * Everything a file needs about one report, its rows streamed from the same statement
 * analyticsReport runs (prepareReport), so a file and the API never disagree.
 */
export async function buildExportDocument(
  source: DocumentSource,
): Promise<ExportDocument & { expectedRows(): number | null }> {
  const { db, owner, input, settings } = source;
  const prepared = await prepareReport(db, owner, input, settings, {
    maxLimit: source.maxRows,
    defaultLimit: source.maxRows,
  });
  const { view, metrics, dimensions } = prepared;
  const compared = view.previous !== null;
  const columns = exportColumns(dimensions, metrics, compared);

  // The headline figures, chart and platform split always compare with the previous period.
  const period = view.period;
  const summaryView = await createAnalyticsView(
    db,
    owner,
    {
      range:
        period.resolution === 'hour'
          ? { from: new Date(period.from), to: new Date(period.to) }
          : { startDate: period.startDate, endDate: period.endDate },
      compare: view.compare === 'NONE' ? 'PREVIOUS_PERIOD' : view.compare,
      filter: view.source.filter,
      timeZone: view.source.timeZone,
    },
    settings,
  );
  const [sums, buckets, byPlatform] = await Promise.all([
    totals(summaryView),
    series(summaryView, period.resolution === 'hour' ? 'HOUR' : 'DAY'),
    platformTotals(summaryView),
  ]);
  const lead = metrics[0]!;
  const value = (m: Parameters<typeof metricValue>[0] | null, metric: AnalyticsMetric) =>
    m ? (metricValue(m, metric) ?? 0) : null;

  let expected: number | null = null;
  const videoNames = dimensions.includes('VIDEO') ? new NameCache(db, 'videos') : null;
  const channelNames = dimensions.includes('CHANNEL') ? new NameCache(db, 'channels') : null;
  const dimensionKeys = dimensions.map(dimensionKey);
  const metricKeys = metrics.map((metric) => [metric, `${metric}_previous`] as const);
  const idsOf = (decoded: ReportRow[], dimension: ReportDimension) => {
    const index = dimensions.indexOf(dimension);
    return decoded.map((row) => row.dimensions[index]!.value);
  };
  // 1,000 videos × 100 days repeat each id 100 times: encode each once.
  const globalIds = { VIDEO: new Map<string, string>(), CHANNEL: new Map<string, string>() };
  const globalId = (dimension: 'VIDEO' | 'CHANNEL', raw: string) => {
    const cache = globalIds[dimension];
    let id = cache.get(raw);
    if (id === undefined) {
      if (cache.size > 50_000) cache.clear();
      id = dimensionValue(dimension, raw) as string;
      cache.set(raw, id);
    }
    return id;
  };
  const toExportRow = (row: ReportRow): ExportRow => {
    const out: ExportRow = {};
    for (let i = 0; i < row.dimensions.length; i++) {
      const { dimension, value: raw } = row.dimensions[i]!;
      if (dimension === 'VIDEO') {
        out[dimensionKeys[i]!] = globalId(dimension, raw);
        out['video_title'] = videoNames!.get(raw);
      } else if (dimension === 'CHANNEL') {
        out[dimensionKeys[i]!] = globalId(dimension, raw);
        out['channel_name'] = channelNames!.get(raw);
      } else out[dimensionKeys[i]!] = dimensionValue(dimension, raw);
    }
    for (const [metric, previousKey] of metricKeys) {
      out[metric] = metricValue(row.current, metric);
      if (compared) out[previousKey] = row.previous ? metricValue(row.previous, metric) : null;
    }
    return out;
  };
  async function* rows(): AsyncGenerator<ExportRow[]> {
    for await (const chunk of streamRows<Record<string, unknown>>(
      db,
      prepared.statement,
      source.chunkSize,
    )) {
      expected ??= Math.min(Number(chunk[0]?.['total_rows'] ?? 0), source.maxRows);
      const decoded = chunk.map(prepared.decode);
      await videoNames?.load(idsOf(decoded, 'VIDEO'));
      await channelNames?.load(idsOf(decoded, 'CHANNEL'));
      yield decoded.map(toExportRow);
    }
  }

  return {
    title: source.title,
    ...(source.description ? { description: source.description } : {}),
    brand: 'Pulse',
    generatedAt: new Date(),
    asOf: new Date(settings.now),
    timeZone: view.source.timeZone,
    range: { startDate: period.startDate, endDate: period.endDate },
    previousRange: view.previous
      ? { startDate: view.previous.startDate, endDate: view.previous.endDate }
      : null,
    definition: input,
    expectedRows: () => expected,
    columns,
    rows: rows(),
    summary: metrics.map((metric) => ({
      label: METRIC_LABELS[metric],
      format: metricFormat(metric),
      value: value(sums.current, metric) ?? 0,
      previous: value(sums.previous, metric),
    })),
    series: {
      label: METRIC_LABELS[lead],
      format: metricFormat(lead),
      points: buckets.map((bucket) => ({
        date: bucket.label,
        value: value(bucket.current, lead) ?? 0,
        previous: value(bucket.previous, lead),
      })),
    },
    platforms: {
      label: METRIC_LABELS[lead],
      format: metricFormat(lead),
      values: byPlatform.map((p) => ({
        platform: p.platform.toUpperCase(),
        value: value(p.current, lead) ?? 0,
      })),
    },
  };
}
