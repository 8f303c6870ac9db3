import type { Db } from '../../db/client.js';
import { AnalyticsInputError, type ViewOwner } from '../analytics/analytics.service.js';
import type { ReportInput } from '../analytics/report/report.compile.js';
import { fail, ok, userError, type MutationResult } from '../common/user-error.js';
import { fieldPath, normalizeDefinition, resolveDefinitionFor } from '../report/definition.js';
import { loadReportsByIds, reportDefinition } from '../report/report.service.js';

/** What `exportReport` was given, as the GraphQL layer decoded it. */
export interface ExportTarget {
  reportId?: string | null;
  definition?: ReportInput | null;
  title?: string | null;
}

export interface ResolvedExport {
  definition: ReportInput;
  title: string;
  reportId: string | null;
}

const MAX_TITLE = 200;

/**
 * A saved report or a definition, with its relative range resolved now in the definition's (or
 * the owner's) time zone: the file covers the dates of the moment it was asked for.
 */
export async function resolveExportTarget(
  db: Db,
  owner: ViewOwner,
  target: ExportTarget,
): Promise<MutationResult<ResolvedExport>> {
  if (!target.reportId === !target.definition)
    return fail(userError(['input'], 'INVALID', 'give exactly one of report and definition'));
  if (target.title != null && (target.title.trim() === '' || target.title.length > MAX_TITLE))
    return fail(userError(['input', 'title'], 'INVALID', `1–${MAX_TITLE} characters`));
  let definition: ReportInput;
  let title = target.title?.trim() || 'Report';
  let reportId: string | null = null;
  if (target.reportId) {
    const [report] = await loadReportsByIds(db, owner.id, [target.reportId]);
    if (!report) return fail(userError(['input', 'report'], 'NOT_FOUND', 'No such report.'));
    definition = reportDefinition(report);
    title = target.title?.trim() || report.name;
    reportId = report.id;
  } else definition = normalizeDefinition(target.definition!);
  try {
    const resolved = await resolveDefinitionFor(
      db,
      owner.id,
      definition,
      Date.now(),
      owner.timezone,
    );
    return ok({ definition: resolved.input, title, reportId });
  } catch (error) {
    if (error instanceof AnalyticsInputError)
      return fail(
        userError(fieldPath(['input', 'definition'], error.field), 'INVALID', error.message),
      );
    throw error;
  }
}
