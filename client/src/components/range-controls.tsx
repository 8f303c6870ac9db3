import { useId } from 'react';
import type { AnalyticsComparison, Platform } from '../gql/graphql.js';
import {
  COMPARE_LABELS,
  DEFAULT_COMPARE,
  DEFAULT_PRESET,
  RANGE_LABELS,
  useAnalyticsParams,
} from '../lib/analytics-params.js';
import { PLATFORM_LABELS } from '../lib/format.js';
import { useUrlState } from '../lib/url-state.js';
import { ChipGroup } from './chip-group.js';
import { FilterFold } from './filter-fold.js';

const PLATFORMS = Object.keys(PLATFORM_LABELS) as Platform[];
const today = () => new Date().toISOString().slice(0, 10);

/** Date range, comparison and filters of an analytics page; every choice lands in the URL. */
export function RangeControls({ showFilters = true }: { showFilters?: boolean }) {
  const { preset, custom, compare, platforms, tag, update } = useAnalyticsParams();
  const ids = { range: useId(), compare: useId(), from: useId(), to: useId(), tag: useId() };
  // From the URL, so Back from custom dates to a preset shows the preset again.
  const [params] = useUrlState();
  const customOpen = params.has('from') || params.has('to');
  const activeFilters = platforms.length + (tag ? 1 : 0);

  return (
    <form
      className="filters range-controls"
      aria-label="Date range and filters"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="field">
        <label htmlFor={ids.range}>Date range</label>
        <select
          id={ids.range}
          value={customOpen ? 'CUSTOM' : (preset ?? DEFAULT_PRESET)}
          onChange={(event) => {
            const value = event.target.value;
            if (value === 'CUSTOM') {
              const end = today();
              const start = new Date(Date.now() - 27 * 86_400_000).toISOString().slice(0, 10);
              update({ range: null, from: custom?.from ?? start, to: custom?.to ?? end });
              return;
            }
            update({ range: value === DEFAULT_PRESET ? null : value, from: null, to: null });
          }}
        >
          {Object.entries(RANGE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
          <option value="CUSTOM">Custom dates…</option>
        </select>
      </div>
      {customOpen ? (
        <div className="field date-pair">
          <div>
            <label htmlFor={ids.from}>From</label>
            <input
              id={ids.from}
              type="date"
              value={custom?.from ?? ''}
              max={custom?.to ?? today()}
              onChange={(event) => event.target.value && update({ from: event.target.value })}
            />
          </div>
          <div>
            <label htmlFor={ids.to}>To</label>
            <input
              id={ids.to}
              type="date"
              value={custom?.to ?? ''}
              min={custom?.from}
              max={today()}
              onChange={(event) => event.target.value && update({ to: event.target.value })}
            />
          </div>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={ids.compare}>Compare with</label>
        <select
          id={ids.compare}
          value={compare}
          onChange={(event) =>
            update({
              compare:
                (event.target.value as AnalyticsComparison) === DEFAULT_COMPARE
                  ? null
                  : event.target.value,
            })
          }
        >
          {Object.entries(COMPARE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {showFilters ? (
        <FilterFold active={activeFilters}>
          <ChipGroup
            legend="Platforms"
            options={PLATFORMS}
            labels={PLATFORM_LABELS}
            selected={platforms}
            onChange={(next) => update({ platform: next })}
          />
          <div className="field">
            <label htmlFor={ids.tag}>Tag</label>
            <input
              id={ids.tag}
              key={tag}
              type="text"
              defaultValue={tag}
              placeholder="All tags"
              onBlur={(event) => update({ tag: event.target.value.trim() || null })}
              onKeyDown={(event) => {
                if (event.key === 'Enter')
                  update({ tag: (event.target as HTMLInputElement).value.trim() || null });
              }}
            />
          </div>
        </FilterFold>
      ) : null}
    </form>
  );
}
