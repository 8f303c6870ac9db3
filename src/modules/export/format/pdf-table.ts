import type { ExportColumn, ExportRow } from './types.js';
import { cellValue, formatValue, isNumericFormat } from './values.js';
import { COLORS, roomLeft, SANS, SANS_BOLD, type PdfDoc } from './pdf-style.js';

const PADDING = 4;
const integer = new Intl.NumberFormat('en-US');

/**
 * The rows table: widths from the header and the first rows, text cut to its cell with "…",
 * numbers right-aligned, zebra rows, and the header row again at the top of every page.
 */
export class PdfTable {
  rows = 0;
  private widths: number[] | null = null;
  private readonly fontSize: number;
  private readonly rowHeight: number;
  private readonly left: number;
  private readonly width: number;
  private readonly sample: ExportRow[] = [];

  constructor(
    private readonly pdf: PdfDoc,
    private readonly columns: ExportColumn[],
  ) {
    this.fontSize = columns.length > 8 ? 6.5 : columns.length > 5 ? 7.5 : 8.5;
    this.rowHeight = this.fontSize + 2 * PADDING + 1;
    this.left = pdf.page.margins.left;
    this.width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
  }

  add(row: ExportRow): void {
    // The first rows decide the column widths, so they wait until there are enough of them.
    if (!this.widths) {
      this.sample.push(row);
      if (this.sample.length < 50) return;
      this.start();
      return;
    }
    this.draw(row);
  }

  finish(totalRows: number): void {
    if (!this.widths) this.start();
    const { pdf } = this;
    pdf.x = this.left;
    pdf.y += 6;
    pdf.font(SANS).fontSize(8).fillColor(COLORS.muted);
    if (totalRows === 0) pdf.text('No rows.', this.left, pdf.y, { width: this.width });
    else if (totalRows > this.rows)
      pdf.text(
        `Showing the first ${integer.format(this.rows)} of ${integer.format(totalRows)} rows; export CSV or XLSX for all of them.`,
        this.left,
        pdf.y,
        { width: this.width },
      );
  }

  private start(): void {
    this.widths = this.columnWidths();
    if (roomLeft(this.pdf) < this.rowHeight * 4) this.pdf.addPage();
    this.header();
    const sample = this.sample.splice(0);
    for (const row of sample) this.draw(row);
  }

  private columnWidths(): number[] {
    const { pdf } = this;
    pdf.fontSize(this.fontSize);
    const natural = this.columns.map((column) => {
      pdf.font(SANS_BOLD);
      let width = pdf.widthOfString(column.label);
      pdf.font(SANS);
      for (const row of this.sample)
        width = Math.max(
          width,
          pdf.widthOfString(formatValue(column.format, cellValue(row, column))),
        );
      // Later rows may hold bigger numbers than the first ones: leave them two more digits.
      if (isNumericFormat(column.format))
        width = Math.max(width + pdf.widthOfString('00'), pdf.widthOfString('0,000,000'));
      return Math.min(width, 220) + 2 * PADDING;
    });
    const total = natural.reduce((a, b) => a + b, 0);
    if (total <= this.width) {
      // Spare room goes to the text columns, which are the ones that get cut.
      const text = this.columns.filter((c) => !isNumericFormat(c.format)).length;
      return natural.map((w, i) =>
        text === 0
          ? w + (this.width - total) / natural.length
          : isNumericFormat(this.columns[i]!.format)
            ? w
            : w + (this.width - total) / text,
      );
    }
    // Too wide: numbers keep their width when they can; text columns share what is left.
    const numeric = natural.reduce(
      (sum, w, i) => (isNumericFormat(this.columns[i]!.format) ? sum + w : sum),
      0,
    );
    const rest = this.width - numeric;
    const textNatural = total - numeric;
    if (rest >= 40 * (this.columns.length - 1) && textNatural > 0)
      return natural.map((w, i) =>
        isNumericFormat(this.columns[i]!.format) ? w : (w / textNatural) * rest,
      );
    return natural.map((w) => (w / total) * this.width);
  }

  private header(): void {
    const { pdf } = this;
    const y = pdf.y;
    pdf.rect(this.left, y, this.width, this.rowHeight).fill(COLORS.text);
    pdf.font(SANS_BOLD).fontSize(this.fontSize).fillColor('#ffffff');
    this.cells(
      y,
      this.columns.map((column) => column.label),
      this.columns.map((column) => column.kind === 'metric' || isNumericFormat(column.format)),
    );
    pdf.y = y + this.rowHeight;
  }

  private draw(row: ExportRow): void {
    const { pdf } = this;
    if (roomLeft(pdf) < this.rowHeight) {
      pdf.addPage();
      this.header();
    }
    const y = pdf.y;
    if (this.rows % 2 === 1) pdf.rect(this.left, y, this.width, this.rowHeight).fill(COLORS.zebra);
    const values = this.columns.map((column) => cellValue(row, column));
    pdf.font(SANS).fontSize(this.fontSize).fillColor(COLORS.text);
    this.cells(
      y,
      this.columns.map((column, i) => formatValue(column.format, values[i]!)),
      values.map((value) => typeof value === 'number'),
    );
    pdf.y = y + this.rowHeight;
    this.rows++;
  }

  private cells(y: number, texts: string[], rightAligned: boolean[]): void {
    const { pdf } = this;
    let x = this.left;
    texts.forEach((raw, i) => {
      const width = this.widths![i]!;
      const room = width - 2 * PADDING;
      if (rightAligned[i]) {
        // A number is never cut: one too wide for its column is set smaller instead.
        const natural = pdf.widthOfString(raw);
        const size = natural > room ? Math.max(3, (this.fontSize * room) / natural) : this.fontSize;
        pdf.fontSize(size);
        const textX = x + width - PADDING - pdf.widthOfString(raw);
        pdf.text(raw, textX, y + PADDING + (this.fontSize - size), { lineBreak: false });
        pdf.fontSize(this.fontSize);
      } else {
        const text = this.fit(raw.replace(/\s+/g, ' '), room);
        pdf.text(text, x + PADDING, y + PADDING, { lineBreak: false });
      }
      x += width;
    });
  }

  /** The longest prefix (plus "…") that fits in `room` points. */
  private fit(text: string, room: number): string {
    const { pdf } = this;
    const full = pdf.widthOfString(text);
    if (full <= room) return text;
    const chars = Array.from(text);
    const width = (n: number) => pdf.widthOfString(chars.slice(0, n).join('') + '…');
    // Laying text out is the costly part (OpenType shaping): start from a proportional guess
    // and step, which takes two or three layouts where a bisection takes six or more.
    let n = Math.max(0, Math.min(chars.length - 1, Math.floor((chars.length * room) / full)));
    while (n > 0 && width(n) > room) n--;
    while (n + 1 < chars.length && width(n + 1) <= room) n++;
    return n === 0 ? '' : chars.slice(0, n).join('') + '…';
  }
}
