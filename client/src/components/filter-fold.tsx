import { useState, type ReactNode } from 'react';
import { matchesNow, WIDE_SCREEN } from './use-media-query.js';

/**
 * The secondary filters of a page, folded away on a phone (unless some are set) and open on
 * wider screens; the summary counts the active ones, so folded filters are never forgotten.
 */
export function FilterFold({ active, children }: { active: number; children: ReactNode }) {
  const [open, setOpen] = useState(() => active > 0 || matchesNow(WIDE_SCREEN));
  return (
    <details
      className="more-filters"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>
        Filters
        {active ? ` (${active} active)` : ''}
      </summary>
      <div className="more-filters-body">{children}</div>
    </details>
  );
}
