import { stringify, type Options } from 'csv-stringify/sync';
import { readChunks, type ByteSink } from './sink.js';
import type { ExportColumn, ExportDocument, ExportRow, WriteOptions } from './types.js';
import { cellValue } from './values.js';

const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * RFC 4180 (CRLF, quoted only when needed). escape_formulas puts a `'` before a string cell that
 * starts with = + - @ TAB or CR (and their full-width forms), so a title like =HYPERLINK(…) is
 * shown, not run; numbers are never touched, so -5 stays a number.
 */
const OPTIONS: Options = {
  record_delimiter: CRLF,
  // Quote any field holding a lone CR or LF too; csv-stringify 6.9 turns this off as soon as
  // record_delimiter is given, and would then write "a\nb" bare, splitting the record.
  quote_record_delimiter: true,
  escape_formulas: true,
};

/** A text cell csv-stringify would change: it may be quoted or formula-escaped. */
const NEEDS_CSV_STRINGIFY = /^[-=+@\t\r\uFF1D\uFF0B\uFF0D\uFF20]|[",\r\n]/;

/**
 * One cell as csv-stringify writes it. Most cells are numbers and plain text, which it writes
 * unchanged; only the others go through it (a call per cell of 100,000 rows was a fifth of a
 * CSV export's time).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (!NEEDS_CSV_STRINGIFY.test(value)) return value;
  return stringify([[value]], OPTIONS).slice(0, -CRLF.length);
}

/**
 * csvCell remembering the text cells csv-stringify had to write: a report by video and day
 * repeats each title once per day.
 */
function cachedCsvCell(): (value: string | number | null) => string {
  const seen = new Map<string, string>();
  return (value) => {
    if (typeof value !== 'string' || !NEEDS_CSV_STRINGIFY.test(value)) return csvCell(value);
    let cell = seen.get(value);
    if (cell === undefined) {
      if (seen.size >= 10_000) seen.clear();
      cell = csvCell(value);
      seen.set(value, cell);
    }
    return cell;
  };
}

function csvRecord(
  row: ExportRow,
  columns: readonly ExportColumn[],
  cell: (value: string | number | null) => string,
): string {
  let record = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) record += ',';
    record += cell(cellValue(row, columns[i]!));
  }
  return record + CRLF;
}

export async function writeCsv(
  doc: ExportDocument,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
): Promise<void> {
  const header = stringify([doc.columns.map((column) => column.label)], OPTIONS);
  await sink.write((options.bom ? BOM : '') + header);
  const cell = cachedCsvCell();
  for await (const chunk of readChunks(doc.rows, sink, options, counter)) {
    if (chunk.length === 0) continue;
    let text = '';
    for (const row of chunk) text += csvRecord(row, doc.columns, cell);
    await sink.write(text);
  }
}
