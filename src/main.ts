import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { ensureDashboardsBuilt } from './dashboards/index.js';
import { isEmpty, openDatabase } from './db/client.js';
import { DataDirInUseError, lockDataDir, type DataDirLock } from './db/data-dir-lock.js';
import { migrate } from './db/migrate.js';
import { startDemoTraffic } from './modules/demo/demo-traffic.js';
import { startRetention } from './modules/analytics/storage/retention.js';
import { ConfigError, loadConfig, type Config } from './env.js';
import { prepareDemo } from './modules/demo/demo.service.js';
import { newestDemoVideo } from './modules/demo/demo-video.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
    process.exit(1);
  }
}

const config = configOrExit();
const logger = pino({ level: config.logLevel, base: { service: 'pulse' } });
const dataDir = config.database.kind === 'pglite' ? config.database.dataDir : undefined;
const lock = dataDir ? lockOrExit(dataDir) : undefined;
// Builds client/ when client/dist is missing or stale, alongside the database start-up (in
// development, `npm run dev` serves them from Vite instead).
if (config.dashboards.enabled && config.nodeEnv !== 'development')
  void ensureDashboardsBuilt(logger.child({ component: 'dashboards' }));
const database = await openDatabase(config.database);
await migrate(database, config.database);
// The demo key is kept with the embedded database, so open tabs and shells survive a restart.
const demoKeyFile = dataDir ? join(dataDir, 'pulse-demo-key') : undefined;
const demo = config.demo.enabled
  ? await prepareDemo(database.db, config.demo.apiKey, await isEmpty(database.db), demoKeyFile)
  : null;
const demoVideo = demo ? await newestDemoVideo(database.db) : null;
const app = buildApp({
  config: demo ? { ...config, demo: { ...config.demo, apiKey: demo.apiKey } } : config,
  database,
  logger,
});
const { url, port } = await app.start();
startRetention({
  db: database.db,
  logger: logger.child({ component: 'retention' }),
  settings: config.retention,
  intervalMs: config.retention.intervalMs,
  signal: app.services.shutdownSignal,
});
if (demo && config.demo.traffic) {
  await startDemoTraffic({
    db: database.db,
    ingest: app.services.ingest,
    logger: logger.child({ component: 'demo-traffic' }),
    ownerId: demo.user.id,
    intervalMs: 1000,
    signal: app.services.shutdownSignal,
  });
}
logger.info(
  {
    port,
    graphiql: `${url}/graphql`,
    ...(config.dashboards.enabled ? { dashboards: `${url}/` } : {}),
    database: database.kind,
    ...(demo ? { demoApiKey: demo.apiKey, demoUser: demo.user.email } : {}),
    ...(demoVideo
      ? {
          demoVideoId: encodeGlobalID('Video', demoVideo.id),
          demoVideoPlatforms: demoVideo.platforms.map((platform) => platform.toUpperCase()),
        }
      : {}),
  },
  `Pulse is ready: ${config.dashboards.enabled ? `dashboards at ${url}/, ` : ''}GraphiQL at ${url}/graphql${demo ? ` (demo key ${demo.apiKey})` : ''}`,
);
if (demo && demoVideo?.platforms[0]) {
  // The README's curl examples read these variables; the video is the newest demo video (the one
  // demo traffic moves the most) and PLATFORM one it is published on.
  logger.info(
    `Try it: export PULSE_KEY=${demo.apiKey} VIDEO_ID=${encodeGlobalID('Video', demoVideo.id)} PLATFORM=${demoVideo.platforms[0].toUpperCase()}`,
  );
}

/** PGlite is one process: a second server (or a CLI command) on the same files would corrupt them. */
function lockOrExit(directory: string): DataDirLock {
  try {
    return lockDataDir(directory, 'server');
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const advice =
      error.holder.role === 'server'
        ? 'Use that server, stop it first, or give this one its own DATABASE_URL=file://<directory>.'
        : 'Wait for that command to finish and start again.';
    process.stderr.write(
      `${error.message}\n${advice}\n(If no Pulse process is running, delete ${error.file}.)\n`,
    );
    process.exit(1);
  }
}

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs + 2_000).unref();
  await app.stop();
  await database.close();
  lock?.release();
  clearTimeout(force);
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
