import { useMutation, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { describeError } from '../../apollo/errors.js';
import { ChipGroup } from '../../components/chip-group.js';
import type { ExportFormat, RunFieldsFragment, RunStatus } from '../../gql/graphql.js';
import { formatNumber } from '../../lib/format.js';
import {
  ReportDetailQuery,
  ReportRunLiveSubscription,
  ReportsPageQuery,
  RunReportMutation,
} from './report-documents.js';
import { FORMAT_LABELS, FORMATS, formatInZone } from './report-draft.js';

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
};
const STATUS_CLASS: Record<RunStatus, string> = {
  QUEUED: 'badge-processing',
  RUNNING: 'badge-processing',
  SUCCEEDED: 'badge-published',
  FAILED: 'badge-failed',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge ${STATUS_CLASS[status]}`}>{RUN_STATUS_LABELS[status]}</span>;
}

const finished = (status: RunStatus) => status === 'SUCCEEDED' || status === 'FAILED';

function formatBytes(bytes: number | null | undefined) {
  if (bytes === null || bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One run: its state, live while it is queued or running (`reportRunUpdated`), then its files. */
function RunItem({ run }: { run: RunFieldsFragment }) {
  // The answers land on the cached run (it has an id), so `run` itself is what changes.
  const { error } = useSubscription(ReportRunLiveSubscription, {
    variables: { id: run.id },
    skip: finished(run.status),
  });
  const percent = Math.round(run.progress * 100);
  const label = `Run of ${formatInZone(run.queuedAt)}`;
  return (
    <li className="report-run" data-testid="report-run" data-status={run.status}>
      <p className="status-line">
        <RunStatusBadge status={run.status} />
        {run.deadLettered ? <span className="badge badge-failed">Dead-lettered</span> : null}
        <span>{run.trigger === 'SCHEDULE' ? 'Scheduled' : 'Run now'}</span>
        <time className="muted small" dateTime={run.queuedAt}>
          {formatInZone(run.queuedAt)}
        </time>
        {run.startDate && run.endDate ? (
          <span className="muted small">
            {run.startDate} – {run.endDate}
          </span>
        ) : null}
        {run.rows !== null && run.rows !== undefined ? (
          <span className="muted small">{formatNumber(run.rows)} rows</span>
        ) : null}
      </p>
      {finished(run.status) ? null : (
        <div className="progress-row">
          <progress max={100} value={percent} aria-label={`${label}: progress`} />
          <span className="small">
            {run.status === 'QUEUED' ? 'Waiting for a worker' : `${percent} %`}
          </span>
        </div>
      )}
      {run.error ? (
        <p className={run.status === 'FAILED' ? 'field-error' : 'muted small'}>
          {run.status === 'FAILED' ? 'Failed: ' : `Retrying (attempt ${run.attempts}): `}
          {run.error}
        </p>
      ) : null}
      {run.exports.length && run.status === 'SUCCEEDED' ? (
        <ul className="plain-list report-run-files">
          {run.exports.map((file) => (
            <li key={file.id}>
              {file.downloadUrl ? (
                <a href={file.downloadUrl} download={file.fileName ?? true}>
                  Download {FORMAT_LABELS[file.format]}
                  <span className="visually-hidden"> of the {label.toLowerCase()}</span>
                </a>
              ) : (
                <span className="muted">{FORMAT_LABELS[file.format]}: link no longer valid</span>
              )}{' '}
              <span className="muted small">
                {file.fileName} {formatBytes(file.bytes)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {error && !finished(run.status) ? (
        <p className="muted small">Live updates stopped: {describeError(error)}</p>
      ) : null}
    </li>
  );
}

/** Run now (in the formats chosen) and the report's runs, newest first. */
export function ReportRuns({
  reportId,
  defaultFormats,
  runs,
  headingId,
}: {
  reportId: string;
  defaultFormats: readonly ExportFormat[];
  runs: readonly RunFieldsFragment[];
  headingId: string;
}) {
  const [formats, setFormats] = useState<ExportFormat[]>([...defaultFormats]);
  const [runNow, running] = useMutation(RunReportMutation, {
    // The new run joins the list (and becomes the report's last run) from the server's answer.
    refetchQueries: (result) =>
      result.data?.runReport.run ? [ReportDetailQuery, ReportsPageQuery] : [],
    awaitRefetchQueries: true,
  });
  const refused = running.data?.runReport.userErrors ?? [];
  const newest = runs[0];

  return (
    <section className="card report-runs" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        Runs
      </h2>
      <div className="report-run-now">
        <ChipGroup
          legend="Files for this run"
          options={FORMATS}
          labels={FORMAT_LABELS}
          selected={formats}
          onChange={(next) => setFormats(FORMATS.filter((format) => next.includes(format)))}
        />
        <button
          type="button"
          className="button button-primary"
          disabled={running.loading || formats.length === 0}
          onClick={() => void runNow({ variables: { id: reportId, formats } }).catch(() => {})}
        >
          {running.loading ? 'Starting…' : 'Run now'}
        </button>
      </div>
      {running.error ? (
        <p className="field-error" role="alert">
          Could not start the run. {describeError(running.error)}
        </p>
      ) : refused.length ? (
        <p className="field-error" role="alert">
          {refused.map((problem) => problem.message).join(' ')}
        </p>
      ) : null}
      <p className="visually-hidden" role="status">
        {newest ? `Latest run: ${RUN_STATUS_LABELS[newest.status]}` : ''}
      </p>
      {runs.length === 0 ? (
        <p className="muted">
          No runs yet. Run it now, or give it a schedule: each run makes its files, kept for
          download.
        </p>
      ) : (
        <ul className="plain-list report-run-list">
          {runs.map((run) => (
            <RunItem key={run.id} run={run} />
          ))}
        </ul>
      )}
    </section>
  );
}
