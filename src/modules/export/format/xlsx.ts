import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { renderPlatformsSvg, renderSeriesSvg, svgToPng } from './charts.js';
import { readChunks, type ByteSink } from './sink.js';
import type {
  ColumnFormat,
  ExportColumn,
  ExportDocument,
  ExportRow,
  WriteOptions,
} from './types.js';
import {
  averageOf,
  cellValue,
  changeRatio,
  formatDateTime,
  formatRange,
  formatValue,
  MetricStats,
  totalOf,
} from './values.js';
import { placeImages, type PlacedImage } from './xlsx-images.js';

/** Excel number formats; percent values are ratios (0.1234 → 12.34%), durations seconds. */
const NUMBER_FORMATS: Record<ColumnFormat, string | undefined> = {
  text: undefined,
  date: 'yyyy-mm-dd',
  integer: '#,##0',
  decimal: '#,##0.00',
  percent: '0.00%',
  duration: '#,##0" s"',
  currency: '#,##0.00',
};
const CHANGE_FORMAT = '+0.00%;-0.00%;0.00%';
/** Excel's limit for one cell's text. */
const MAX_CELL_TEXT = 32_767;
/** Characters XML 1.0 cannot hold at all (exceljs would silently drop most of them). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F2937' } },
  alignment: { vertical: 'middle' },
  border: { bottom: { style: 'thin', color: { argb: 'FF111827' } } },
};

/**
 * What a string cell can keep: XML-invalid control characters removed, line ends as LF (XML
 * readers turn a raw CR into LF anyway), at most 32,767 characters.
 */
export function xlsxText(value: string): string {
  const clean = value.replace(XML_INVALID, '').replace(/\r\n?/g, '\n');
  return clean.length > MAX_CELL_TEXT ? clean.slice(0, MAX_CELL_TEXT) : clean;
}

/** Typed cell values: numbers stay numbers, ISO days in date columns become dates, text stays text (never a formula). */
function cellOf(row: ExportRow, column: ExportColumn): ExcelJS.CellValue {
  const value = cellValue(row, column);
  if (typeof value !== 'string') return value;
  if (column.format === 'date' && ISO_DAY.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return xlsxText(value);
}

function columnWidths(doc: ExportDocument, sample: ExportRow[]): number[] {
  return doc.columns.map((column) => {
    let width = column.label.length + 2;
    for (const row of sample.slice(0, 200)) {
      const text = formatValue(column.format, cellValue(row, column));
      width = Math.max(width, Math.min(text.length, 60) + 2);
    }
    return Math.max(8, Math.min(width, 62));
  });
}

interface StreamState {
  length: number;
  needDrain?: boolean;
}
/** The sheet's entry stream and the PassThrough archiver wraps it in (exceljs/archiver internals). */
interface SheetStream {
  pipes?: {
    _writableState?: StreamState;
    _readableState?: StreamState;
    once(event: 'drain', listener: () => void): void;
  }[];
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * exceljs pushes rows into the zip without back-pressure, and archiver queues whatever the
 * compressor has not taken yet. Waiting here after each chunk (a turn of the event loop for zlib's
 * callbacks, then until that queue is empty and the output has drained) keeps memory flat however
 * many rows come, even from a source that never waits itself. Empty, not merely small: sheet XML
 * left queued while the next chunk is built survives young collections, and its 64 KB buffers
 * then wait for a full GC (S6: 36 MB of them by the end of 100,000 rows; none when emptied).
 */
async function catchUp(worksheet: ExcelJS.Worksheet, zipOut: Writable, sink: ByteSink) {
  const stream = (worksheet as unknown as { stream: SheetStream }).stream;
  await nextTurn();
  for (;;) {
    sink.check();
    const pipe = stream.pipes?.[0];
    const pending = (pipe?._writableState?.length ?? 0) + (pipe?._readableState?.length ?? 0);
    if (pipe && pending > 0) {
      if (pipe._writableState?.needDrain) await new Promise<void>((r) => pipe.once('drain', r));
      else await nextTurn();
    } else if (zipOut.writableNeedDrain) {
      await new Promise<void>((resolve) => zipOut.once('drain', resolve));
    } else return;
  }
}

export async function writeXlsx(
  doc: ExportDocument,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
): Promise<void> {
  // Between exceljs and the caller's stream: counts through the sink and, once the sink has
  // failed, swallows the rest so that the abandoned zip never errors or waits forever.
  const zipOut = new Writable({
    highWaterMark: 256 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      if (sink.error) return callback();
      sink.write(chunk).then(
        () => callback(),
        () => callback(),
      );
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: zipOut,
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = doc.brand;
  workbook.created = doc.generatedAt;
  workbook.title = doc.title;

  const stats = new MetricStats(doc.columns);
  const data = workbook.addWorksheet('Data', { views: [{ state: 'frozen', ySplit: 1 }] });
  const chunks = readChunks(doc.rows, sink, options, counter)[Symbol.asyncIterator]();
  try {
    await writeDataSheet(doc, data, chunks, stats, zipOut, sink);
  } finally {
    // Closes the row source too when the sink failed or the signal aborted mid-way.
    await chunks.return(undefined);
  }
  data.commit();

  await writeSummarySheet(workbook, doc, stats, counter.rows);
  await workbook.commit();
  sink.check();
}

async function writeDataSheet(
  doc: ExportDocument,
  data: ExcelJS.Worksheet,
  chunks: AsyncGenerator<ExportRow[]>,
  stats: MetricStats,
  zipOut: Writable,
  sink: ByteSink,
): Promise<void> {
  let next = await chunks.next();
  const widths = columnWidths(doc, next.done ? [] : next.value);
  // exceljs gives each cell its own copy of its column's style and, finding style ids by object
  // identity, renders every copy to XML to look it up: cells share one object per column instead.
  const cellStyles: Partial<ExcelJS.Style>[] = doc.columns.map((column) => {
    const numFmt = NUMBER_FORMATS[column.format];
    return numFmt ? { numFmt } : {};
  });
  data.columns = doc.columns.map((column, i) => ({
    width: widths[i],
    ...(cellStyles[i]!.numFmt ? { style: cellStyles[i] } : {}),
  }));
  const header = data.addRow(doc.columns.map((column) => xlsxText(column.label)));
  header.eachCell((cell) => (cell.style = HEADER_STYLE));
  header.height = 20;
  header.commit();

  while (!next.done) {
    for (const row of next.value) {
      const added = data.addRow(doc.columns.map((column) => cellOf(row, column)));
      added.eachCell((cell, col) => (cell.style = cellStyles[col - 1]!));
      added.commit();
      stats.add(row);
    }
    await catchUp(data, zipOut, sink);
    next = await chunks.next();
  }
}

async function writeSummarySheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  doc: ExportDocument,
  stats: MetricStats,
  rowCount: number,
): Promise<void> {
  const sheet = workbook.addWorksheet('Summary');
  sheet.columns = [
    { width: 30 },
    { width: 20 },
    { width: 20 },
    { width: 20 },
    { width: 20 },
    { width: 14 },
  ];
  let rowNumber = 0;
  const add = (values: ExcelJS.CellValue[], style?: (row: ExcelJS.Row) => void) => {
    const row = sheet.addRow(values);
    style?.(row);
    row.commit();
    rowNumber++;
    return row;
  };
  const bold = (row: ExcelJS.Row) => row.eachCell((cell) => (cell.font = { bold: true }));
  const headerRow = (row: ExcelJS.Row) => row.eachCell((cell) => (cell.style = HEADER_STYLE));
  const numFmt = (row: ExcelJS.Row, col: number, format: string | undefined) => {
    if (format) row.getCell(col).numFmt = format;
  };

  add([xlsxText(doc.title)], (row) => (row.getCell(1).font = { bold: true, size: 16 }));
  if (doc.description) add([xlsxText(doc.description)]);
  add([]);
  add(['Range', formatRange(doc.range)], bold);
  if (doc.previousRange) add(['Compared with', formatRange(doc.previousRange)], bold);
  add(['Time zone', doc.timeZone], bold);
  add(['Generated at', `${formatDateTime(doc.generatedAt, doc.timeZone)} (${doc.timeZone})`], bold);
  add(['Data as of', `${formatDateTime(doc.asOf, doc.timeZone)} (${doc.timeZone})`], bold);
  add(['Rows', rowCount], (row) => {
    bold(row);
    numFmt(row, 2, '#,##0');
  });

  if (doc.summary.length > 0) {
    add([]);
    add(['Figure', 'Value', 'Previous', 'Change'], headerRow);
    for (const figure of doc.summary) {
      const format = NUMBER_FORMATS[figure.format];
      add(
        [
          xlsxText(figure.label),
          figure.value,
          figure.previous,
          changeRatio(figure.value, figure.previous),
        ],
        (row) => {
          numFmt(row, 2, format);
          numFmt(row, 3, format);
          numFmt(row, 4, CHANGE_FORMAT);
        },
      );
    }
  }

  if (stats.columns.length > 0) {
    add([]);
    add(['Column', 'Total', 'Average', 'Minimum', 'Maximum', 'Values'], headerRow);
    for (const column of stats.columns) {
      const format = NUMBER_FORMATS[column.column.format];
      // The average of whole numbers is rarely whole: show it with decimals.
      const averageFormat = column.column.format === 'integer' ? '#,##0.00' : format;
      add(
        [
          xlsxText(column.column.label),
          totalOf(column),
          averageOf(column),
          column.min,
          column.max,
          column.count,
        ],
        (row) => {
          for (const col of [2, 4, 5]) numFmt(row, col, format);
          numFmt(row, 3, averageFormat);
          numFmt(row, 6, '#,##0');
        },
      );
    }
  }

  const images: PlacedImage[] = [];
  let imageRow = rowNumber + 1;
  for (const render of [renderSeriesSvg, renderPlatformsSvg]) {
    const svg = render(doc);
    if (!svg) continue;
    const size = svgSize(svg);
    images.push({ png: svgToPng(svg, size.width * 2), row: imageRow, col: 0, ...size });
    imageRow += Math.ceil(size.height / 20) + 1;
  }
  placeImages(workbook, sheet, images);
  sheet.commit();
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return match
    ? { width: Number(match[1]), height: Number(match[2]) }
    : { width: 720, height: 280 };
}
