/**
 * Readiness from at most one database probe in flight, bounded by `timeoutMs`: with the database
 * stalled, /ready still says 503 within the bound instead of holding every load-balancer check
 * open, and a burst of checks costs one query.
 */
export function createReadinessProbe(
  ping: () => Promise<void>,
  timeoutMs: number,
): () => Promise<boolean> {
  let inFlight: Promise<boolean> | undefined;
  const probe = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const pinged = ping().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([pinged, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
  return () => (inFlight ??= probe().finally(() => (inFlight = undefined)));
}
