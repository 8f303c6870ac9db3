import { useId } from 'react';
import type { ReportField, ReportOperator } from '../../gql/graphql.js';
import { errorAt, Field, FieldError, type FieldErrors } from './form-fields.js';
import { FIELD_LABELS, OPERATOR_LABELS, OPERATORS, type ReportDraft } from './report-draft.js';

/** The definition's filters: each a field, a condition and a value (comma-separated for IN). */
export function FilterFields({
  draft,
  onChange,
  errors,
}: {
  draft: ReportDraft;
  onChange: (next: ReportDraft) => void;
  errors: FieldErrors;
}) {
  const set = (patch: Partial<ReportDraft>) => onChange({ ...draft, ...patch });
  const filtersErrorId = useId();
  return (
    <fieldset
      className="field report-filters"
      aria-describedby={errors['definition.filters'] ? filtersErrorId : undefined}
    >
      <legend>Filters (all must hold)</legend>
      {draft.filters.length === 0 ? (
        <p className="muted small">No filter: all your content.</p>
      ) : null}
      <ul className="plain-list report-filter-list">
        {draft.filters.map((filter, index) => {
          const update = (patch: Partial<typeof filter>) =>
            set({
              filters: draft.filters.map((item, at) =>
                at === index ? { ...item, ...patch } : item,
              ),
            });
          const error = errorAt(errors, `definition.filters.${index}`);
          return (
            <li key={index} className="report-filter">
              <Field label={`Filter ${index + 1}: field`}>
                {(props) => (
                  <select
                    {...props}
                    value={filter.field}
                    onChange={(event) => update({ field: event.target.value as ReportField })}
                  >
                    {Object.entries(FIELD_LABELS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={`Filter ${index + 1}: condition`}>
                {(props) => (
                  <select
                    {...props}
                    value={filter.operator}
                    onChange={(event) => update({ operator: event.target.value as ReportOperator })}
                  >
                    {OPERATORS.map((operator) => (
                      <option key={operator} value={operator}>
                        {OPERATOR_LABELS[operator]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={`Filter ${index + 1}: value`} error={error}>
                {(props) => (
                  <input
                    {...props}
                    type="text"
                    value={filter.value}
                    placeholder={filter.operator === 'IN' ? 'a, b, c' : ''}
                    onChange={(event) => update({ value: event.target.value })}
                  />
                )}
              </Field>
              <button
                type="button"
                className="button button-small"
                aria-label={`Remove filter ${index + 1}`}
                onClick={() => set({ filters: draft.filters.filter((_, at) => at !== index) })}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          set({ filters: [...draft.filters, { field: 'PLATFORM', operator: 'EQ', value: '' }] })
        }
      >
        Add a filter
      </button>
      <FieldError id={filtersErrorId} message={errors['definition.filters']} />
    </fieldset>
  );
}
