import type PDFDocument from 'pdfkit';

/** A pdfkit document. */
export type PdfDoc = InstanceType<typeof PDFDocument>;

export const SANS = 'Sans';
export const SANS_BOLD = 'Sans-Bold';
export const COLORS = {
  brand: '#2563eb',
  text: '#111827',
  muted: '#6b7280',
  rule: '#d1d5db',
  tile: '#f3f4f6',
  zebra: '#f9fafb',
  up: '#15803d',
  down: '#b91c1c',
};
/** Room left on the page below the cursor. */
export const roomLeft = (pdf: PdfDoc) => pdf.page.height - pdf.page.margins.bottom - pdf.y;
