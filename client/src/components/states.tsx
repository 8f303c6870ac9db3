import type { ErrorLike } from '@apollo/client';
import type { ReactNode } from 'react';

/** A state's title: a heading when the state is the whole page (its h1), else a paragraph. */
function StateTitle({ level, children }: { level?: 1 | 2 | 3; children: ReactNode }) {
  const Tag = level ? (`h${level}` as const) : 'p';
  return <Tag className="state-title">{children}</Tag>;
}
import { describeError } from '../apollo/errors.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({
  error,
  title = 'Something went wrong',
  onRetry,
  level,
}: {
  error: ErrorLike;
  title?: string;
  onRetry?: () => void;
  /** Set when the state stands for a whole page or section: its title becomes that heading. */
  level?: 1 | 2 | 3;
}) {
  return (
    <div className="state state-error" role="alert">
      <StateTitle level={level}>{title}</StateTitle>
      <p>{describeError(error)}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  level,
}: {
  title: string;
  children?: ReactNode;
  /** Set when the state stands for a whole page or section: its title becomes that heading. */
  level?: 1 | 2 | 3;
}) {
  return (
    <div className="state state-empty" role="status">
      <StateTitle level={level}>{title}</StateTitle>
      {children}
    </div>
  );
}

/** Placeholder blocks in the page's shape while its query loads. */
export function Skeleton({ lines = 3, label }: { lines?: number; label: string }) {
  return (
    <div className="skeleton" role="status" aria-label={label} aria-busy="true">
      {Array.from({ length: lines }, (_, index) => (
        <span key={index} className="skeleton-line" />
      ))}
    </div>
  );
}
