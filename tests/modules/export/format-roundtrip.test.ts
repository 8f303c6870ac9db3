import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  writeExport,
  type ColumnFormat,
  type ExportColumn,
  type ExportRow,
  type ExportValue,
} from '../../../src/modules/export/format/index.js';
import { xlsxText } from '../../../src/modules/export/format/xlsx.js';
import { chunked, Collect, makeDoc } from './format-fixtures.js';

const FORMATS: ColumnFormat[] = [
  'text',
  'date',
  'integer',
  'decimal',
  'percent',
  'duration',
  'currency',
];
const NUMERIC = new Set<ColumnFormat>(['integer', 'decimal', 'percent', 'duration', 'currency']);

/** What spreadsheets run or choke on, and what CSV has to quote. */
const NASTY = [
  '=1+1',
  '@SUM(A1)',
  '+cmd',
  '-2+3',
  '=HYPERLINK("http://x","y")',
  '\tlead tab',
  '\rlead cr',
  '＝full width',
  '',
  ' ',
  'a,b',
  'say "hi"',
  'line\nbreak',
  'crlf\r\nend',
  'ünïcödé ✓ Ελληνικά Кириллица 😀',
  "'already quoted",
  '-',
];

const text = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const number = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const isoDay = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function valueFor(format: ColumnFormat): fc.Arbitrary<ExportValue> {
  if (format === 'date') return fc.oneof(isoDay, isoDay, fc.constant(null), text);
  if (NUMERIC.has(format)) return fc.oneof(number, number, number, fc.constant(null));
  return fc.oneof(text, text, number, fc.constant(null));
}

const columnsArb = fc
  .array(
    fc.record({
      label: fc.oneof(
        fc.constantFrom(...NASTY),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
      ),
      kind: fc.constantFrom('dimension' as const, 'metric' as const),
      format: fc.constantFrom(...FORMATS),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((cols) => cols.map((c, i): ExportColumn => ({ key: `c${i}_${c.format}`, ...c })));

const caseArb = columnsArb.chain((columns) =>
  fc.record({
    columns: fc.constant(columns),
    rows: fc.array(
      fc.tuple(...columns.map((c) => valueFor(c.format))).map((values) => {
        const row: ExportRow = {};
        columns.forEach((c, i) => (row[c.key] = values[i]!));
        return row;
      }),
      { maxLength: 40 },
    ),
    chunkSize: fc.integer({ min: 1, max: 15 }),
    bom: fc.boolean(),
  }),
);

async function write(
  format: 'csv' | 'xlsx' | 'json' | 'ndjson',
  columns: ExportColumn[],
  rows: ExportRow[],
  chunkSize: number,
  bom = false,
) {
  const out = new Collect();
  // Charts are format-charts.test.ts's business; rendering them for every run is slow.
  const doc = makeDoc({ columns, rows: chunked(rows, chunkSize), series: null, platforms: null });
  const result = await writeExport(format, doc, out, { bom });
  expect(out.ended).toBe(true);
  expect(result).toEqual({ rows: rows.length, bytes: out.buffer.length });
  return out.buffer;
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
/** The documented CSV escaping: a leading ' on strings a spreadsheet would run as a formula. */
const csvCell = (value: ExportValue): string =>
  value === null
    ? ''
    : typeof value === 'number'
      ? String(value)
      : FORMULA_START.has(value[0] ?? '')
        ? `'${value}`
        : value;

describe('CSV', () => {
  it('parses back to the rows (RFC 4180, formula escaping on strings only)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ columns, rows, chunkSize, bom }) => {
        const buffer = await write('csv', columns, rows, chunkSize, bom);
        expect(buffer.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(bom);
        const records = parse(buffer, { bom: true, relax_column_count: false }) as string[][];
        expect(records[0]).toEqual(columns.map((c) => csvCell(c.label)));
        const expected = rows.map((row) => columns.map((c) => csvCell(row[c.key] ?? null)));
        // A record of one empty field is an empty line, which csv-parse reads as nothing.
        const comparable = (rs: string[][]) => rs.filter((r) => !(r.length === 1 && r[0] === ''));
        expect(comparable(records.slice(1))).toEqual(comparable(expected));
        // Numbers are never escaped, so each numeric cell reads back as the same number.
        for (const [i, row] of rows.entries())
          for (const c of columns) {
            const value = row[c.key];
            if (typeof value === 'number' && records[i + 1])
              expect(Number(records[i + 1]![columns.indexOf(c)])).toBe(value === 0 ? 0 : value);
          }
      }),
      { numRuns: 60 },
    );
  });

  it('is RFC 4180: CRLF records, quotes only where needed, no thousands separators', async () => {
    const columns: ExportColumn[] = [
      { key: 't', label: 'Title', kind: 'dimension', format: 'text' },
      { key: 'v', label: 'Views', kind: 'metric', format: 'integer' },
    ];
    const buffer = await write(
      'csv',
      columns,
      [
        { t: 'plain', v: 1234567 },
        { t: 'a,b "c"', v: -5 },
        { t: '=HYPERLINK("http://evil","x")', v: null },
        { t: '-2+3', v: 0.5 },
      ],
      2,
    );
    expect(buffer.toString('utf8')).toBe(
      'Title,Views\r\nplain,1234567\r\n"a,b ""c""",-5\r\n"\'=HYPERLINK(""http://evil"",""x"")",\r\n\'-2+3,0.5\r\n',
    );
  });
});

describe('JSON and NDJSON', () => {
  const typed = (columns: ExportColumn[], rows: ExportRow[]) =>
    rows.map((row) =>
      Object.fromEntries(
        columns.map((c) => [c.key, Object.is(row[c.key], -0) ? 0 : (row[c.key] ?? null)]),
      ),
    );

  it('JSON: meta plus typed rows', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ columns, rows, chunkSize }) => {
        const parsed = JSON.parse((await write('json', columns, rows, chunkSize)).toString('utf8'));
        expect(Object.keys(parsed)).toEqual(['meta', 'rows']);
        expect(parsed.rows).toEqual(typed(columns, rows));
        expect(parsed.meta).toEqual({
          title: 'Weekly performance',
          description: 'Every video on every platform.',
          generatedAt: '2026-03-29T08:00:00.000Z',
          asOf: '2026-03-29T07:55:00.000Z',
          timeZone: 'Europe/Paris',
          range: { startDate: '2026-03-01', endDate: '2026-03-28' },
          previousRange: { startDate: '2026-02-01', endDate: '2026-02-28' },
          definition: { metrics: ['VIEWS'], dimensions: ['DAY'], range: 'LAST_28_DAYS' },
          columns,
        });
      }),
      { numRuns: 60 },
    );
  });

  it('NDJSON: one object per row and line, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ columns, rows, chunkSize }) => {
        const textOut = (await write('ndjson', columns, rows, chunkSize)).toString('utf8');
        const lines = textOut.split('\n');
        expect(lines.pop()).toBe('');
        expect(lines).toHaveLength(rows.length);
        expect(lines.map((line) => JSON.parse(line))).toEqual(typed(columns, rows));
      }),
      { numRuns: 60 },
    );
  });

  it('streams the rows array instead of stringifying it whole', async () => {
    const columns: ExportColumn[] = [{ key: 'v', label: 'V', kind: 'metric', format: 'integer' }];
    const out = new Collect();
    const writes: number[] = [];
    const original = out.write.bind(out);
    out.write = ((chunk: Buffer, ...rest: never[]) => {
      writes.push(chunk.length);
      return original(chunk, ...rest);
    }) as typeof out.write;
    const rows = Array.from({ length: 50 }, (_, i) => ({ v: i }));
    await writeExport('json', makeDoc({ columns, rows: chunked(rows, 10) }), out);
    // A head, one write per chunk, a tail.
    expect(writes).toHaveLength(1 + 5 + 1);
  });
});

/** What the XLSX reader gives back for a value, per the documented cell typing. */
function xlsxExpected(column: ExportColumn, value: ExportValue): unknown {
  if (value === null) return null;
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (column.format === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { date: value };
  const cleaned = xlsxText(value);
  return cleaned === '' ? null : cleaned;
}

function xlsxActual(cell: ExcelJS.Cell): unknown {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { date: value.toISOString().slice(0, 10) };
  if (typeof value === 'object') return { object: value };
  return value;
}

describe('XLSX', () => {
  it('reads back with exceljs: typed cells, never formulas', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ columns, rows, chunkSize }) => {
        const buffer = await write('xlsx', columns, rows, chunkSize);
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(buffer as unknown as ExcelJS.Buffer);
        expect(book.worksheets.map((s) => s.name)).toEqual(['Data', 'Summary']);
        const sheet = book.getWorksheet('Data')!;
        const header = columns.map((c, i) => xlsxActual(sheet.getRow(1).getCell(i + 1)));
        expect(header).toEqual(columns.map((c) => xlsxExpected({ ...c, format: 'text' }, c.label)));
        const actual = rows.map((_, r) =>
          columns.map((_, i) => xlsxActual(sheet.getRow(r + 2).getCell(i + 1))),
        );
        expect(actual).toEqual(
          rows.map((row) => columns.map((c) => xlsxExpected(c, row[c.key] ?? null))),
        );
        sheet.eachRow((row) =>
          row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
        );
      }),
      { numRuns: 40 },
    );
  });
});

describe('CSV cells', () => {
  it('are written exactly as csv-stringify writes them, plain ones included', async () => {
    const { csvCell: written } = await import('../../../src/modules/export/format/csv.js');
    const { stringify } = await import('csv-stringify/sync');
    const byLibrary = (value: string | number) =>
      stringify([[value]], {
        record_delimiter: '\r\n',
        quote_record_delimiter: true,
        escape_formulas: true,
      }).slice(0, -2);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.constantFrom(...NASTY),
          fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', '-', '=', '＠', ' ') }),
          fc.double(),
          fc.integer(),
        ),
        (value) => {
          expect(written(value)).toBe(byLibrary(value));
        },
      ),
      { numRuns: 2000 },
    );
    expect(written(null)).toBe('');
  });
});
