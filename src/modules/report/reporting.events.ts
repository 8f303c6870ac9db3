import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Tx } from '../../db/client.js';
import type { ExportRecord, ReportRunRecord } from '../../db/schema.js';
import { downloadLink, type ExportSettings } from '../export/export.service.js';
import { emitWebhookEvent } from '../webhook/events.js';

/** The `export.completed` payload: the export as the API shows it, with a fresh link. */
export function exportPayload(settings: ExportSettings, record: ExportRecord) {
  const link = downloadLink(settings, record);
  return {
    id: encodeGlobalID('Export', record.id),
    status: record.status.toUpperCase(),
    format: record.format.toUpperCase(),
    rows: record.rows,
    bytes: record.bytes,
    report: record.reportId ? encodeGlobalID('Report', record.reportId) : null,
    downloadUrl: link?.url ?? null,
    expiresAt: link?.expiresAt.toISOString() ?? null,
    error: record.error,
  };
}

/** Standalone exports announce themselves; a run's files are announced by the run. */
export async function announceExport(tx: Tx, settings: ExportSettings, record: ExportRecord) {
  if (record.runId) return;
  await emitWebhookEvent(tx, {
    ownerId: record.ownerId,
    type: 'export.completed',
    scope: 'read:analytics',
    data: { export: exportPayload(settings, record) },
  });
}

export async function announceRun(tx: Tx, run: ReportRunRecord, files: ExportRecord[]) {
  await emitWebhookEvent(tx, {
    ownerId: run.ownerId,
    type: 'report.run.completed',
    scope: 'read:analytics',
    data: {
      run: {
        id: encodeGlobalID('ReportRun', run.id),
        report: encodeGlobalID('Report', run.reportId),
        status: run.status.toUpperCase(),
        trigger: run.trigger.toUpperCase(),
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
        rows: run.rows,
        exports: files.map((file) => encodeGlobalID('Export', file.id)),
        error: run.error,
      },
    },
  });
}
