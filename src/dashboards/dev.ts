/**
 * `npm run dev`: the API (restarting on change, NODE_ENV=development) next to Vite's dev server
 * (hot reload), which proxies /graphql (WebSocket too), /oauth, /ingest and the dashboards'
 * config to the API. Open the URL Vite prints; GraphiQL stays at the API's /graphql.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createServer } from 'vite';
import { VITE_CONFIG } from './paths.js';

const require = createRequire(import.meta.url);
const tsxCli = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
const port = process.env['PORT'] ?? '4000';

const api = spawn(process.execPath, [tsxCli, 'watch', '--clear-screen=false', 'src/main.ts'], {
  env: { ...process.env, NODE_ENV: process.env['NODE_ENV'] ?? 'development', PORT: port },
  stdio: 'inherit',
});

const vite = await createServer({ configFile: VITE_CONFIG });
await vite.listen();
vite.printUrls();
process.stdout.write(`  ➜  API:     http://127.0.0.1:${port}/graphql (proxied)\n`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  api.kill('SIGTERM');
  await vite.close();
  process.exit(code);
}
api.once('exit', (code) => void stop(code ?? 0));
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
