import type { Writable } from 'node:stream';

/** The file formats an export can be written in. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'ndjson', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * How a value is shown: XLSX number formats, PDF and summary text. `percent` values are ratios
 * (0.1234 is shown as 12.34 %), not percentage points; `duration` values are seconds.
 */
export type ColumnFormat =
  'text' | 'date' | 'integer' | 'decimal' | 'percent' | 'duration' | 'currency';

export const COLUMN_FORMATS: readonly ColumnFormat[] = [
  'text',
  'date',
  'integer',
  'decimal',
  'percent',
  'duration',
  'currency',
];

export interface ExportColumn {
  key: string;
  label: string;
  kind: 'dimension' | 'metric';
  format: ColumnFormat;
}

export type ExportValue = string | number | null;
/** Keyed by ExportColumn.key; a missing key is written as null. */
export type ExportRow = Record<string, ExportValue>;

export interface SummaryFigure {
  label: string;
  format: ColumnFormat;
  value: number;
  previous: number | null;
}

export interface ExportDocument {
  title: string;
  description?: string;
  /** Product name on the PDF header and footer ("Pulse"). */
  brand: string;
  generatedAt: Date;
  /** Data freshness. */
  asOf: Date;
  timeZone: string;
  range: { startDate: string; endDate: string };
  previousRange: { startDate: string; endDate: string } | null;
  /** JSON-serialisable report definition, copied into the JSON metadata. */
  definition: unknown;
  columns: ExportColumn[];
  /** Consumed once, in chunks. */
  rows: AsyncIterable<ExportRow[]>;
  /**
   * How many rows `rows` yields in all, once its first chunk has been read (the statement counts
   * them with the rows); null before, or when the source cannot tell.
   */
  expectedRows?: () => number | null;
  /** Headline figures with the previous period's value (the change is computed by the writers). */
  summary: SummaryFigure[];
  series: {
    label: string;
    format: ColumnFormat;
    points: { date: string; value: number; previous: number | null }[];
  } | null;
  platforms: {
    label: string;
    format: ColumnFormat;
    values: { platform: string; value: number }[];
  } | null;
}

export interface WriteOptions {
  /** CSV: start with a UTF-8 byte order mark, so that Excel reads the file as UTF-8. */
  bom?: boolean;
  /** Reject with ExportTooLargeError as soon as the output passes this many bytes. */
  maxBytes?: number;
  /** Called after each chunk of rows with the number of rows written so far. */
  onProgress?: (rowsWritten: number) => void;
  /** Abort mid-way: the write rejects with the signal's reason and stops reading rows. */
  signal?: AbortSignal;
}

export interface WriteResult {
  /** Rows in the document (for PDF also those past the table cap, read or told by expectedRows). */
  rows: number;
  /** Bytes written to the output. */
  bytes: number;
}

/**
 * The PDF's table stops here (a table of a million rows is no report); the rest is only counted,
 * or not read at all when the document knows its total (expectedRows).
 */
export const PDF_MAX_TABLE_ROWS = 2000;

export type ExportOutput = NodeJS.WritableStream | Writable;

export const EXPORT_MEDIA: Record<ExportFormat, { contentType: string; extension: string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
  json: { contentType: 'application/json', extension: 'json' },
  ndjson: { contentType: 'application/x-ndjson', extension: 'ndjson' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
};

/** The output passed WriteOptions.maxBytes: what an HTTP layer turns into a 413. */
export class ExportTooLargeError extends Error {
  readonly code = 'EXPORT_TOO_LARGE';
  constructor(readonly limitBytes: number) {
    super(`The export is larger than the limit of ${limitBytes} bytes`);
    this.name = 'ExportTooLargeError';
  }
}

/** The document itself is malformed (no columns, duplicate keys, unknown time zone…). */
export class InvalidExportDocumentError extends Error {
  readonly code = 'INVALID_EXPORT_DOCUMENT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidExportDocumentError';
  }
}
