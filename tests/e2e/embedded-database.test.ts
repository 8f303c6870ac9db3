import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockFileFor } from '../../src/db/data-dir-lock.js';
import { collectOutput, exited, root, runScript, runToEnd, waitFor } from '../helpers/process.js';
import { createTestDatabaseUrl, onPostgres } from '../helpers/test-app.js';

/**
 * The first hour on the embedded database, as processes: `npm start` on a data directory, the CLI
 * next to it (refused, nothing changed, the server unharmed), a restart (same demo key), the CLI
 * with the server stopped (works; its key works), and the ingest examples of docs/ingestion.md
 * pasted with the startup log's "Try it" line. On PostgreSQL, which many processes share by design, the same
 * walk checks the other half of the rule: the CLI works beside a running server, at once.
 */

let dir: string;
let dataDir: string;
let databaseUrl: string;

type Server = {
  child: ReturnType<typeof runScript>;
  output: { stdout: string; stderr: string };
  baseUrl: string;
  ready: Record<string, any>;
  tryIt: string;
};

async function startServer(): Promise<Server> {
  const child = runScript('src/main.ts', [], {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    DEMO: 'true',
    DEMO_TRAFFIC: 'false',
    DASHBOARDS: 'false',
    LOG_LEVEL: 'info',
  });
  const output = collectOutput(child);
  await waitFor(
    () => output.stdout.includes('"msg":"Try it:') || child.exitCode !== null,
    150_000,
    `startup; got ${output.stderr}`,
  );
  const lines = output.stdout.split('\n');
  const ready = JSON.parse(lines.find((line) => line.includes('Pulse is ready'))!);
  const tryIt = JSON.parse(lines.find((line) => line.includes('"msg":"Try it:'))!).msg;
  return { child, output, baseUrl: `http://127.0.0.1:${ready.port}`, ready, tryIt };
}

async function stopServer(server: Server) {
  server.child.kill('SIGTERM');
  expect((await exited(server.child)).code).toBe(0);
}

async function me(baseUrl: string, key: string) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ me { email } apiKeys { name } }' }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const cli = (...args: string[]) =>
  runToEnd('src/cli/index.ts', args, { DATABASE_URL: databaseUrl });

/** The shell code block of a docs/ page that follows `marker` (a heading). */
function docsBlock(page: string, marker: string): string {
  const markdown = readFileSync(join(root, 'docs', page), 'utf8');
  const at = markdown.indexOf(marker);
  if (at === -1) throw new Error(`docs/${page} has no ${marker}`);
  const start = markdown.indexOf('```sh', at);
  return markdown.slice(start + '```sh'.length, markdown.indexOf('\n```', start + 5));
}

let dropDatabase = async () => {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-embedded-'));
  dataDir = join(dir, 'pglite');
  if (onPostgres) {
    const database = await createTestDatabaseUrl();
    databaseUrl = database.url;
    dropDatabase = database.drop;
  } else {
    databaseUrl = `file://${dataDir}`;
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await dropDatabase();
});

if (onPostgres) {
  describe('npm start and the CLI on one PostgreSQL database', { timeout: 200_000 }, () => {
    let server: Server;
    afterAll(() => {
      if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    });

    it('the CLI works beside a running server and its key works there at once; no lock file', async () => {
      server = await startServer();
      const created = await cli('apikey', 'create', '--email', 'demo@pulse.dev', '--name', 'cli');
      expect(created.code).toBe(0);
      const key = created.stdout.match(/pulse_[0-9A-Za-z]{50}/)![0];
      const viaCli = await me(server.baseUrl, key);
      expect(viaCli.status).toBe(200);
      expect(viaCli.body.data.me.email).toBe('demo@pulse.dev');
      expect(existsSync(lockFileFor(dataDir))).toBe(false);
      await stopServer(server);
    });
  });
}

// Processes (tsx compiles on start; the first start seeds the demo): generous on 2 shared cores.
// PGlite is one process: these cases are what sharing its directory must never do.
if (!onPostgres)
  describe('npm start and the CLI on one embedded database', { timeout: 200_000 }, () => {
    let first: Server;
    let cliKey: string;

    afterAll(() => {
      if (first?.child.exitCode === null) first.child.kill('SIGKILL');
    });

    it('npm start holds the data directory and prints a ready-made "Try it" line', async () => {
      first = await startServer();
      expect(JSON.parse(readFileSync(lockFileFor(dataDir), 'utf8'))).toMatchObject({
        pid: first.child.pid,
        role: 'server',
      });
      expect(first.tryIt).toBe(
        `Try it: export PULSE_KEY=${first.ready.demoApiKey} VIDEO_ID=${first.ready.demoVideoId} PLATFORM=${first.ready.demoVideoPlatforms[0]}`,
      );
      expect((await me(first.baseUrl, first.ready.demoApiKey)).status).toBe(200);
    });

    it('the documented ingest examples work as pasted after the "Try it" line', async () => {
      const script = [
        first.tryIt.slice('Try it: '.length),
        docsBlock('ingestion.md', '\n## Pushing metric events\n').replaceAll(
          'http://127.0.0.1:4000',
          first.baseUrl,
        ),
      ].join('\n');
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script]);
      // curl prints each answer without a trailing newline.
      const answers = stdout
        .trim()
        .replace(/\}\s*\{/g, '}\n{')
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(answers).toHaveLength(3);
      expect(answers.slice(0, 2)).toEqual([
        { accepted: 2, duplicates: 0, rejected: [] },
        { accepted: 1, duplicates: 0, rejected: [] },
      ]);
      expect(answers[2].errors).toBeUndefined();
      expect(answers[2].data).toEqual({
        recordMetrics: { accepted: 1, duplicates: 0, rejected: [] },
      });
    });

    it('a CLI command while the server runs refuses, changes nothing, and the server still works', async () => {
      const before = await me(first.baseUrl, first.ready.demoApiKey);
      const refused = await cli('apikey', 'create', '--email', 'demo@pulse.dev', '--name', 'cli');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `The embedded database in ${dataDir} is in use by a running Pulse server (pid ${first.child.pid}`,
      );
      expect(refused.stderr).toContain('Nothing was changed');
      expect(refused.stdout).not.toMatch(/pulse_[0-9A-Za-z]{50}/);
      expect(refused.stderr).not.toContain('RuntimeError');

      const after = await me(first.baseUrl, first.ready.demoApiKey);
      expect(after.status).toBe(200);
      expect(after.body.data.apiKeys).toEqual(before.body.data.apiKeys);
    });

    it('a second server on the same directory refuses to start', async () => {
      const second = runScript('src/main.ts', [], {
        DATABASE_URL: databaseUrl,
        PORT: '0',
        DASHBOARDS: 'false',
      });
      const output = collectOutput(second);
      expect((await exited(second)).code).toBe(1);
      expect(output.stderr).toContain('is in use by a running Pulse server');
      expect((await me(first.baseUrl, first.ready.demoApiKey)).status).toBe(200);
    });

    it('stopping the server releases the directory; the CLI then works, past a stale lock too', async () => {
      await stopServer(first);
      expect(existsSync(lockFileFor(dataDir))).toBe(false);

      // A lock left by a process that died (kill -9) does not block anyone.
      const dead = runScript('-e', [], {});
      await exited(dead);
      writeFileSync(
        lockFileFor(dataDir),
        JSON.stringify({ pid: dead.pid, role: 'server', startedAt: 'then' }),
      );
      const created = await cli('apikey', 'create', '--email', 'demo@pulse.dev', '--name', 'cli');
      expect(created.code).toBe(0);
      cliKey = created.stdout.match(/pulse_[0-9A-Za-z]{50}/)![0];
      expect(existsSync(lockFileFor(dataDir))).toBe(false);
    });

    it('a server that finds the CLI holding the directory refuses to start', async () => {
      // This test process plays the CLI: a live pid holding the lock.
      writeFileSync(
        lockFileFor(dataDir),
        JSON.stringify({ pid: process.pid, role: 'cli', startedAt: 'now' }),
      );
      try {
        const server = runScript('src/main.ts', [], {
          DATABASE_URL: databaseUrl,
          PORT: '0',
          DASHBOARDS: 'false',
        });
        const output = collectOutput(server);
        expect((await exited(server)).code).toBe(1);
        expect(output.stderr).toContain('is in use by another Pulse command');
      } finally {
        await rm(lockFileFor(dataDir));
      }
    });

    it('after a restart the demo key is the same and the CLI-created key works', async () => {
      const second = await startServer();
      try {
        expect(second.ready.demoApiKey).toBe(first.ready.demoApiKey);
        expect((await me(second.baseUrl, first.ready.demoApiKey)).status).toBe(200);
        const viaCli = await me(second.baseUrl, cliKey);
        expect(viaCli.status).toBe(200);
        expect(viaCli.body.data.me.email).toBe('demo@pulse.dev');
      } finally {
        await stopServer(second);
      }
    });
  });
