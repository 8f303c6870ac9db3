import { Writable } from 'node:stream';
import type {
  ExportColumn,
  ExportDocument,
  ExportRow,
} from '../../../src/modules/export/format/index.js';

/** Rows as the lead's cursor hands them over: in chunks, each after a turn of the event loop. */
export async function* chunked(rows: ExportRow[], size = 100): AsyncGenerator<ExportRow[]> {
  for (let i = 0; i < rows.length; i += size) {
    await new Promise((resolve) => setImmediate(resolve));
    yield rows.slice(i, i + size);
  }
}

/** `count` rows made on the fly, so that a million never exist at once. */
export async function* generated(
  count: number,
  make: (i: number) => ExportRow,
  size = 1000,
): AsyncGenerator<ExportRow[]> {
  for (let i = 0; i < count; i += size) {
    const chunk: ExportRow[] = [];
    for (let j = i; j < Math.min(count, i + size); j++) chunk.push(make(j));
    yield chunk;
  }
}

export const COLUMNS: ExportColumn[] = [
  { key: 'day', label: 'Day', kind: 'dimension', format: 'date' },
  { key: 'title', label: 'Title', kind: 'dimension', format: 'text' },
  { key: 'views', label: 'Views', kind: 'metric', format: 'integer' },
  { key: 'rate', label: 'Engagement rate', kind: 'metric', format: 'percent' },
  { key: 'watch', label: 'Watch time', kind: 'metric', format: 'duration' },
];

export const sampleRow = (i: number): ExportRow => ({
  day: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`,
  title: `Video ${i}, "quoted" — ünïcode`,
  views: i * 7,
  rate: (i % 100) / 1000,
  watch: i * 3.5,
});

export function makeDoc(overrides: Partial<ExportDocument> = {}): ExportDocument {
  return {
    title: 'Weekly performance',
    description: 'Every video on every platform.',
    brand: 'Pulse',
    generatedAt: new Date('2026-03-29T08:00:00Z'),
    asOf: new Date('2026-03-29T07:55:00Z'),
    timeZone: 'Europe/Paris',
    range: { startDate: '2026-03-01', endDate: '2026-03-28' },
    previousRange: { startDate: '2026-02-01', endDate: '2026-02-28' },
    definition: { metrics: ['VIEWS'], dimensions: ['DAY'], range: 'LAST_28_DAYS' },
    columns: COLUMNS,
    rows: chunked([sampleRow(1), sampleRow(2), sampleRow(3)]),
    summary: [
      { label: 'Total views', format: 'integer', value: 123_456, previous: 100_000 },
      { label: 'Engagement rate', format: 'percent', value: 0.045, previous: 0.05 },
      { label: 'Watch time', format: 'duration', value: 360_000, previous: null },
    ],
    series: {
      label: 'Daily views',
      format: 'integer',
      points: Array.from({ length: 28 }, (_, i) => ({
        date: `2026-03-${String(i + 1).padStart(2, '0')}`,
        value: 1000 + i * 30,
        previous: 900 + i * 20,
      })),
    },
    platforms: {
      label: 'Views by platform',
      format: 'integer',
      values: [
        { platform: 'YouTube', value: 12_345 },
        { platform: 'TikTok', value: 22_345 },
        { platform: 'Instagram', value: 5_345 },
      ],
    },
    ...overrides,
  };
}

/** Keeps everything written, like a file would. */
export class Collect extends Writable {
  private readonly parts: Buffer[] = [];
  ended = false;
  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
    this.on('finish', () => (this.ended = true));
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.parts.push(chunk);
    // Asynchronous, so that back-pressure (write() → false, then 'drain') really happens.
    setImmediate(callback);
  }
  get buffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Counts and discards: what a memory bound is measured against. */
export class Discard extends Writable {
  bytes = 0;
  constructor() {
    super({ highWaterMark: 64 * 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.bytes += chunk.length;
    setImmediate(callback);
  }
}
