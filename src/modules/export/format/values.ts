import {
  COLUMN_FORMATS,
  InvalidExportDocumentError,
  type ColumnFormat,
  type ExportColumn,
  type ExportDocument,
  type ExportRow,
  type ExportValue,
} from './types.js';

const NUMERIC_FORMATS: ReadonlySet<ColumnFormat> = new Set([
  'integer',
  'decimal',
  'percent',
  'duration',
  'currency',
]);
export const isNumericFormat = (format: ColumnFormat) => NUMERIC_FORMATS.has(format);

/** What postgres.js hands back for bigint and numeric sums: exact decimal text. */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * One cell as every writer sees it: missing → null, NaN/±Infinity → null (no format can hold
 * them), and in numeric columns decimal text ("123", a PostgreSQL bigint sum) → a number.
 */
export function cellValue(row: ExportRow, column: ExportColumn): ExportValue {
  const value = row[column.key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    if (isNumericFormat(column.format) && DECIMAL_TEXT.test(value)) return Number(value);
    return value;
  }
  return null;
}

export function validateDocument(doc: ExportDocument): void {
  if (doc.columns.length === 0) throw new InvalidExportDocumentError('An export needs columns');
  const keys = new Set<string>();
  for (const column of doc.columns) {
    if (keys.has(column.key))
      throw new InvalidExportDocumentError(`Duplicate column key "${column.key}"`);
    keys.add(column.key);
    if (!COLUMN_FORMATS.includes(column.format))
      throw new InvalidExportDocumentError(`Unknown column format "${String(column.format)}"`);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: doc.timeZone });
  } catch {
    throw new InvalidExportDocumentError(`Unknown time zone "${doc.timeZone}"`);
  }
  for (const [name, date] of [
    ['generatedAt', doc.generatedAt],
    ['asOf', doc.asOf],
  ] as const) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime()))
      throw new InvalidExportDocumentError(`${name} is not a valid date`);
  }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

function duration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${integer.format(h)}:${pad(m)}:${pad(s)}`;
}

/** A value as text for the PDF and the summaries (en-US grouping; percent values are ratios). */
export function formatValue(format: ColumnFormat, value: ExportValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  switch (format) {
    case 'integer':
      return integer.format(value);
    case 'decimal':
    case 'currency':
      return decimal.format(value);
    case 'percent':
      return `${decimal.format(value * 100)}%`;
    case 'duration':
      return duration(value);
    default:
      return String(value);
  }
}

/** Relative change against the previous value; null when there is nothing to compare with. */
export function changeRatio(value: number, previous: number | null): number | null {
  if (previous === null || previous === 0 || !Number.isFinite(previous)) return null;
  return (value - previous) / Math.abs(previous);
}

/** "▲ 12.5%", "▼ 3.0%", "± 0.0%" or "—" (no previous value). */
export function formatChange(change: number | null): string {
  if (change === null) return '—';
  const text = `${decimal.format(Math.abs(change) * 100)}%`;
  if (change > 0) return `▲ ${text}`;
  if (change < 0) return `▼ ${text}`;
  return `± ${text}`;
}

/** "2026-03-05 14:03" in the given zone (24 h clock, no locale guessing). */
export function formatDateTime(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

export const formatRange = (range: { startDate: string; endDate: string }) =>
  `${range.startDate} – ${range.endDate}`;

export interface ColumnStats {
  column: ExportColumn;
  count: number;
  total: number;
  min: number | null;
  max: number | null;
}

/** Totals, minimum and maximum of each metric column, kept while the rows stream past. */
export class MetricStats {
  readonly columns: ColumnStats[];

  constructor(columns: ExportColumn[]) {
    this.columns = columns
      .filter((column) => column.kind === 'metric')
      .map((column) => ({ column, count: 0, total: 0, min: null, max: null }));
  }

  add(row: ExportRow): void {
    for (const stats of this.columns) {
      const value = cellValue(row, stats.column);
      if (typeof value !== 'number') continue;
      stats.count++;
      stats.total += value;
      if (stats.min === null || value < stats.min) stats.min = value;
      if (stats.max === null || value > stats.max) stats.max = value;
    }
  }
}

/** A ratio column's total is no figure anyone means (the sum of rates), so it has none. */
export const totalOf = (stats: ColumnStats): number | null =>
  stats.count === 0 || stats.column.format === 'percent' ? null : stats.total;

export const averageOf = (stats: ColumnStats): number | null =>
  stats.count === 0 ? null : stats.total / stats.count;
