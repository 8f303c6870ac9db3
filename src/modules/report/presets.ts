import type { ReportKind } from '../../db/schema.js';
import type { ReportInput } from '../analytics/report/report.compile.js';

/**
 * The definitions a report of a kind starts with when it is saved without one (a given
 * definition always wins; CUSTOM has no preset):
 *
 * - PERFORMANCE: each video's views, likes, comments, shares and engagement rate over the last
 *   28 days, most viewed first, top 100.
 * - GROWTH: views, reach and impressions per ISO week over the last 90 days, each week against
 *   the 90 days before.
 * - COMPARISON: views, likes, comments, shares, reach and engagement rate per platform over the
 *   last 28 days against the 28 days before, most viewed first.
 */
export const REPORT_PRESETS: Readonly<Record<Exclude<ReportKind, 'custom'>, ReportInput>> = {
  performance: {
    metrics: ['views', 'likes', 'comments', 'shares', 'engagementRate'],
    dimensions: ['VIDEO'],
    orderBy: [{ field: 'views', direction: 'desc' }],
    limit: 100,
    range: { preset: 'LAST_28_DAYS' },
    compare: 'NONE',
  },
  growth: {
    metrics: ['views', 'reach', 'impressions'],
    dimensions: ['WEEK'],
    orderBy: [{ field: 'WEEK', direction: 'asc' }],
    range: { preset: 'LAST_90_DAYS' },
    compare: 'PREVIOUS_PERIOD',
  },
  comparison: {
    metrics: ['views', 'likes', 'comments', 'shares', 'reach', 'engagementRate'],
    dimensions: ['PLATFORM'],
    orderBy: [{ field: 'views', direction: 'desc' }],
    range: { preset: 'LAST_28_DAYS' },
    compare: 'PREVIOUS_PERIOD',
  },
};

/** The preset definition of a kind (a copy), or null for CUSTOM. */
export function presetDefinition(kind: ReportKind): ReportInput | null {
  if (kind === 'custom') return null;
  return structuredClone(REPORT_PRESETS[kind]);
}
