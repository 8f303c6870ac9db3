import { ByteSink } from './sink.js';
import {
  InvalidExportDocumentError,
  type ExportDocument,
  type ExportFormat,
  type ExportOutput,
  type WriteOptions,
  type WriteResult,
} from './types.js';
import { validateDocument } from './values.js';

export {
  EXPORT_FORMATS,
  EXPORT_MEDIA,
  ExportTooLargeError,
  InvalidExportDocumentError,
  PDF_MAX_TABLE_ROWS,
  type ColumnFormat,
  type ExportColumn,
  type ExportDocument,
  type ExportFormat,
  type ExportRow,
  type ExportValue,
  type SummaryFigure,
  type WriteOptions,
  type WriteResult,
} from './types.js';
export { renderPlatformsSvg, renderSeriesSvg, svgToPng } from './charts.js';
export { formatValue } from './values.js';

type Writer = (
  doc: ExportDocument,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
) => Promise<void>;

/** Each format's writer, loaded when first used: exceljs, pdfkit and resvg need not load for CSV. */
const WRITERS: Record<ExportFormat, () => Promise<Writer>> = {
  csv: async () => (await import('./csv.js')).writeCsv,
  xlsx: async () => (await import('./xlsx.js')).writeXlsx,
  json: async () => (await import('./json.js')).writeJson,
  ndjson: async () => (await import('./json.js')).writeNdjson,
  pdf: async () => (await import('./pdf.js')).writePdf,
};

/**
 * Streams `doc` as a file of `format` into `out` and ends it. Reads `doc.rows` once, a chunk at
 * a time, waiting for 'drain' in between, so memory stays flat however many rows there are.
 *
 * Rejects with InvalidExportDocumentError before writing anything when the document is malformed,
 * with ExportTooLargeError once the output would pass `maxBytes`, and with the signal's reason
 * on abort. On rejection `out` is left neither ended nor destroyed: what it holds is partial, and
 * the caller discards it.
 */
export async function writeExport(
  format: ExportFormat,
  doc: ExportDocument,
  out: ExportOutput,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const load = Object.hasOwn(WRITERS, format) ? WRITERS[format] : undefined;
  if (!load) throw new InvalidExportDocumentError(`Unknown export format "${String(format)}"`);
  validateDocument(doc);
  const write = await load();
  const sink = new ByteSink(out, options);
  const counter = { rows: 0 };
  try {
    await write(doc, sink, options, counter);
    await sink.end();
  } finally {
    sink.dispose();
  }
  return { rows: counter.rows, bytes: sink.bytes };
}
