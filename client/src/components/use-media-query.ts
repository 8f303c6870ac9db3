import { useSyncExternalStore } from 'react';

/** The layout's breakpoint (styles.css): below it the dashboards use their phone layout. */
export const WIDE_SCREEN = '(min-width: 720px)';

const supported = () => typeof globalThis.matchMedia === 'function';

/**
 * Whether `query` matches now, following changes (a phone turned sideways, a resized window).
 * Without matchMedia (some test environments) it is `fallback`.
 */
export function useMediaQuery(query: string, fallback = true) {
  return useSyncExternalStore(
    (onChange) => {
      if (!supported()) return () => {};
      const list = globalThis.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => (supported() ? globalThis.matchMedia(query).matches : fallback),
    () => fallback,
  );
}

/** Whether `query` matches, read once (for a starting state the user then changes). */
export function matchesNow(query: string, fallback = true) {
  return supported() ? globalThis.matchMedia(query).matches : fallback;
}
