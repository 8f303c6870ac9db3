import { useEffect, useRef, useState } from 'react';

/**
 * The value, changing at most once per `intervalMs`: the first change shows at once, later ones
 * within the interval collapse into one trailing update with the newest value. Charts redraw
 * through this so a burst of live messages costs one redraw a second.
 */
export function useThrottled<T>(value: T, intervalMs = 1000): T {
  const [shown, setShown] = useState(value);
  const lastShownAt = useRef(0);
  const latest = useRef(value);
  latest.current = value;

  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = lastShownAt.current + intervalMs - Date.now();
    if (wait <= 0) {
      lastShownAt.current = Date.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      lastShownAt.current = Date.now();
      setShown(latest.current);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);

  return shown;
}
