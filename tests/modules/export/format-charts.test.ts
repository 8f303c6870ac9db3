import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  renderPlatformsSvg,
  renderSeriesSvg,
  svgToPng,
  writeExport,
  type ExportColumn,
} from '../../../src/modules/export/format/index.js';
import { chunked, Collect, makeDoc } from './format-fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('charts', () => {
  it('the series chart is an SVG with its title, axes, dates and both periods', async () => {
    const svg = renderSeriesSvg(makeDoc())!;
    expect(svg.startsWith('<svg')).toBe(true);
    const labels = texts(svg);
    for (const label of [
      'Daily views',
      'Date',
      'Current period',
      'Previous period',
      'Mar 01',
      'Mar 05',
    ])
      expect(labels).toContain(label);
    expect(labels).toContain('1,000');
  });

  it('leaves the previous period out when there is none, and draws nothing without points', async () => {
    const doc = makeDoc();
    const current = renderSeriesSvg(
      makeDoc({
        series: {
          ...doc.series!,
          points: doc.series!.points.map((p) => ({ ...p, previous: null })),
        },
      }),
    )!;
    expect(texts(current)).toContain('Current period');
    expect(texts(current)).not.toContain('Previous period');
    expect(renderSeriesSvg(makeDoc({ series: null }))).toBeNull();
    expect(renderSeriesSvg(makeDoc({ series: { ...doc.series!, points: [] } }))).toBeNull();
    expect(renderPlatformsSvg(makeDoc({ platforms: null }))).toBeNull();
  });

  it('percent axes show ratios as percentages', async () => {
    const svg = renderSeriesSvg(
      makeDoc({
        series: {
          label: 'Engagement rate',
          format: 'percent',
          points: [
            { date: '2026-03-01', value: 0.02, previous: null },
            { date: '2026-03-02', value: 0.05, previous: null },
          ],
        },
      }),
    )!;
    expect(texts(svg).some((t) => /^\d+\.\d%$/.test(t!))).toBe(true);
  });

  it("shows the report's calendar days whatever the server's zone", async () => {
    const tz = process.env['TZ'];
    process.env['TZ'] = 'America/Los_Angeles';
    try {
      const svg = renderSeriesSvg(
        makeDoc({
          series: {
            label: 'Views',
            format: 'integer',
            points: [
              { date: '2026-03-01', value: 1, previous: null },
              { date: '2026-03-02', value: 2, previous: null },
            ],
          },
        }),
      )!;
      expect(texts(svg)).toContain('Mar 01');
      expect(texts(svg)).not.toContain('Feb 28');
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
  });

  it('the platform chart names every platform', async () => {
    const labels = texts(renderPlatformsSvg(makeDoc())!);
    for (const label of ['Views by platform', 'Platform', 'YouTube', 'TikTok', 'Instagram'])
      expect(labels).toContain(label);
  });

  it('escapes text, so a label cannot break the SVG, and still draws negative values', () => {
    const svg = renderPlatformsSvg(
      makeDoc({
        platforms: {
          label: 'Revenue <net> & fees',
          format: 'currency',
          values: [
            { platform: 'YouTube', value: -12.5 },
            { platform: 'TikTok', value: 40 },
          ],
        },
      }),
    )!;
    expect(texts(svg)).toContain('Revenue &lt;net&gt; &amp; fees');
    expect(svg).not.toContain('<net>');
    expect(texts(svg)).toContain('−10'); // d3-format's minus sign
    expect(svgToPng(svg).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('svgToPng gives a PNG of the asked width, with the text drawn from the bundled fonts', async () => {
    const svg = renderSeriesSvg(makeDoc())!;
    const png = svgToPng(svg, 1440);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.readUInt32BE(16)).toBe(1440); // IHDR width
    expect(png.length).toBeGreaterThan(10_000);
    // Without the fonts the text would not be drawn at all: removing it must change the image.
    const withoutText = svgToPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''), 1440);
    expect(withoutText.equals(png)).toBe(false);
    expect(withoutText.length).toBeLessThan(png.length);
  });
});

describe('XLSX layout', () => {
  const columns: ExportColumn[] = [
    { key: 'title', label: 'Title', kind: 'dimension', format: 'text' },
    { key: 'day', label: 'Day', kind: 'dimension', format: 'date' },
    { key: 'views', label: 'Views', kind: 'metric', format: 'integer' },
    { key: 'rate', label: 'Engagement rate', kind: 'metric', format: 'percent' },
    { key: 'watch', label: 'Watch time', kind: 'metric', format: 'duration' },
  ];
  const rows = [
    {
      title: '=HYPERLINK("http://evil.example","click")',
      day: '2026-03-01',
      views: 100,
      rate: 0.1,
      watch: 60,
    },
    {
      title: 'A much longer video title that should widen its column',
      day: '2026-03-02',
      views: 300,
      rate: 0.3,
      watch: null,
    },
    { title: 'Third', day: '2026-03-03', views: -50, rate: null, watch: 30 },
  ];

  async function load() {
    const out = new Collect();
    await writeExport('xlsx', makeDoc({ columns, rows: chunked(rows, 2) }), out);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(out.buffer as unknown as ExcelJS.Buffer);
    return book;
  }

  it('Data: frozen, styled header, number formats, widths, and text that is never a formula', async () => {
    const book = await load();
    const data = book.getWorksheet('Data')!;
    expect(data.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = data.getRow(1);
    expect(header.getCell(1).value).toBe('Title');
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(header.getCell(1).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    const first = data.getRow(2);
    expect(first.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(1).value).toBe(rows[0]!.title);
    expect(first.getCell(2).value).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(first.getCell(2).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(3).numFmt).toBe('#,##0');
    expect(first.getCell(4).numFmt).toBe('0.00%');
    expect(first.getCell(4).value).toBe(0.1);
    expect(first.getCell(5).numFmt).toBe('#,##0" s"');
    expect(data.getRow(4).getCell(3).value).toBe(-50);
    expect(data.getColumn(1).width).toBeGreaterThan(40);
    expect(data.getColumn(3).width).toBeGreaterThanOrEqual(8);
  });

  it('Summary: report facts, figures with change, per-metric statistics and the chart images', async () => {
    const book = await load();
    const summary = book.getWorksheet('Summary')!;
    // Row number → values; blank rows (the gaps between sections) are not listed.
    const lines = new Map<number, unknown[]>();
    summary.eachRow((row, n) => lines.set(n, (row.values as unknown[]).slice(1)));
    const section = (heading: string) => {
      const start = [...lines].find(([, line]) => line[0] === heading)![0];
      const out = new Map<unknown, unknown[]>();
      for (let n = start + 1; lines.has(n); n++) out.set(lines.get(n)![0], lines.get(n)!.slice(1));
      return out;
    };
    const facts = new Map([...lines.values()].map((line) => [line[0], line.slice(1)]));
    expect(summary.getRow(1).getCell(1).value).toBe('Weekly performance');
    expect(facts.get('Range')).toEqual(['2026-03-01 – 2026-03-28']);
    expect(facts.get('Compared with')).toEqual(['2026-02-01 – 2026-02-28']);
    expect(facts.get('Time zone')).toEqual(['Europe/Paris']);
    expect(facts.get('Generated at')).toEqual(['2026-03-29 10:00 (Europe/Paris)']);
    expect(facts.get('Data as of')).toEqual(['2026-03-29 09:55 (Europe/Paris)']);
    expect(facts.get('Rows')).toEqual([3]);

    // Figure, Value, Previous, Change (a ratio).
    const figures = section('Figure');
    expect([...figures.keys()]).toEqual(['Total views', 'Engagement rate', 'Watch time']);
    const views = figures.get('Total views')!;
    expect(views.slice(0, 2)).toEqual([123_456, 100_000]);
    expect(views[2]).toBeCloseTo(0.23456, 10);
    expect(figures.get('Engagement rate')![2]).toBeCloseTo(-0.1, 10);
    expect(figures.get('Watch time')).toEqual([360_000]); // no previous, so no change

    // Column, Total, Average, Minimum, Maximum, Values: over every row, nulls left out.
    const stats = section('Column');
    expect([...stats.keys()]).toEqual(['Views', 'Engagement rate', 'Watch time']);
    expect(stats.get('Views')).toEqual([350, 350 / 3, -50, 300, 3]);
    const rate = stats.get('Engagement rate')!;
    expect(rate[0]).toBeUndefined(); // a sum of ratios is no total
    expect(rate[1]).toBeCloseTo(0.2, 10);
    expect(rate.slice(2)).toEqual([0.1, 0.3, 2]);
    expect(stats.get('Watch time')).toEqual([90, 45, 30, 60, 2]);
    const figureRow = [...lines].find(([, line]) => line[0] === 'Total views')![0];
    expect(summary.getRow(figureRow).getCell(2).numFmt).toBe('#,##0');
    expect(summary.getRow(figureRow).getCell(4).numFmt).toBe('+0.00%;-0.00%;0.00%');

    const images = summary.getImages();
    expect(images).toHaveLength(2);
    for (const image of images) {
      const medium = book.getImage(Number(image.imageId));
      expect(medium.extension).toBe('png');
      expect(
        Buffer.from(medium.buffer as ArrayBuffer)
          .subarray(0, 8)
          .equals(PNG_SIGNATURE),
      ).toBe(true);
    }
  });
});
