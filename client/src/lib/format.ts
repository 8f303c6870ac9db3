const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const full = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** 12.3K for cards and axes; the exact number goes in titles and tables. */
export const formatCompact = (value: number) => compact.format(value);
export const formatNumber = (value: number) => full.format(value);

export function formatPercent(value: number | null | undefined) {
  return value === null || value === undefined ? '—' : `${percent.format(value)} %`;
}

/** +12.5 % / −3 % / — (no previous value to compare with). */
export function formatChange(value: number | null | undefined) {
  if (value === null || value === undefined) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return `${sign}${percent.format(Math.abs(value))} %`;
}

/** 4:05, 1:02:03, and past a day of watch time: 8,945 h. */
export function formatDuration(seconds: number | null | undefined) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds >= 86_400) return `${full.format(Math.round(seconds / 3600))} h`;
  const minutes = Math.floor(seconds / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return minutes >= 60
    ? `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${rest}`
    : `${minutes}:${rest}`;
}

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = (iso: string | null | undefined) =>
  iso ? dateFormat.format(new Date(iso)) : '—';
export const formatDateTime = (iso: string | null | undefined) =>
  iso ? dateTimeFormat.format(new Date(iso)) : '—';

export const PLATFORM_LABELS = {
  YOUTUBE: 'YouTube',
  TIKTOK: 'TikTok',
  INSTAGRAM: 'Instagram',
  TWITTER: 'X',
} as const;

export const STATUS_LABELS = {
  DRAFT: 'Draft',
  PROCESSING: 'Processing',
  READY: 'Ready',
  PUBLISHED: 'Published',
  FAILED: 'Failed',
} as const;
