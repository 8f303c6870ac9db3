import type { BenchDatabase, Prepared, Profile } from './target.js';

/** Durations and sizes of one mode; `--quick` must fit in about three minutes in CI. */
export interface Settings {
  runs: number;
  s1: {
    warmupSeconds: number;
    seconds: number;
    connections: number;
    rate: number;
    /** Also run PostGraphile (installed into bench/.peers/ on first use). */
    postgraphile: boolean;
  };
  s2: {
    subscribers: number;
    videos: number;
    ticks: number;
    /** Pulse subscriptions' minIntervalMs (its throttle). */
    intervalMs: number;
    /** Time between two ingest POSTs; longer than the interval, so no update is coalesced. */
    tickMs: number;
    threads: number;
  };
  s2b: { subscribers: number };
  s2c: { subscribers: number; churnSeconds: number; churnFraction: number };
  s3: { seconds: number; clients: number; eventsPerRequest: number };
  /** restarts: also measure a second start on the same database. */
  s5: { runs: number; restarts: boolean };
  seed: { videos: number; days: number };
}

export const FULL: Settings = {
  runs: 3,
  s1: { warmupSeconds: 3, seconds: 10, connections: 50, rate: 300, postgraphile: true },
  s2: { subscribers: 10_000, videos: 100, ticks: 40, intervalMs: 100, tickMs: 250, threads: 2 },
  s2b: { subscribers: 10_000 },
  s2c: { subscribers: 10_000, churnSeconds: 10, churnFraction: 0.1 },
  s3: { seconds: 60, clients: 32, eventsPerRequest: 100 },
  s5: { runs: 3, restarts: true },
  seed: { videos: 500, days: 730 },
};

/**
 * CI's smoke run: every scenario and peer once, small (1,000 subscribers, 2–4 s windows), so it
 * shows that each can run and that S4 stays flat. One run, not a median: its timings are
 * indicative only, and the bench never fails on a timing anyway.
 */
export const QUICK: Settings = {
  runs: 1,
  s1: { warmupSeconds: 1, seconds: 2, connections: 50, rate: 300, postgraphile: false },
  s2: { subscribers: 1_000, videos: 100, ticks: 8, intervalMs: 100, tickMs: 250, threads: 2 },
  s2b: { subscribers: 1_000 },
  s2c: { subscribers: 1_000, churnSeconds: 2, churnFraction: 0.1 },
  s3: { seconds: 4, clients: 32, eventsPerRequest: 100 },
  s5: { runs: 1, restarts: false },
  // A fifth of the full seed's videos: overviews cheap enough to finish inside short windows.
  seed: { videos: 100, days: 730 },
};

export interface BenchContext {
  quick: boolean;
  profile: Profile;
  settings: Settings;
  db: BenchDatabase;
  prepared: Prepared;
  /** Extra Node flags for the Pulse process (e.g. --cpu-prof …) when profiling. */
  pulseNodeArgs: string[];
  log(message: string): void;
}
