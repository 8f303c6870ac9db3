import { useId } from 'react';
import { ChipGroup } from '../../components/chip-group.js';
import type {
  AnalyticsComparison,
  AnalyticsRangePreset,
  ReportDimension,
  ReportField,
  ReportKind,
  SortDirection,
} from '../../gql/graphql.js';
import {
  COMPARE_OPTIONS,
  DIMENSION_LABELS,
  DIMENSIONS,
  FIELD_LABELS,
  KIND_LABELS,
  MAX_DIMENSIONS,
  METRIC_LABELS,
  METRICS,
  RANGE_PRESET_LABELS,
  withKind,
  type ReportDraft,
} from './report-draft.js';
import { FilterFields } from './filter-fields.js';
import { errorAt, Field, FieldError, type FieldErrors } from './form-fields.js';

const ORDINALS = ['Group by', 'Then by', 'Then by', 'Then by'];
const today = () => new Date().toISOString().slice(0, 10);

/** Name, kind and the definition: metrics, dimensions, range, comparison, limit, order, filters. */
export function DefinitionFields({
  draft,
  onChange,
  errors,
}: {
  draft: ReportDraft;
  onChange: (next: ReportDraft) => void;
  errors: FieldErrors;
}) {
  const set = (patch: Partial<ReportDraft>) => onChange({ ...draft, ...patch });
  const metricsErrorId = useId();
  const dimensionsErrorId = useId();
  const rangeValue =
    draft.range.mode === 'PRESET'
      ? draft.range.preset
      : draft.range.mode === 'DATES'
        ? 'DATES'
        : 'INSTANTS';
  const slots =
    draft.dimensions.length < MAX_DIMENSIONS ? draft.dimensions.length + 1 : MAX_DIMENSIONS;
  const sortable: ReportField[] = [...draft.dimensions, ...draft.metrics];

  return (
    <>
      <Field label="Name" error={errorAt(errors, 'name')}>
        {(props) => (
          <input
            {...props}
            type="text"
            value={draft.name}
            maxLength={100}
            required
            onChange={(event) => set({ name: event.target.value })}
          />
        )}
      </Field>
      <Field label="Description (optional)" error={errorAt(errors, 'description')}>
        {(props) => (
          <input
            {...props}
            type="text"
            value={draft.description}
            maxLength={1000}
            onChange={(event) => set({ description: event.target.value })}
          />
        )}
      </Field>
      <Field
        label="Kind"
        error={errorAt(errors, 'kind')}
        hint="A preset kind fills the fields below; change them as you like."
      >
        {(props) => (
          <select
            {...props}
            value={draft.kind}
            onChange={(event) => onChange(withKind(draft, event.target.value as ReportKind))}
          >
            {Object.entries(KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>

      <div>
        <ChipGroup
          legend="Metrics"
          options={METRICS}
          labels={METRIC_LABELS}
          selected={draft.metrics}
          onChange={(metrics) => {
            // A sort key on a metric that is no longer selected would be refused.
            const orderField =
              draft.orderField && !draft.dimensions.includes(draft.orderField as ReportDimension)
                ? metrics.includes(draft.orderField as never)
                  ? draft.orderField
                  : ''
                : draft.orderField;
            set({ metrics: METRICS.filter((metric) => metrics.includes(metric)), orderField });
          }}
        />
        <FieldError id={metricsErrorId} message={errorAt(errors, 'definition.metrics')} />
      </div>

      <fieldset className="field report-dimensions">
        <legend>Dimensions (up to {MAX_DIMENSIONS}, in order)</legend>
        <div className="report-dimension-slots">
          {Array.from({ length: slots }, (_, index) => (
            <Field key={index} label={`${ORDINALS[index]} (dimension ${index + 1})`}>
              {(props) => (
                <select
                  {...props}
                  value={draft.dimensions[index] ?? ''}
                  onChange={(event) => {
                    const value = event.target.value as ReportDimension | '';
                    const dimensions = [...draft.dimensions];
                    if (value) dimensions[index] = value;
                    else dimensions.splice(index, 1);
                    const orderField =
                      draft.orderField &&
                      DIMENSIONS.includes(draft.orderField as ReportDimension) &&
                      !dimensions.includes(draft.orderField as ReportDimension)
                        ? ''
                        : draft.orderField;
                    set({ dimensions, orderField });
                  }}
                >
                  <option value="">{index === 0 ? 'None (one total row)' : 'None'}</option>
                  {DIMENSIONS.filter(
                    (dimension) =>
                      dimension === draft.dimensions[index] ||
                      !draft.dimensions.includes(dimension),
                  ).map((dimension) => (
                    <option key={dimension} value={dimension}>
                      {DIMENSION_LABELS[dimension]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ))}
        </div>
        <FieldError id={dimensionsErrorId} message={errorAt(errors, 'definition.dimensions')} />
      </fieldset>

      <div className="report-field-row">
        <Field
          label="Date range"
          error={errors['definition.range'] ?? errors['definition.range.preset']}
        >
          {(props) => (
            <select
              {...props}
              value={rangeValue}
              onChange={(event) => {
                const value = event.target.value;
                if (value === 'DATES') {
                  const start = new Date(Date.now() - 27 * 86_400_000).toISOString().slice(0, 10);
                  set({ range: { mode: 'DATES', startDate: start, endDate: today() } });
                } else if (value !== 'INSTANTS')
                  set({ range: { mode: 'PRESET', preset: value as AnalyticsRangePreset } });
              }}
            >
              {Object.entries(RANGE_PRESET_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
              <option value="DATES">Fixed dates…</option>
              {draft.range.mode === 'INSTANTS' ? (
                <option value="INSTANTS">
                  {draft.range.from} – {draft.range.to} (saved through the API)
                </option>
              ) : null}
            </select>
          )}
        </Field>
        <Field label="Compare with" error={errorAt(errors, 'definition.compare')}>
          {(props) => (
            <select
              {...props}
              value={draft.compare}
              onChange={(event) => set({ compare: event.target.value as AnalyticsComparison })}
            >
              {Object.entries(COMPARE_OPTIONS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {draft.range.mode === 'DATES' ? (
        <div className="report-field-row">
          <Field label="From" error={errorAt(errors, 'definition.range.startDate')}>
            {(props) => (
              <input
                {...props}
                type="date"
                value={draft.range.mode === 'DATES' ? draft.range.startDate : ''}
                onChange={(event) =>
                  draft.range.mode === 'DATES' &&
                  set({ range: { ...draft.range, startDate: event.target.value } })
                }
              />
            )}
          </Field>
          <Field label="To" error={errorAt(errors, 'definition.range.endDate')}>
            {(props) => (
              <input
                {...props}
                type="date"
                value={draft.range.mode === 'DATES' ? draft.range.endDate : ''}
                onChange={(event) =>
                  draft.range.mode === 'DATES' &&
                  set({ range: { ...draft.range, endDate: event.target.value } })
                }
              />
            )}
          </Field>
        </div>
      ) : null}

      <div className="report-field-row">
        <Field label="Sort by" error={errorAt(errors, 'definition.orderBy')}>
          {(props) => (
            <select
              {...props}
              value={draft.orderField}
              onChange={(event) => set({ orderField: event.target.value as ReportField | '' })}
            >
              <option value="">Default</option>
              {sortable.map((field) => (
                <option key={field} value={field}>
                  {FIELD_LABELS[field]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Direction">
          {(props) => (
            <select
              {...props}
              value={draft.orderDirection}
              disabled={!draft.orderField}
              onChange={(event) => set({ orderDirection: event.target.value as SortDirection })}
            >
              <option value="DESC">Highest / latest first</option>
              <option value="ASC">Lowest / earliest first</option>
            </select>
          )}
        </Field>
        <Field
          label="Row limit"
          error={errorAt(errors, 'definition.limit')}
          hint="1–10,000; empty: 1,000."
        >
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="numeric"
              value={draft.limit}
              onChange={(event) => set({ limit: event.target.value })}
            />
          )}
        </Field>
      </div>

      <FilterFields draft={draft} onChange={onChange} errors={errors} />
    </>
  );
}
