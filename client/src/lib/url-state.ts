import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** A comma-separated list kept in the query string: `?platform=YOUTUBE,TIKTOK`. */
export function readList<T extends string>(value: string | null, allowed: readonly T[]): T[] {
  if (!value) return [];
  return value
    .split(',')
    .filter((item): item is T => (allowed as readonly string[]).includes(item));
}

export function readOne<T extends string>(
  value: string | null,
  allowed: readonly T[],
  fallback: T,
) {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * Page state lives in the URL (shareable, survives reload and back/forward). Setting a value to
 * its default removes it, so URLs stay short. Each change is a history entry, so Back undoes
 * it; `replace` refines the current entry instead (the letters of a search being typed).
 */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (
      changes: Record<string, string | readonly string[] | null | undefined>,
      { replace = false }: { replace?: boolean } = {},
    ) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(changes)) {
            const text = Array.isArray(value) ? value.join(',') : (value as string | null);
            if (text === null || text === undefined || text === '') next.delete(key);
            else next.set(key, text);
          }
          return next;
        },
        { replace },
      );
    },
    [setParams],
  );
  return [params, update] as const;
}
