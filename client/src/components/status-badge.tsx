import { STATUS_LABELS } from '../lib/format.js';

export function StatusBadge({ status }: { status: keyof typeof STATUS_LABELS }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{STATUS_LABELS[status]}</span>;
}
