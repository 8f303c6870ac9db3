import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1 (bound and released: good enough on a quiet loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in MB, from /proc (Linux); NaN when unavailable. */
export function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function watchRss(pid: number | undefined, everyMs = 250) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now > peak || !Number.isFinite(peak)) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = rssMb(pid);
      return { peakMb: Math.max(peak, Number.isFinite(now) ? now : 0), nowMb: now };
    },
  };
}

export interface Child {
  child: ChildProcess;
  pid: number;
  output: () => string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
const cleanups = new Set<() => Promise<unknown>>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Registers an async cleanup (dropping a database) for an interrupted run; returns its remover. */
export function onInterrupt(cleanup: () => Promise<unknown>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping servers and dropping bench databases\n`);
    for (const child of running) child.kill('SIGKILL');
    void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).then(() =>
      process.exit(130),
    );
  });
}

/** Starts a Node process (TypeScript through tsx) with its output kept for error reports. */
export function startNode(
  script: string,
  options: {
    env?: Record<string, string>;
    nodeArgs?: string[];
    args?: string[];
    cwd?: string;
  } = {},
): Child {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.args ?? [])],
    {
      cwd: options.cwd ?? root,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return track(child);
}

export function track(child: ChildProcess): Child {
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + String(chunk)).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  return {
    child,
    pid: child.pid ?? 0,
    output: () => tail,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; rejects after `timeoutMs` or when the process dies. */
export async function waitForOk(url: string, timeoutMs: number, process?: Child): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (process && (process.child.exitCode !== null || process.child.signalCode !== null)) {
      throw new Error(`process exited before ${url} answered:\n${process.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(
        `${url} did not answer 200 within ${timeoutMs} ms\n${process?.output() ?? ''}`,
      );
    }
    await sleep(20);
  }
}

/** CPU time (user + system) a process has used, in ms; NaN when unavailable. */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * Waits until a server has finished the work a load left behind (a client that gives up does not
 * stop the server's work on its requests): its CPU use stays under 5 % for two 200 ms periods.
 */
export async function waitIdle(pid: number | undefined, maxMs = 30_000): Promise<void> {
  if (!pid) return;
  const deadline = performance.now() + maxMs;
  let quiet = 0;
  let last = cpuMs(pid);
  while (quiet < 2 && performance.now() < deadline) {
    await sleep(200);
    const now = cpuMs(pid);
    if (!Number.isFinite(now)) return;
    quiet = now - last <= 10 ? quiet + 1 : 0;
    last = now;
  }
}
