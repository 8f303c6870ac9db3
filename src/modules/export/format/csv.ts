import { stringify, type Options } from 'csv-stringify/sync';
import { readChunks, type ByteSink } from './sink.js';
import type { ExportDocument, WriteOptions } from './types.js';
import { cellValue } from './values.js';

const BOM = '\uFEFF';

/**
 * RFC 4180 (CRLF, quoted only when needed). escape_formulas puts a `'` before a string cell that
 * starts with = + - @ TAB or CR (and their full-width forms), so a title like =HYPERLINK(…) is
 * shown, not run; numbers are never touched, so -5 stays a number.
 */
const OPTIONS: Options = {
  record_delimiter: '\r\n',
  // Quote any field holding a lone CR or LF too; csv-stringify 6.9 turns this off as soon as
  // record_delimiter is given, and would then write "a\nb" bare, splitting the record.
  quote_record_delimiter: true,
  escape_formulas: true,
};

export async function writeCsv(
  doc: ExportDocument,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
): Promise<void> {
  const header = stringify([doc.columns.map((column) => column.label)], OPTIONS);
  await sink.write((options.bom ? BOM : '') + header);
  for await (const chunk of readChunks(doc.rows, sink, options, counter)) {
    if (chunk.length === 0) continue;
    const records = chunk.map((row) => doc.columns.map((column) => cellValue(row, column)));
    await sink.write(stringify(records, OPTIONS));
  }
}
