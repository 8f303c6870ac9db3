import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  EXPORT_MEDIA,
  ExportTooLargeError,
  InvalidExportDocumentError,
  writeExport,
  type ExportRow,
} from '../../../src/modules/export/format/index.js';
import { Collect, makeDoc, sampleRow } from './format-fixtures.js';

/** A row source that records how far it was read and whether it was closed. */
function tracked(total: number, chunkSize = 100) {
  const state = { yielded: 0, closed: false };
  async function* rows(): AsyncGenerator<ExportRow[]> {
    try {
      for (let i = 0; i < total; i += chunkSize) {
        await new Promise((resolve) => setImmediate(resolve));
        const chunk: ExportRow[] = [];
        for (let j = i; j < Math.min(total, i + chunkSize); j++) chunk.push(sampleRow(j));
        state.yielded += chunk.length;
        yield chunk;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, rows: rows() };
}

describe('formats', () => {
  it('names the media types and extensions', () => {
    expect(EXPORT_FORMATS).toEqual(['csv', 'xlsx', 'json', 'ndjson', 'pdf']);
    expect(EXPORT_MEDIA).toEqual({
      csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
      xlsx: {
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      },
      json: { contentType: 'application/json', extension: 'json' },
      ndjson: { contentType: 'application/x-ndjson', extension: 'ndjson' },
      pdf: { contentType: 'application/pdf', extension: 'pdf' },
    });
  });
});

describe.each(EXPORT_FORMATS)('%s limits', (format) => {
  const rowsFor = format === 'pdf' ? 3000 : 20_000;

  it('rejects with ExportTooLargeError once the output passes maxBytes, and stops reading', async () => {
    const source = tracked(rowsFor);
    const out = new Collect();
    const maxBytes = 4096;
    const error = await writeExport(format, makeDoc({ rows: source.rows }), out, { maxBytes }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExportTooLargeError);
    expect(error).toMatchObject({ code: 'EXPORT_TOO_LARGE', limitBytes: 4096 });
    expect(out.buffer.length).toBeLessThanOrEqual(maxBytes);
    expect(out.ended).toBe(false);
    expect(source.state.closed).toBe(true);
    // PDF bytes only come out at the end, so it has read every row by then; the others stop early.
    if (format !== 'pdf') expect(source.state.yielded).toBeLessThan(rowsFor);
  });

  it('stays within maxBytes when the file fits', async () => {
    const out = new Collect();
    const result = await writeExport(format, makeDoc(), out, { maxBytes: 5_000_000 });
    expect(result.rows).toBe(3);
    expect(result.bytes).toBe(out.buffer.length);
    expect(out.ended).toBe(true);
  });

  it('rejects on abort with the signal reason and closes the row source', async () => {
    const source = tracked(rowsFor);
    const controller = new AbortController();
    const out = new Collect();
    const reason = new Error('user cancelled');
    const progress: number[] = [];
    const promise = writeExport(format, makeDoc({ rows: source.rows }), out, {
      signal: controller.signal,
      onProgress: (rows) => {
        progress.push(rows);
        if (rows >= 500) controller.abort(reason);
      },
    });
    await expect(promise).rejects.toBe(reason);
    expect(source.state.closed).toBe(true);
    expect(source.state.yielded).toBeLessThan(rowsFor);
    expect(progress.slice(0, 5)).toEqual([100, 200, 300, 400, 500]);
    expect(out.ended).toBe(false);
  });

  it('an already aborted signal writes nothing', async () => {
    const source = tracked(1000);
    const out = new Collect();
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeExport(format, makeDoc({ rows: source.rows }), out, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.state.yielded).toBe(0);
    expect(out.buffer.length).toBe(0);
  });

  it('never writes while the output asks to drain (back-pressure)', async () => {
    const out = new Collect(1);
    let violations = 0;
    let writes = 0;
    const write = out.write.bind(out);
    out.write = ((...args: Parameters<typeof out.write>) => {
      writes++;
      if (out.writableNeedDrain) violations++;
      return write(...args);
    }) as typeof out.write;
    const result = await writeExport(format, makeDoc({ rows: tracked(3000).rows }), out);
    expect(result.rows).toBe(3000);
    expect(writes).toBeGreaterThan(1);
    expect(violations).toBe(0);
  });

  it('rejects with the error of an output that fails mid-way, and stops reading', async () => {
    const source = tracked(rowsFor);
    let written = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        setImmediate(() => callback(written > 2048 ? new Error('disk full') : null));
      },
    });
    await expect(writeExport(format, makeDoc({ rows: source.rows }), out)).rejects.toThrow(
      'disk full',
    );
    expect(source.state.closed).toBe(true);
  });

  it('refuses a malformed document before writing anything', async () => {
    const cases = [
      makeDoc({ columns: [] }),
      makeDoc({
        columns: [
          { key: 'a', label: 'A', kind: 'dimension', format: 'text' },
          { key: 'a', label: 'A again', kind: 'metric', format: 'integer' },
        ],
      }),
      makeDoc({ timeZone: 'Mars/Olympus_Mons' }),
      makeDoc({ generatedAt: new Date(Number.NaN) }),
    ];
    for (const doc of cases) {
      const out = new Collect();
      await expect(writeExport(format, doc, out)).rejects.toBeInstanceOf(
        InvalidExportDocumentError,
      );
      expect(out.buffer.length).toBe(0);
    }
  });
});

it('refuses an unknown format', async () => {
  await expect(writeExport('docx' as never, makeDoc(), new Collect())).rejects.toBeInstanceOf(
    InvalidExportDocumentError,
  );
});
