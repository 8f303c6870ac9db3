const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const full = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** 12.3K for cards and axes; the exact number goes in titles and tables. */
export const formatCompact = (value: number) => compact.format(value);
export const formatNumber = (value: number) => full.format(value);

export function formatPercent(value: number | null | undefined) {
  return value === null || value === undefined ? '—' : `${percent.format(value)} %`;
}

/**
 * +12.5 % / −3 %; New when the comparison period had none of it (no percentage exists), ± 0 %
 * when neither had any; — when there is nothing to compare with.
 */
export function formatChange(
  changePct: number | null | undefined,
  value?: number | null,
  previous?: number | null,
) {
  if (changePct === null || changePct === undefined) {
    if (previous !== 0 || value === null || value === undefined) return '—';
    return value > 0 ? 'New' : '±0 %';
  }
  const sign = changePct > 0 ? '+' : changePct < 0 ? '−' : '±';
  return `${sign}${percent.format(Math.abs(changePct))} %`;
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

const timeFormat = new Intl.DateTimeFormat('en', { timeStyle: 'medium' });

export const formatDate = (iso: string | null | undefined) =>
  iso ? dateFormat.format(new Date(iso)) : '—';
export const formatDateTime = (iso: string | null | undefined) =>
  iso ? dateTimeFormat.format(new Date(iso)) : '—';
/** 8:01:05 PM: when a live value last changed. */
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));

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
