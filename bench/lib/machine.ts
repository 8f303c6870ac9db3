import { execFileSync } from 'node:child_process';
import os from 'node:os';
import postgres from 'postgres';

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  loadAverage: number[];
  os: string;
  node: string;
  postgres: string | null;
  commit: string;
  dirty: boolean;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

/** What the numbers were measured on: they mean little without it. */
export async function machineInfo(adminUrl: string | null): Promise<MachineInfo> {
  let pgVersion: string | null = null;
  if (adminUrl) {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ server_version: string }[]>`show server_version`;
      pgVersion = row?.server_version ?? null;
    } catch {
      pgVersion = null;
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pgVersion,
    commit: git(['rev-parse', '--short=12', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain']).length > 0,
  };
}
