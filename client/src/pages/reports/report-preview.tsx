import { CombinedGraphQLErrors } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { describeError } from '../../apollo/errors.js';
import { ScrollRegion } from '../../components/scroll-region.js';
import { graphql } from '../../gql/index.js';
import type {
  AnalyticsMetric,
  AnalyticsReportInput,
  ReportDimension,
  ReportPreviewQuery as PreviewData,
} from '../../gql/graphql.js';
import {
  formatChange,
  formatDate,
  formatDuration,
  formatNumber,
  formatPercent,
  PLATFORM_LABELS,
} from '../../lib/format.js';
import { DIMENSION_LABELS, METRIC_LABELS, RATE_METRICS } from './report-draft.js';

/** Rows the preview shows: the first ones of the report, in its order. */
export const PREVIEW_ROWS = 20;
/** The builder asks again once typing and clicking pause this long. */
export const PREVIEW_DEBOUNCE_MS = 300;

const ReportPreviewQuery = graphql(`
  query ReportPreview($input: AnalyticsReportInput!) {
    analyticsReport(input: $input) {
      dimensions
      metrics
      totalRows
      truncated
      timezone
      range {
        startDate
        endDate
      }
      previousRange {
        startDate
        endDate
      }
      rows {
        dimensions {
          dimension
          value
          platform
          video {
            id
            title
          }
          channel {
            id
            name
          }
        }
        metrics {
          metric
          value
          previous
          changePct
        }
      }
    }
  }
`);

type Row = PreviewData['analyticsReport']['rows'][number];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function dimensionText(cell: Row['dimensions'][number]) {
  switch (cell.dimension) {
    case 'VIDEO':
      return cell.video?.title ?? cell.value;
    case 'CHANNEL':
      return cell.channel?.name ?? cell.value;
    case 'PLATFORM':
      return cell.platform ? PLATFORM_LABELS[cell.platform] : cell.value;
    case 'WEEKDAY':
      return WEEKDAYS[Number(cell.value) - 1] ?? cell.value;
    case 'HOUR':
      return `${cell.value.padStart(2, '0')}:00`;
    default:
      return cell.value;
  }
}

export function metricText(metric: AnalyticsMetric, value: number | null | undefined) {
  if (value === null || value === undefined) return '—';
  if (RATE_METRICS.includes(metric)) return formatPercent(value);
  if (metric === 'WATCH_SECONDS') return formatDuration(value);
  return formatNumber(value);
}

/** The value once it has stopped changing for `delayMs`. */
function useSettled<T>(value: T, key: string, delayMs: number) {
  const [settled, setSettled] = useState({ key, value });
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ key, value }), delayMs);
    return () => clearTimeout(timer);
    // The key stands for the value: a new object with the same contents is no change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, delayMs]);
  return settled.value;
}

/** The server's reason for refusing the definition (BAD_USER_INPUT names the field), if that is it. */
function refusal(error: unknown): string | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const refused = error.errors.find((entry) => entry.extensions?.['code'] === 'BAD_USER_INPUT');
  return refused?.message ?? null;
}

/**
 * The first rows of the report being built, asked of `analyticsReport` once the fields have
 * stopped changing for a moment; an impossible combination shows the API's reason instead.
 */
export function ReportPreview({
  definition,
  problem,
  headingId,
}: {
  /** The definition as it stands; ignored while `problem` is set. */
  definition: AnalyticsReportInput;
  /** What the builder already knows is missing (no metric…). */
  problem: string | null;
  headingId: string;
}) {
  const asked: AnalyticsReportInput = {
    ...definition,
    limit: Math.min(definition.limit ?? PREVIEW_ROWS, PREVIEW_ROWS),
  };
  // Out-of-range limits go as typed, for the server to name.
  if (definition.limit !== undefined && definition.limit !== null && definition.limit < 1)
    asked.limit = definition.limit;
  const input = useSettled(asked, JSON.stringify(asked), PREVIEW_DEBOUNCE_MS);
  const { data, previousData, error, loading } = useQuery(ReportPreviewQuery, {
    variables: { input },
    skip: problem !== null,
  });
  const shown = data ?? (error ? undefined : previousData);
  const report = shown?.analyticsReport;
  const refused = error ? refusal(error) : null;

  let body;
  if (problem) body = <p className="muted">{problem}</p>;
  else if (error)
    body = (
      <div className="field-error preview-error" role="alert" data-testid="preview-error">
        {refused ? (
          <>
            <strong>The API refused this combination.</strong> {refused}
          </>
        ) : (
          `Could not load the preview. ${describeError(error)}`
        )}
      </div>
    );
  else if (!report)
    body = (
      <div className="state state-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        <span>Loading the preview…</span>
      </div>
    );
  else if (report.rows.length === 0)
    body = <p className="muted">No rows: nothing matches in this range.</p>;
  else body = <PreviewTable report={report} />;

  return (
    <section
      className={loading && report ? 'card report-preview stale' : 'card report-preview'}
      aria-labelledby={headingId}
      aria-busy={loading}
    >
      <div className="card-header">
        <h3 id={headingId} className="card-title">
          Preview
        </h3>
        {report && !problem && !error ? (
          <p className="muted small" data-testid="preview-summary" aria-live="polite">
            {report.totalRows === report.rows.length
              ? `${formatNumber(report.totalRows)} ${report.totalRows === 1 ? 'row' : 'rows'}`
              : `First ${formatNumber(report.rows.length)} of ${formatNumber(report.totalRows)} rows`}{' '}
            · {formatDate(report.range.startDate)} – {formatDate(report.range.endDate)}
          </p>
        ) : null}
      </div>
      {body}
    </section>
  );
}

function PreviewTable({ report }: { report: PreviewData['analyticsReport'] }) {
  const compared = report.previousRange !== null;
  const dimensions: ReportDimension[] = report.dimensions;
  return (
    <ScrollRegion label="Preview table">
      <table className="table" data-testid="preview-table">
        <thead>
          <tr>
            {dimensions.map((dimension) => (
              <th key={dimension} scope="col">
                {DIMENSION_LABELS[dimension]}
              </th>
            ))}
            {report.metrics.map((metric) => (
              <th key={metric} scope="col" className="num">
                {METRIC_LABELS[metric]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row, index) => (
            <tr key={index}>
              {row.dimensions.map((cell) => (
                <td key={cell.dimension} className={cell.dimension === 'VIDEO' ? 'title-cell' : ''}>
                  {dimensionText(cell)}
                </td>
              ))}
              {row.metrics.map((cell) => (
                <td key={cell.metric} className="num">
                  {metricText(cell.metric, cell.value)}
                  {compared ? (
                    <span className="preview-change muted">
                      {' '}
                      {formatChange(cell.changePct, cell.value, cell.previous)}
                    </span>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
