import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { renderPlatformsSvg, renderSeriesSvg } from './charts.js';
import { fontBuffers } from './fonts.js';
import { COLORS, roomLeft, SANS, SANS_BOLD, type PdfDoc } from './pdf-style.js';
import { PdfTable } from './pdf-table.js';
import { readChunks, type ByteSink } from './sink.js';
import {
  PDF_MAX_TABLE_ROWS,
  type ExportDocument,
  type SummaryFigure,
  type WriteOptions,
} from './types.js';
import { changeRatio, formatChange, formatDateTime, formatRange, formatValue } from './values.js';

const MARGIN = { top: 64, bottom: 56, left: 40, right: 40 };

function ensureRoom(pdf: PdfDoc, height: number) {
  if (roomLeft(pdf) < height) pdf.addPage();
}

function titleBlock(pdf: PdfDoc, doc: ExportDocument) {
  const width = pdf.page.width - MARGIN.left - MARGIN.right;
  pdf
    .font(SANS_BOLD)
    .fontSize(20)
    .fillColor(COLORS.text)
    .text(doc.title, MARGIN.left, MARGIN.top, { width });
  if (doc.description)
    pdf
      .moveDown(0.2)
      .font(SANS)
      .fontSize(10)
      .fillColor(COLORS.muted)
      .text(doc.description, { width });
  pdf.moveDown(0.6).font(SANS).fontSize(9).fillColor(COLORS.text);
  const lines: [string, string][] = [['Range', formatRange(doc.range)]];
  if (doc.previousRange) lines.push(['Compared with', formatRange(doc.previousRange)]);
  lines.push(['Time zone', doc.timeZone]);
  lines.push(['Generated at', formatDateTime(doc.generatedAt, doc.timeZone)]);
  lines.push(['Data as of', formatDateTime(doc.asOf, doc.timeZone)]);
  for (const [label, value] of lines) {
    const y = pdf.y;
    pdf.font(SANS_BOLD).fillColor(COLORS.muted).text(label, MARGIN.left, y, { lineBreak: false });
    pdf
      .font(SANS)
      .fillColor(COLORS.text)
      .text(value, MARGIN.left + 90, y, { lineBreak: false });
    pdf.y = y + 13;
  }
  pdf.moveDown(0.8);
}

/** Headline figures as tiles: label, value, and the change against the previous period. */
function summaryTiles(pdf: PdfDoc, figures: SummaryFigure[]) {
  if (figures.length === 0) return;
  const perRow = 3;
  const gap = 10;
  const width = (pdf.page.width - MARGIN.left - MARGIN.right - gap * (perRow - 1)) / perRow;
  const height = 62;
  for (let i = 0; i < figures.length; i += perRow) {
    ensureRoom(pdf, height + gap);
    const top = pdf.y;
    figures.slice(i, i + perRow).forEach((figure, j) => {
      const x = MARGIN.left + j * (width + gap);
      pdf.roundedRect(x, top, width, height, 4).fill(COLORS.tile);
      const inner = { width: width - 20, lineBreak: false, ellipsis: true, height: 12 };
      pdf
        .font(SANS)
        .fontSize(8)
        .fillColor(COLORS.muted)
        .text(figure.label, x + 10, top + 8, inner);
      pdf.font(SANS_BOLD).fontSize(16).fillColor(COLORS.text);
      pdf.text(formatValue(figure.format, figure.value), x + 10, top + 21, { lineBreak: false });
      const change = changeRatio(figure.value, figure.previous);
      const color =
        change === null || change === 0 ? COLORS.muted : change > 0 ? COLORS.up : COLORS.down;
      const previous =
        figure.previous === null
          ? 'no previous value'
          : `vs ${formatValue(figure.format, figure.previous)}`;
      pdf.font(SANS).fontSize(8).fillColor(color);
      pdf.text(`${formatChange(change)}  ${previous}`, x + 10, top + 45, { lineBreak: false });
    });
    pdf.y = top + height + gap;
  }
  pdf.x = MARGIN.left;
  pdf.moveDown(0.5);
}

function chart(pdf: PdfDoc, svg: string | null) {
  if (!svg) return;
  const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  const [w, h] = match ? [Number(match[1]), Number(match[2])] : [720, 280];
  const width = pdf.page.width - MARGIN.left - MARGIN.right;
  const height = (width * h) / w;
  ensureRoom(pdf, height + 16);
  SVGtoPDF(pdf as never, svg, MARGIN.left, pdf.y, {
    width,
    height,
    // Without it svg-to-pdfkit sizes the chart by the SVG's own width (720 px = 540 pt), past
    // the right margin, and ignores the box given here.
    preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (_family, bold) => (bold ? SANS_BOLD : SANS),
  });
  pdf.y += height + 16;
  pdf.x = MARGIN.left;
}

type TextState = { _font: unknown; _fontSize: number; _fillColor?: [string, number?] };

/**
 * Brand and title on top of each page, brand, time and "Page n" at the bottom, drawn as the
 * page is added. Pages are not buffered (no "of m"): a buffered page keeps its whole content
 * stream until the end, about 20 MB for a 2,000-row table.
 */
function decoratePage(pdf: PdfDoc, doc: ExportDocument, number: number) {
  // The page may have been added in the middle of wrapping text: leave its state as it was.
  const state = pdf as unknown as TextState;
  const saved = { font: state._font, size: state._fontSize, fill: state._fillColor };
  const { x, y } = pdf;
  const margins = pdf.page.margins;
  // Text in the margins would otherwise make pdfkit start a new page.
  pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
  pdf.save();
  const right = pdf.page.width - MARGIN.right;
  const width = right - MARGIN.left;
  pdf
    .font(SANS_BOLD)
    .fontSize(10)
    .fillColor(COLORS.brand)
    .text(doc.brand, MARGIN.left, 28, { lineBreak: false });
  const brandWidth = pdf.widthOfString(doc.brand) + 12;
  pdf.font(SANS).fontSize(8).fillColor(COLORS.muted);
  pdf.text(doc.title, MARGIN.left + brandWidth, 30, {
    width: width - brandWidth,
    height: 10,
    align: 'right',
    lineBreak: false,
    ellipsis: true,
  });
  pdf.moveTo(MARGIN.left, 44).lineTo(right, 44).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
  const footerY = pdf.page.height - 34;
  pdf
    .moveTo(MARGIN.left, footerY - 8)
    .lineTo(right, footerY - 8)
    .stroke();
  pdf.text(
    `${doc.brand} · ${formatDateTime(doc.generatedAt, doc.timeZone)} ${doc.timeZone}`,
    MARGIN.left,
    footerY,
    { lineBreak: false },
  );
  const pageText = `Page ${number}`;
  pdf.text(pageText, right - pdf.widthOfString(pageText), footerY, { lineBreak: false });
  pdf.restore();
  pdf.page.margins = margins;
  state._font = saved.font;
  state._fontSize = saved.size;
  if (saved.fill) pdf.fillColor(...saved.fill);
  pdf.x = x;
  pdf.y = y;
}

/**
 * A branded A4 report: title and ranges, summary tiles, the series and platform charts (vector,
 * drawn from their SVG), then up to PDF_MAX_TABLE_ROWS rows as a table with its header repeated
 * on each page. Rows past the cap are counted for the note under the table (read only when the
 * document does not know its total).
 */
export async function writePdf(
  doc: ExportDocument,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
): Promise<void> {
  const fonts = fontBuffers();
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    autoFirstPage: false,
    // No default font: with one, pdfkit finds the registered "Sans" equal to it by name and
    // never caches it under "Sans", so every pdf.font(SANS) parsed the whole TTF again.
    font: null as unknown as string,
    info: {
      Title: doc.title,
      Author: doc.brand,
      Creator: doc.brand,
      Producer: doc.brand,
      CreationDate: doc.generatedAt,
    },
    displayTitle: true,
  });
  pdf.registerFont(SANS, fonts.regular);
  pdf.registerFont(SANS_BOLD, fonts.bold);
  pdf.font(SANS);
  let pageNumber = 0;
  pdf.on('pageAdded', () => decoratePage(pdf, doc, ++pageNumber));

  // pdfkit's output is a Readable: drain it into the sink as it comes, with back-pressure.
  const pump = (async () => {
    for await (const chunk of pdf as AsyncIterable<Buffer>) await sink.write(chunk);
  })();
  pump.catch(() => undefined);

  try {
    pdf.addPage();
    titleBlock(pdf, doc);
    summaryTiles(pdf, doc.summary);
    chart(pdf, renderSeriesSvg(doc));
    chart(pdf, renderPlatformsSvg(doc));

    const table = new PdfTable(pdf, doc.columns);
    for await (const chunk of readChunks(doc.rows, sink, options, counter)) {
      for (const row of chunk) {
        if (table.rows >= PDF_MAX_TABLE_ROWS) break;
        table.add(row);
      }
      // Reading the other rows only to count them made garbage enough to cost ~40 MB of heap.
      const total = table.rows >= PDF_MAX_TABLE_ROWS ? doc.expectedRows?.() : null;
      if (typeof total === 'number' && total >= counter.rows) {
        counter.rows = total;
        options.onProgress?.(total);
        break;
      }
    }
    table.finish(counter.rows);
  } catch (error) {
    pdf.destroy();
    throw error;
  }
  pdf.end();
  await pump;
  sink.check();
}
