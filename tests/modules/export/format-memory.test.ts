import { describe, expect, it } from 'vitest';
import { writeExport, type ExportRow } from '../../../src/modules/export/format/index.js';
import { Discard, makeDoc, sampleRow } from './format-fixtures.js';

// A file of its own: vitest gives each file a fresh process, so the heap measured here holds
// nothing but this export (and no garbage left by other tests).
describe('bounded memory (heap sampled while streaming to a sink that discards)', () => {
  async function peakHeap(format: 'csv' | 'xlsx', count: number) {
    let peak = 0;
    const sink = new Discard();
    async function* rows(): AsyncGenerator<ExportRow[]> {
      for (let i = 0; i < count; i += 2000) {
        const chunk: ExportRow[] = [];
        for (let j = i; j < Math.min(count, i + 2000); j++) chunk.push(sampleRow(j));
        yield chunk;
      }
    }
    const result = await writeExport(
      format,
      makeDoc({ rows: rows(), series: null, platforms: null }),
      sink,
      {
        onProgress: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)),
      },
    );
    expect(result.rows).toBe(count);
    expect(result.bytes).toBe(sink.bytes);
    return peak;
  }

  it('1,000,000 CSV rows', async () => {
    const peak = await peakHeap('csv', 1_000_000);
    expect(peak / 2 ** 20).toBeLessThan(150);
  }, 120_000);

  it('200,000 XLSX rows', async () => {
    const peak = await peakHeap('xlsx', 200_000);
    expect(peak / 2 ** 20).toBeLessThan(150);
  }, 120_000);
});
