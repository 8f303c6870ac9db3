import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import type { ReportSummaryFragment } from '../gql/graphql.js';
import { useUrlState } from '../lib/url-state.js';
import { ReportBuilder } from './reports/report-builder.js';
import { ReportDetailQuery, ReportsPageQuery } from './reports/report-documents.js';
import { draftFromReport, emptyDraft, formatInZone, KIND_LABELS } from './reports/report-draft.js';
import { ReportRuns, RunStatusBadge } from './reports/report-runs.js';
import './reports/reports.css';

/** Runs listed under a report (the newest ones). */
export const RUNS_SHOWN = 10;

function ReportListItem({ report, current }: { report: ReportSummaryFragment; current: boolean }) {
  const { schedule, lastRun } = report;
  return (
    <li className={current ? 'report-item report-item-current' : 'report-item'}>
      <Link
        className="report-item-name"
        to={`?report=${encodeURIComponent(report.id)}`}
        aria-current={current ? 'true' : undefined}
      >
        {report.name}
      </Link>
      <dl className="report-item-facts">
        <div>
          <dt>Kind</dt>
          <dd>{KIND_LABELS[report.kind]}</dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd>
            {schedule ? (
              <>
                {schedule.description}
                {schedule.paused ? ' (paused)' : ''}
              </>
            ) : (
              'On demand'
            )}
          </dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>{report.nextRunAt ? formatInZone(report.nextRunAt, schedule?.timezone) : '—'}</dd>
        </div>
        <div>
          <dt>Last run</dt>
          <dd>{lastRun ? <RunStatusBadge status={lastRun.status} /> : 'Never'}</dd>
        </div>
      </dl>
    </li>
  );
}

/** A saved report: the builder filled with it, then its runs. */
function ReportDetail({
  id,
  accountTimezone,
  justCreated,
  onDeleted,
}: {
  id: string;
  accountTimezone: string;
  justCreated: boolean;
  onDeleted: () => void;
}) {
  const titleId = useId();
  const runsId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const { data, error, refetch } = useQuery(ReportDetailQuery, {
    variables: { id, runs: RUNS_SHOWN },
  });
  const report = data?.report;
  // The form that saved a new report is gone: focus its editor's heading instead.
  useEffect(() => {
    if (justCreated && report) heading.current?.focus();
  }, [justCreated, report?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (error && !data)
    return (
      <ErrorState error={error} title="Could not load this report" onRetry={() => void refetch()} />
    );
  if (!data) return <Skeleton lines={6} label="Loading the report" />;
  if (!report)
    return (
      <EmptyState title="No such report">
        <p>It was deleted, or it is not yours.</p>
      </EmptyState>
    );
  return (
    <>
      <section className="report-editor" aria-labelledby={titleId}>
        <div className="report-editor-header">
          <h2 id={titleId} ref={heading} tabIndex={-1}>
            {report.name}
          </h2>
          <p className="muted small" role="status">
            {justCreated ? 'Report saved.' : ''}
          </p>
        </div>
        <ReportBuilder
          key={report.id}
          reportId={report.id}
          saved={report}
          initial={draftFromReport(report, accountTimezone)}
          accountTimezone={accountTimezone}
          titleId={titleId}
          onSaved={() => {}}
          onDeleted={onDeleted}
        />
      </section>
      <ReportRuns
        reportId={report.id}
        defaultFormats={report.formats}
        runs={report.runs.edges.map((edge) => edge.node)}
        headingId={runsId}
      />
    </>
  );
}

/**
 * Saved reports: build one (metrics × dimensions over a range, previewed live), schedule it
 * (cron in a time zone, mailed to recipients), run it now and download its files. Which report
 * is open lives in the URL (`?report=<id>`, `?report=new`).
 */
export function ReportsPage() {
  const [params, update] = useUrlState();
  const selected = params.get('report');
  const [created, setCreated] = useState<string | null>(null);
  const listId = useId();
  const newId = useId();
  const { data, error, refetch } = useQuery(ReportsPageQuery);
  const accountTimezone = data?.me.timezone ?? 'UTC';
  const reports = data?.reports.edges.map((edge) => edge.node) ?? [];

  return (
    <>
      <div className="page-header">
        <h1>Reports</h1>
        <button
          type="button"
          className="button button-primary"
          onClick={() => update({ report: 'new' })}
          disabled={selected === 'new'}
        >
          New report
        </button>
      </div>
      {error && !data ? (
        <ErrorState
          error={error}
          title="Could not load your reports"
          onRetry={() => void refetch()}
        />
      ) : !data ? (
        <Skeleton lines={4} label="Loading your reports" />
      ) : (
        <>
          <section className="card" aria-labelledby={listId}>
            <h2 id={listId} className="card-title">
              Saved reports
              {data.reports.totalCount ? (
                <span className="muted"> · {data.reports.totalCount}</span>
              ) : null}
            </h2>
            {reports.length === 0 ? (
              <EmptyState title="No saved reports yet">
                <p>
                  A report is a question you keep: metrics (views, likes, engagement…) per date,
                  video, platform or tag over a range such as last month. Run it whenever you like
                  or on a schedule — every Monday at 09:00, say — and download it as CSV, Excel, PDF
                  or JSON, or have it mailed to your team.
                </p>
              </EmptyState>
            ) : (
              <ul className="plain-list report-list">
                {reports.map((report) => (
                  <ReportListItem
                    key={report.id}
                    report={report}
                    current={report.id === selected}
                  />
                ))}
              </ul>
            )}
          </section>
          {selected === 'new' ? (
            <section className="report-editor" aria-labelledby={newId}>
              <div className="report-editor-header">
                <h2 id={newId}>New report</h2>
              </div>
              <ReportBuilder
                reportId={null}
                saved={null}
                initial={emptyDraft(accountTimezone)}
                accountTimezone={accountTimezone}
                titleId={newId}
                onSaved={(id) => {
                  setCreated(id);
                  update({ report: id }, { replace: true });
                }}
                onDeleted={() => {}}
              />
            </section>
          ) : selected ? (
            <ReportDetail
              key={selected}
              id={selected}
              accountTimezone={accountTimezone}
              justCreated={created === selected}
              onDeleted={() => update({ report: null }, { replace: true })}
            />
          ) : null}
        </>
      )}
    </>
  );
}
