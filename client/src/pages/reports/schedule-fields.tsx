import { useMutation } from '@apollo/client/react';
import { useId, useMemo } from 'react';
import { describeError } from '../../apollo/errors.js';
import { ChipGroup } from '../../components/chip-group.js';
import type { ReportSummaryFragment } from '../../gql/graphql.js';
import { errorAt, Field, FieldError, type FieldErrors } from './form-fields.js';
import { PauseReportScheduleMutation, ResumeReportScheduleMutation } from './report-documents.js';
import {
  cronHint,
  FORMAT_LABELS,
  FORMATS,
  formatInZone,
  timeZones,
  type ReportDraft,
} from './report-draft.js';

const normalizeCron = (cron: string) => cron.trim().split(/\s+/).join(' ');

/** What the saved schedule is, in the server's words, beside the cron field. */
function ScheduleSummary({
  draft,
  saved,
}: {
  draft: ReportDraft;
  saved: Pick<ReportSummaryFragment, 'schedule' | 'nextRunAt'> | null;
}) {
  const schedule = saved?.schedule ?? null;
  const cron = normalizeCron(draft.cron);
  const matchesSaved =
    schedule !== null && schedule.cron === cron && schedule.timezone === draft.scheduleTimezone;
  if (matchesSaved)
    return (
      <p className="schedule-summary" data-testid="schedule-description">
        <strong>{schedule.description}</strong>
        {schedule.paused ? (
          <span className="badge badge-disabled">Paused</span>
        ) : (
          <span data-testid="next-run">
            Next run {formatInZone(saved!.nextRunAt, schedule.timezone)} ({schedule.timezone})
          </span>
        )}
      </p>
    );
  if (!cron)
    return (
      <p className="schedule-summary muted">
        {schedule ? 'Saving without a schedule makes it on demand only.' : 'On demand only.'}
      </p>
    );
  const hint = cronHint(cron);
  return (
    <p className="schedule-summary muted" data-testid="schedule-hint">
      {hint ? `Reads as: ${hint} (${draft.scheduleTimezone}). ` : ''}
      Save to check it and see the next run.
    </p>
  );
}

/** When the report runs by itself, in which zone, who gets it and in which files. */
export function ScheduleFields({
  draft,
  onChange,
  errors,
  accountTimezone,
  reportId,
  saved,
}: {
  draft: ReportDraft;
  onChange: (next: ReportDraft) => void;
  errors: FieldErrors;
  accountTimezone: string;
  reportId: string | null;
  saved: Pick<ReportSummaryFragment, 'schedule' | 'nextRunAt'> | null;
}) {
  const set = (patch: Partial<ReportDraft>) => onChange({ ...draft, ...patch });
  const zones = useMemo(
    () => timeZones(accountTimezone, draft.scheduleTimezone),
    [accountTimezone, draft.scheduleTimezone],
  );
  const formatsErrorId = useId();
  const [pause, pausing] = useMutation(PauseReportScheduleMutation);
  const [resume, resuming] = useMutation(ResumeReportScheduleMutation);
  const toggleError = pausing.error ?? resuming.error ?? null;
  const toggleRefusal = [
    ...(pausing.data?.pauseReportSchedule.userErrors ?? []),
    ...(resuming.data?.resumeReportSchedule.userErrors ?? []),
  ];
  const schedule = saved?.schedule ?? null;

  return (
    <>
      <Field
        label="Schedule (cron)"
        error={errorAt(errors, 'schedule.cron') ?? errors['schedule']}
        hint={
          <>
            Minute hour day-of-month month day-of-week, e.g. <code>0 9 * * 1</code> for Mondays at
            09:00; at most hourly. Empty: on demand only.
          </>
        }
      >
        {(props) => (
          <input
            {...props}
            type="text"
            value={draft.cron}
            placeholder="0 9 * * 1"
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => set({ cron: event.target.value })}
          />
        )}
      </Field>
      <div aria-live="polite">
        <ScheduleSummary draft={draft} saved={saved} />
      </div>
      {reportId && schedule ? (
        <div className="actions">
          <button
            type="button"
            className="button button-small"
            disabled={pausing.loading || resuming.loading}
            onClick={() => {
              const variables = { input: { id: reportId } };
              void (schedule.paused ? resume({ variables }) : pause({ variables })).catch(() => {});
            }}
          >
            {schedule.paused ? 'Resume schedule' : 'Pause schedule'}
          </button>
          {toggleError ? (
            <p className="field-error" role="alert">
              {describeError(toggleError)}
            </p>
          ) : toggleRefusal.length ? (
            <p className="field-error" role="alert">
              {toggleRefusal.map((problem) => problem.message).join(' ')}
            </p>
          ) : null}
        </div>
      ) : null}
      <Field label="Time zone" error={errorAt(errors, 'schedule.timezone')}>
        {(props) => (
          <select
            {...props}
            value={draft.scheduleTimezone}
            onChange={(event) => set({ scheduleTimezone: event.target.value })}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone === accountTimezone ? `${zone} (your account’s)` : zone}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Recipients"
        error={errorAt(errors, 'recipients')}
        hint="Comma-separated e-mail addresses; each scheduled run is mailed to them."
      >
        {(props) => (
          <input
            {...props}
            type="text"
            inputMode="email"
            autoComplete="off"
            value={draft.recipients}
            placeholder="ada@example.com, team@example.com"
            onChange={(event) => set({ recipients: event.target.value })}
          />
        )}
      </Field>
      <div>
        <ChipGroup
          legend="Files of each scheduled run"
          options={FORMATS}
          labels={FORMAT_LABELS}
          selected={draft.formats}
          onChange={(formats) => set({ formats: FORMATS.filter((f) => formats.includes(f)) })}
        />
        <FieldError id={formatsErrorId} message={errorAt(errors, 'formats')} />
      </div>
      <label className="checkbox-label">
        <input
          type="checkbox"
          checked={draft.skipIfEmpty}
          onChange={(event) => set({ skipIfEmpty: event.target.checked })}
        />
        Send nothing when a scheduled run has no rows
      </label>
    </>
  );
}
