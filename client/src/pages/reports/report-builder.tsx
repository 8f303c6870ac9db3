import { useMutation } from '@apollo/client/react';
import { useId, useState } from 'react';
import { describeError } from '../../apollo/errors.js';
import type { ReportFieldsFragment } from '../../gql/graphql.js';
import { DefinitionFields } from './definition-fields.js';
import type { FieldErrors } from './form-fields.js';
import {
  CreateReportMutation,
  DeleteReportMutation,
  ReportsPageQuery,
  UpdateReportMutation,
} from './report-documents.js';
import {
  definitionOf,
  draftProblem,
  errorKey,
  recipientsOf,
  scheduleOf,
  type ReportDraft,
} from './report-draft.js';
import { ReportPreview } from './report-preview.js';
import { ScheduleFields } from './schedule-fields.js';

type UserErrors = readonly { field: readonly string[]; message: string }[];

const byField = (errors: UserErrors): FieldErrors =>
  Object.fromEntries(errors.map((error) => [errorKey(error.field), error.message]));

/** "definition.filters.0.value: …" for the summary above the form. */
const where = (field: readonly string[]) => {
  const key = errorKey(field);
  return key ? `${key}: ` : '';
};

/**
 * Builds a report (new, or a saved one to change): its definition with a live preview, its
 * schedule and delivery. Saving sends everything; refused fields get the server's message next
 * to them and in a summary on top.
 */
export function ReportBuilder({
  reportId,
  saved,
  initial,
  accountTimezone,
  titleId,
  onSaved,
  onDeleted,
}: {
  reportId: string | null;
  saved: ReportFieldsFragment | null;
  initial: ReportDraft;
  accountTimezone: string;
  /** The id of the section's heading (the form is named by it). */
  titleId: string;
  onSaved: (id: string) => void;
  onDeleted: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [userErrors, setUserErrors] = useState<UserErrors>([]);
  const [savedMessage, setSavedMessage] = useState('');
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const ids = { definition: useId(), schedule: useId(), preview: useId() };
  // The list is read again only when something was saved or deleted.
  const [create, creating] = useMutation(CreateReportMutation, {
    refetchQueries: (result) => (result.data?.createReport.report ? [ReportsPageQuery] : []),
  });
  const [update, updating] = useMutation(UpdateReportMutation);
  const [remove, removing] = useMutation(DeleteReportMutation, {
    refetchQueries: (result) =>
      result.data?.deleteReport.deletedReportId ? [ReportsPageQuery] : [],
  });
  const saving = creating.loading || updating.loading;
  const saveError = creating.error ?? updating.error ?? removing.error;

  const change = (next: ReportDraft) => {
    setDraft(next);
    setSavedMessage('');
  };

  async function save() {
    setSavedMessage('');
    const recipients = recipientsOf(draft);
    const fields = {
      name: draft.name.trim(),
      kind: draft.kind,
      definition: definitionOf(draft),
      formats: draft.formats,
      schedule: scheduleOf(draft),
      skipIfEmpty: draft.skipIfEmpty,
    };
    try {
      if (reportId) {
        const result = await update({
          variables: {
            input: {
              id: reportId,
              ...fields,
              description: draft.description.trim() || null,
              recipients: recipients.length ? recipients : null,
            },
          },
        });
        const payload = result.data?.updateReport;
        setUserErrors(payload?.userErrors ?? []);
        if (payload?.report) setSavedMessage('Saved.');
      } else {
        const result = await create({
          variables: {
            input: {
              ...fields,
              ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
              ...(recipients.length ? { recipients } : {}),
            },
          },
        });
        const payload = result.data?.createReport;
        setUserErrors(payload?.userErrors ?? []);
        if (payload?.report) onSaved(payload.report.id);
      }
    } catch {
      // Shown from the mutation's error below.
    }
  }

  const errors = byField(userErrors);
  const problem = draftProblem(draft);

  return (
    <>
      <form
        className="report-form"
        aria-labelledby={titleId}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        {userErrors.length ? (
          <div className="notice report-errors" role="alert">
            <p>
              <strong>Not saved.</strong> Fix {userErrors.length === 1 ? 'this' : 'these'} first:
            </p>
            <ul>
              {userErrors.map((error, index) => (
                <li key={index}>
                  {where(error.field)}
                  {error.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="report-form-grid">
          <section className="card report-card" aria-labelledby={ids.definition}>
            <h3 id={ids.definition} className="card-title">
              What it shows
            </h3>
            <DefinitionFields draft={draft} onChange={change} errors={errors} />
          </section>
          <section className="card report-card" aria-labelledby={ids.schedule}>
            <h3 id={ids.schedule} className="card-title">
              Schedule and delivery
            </h3>
            <ScheduleFields
              draft={draft}
              onChange={change}
              errors={errors}
              accountTimezone={accountTimezone}
              reportId={reportId}
              saved={saved}
            />
          </section>
        </div>
        <div className="report-form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : reportId ? 'Save changes' : 'Save report'}
          </button>
          <span role="status" className="muted">
            {savedMessage}
          </span>
          {saveError ? (
            <p className="field-error" role="alert">
              Could not save. {describeError(saveError)}
            </p>
          ) : null}
          {reportId ? (
            confirmingDelete ? (
              <span className="confirm report-confirm" role="group" aria-label="Confirm deletion">
                <span>Delete “{saved?.name}” and all its runs?</span>
                <button
                  type="button"
                  className="button button-small button-danger"
                  disabled={removing.loading}
                  onClick={() =>
                    void remove({ variables: { input: { id: reportId } } })
                      .then((result) => {
                        if (result.data?.deleteReport.deletedReportId) onDeleted();
                      })
                      .catch(() => {})
                  }
                >
                  Delete
                </button>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setConfirmingDelete(false)}
                >
                  Keep it
                </button>
              </span>
            ) : (
              <button
                type="button"
                className="button button-small button-danger report-delete"
                onClick={() => setConfirmingDelete(true)}
              >
                Delete report
              </button>
            )
          ) : null}
        </div>
      </form>
      <ReportPreview definition={definitionOf(draft)} problem={problem} headingId={ids.preview} />
    </>
  );
}
