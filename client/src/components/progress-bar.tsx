import { usePendingRequests } from '../apollo/status-context.js';

/**
 * A thin bar along the top while the server is answering (a page, a filter, a mutation). It
 * fades in after a moment (CSS), so fast answers do not flicker.
 */
export function ProgressBar() {
  const pending = usePendingRequests();
  if (pending === 0) return null;
  return <div className="progress-bar" role="progressbar" aria-label="Loading" />;
}
