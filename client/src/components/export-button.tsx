import { useMutation, useSubscription } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../apollo/errors.js';
import { graphql } from '../gql/index.js';
import type {
  AnalyticsComparison,
  AnalyticsInterval,
  AnalyticsRangeInput,
  AnalyticsReportInput,
  ExportFormat,
  Platform,
  ReportDimension,
  ReportField,
  ReportFilterInput,
} from '../gql/graphql.js';
import './export-button.css';

/** The formats the dashboards' Export buttons offer (the API also writes JSON and NDJSON). */
export const EXPORT_BUTTON_FORMATS = {
  CSV: 'CSV',
  XLSX: 'Excel (XLSX)',
  PDF: 'PDF',
} as const satisfies Partial<Record<ExportFormat, string>>;
type ButtonFormat = keyof typeof EXPORT_BUTTON_FORMATS;

export const ExportFieldsFragment = graphql(`
  fragment ExportFields on Export {
    id
    format
    status
    progress
    fileName
    downloadUrl
    error
    rows
  }
`);

const ExportViewMutation = graphql(`
  mutation ExportView($input: ExportReportInput!) {
    exportReport(input: $input) {
      export {
        ...ExportFields @unmask
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const ExportProgressSubscription = graphql(`
  subscription ExportViewProgress($id: ID!) {
    exportProgress(id: $id) {
      ...ExportFields @unmask
    }
  }
`);

const INTERVAL_DIMENSIONS: Record<AnalyticsInterval, ReportDimension[]> = {
  HOUR: ['DATE', 'HOUR'],
  DAY: ['DATE'],
  WEEK: ['WEEK'],
  MONTH: ['MONTH'],
};

function viewFilters(platforms: readonly Platform[], tag: string): ReportFilterInput[] {
  return [
    ...(platforms.length
      ? [{ field: 'PLATFORM' as const, operator: 'IN' as const, values: [...platforms] }]
      : []),
    ...(tag ? [{ field: 'TAG' as const, operator: 'EQ' as const, value: tag }] : []),
  ];
}

/** The Overview as a report: its metrics per bucket of its chart, over its range and filters. */
export function overviewDefinition(view: {
  range: AnalyticsRangeInput;
  compare: AnalyticsComparison;
  interval: AnalyticsInterval;
  platforms: readonly Platform[];
  tag: string;
}): AnalyticsReportInput {
  const filters = viewFilters(view.platforms, view.tag);
  return {
    metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'WATCH_SECONDS', 'ENGAGEMENT_RATE'],
    dimensions: INTERVAL_DIMENSIONS[view.interval],
    range: view.range,
    compare: view.compare,
    ...(filters.length ? { filters } : {}),
  };
}

const CONTENT_ORDER: Record<string, ReportField> = {
  VIEWS: 'VIEWS',
  LIKES: 'LIKES',
  ENGAGEMENT_RATE: 'ENGAGEMENT_RATE',
};

/**
 * The Content list as a report: each video's lifetime numbers, with the list's search, platform
 * and tag filters and, where a metric orders the list, its order. Videos without any metric yet
 * (drafts) have no row; the status filter has no report field.
 */
export function contentDefinition(view: {
  search: string;
  platforms: readonly Platform[];
  tag: string;
  /** The list's order field, e.g. VIEWS or PUBLISHED_AT. */
  orderField: string;
}): AnalyticsReportInput {
  const filters = [
    ...(view.search
      ? [{ field: 'VIDEO' as const, operator: 'CONTAINS' as const, value: view.search }]
      : []),
    ...viewFilters(view.platforms, view.tag.toLowerCase()),
  ];
  const order = CONTENT_ORDER[view.orderField];
  return {
    metrics: ['VIEWS', 'LIKES', 'COMMENTS', 'SHARES', 'ENGAGEMENT_RATE'],
    dimensions: ['VIDEO'],
    range: { preset: 'ALL_TIME' },
    ...(filters.length ? { filters } : {}),
    ...(order ? { orderBy: [{ field: order, direction: 'DESC' as const }] } : {}),
  };
}

const done = (status: string | undefined) => status === 'SUCCEEDED' || status === 'FAILED';

/**
 * "Export": the view a page shows, as a file. The page hands over its question as an
 * analyticsReport definition; the button asks for the file (`exportReport`), follows its
 * progress live (`exportProgress`) and then offers the download link.
 */
export function ExportButton({
  definition,
  title,
  label = 'Export',
  note,
}: {
  /** The view as analyticsReport's input (range, filters, …). */
  definition: AnalyticsReportInput;
  /** The file's title (and name). */
  title: string;
  /** The button's text; its accessible name says what is exported. */
  label?: string;
  /** What the file leaves out of the view, shown in the panel. */
  note?: string | null;
}) {
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const [exportId, setExportId] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const [start, { data: started, loading: starting, error: startError, reset }] =
    useMutation(ExportViewMutation);
  const initial = started?.exportReport.export ?? null;
  const refused = started?.exportReport.userErrors ?? [];

  const { data: live, error: liveError } = useSubscription(ExportProgressSubscription, {
    variables: { id: exportId ?? '' },
    skip: !exportId || done(initial?.status),
  });
  // The subscription's answers and the mutation's land on the same cached Export; the newest wins.
  const current = live?.exportProgress ?? initial;

  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('pointerdown', onPointerDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('pointerdown', onPointerDown);
    };
  }, [open]);

  const choose = (format: ButtonFormat) => {
    setExportId(null);
    reset();
    void start({ variables: { input: { definition, format, title } } })
      .then((result) => setExportId(result.data?.exportReport.export?.id ?? null))
      .catch(() => {});
  };

  const percent = Math.round((current?.progress ?? 0) * 100);
  const busy = starting || (current !== null && !done(current.status));

  return (
    <div className="export-button" ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button-small"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`${label}: ${title}`}
        onClick={() => setOpen(!open)}
      >
        {label}
      </button>
      <div
        id={panelId}
        className="export-panel"
        hidden={!open}
        role="group"
        aria-label={`Export ${title}`}
      >
        <p className="export-panel-title">Download this view as</p>
        {note ? <p className="muted small">{note}</p> : null}
        <div className="actions">
          {(Object.keys(EXPORT_BUTTON_FORMATS) as ButtonFormat[]).map((format) => (
            <button
              key={format}
              type="button"
              className="button button-small"
              disabled={busy}
              onClick={() => choose(format)}
            >
              {EXPORT_BUTTON_FORMATS[format]}
            </button>
          ))}
        </div>
        <div className="export-status" aria-live="polite">
          {startError ? (
            <p className="field-error" role="alert">
              Could not start the export. {describeError(startError)}
            </p>
          ) : refused.length ? (
            <p className="field-error" role="alert">
              {refused.map((problem) => problem.message).join(' ')}
            </p>
          ) : starting ? (
            <p className="muted small">Starting…</p>
          ) : current ? (
            current.status === 'SUCCEEDED' && current.downloadUrl ? (
              <p className="small">
                <a href={current.downloadUrl} download={current.fileName ?? true}>
                  Download{' '}
                  {current.fileName ?? EXPORT_BUTTON_FORMATS[current.format as ButtonFormat]}
                </a>
                {current.rows !== null && current.rows !== undefined ? (
                  <span className="muted"> · {current.rows.toLocaleString('en')} rows</span>
                ) : null}
              </p>
            ) : current.status === 'FAILED' ? (
              <p className="field-error" role="alert">
                The export failed. {current.error ?? ''}
              </p>
            ) : (
              <div className="progress-row export-progress">
                <progress
                  max={100}
                  value={percent}
                  aria-label={`Export progress (${EXPORT_BUTTON_FORMATS[current.format as ButtonFormat] ?? current.format})`}
                />
                <span className="small">
                  {current.status === 'QUEUED' ? 'Queued' : `${percent} %`}
                </span>
              </div>
            )
          ) : null}
          {liveError && !done(current?.status) ? (
            <p className="field-error small">Lost the live progress. {describeError(liveError)}</p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
