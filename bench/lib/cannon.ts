import autocannon from 'autocannon';
import { waitIdle } from './proc.js';

export interface HttpTarget {
  name: string;
  /** The server's process, to wait until it is idle after a load. */
  pid?: number;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** errors + timeouts + non-2xx + bodies carrying GraphQL errors. */
  failures: number;
}

/**
 * One autocannon run: closed loop (`connections` in flight) or, with `rate`, an open loop at a
 * fixed overall rate, where autocannon corrects latencies for coordinated omission.
 */
export async function load(
  target: HttpTarget,
  options: { connections: number; seconds: number; rate?: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    ...(options.rate ? { overallRate: options.rate } : {}),
    verifyBody: (body: string) => !body.includes('"errors"'),
  });
  await waitIdle(target.pid);
  const done = result.requests.total;
  // No completed request: latencies are unknown, not zero.
  return {
    rps: done / result.duration,
    p50: done ? result.latency.p50 : NaN,
    p99: done ? result.latency.p99 : NaN,
    max: done ? result.latency.max : NaN,
    requests: done,
    failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}
