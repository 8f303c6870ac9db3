import { PassThrough } from 'node:stream';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/client.js';
import { exportTable, type ExportRecord, type FileFormat } from '../../db/schema.js';
import type { PubSub } from '../../lib/pubsub.js';
import { signLink } from '../../lib/signed-link.js';
import { AnalyticsInputError, type ViewOwner } from '../analytics/analytics.service.js';
import type { ReportInput } from '../analytics/report/report.compile.js';
import { buildExportDocument } from './export.document.js';
import { EXPORT_MEDIA, ExportTooLargeError, writeExport } from './format/index.js';
import type { ExportStorage } from './storage/index.js';

/** What the export service needs; built once in src/services.ts. */
export interface ExportDeps {
  db: Db;
  pubsub: PubSub;
  storage: ExportStorage;
  settings: ExportSettings;
  logger: Logger;
  /** Announces a finished export inside the transaction that finishes it (webhooks). */
  onFinished?: (tx: Tx, record: ExportRecord) => Promise<void>;
}

export interface ExportSettings {
  /** Rows one file may hold at most. */
  maxRows: number;
  /** Bytes one file may hold at most (EXPORT_TOO_LARGE past it). */
  maxBytes: number;
  /** How long a download link works, at most. */
  linkTtlMs: number;
  /** How long a finished file is kept. */
  retentionMs: number;
  signingKeys: readonly string[];
  /** The server's public base URL, for links (known once it listens). */
  publicUrl: () => string;
  hourlyRetentionDays: number;
}

/** An export that failed for a reason retrying cannot fix. */
export class PermanentExportError extends Error {
  constructor(
    readonly code: 'EXPORT_TOO_LARGE' | 'INVALID_DEFINITION' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

const safeName = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'report';

export const fileNameOf = (title: string, format: FileFormat, at: Date) =>
  `${safeName(title)}-${at.toISOString().slice(0, 10)}.${EXPORT_MEDIA[format].extension}`;

const PROGRESS_EVERY_MS = 500;

/** Marks the export running, writes the file, and links it only once the whole file is stored. */
export async function produceExport(
  deps: ExportDeps,
  exportId: string,
  owner: ViewOwner,
  options: { attempt: number; signal?: AbortSignal; onProgress?: (fraction: number) => void },
): Promise<ExportRecord> {
  const { db, pubsub } = deps;
  const [record] = await db
    .update(exportTable)
    .set({
      status: 'running',
      startedAt: sql`coalesce(${exportTable.startedAt}, now())`,
      attempts: sql`${exportTable.attempts} + 1`,
      error: null,
      errorCode: null,
    })
    .where(and(eq(exportTable.id, exportId), inArray(exportTable.status, ['queued', 'running'])))
    .returning();
  if (!record) {
    const [done] = await db.select().from(exportTable).where(eq(exportTable.id, exportId));
    if (!done) throw new PermanentExportError('NOT_FOUND', 'The export no longer exists.');
    return done;
  }
  pubsub.publish('export:changed', exportId, { exportId });
  const now = Date.now();
  const doc = await buildExportDocument({
    db,
    owner,
    input: record.definition as unknown as ReportInput,
    settings: { now, hourlyRetentionDays: deps.settings.hourlyRetentionDays },
    title: record.title,
    maxRows: deps.settings.maxRows,
  }).catch((error: unknown) => {
    if (error instanceof AnalyticsInputError)
      throw new PermanentExportError('INVALID_DEFINITION', `${error.field}: ${error.message}`);
    throw error;
  });
  const media = EXPORT_MEDIA[record.format];
  const fileName = fileNameOf(record.title, record.format, new Date(now));
  const key = `${record.ownerId}/${record.id}/${options.attempt}/${fileName}`;
  let lastWrite = 0;
  const reportProgress = (rows: number) => {
    const expected = doc.expectedRows();
    if (!expected) return;
    const fraction = Math.min(0.99, rows / expected);
    options.onProgress?.(fraction);
    if (Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = Date.now();
    void db
      .update(exportTable)
      .set({ progress: fraction })
      .where(and(eq(exportTable.id, exportId), eq(exportTable.status, 'running')))
      .then(() => pubsub.publish('export:changed', exportId, { exportId }))
      .catch(() => {});
  };
  const body = new PassThrough();
  const stored = deps.storage.put(key, body, { contentType: media.contentType, fileName });
  let written;
  try {
    written = await writeExport(record.format, doc, body, {
      maxBytes: deps.settings.maxBytes,
      onProgress: reportProgress,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    body.end();
  } catch (error) {
    body.destroy(error as Error);
    await stored.catch(() => {});
    if (error instanceof ExportTooLargeError)
      throw new PermanentExportError(
        'EXPORT_TOO_LARGE',
        `The file would pass the ${error.limitBytes.toLocaleString('en-US')}-byte export limit; narrow the range, filters or limit.`,
      );
    throw error;
  }
  const { bytes } = await stored;
  return finishExport(deps, exportId, {
    status: 'succeeded',
    progress: 1,
    rows: written.rows,
    bytes,
    storageKey: key,
    fileName,
    contentType: media.contentType,
    expiresAt: new Date(Date.now() + deps.settings.retentionMs),
  });
}

/** Records the outcome and tells subscribers and webhooks, in one transaction. */
export async function finishExport(
  deps: ExportDeps,
  exportId: string,
  outcome: Partial<typeof exportTable.$inferInsert> & { status: 'succeeded' | 'failed' | 'queued' },
): Promise<ExportRecord> {
  const record = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(exportTable)
      .set({
        ...outcome,
        ...(outcome.status === 'queued' ? {} : { finishedAt: new Date() }),
      })
      .where(eq(exportTable.id, exportId))
      .returning();
    if (row && outcome.status !== 'queued') await deps.onFinished?.(tx, row);
    return row;
  });
  deps.pubsub.publish('export:changed', exportId, { exportId });
  if (!record) throw new PermanentExportError('NOT_FOUND', 'The export no longer exists.');
  return record;
}

/** A failed attempt: retried later (queued again) unless it was the last or cannot succeed. */
export async function failExportAttempt(
  deps: ExportDeps,
  exportId: string,
  error: unknown,
  lastAttempt: boolean,
): Promise<{ retry: boolean }> {
  const permanent = error instanceof PermanentExportError;
  const message = error instanceof Error ? error.message : String(error);
  if (permanent && error.code === 'NOT_FOUND') return { retry: false };
  if (!permanent && !lastAttempt) {
    await finishExport(deps, exportId, { status: 'queued', error: message, progress: 0 });
    return { retry: true };
  }
  await finishExport(deps, exportId, {
    status: 'failed',
    error: message,
    errorCode: permanent ? error.code : 'EXPORT_FAILED',
    deadLettered: !permanent,
  });
  deps.logger.warn({ exportId, err: error }, 'export failed');
  return { retry: false };
}

/** A download link for a finished, unrevoked export, valid until `min(now + ttl, expiry)`. */
export function downloadLink(
  settings: Pick<ExportSettings, 'linkTtlMs' | 'signingKeys' | 'publicUrl'>,
  record: Pick<ExportRecord, 'id' | 'status' | 'revokedAt' | 'expiresAt'>,
  now = Date.now(),
): { url: string; expiresAt: Date } | null {
  if (record.status !== 'succeeded' || record.revokedAt || !record.expiresAt) return null;
  const until = Math.min(now + settings.linkTtlMs, record.expiresAt.getTime());
  if (until <= now) return null;
  const { expires, signature } = signLink(
    `export:${record.id}`,
    new Date(until),
    settings.signingKeys,
  );
  const url = new URL(`/exports/${record.id}/download`, settings.publicUrl());
  url.searchParams.set('expires', String(expires));
  url.searchParams.set('signature', signature);
  return { url: url.toString(), expiresAt: new Date(expires * 1000) };
}

/** Deletes files past their retention; their rows stay (as expired) for the history. */
export async function sweepExpiredExports(deps: ExportDeps, now = new Date()): Promise<number> {
  const expired = await deps.db
    .select({ id: exportTable.id, storageKey: exportTable.storageKey })
    .from(exportTable)
    .where(and(lt(exportTable.expiresAt, now), sql`${exportTable.storageKey} is not null`))
    .limit(500);
  for (const row of expired) {
    await deps.storage.delete(row.storageKey!);
    await deps.db.update(exportTable).set({ storageKey: null }).where(eq(exportTable.id, row.id));
  }
  return expired.length;
}
