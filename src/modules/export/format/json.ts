import { readChunks, type ByteSink } from './sink.js';
import type { ExportDocument, ExportRow, ExportValue, WriteOptions } from './types.js';
import { cellValue } from './values.js';

/** A row as a JSON object keyed by column key, in column order, with typed values. */
function rowObject(doc: ExportDocument, row: ExportRow): Record<string, ExportValue> {
  const out: Record<string, ExportValue> = {};
  for (const column of doc.columns) out[column.key] = cellValue(row, column);
  return out;
}

function meta(doc: ExportDocument) {
  return {
    title: doc.title,
    description: doc.description ?? null,
    generatedAt: doc.generatedAt.toISOString(),
    asOf: doc.asOf.toISOString(),
    timeZone: doc.timeZone,
    range: doc.range,
    previousRange: doc.previousRange,
    definition: doc.definition ?? null,
    columns: doc.columns.map(({ key, label, kind, format }) => ({ key, label, kind, format })),
  };
}

/** `{"meta":{…},"rows":[…]}`, written row by row: the array is never built whole. */
export async function writeJson(
  doc: ExportDocument,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
): Promise<void> {
  await sink.write(`{"meta":${JSON.stringify(meta(doc))},"rows":[`);
  let first = true;
  for await (const chunk of readChunks(doc.rows, sink, options, counter)) {
    if (chunk.length === 0) continue;
    let text = '';
    for (const row of chunk) {
      text += (first ? '\n' : ',\n') + JSON.stringify(rowObject(doc, row));
      first = false;
    }
    await sink.write(text);
  }
  await sink.write(first ? ']}\n' : '\n]}\n');
}

/** One JSON object per row and line, nothing else (the JSONL bulk-data convention). */
export async function writeNdjson(
  doc: ExportDocument,
  sink: ByteSink,
  options: WriteOptions,
  counter: { rows: number },
): Promise<void> {
  for await (const chunk of readChunks(doc.rows, sink, options, counter)) {
    if (chunk.length === 0) continue;
    let text = '';
    for (const row of chunk) text += JSON.stringify(rowObject(doc, row)) + '\n';
    await sink.write(text);
  }
}
