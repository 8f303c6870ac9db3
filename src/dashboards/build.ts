import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { CLIENT_DIR, DIST_DIR, VITE_CONFIG } from './paths.js';

/** What the build reads besides client/src: a change to any of these makes dist stale. */
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts'];
const TEMP_PREFIX = '.dist-build-';

async function newestMtime(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

/** Missing, or older than a client source: the dashboards need a (re)build. */
export async function isDistStale(clientDir = CLIENT_DIR, distDir = DIST_DIR): Promise<boolean> {
  let builtAt: number;
  try {
    builtAt = (await stat(join(distDir, 'index.html'))).mtimeMs;
  } catch {
    return true;
  }
  const sources = await Promise.all(INPUTS.map((input) => newestMtime(join(clientDir, input))));
  return Math.max(...sources) > builtAt;
}

let current: Promise<void> | null = null;

/** The build this process started, if any: static requests wait for it. */
export const pendingBuild = () => current;

const viteCli = () =>
  join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');

/** `vite build` into `outDir`, in a child process: NODE_ENV=production whatever the server's is
 * (React's production build and JSX transform go together), and the API's event loop stays free
 * while it bundles. */
function viteBuild(outDir: string, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        viteCli(),
        'build',
        '--config',
        VITE_CONFIG,
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      {
        cwd: CLIENT_DIR,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // A server stopped mid-build takes its build with it (the temp directory is swept later).
    const stopChild = () => child.kill();
    process.once('exit', stopChild);
    child.once('exit', () => process.removeListener('exit', stopChild));
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) {
        if (output.trim()) logger.warn({ output: output.trim() }, 'dashboards build warnings');
        resolve();
      } else {
        reject(new Error(`vite build failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
      }
    });
  });
}

/**
 * Builds client/ into client/dist when dist is missing or stale (measured: ~1–4 s), so
 * `npm start` needs no separate build step. The output goes to a temporary directory first and
 * is then swapped in, so a reader (or a second server building at the same time) never sees
 * half a build.
 */
export function ensureDashboardsBuilt(logger: Logger, options: { force?: boolean } = {}) {
  current ??= (async () => {
    if (!options.force && !(await isDistStale())) {
      logger.debug('dashboards are up to date');
      return;
    }
    await removeLeftovers();
    const started = performance.now();
    const temp = join(CLIENT_DIR, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await viteBuild(temp, logger);
      const old = `${DIST_DIR.replace(/\/$/, '')}-old-${randomBytes(4).toString('hex')}`;
      await rename(DIST_DIR, old).catch(() => undefined);
      await rename(temp, DIST_DIR);
      await rm(old, { recursive: true, force: true });
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
    logger.info({ ms: Math.round(performance.now() - started) }, 'dashboards built');
  })();
  current.catch((error: unknown) => logger.error({ err: error }, 'dashboards build failed'));
  return current;
}

/** Temporary build directories of processes that died mid-build (older than ten minutes). */
async function removeLeftovers() {
  const cutoff = Date.now() - 10 * 60_000;
  for (const entry of await readdir(CLIENT_DIR)) {
    if (!entry.startsWith(TEMP_PREFIX) && !entry.startsWith('dist-old-')) continue;
    const path = join(CLIENT_DIR, entry);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
  }
}
