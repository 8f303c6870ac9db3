import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * PGlite runs PostgreSQL inside one process: a second process opening the same data directory
 * does not see the first one's writes, and both writing corrupts it. The server and the CLI each
 * hold this lock file (next to the data directory, so a fresh directory stays empty for initdb)
 * while they have the database open; whoever comes second refuses.
 */

export type LockRole = 'server' | 'cli';

export interface LockHolder {
  pid: number;
  role: LockRole;
  startedAt: string;
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file, if it is still ours. Idempotent; safe in an `exit` handler. */
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by ${
        holder.role === 'server' ? 'a running Pulse server' : 'another Pulse command'
      } (pid ${holder.pid}, since ${holder.startedAt}). PGlite lets one process open it at a time.`,
    );
    this.name = 'DataDirInUseError';
  }
}

export const lockFileFor = (dataDir: string) => `${resolve(dataDir)}.lock`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && Number.isInteger(holder.pid) && holder.pid > 0
      ? { pid: holder.pid, role: holder.role ?? 'server', startedAt: holder.startedAt ?? '?' }
      : null;
  } catch {
    // Gone, or half-written by a process that crashed mid-write: nobody holds it.
    return null;
  }
}

/**
 * Takes the lock for this process, or throws DataDirInUseError when a live process holds it.
 * A lock left by a process that is gone (killed, crashed) is taken over.
 */
export function lockDataDir(dataDir: string, role: LockRole): DataDirLock {
  const file = lockFileFor(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const mine: LockHolder = { pid: process.pid, role, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid))
        throw new DataDirInUseError(dataDir, file, holder);
      try {
        unlinkSync(file);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readHolder(file)?.pid !== process.pid) return;
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    };
    process.on('exit', release);
    return { file, release };
  }
  throw new Error(`Could not take the lock ${file}`);
}
