import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PDF_MAX_TABLE_ROWS,
  writeExport,
  type WriteResult,
} from '../../../src/modules/export/format/index.js';
import { Collect, generated, makeDoc, sampleRow } from './format-fixtures.js';

/** Each page's text, items joined by a space (what a reader's "copy text" gives). */
async function pdfText(buffer: Buffer): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(buffer), isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages;
}

describe('PDF report', () => {
  const total = PDF_MAX_TABLE_ROWS + 500;
  let pages: string[];
  let result: WriteResult;
  let buffer: Buffer;

  beforeAll(async () => {
    const out = new Collect();
    result = await writeExport(
      'pdf',
      makeDoc({
        title: 'Révision — Ελληνικά Кириллица ✓',
        rows: generated(total, sampleRow, 300),
      }),
      out,
    );
    buffer = out.buffer;
    pages = await pdfText(buffer);
  });

  it('is a PDF whose every row was counted', () => {
    expect(buffer.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(result).toEqual({ rows: total, bytes: buffer.length });
    expect(pages.length).toBeGreaterThan(10);
  });

  it('opens with the title, the ranges, the zone, the times and every summary figure', () => {
    const first = pages[0]!;
    expect(first).toContain('Révision — Ελληνικά Кириллица ✓');
    expect(first).toContain('2026-03-01 – 2026-03-28');
    expect(first).toContain('2026-02-01 – 2026-02-28');
    expect(first).toContain('Europe/Paris');
    // 08:00 UTC on the day Paris moved to summer time is 10:00 there.
    expect(first).toContain('2026-03-29 10:00');
    expect(first).toContain('2026-03-29 09:55');
    for (const label of ['Total views', 'Engagement rate', 'Watch time'])
      expect(first).toContain(label);
    expect(first).toContain('123,456');
    expect(first).toContain('▲ 23.46%');
    expect(first).toContain('4.50%');
    expect(first).toContain('▼ 10.00%');
    expect(first).toContain('100:00:00');
    expect(first).toContain('no previous value');
  });

  it('draws both charts as vector text (titles, axis labels, legend, platforms)', () => {
    const all = pages.slice(0, 2).join(' ');
    for (const label of ['Daily views', 'Date', 'Current period', 'Previous period', 'Mar 05'])
      expect(all).toContain(label);
    for (const label of ['Views by platform', 'TikTok', 'YouTube', 'Instagram', 'Platform'])
      expect(all).toContain(label);
  });

  it('repeats the table header on every page, numbers pages and notes the cut', () => {
    const tablePages = pages.filter(
      (text) => text.includes('Engagement rate') && text.includes('Watch time'),
    );
    expect(tablePages.length).toBeGreaterThan(10);
    for (const text of pages.slice(2)) {
      for (const label of ['Day', 'Title', 'Views', 'Engagement rate', 'Watch time'])
        expect(text).toContain(label);
    }
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1}`);
      expect(text).not.toContain(`Page ${i + 2}`);
      expect(text.match(/Pulse · 2026-03-29 10:00 Europe\/Paris/g)).toHaveLength(1);
    });
    const last = pages.at(-1)!;
    // The last row shown is row 1999 (zero-based): 13,993 views, 9.90 %.
    expect(last).toContain('13,993');
    expect(last).toContain('9.90%');
    expect(last).not.toContain('14,000');
    expect(last).toContain(
      `Showing the first 2,000 of ${total.toLocaleString('en-US')} rows; export CSV or XLSX for all of them.`,
    );
    expect(pages.join(' ')).not.toContain('Video 2000,');
  });

  it('a short report has no cut note, and an empty one says so', async () => {
    const small = new Collect();
    await writeExport('pdf', makeDoc({ rows: generated(3, sampleRow) }), small);
    const text = (await pdfText(small.buffer)).join(' ');
    expect(text).toContain('Video 2, "quoted" — ünïcode');
    expect(text).not.toContain('Showing the first');

    const empty = new Collect();
    const result = await writeExport(
      'pdf',
      makeDoc({ rows: generated(0, sampleRow), summary: [], series: null, platforms: null }),
      empty,
    );
    expect(result.rows).toBe(0);
    const emptyText = (await pdfText(empty.buffer)).join(' ');
    expect(emptyText).toContain('No rows.');
    expect(emptyText).toContain('Page 1');
  });

  it('stops reading once the table is full when the document knows its total', async () => {
    const known = 100_000;
    let yielded = 0;
    let closed = false;
    async function* rows() {
      try {
        for await (const chunk of generated(known, sampleRow, 500)) {
          yielded += chunk.length;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    const progress: number[] = [];
    const out = new Collect();
    const result = await writeExport(
      'pdf',
      makeDoc({ rows: rows(), expectedRows: () => (yielded > 0 ? known : null) }),
      out,
      { onProgress: (n) => progress.push(n) },
    );
    expect(result.rows).toBe(known);
    expect(yielded).toBe(PDF_MAX_TABLE_ROWS);
    expect(closed).toBe(true);
    expect(progress.at(-1)).toBe(known);
    const last = (await pdfText(out.buffer)).at(-1)!;
    expect(last).toContain('Showing the first 2,000 of 100,000 rows');
  });
});
