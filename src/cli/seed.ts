import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { isTimeZone } from '../lib/time-zone.js';
import { SeedError, seedCreator } from '../modules/demo/seed.service.js';
import { withDatabase } from './database.js';

const USAGE = `Usage: npm run seed -- [options]

Generates realistic history (weekly rhythm, channel growth, launch peaks and long tails, viral
spikes, per-platform mixes) for one user, written set-based in the database in one transaction
(a failed run leaves nothing behind). Run it once per user to seed several into one database.

  --videos <n>          videos to create (default 500)
  --days <n>            days of daily history ending today (default 730)
  --hourly-days <n>     most recent days also written hour by hour (default 30, at most --days)
  --user <email>        the owner (created when missing; default seed@pulse.dev)
  --timezone <zone>     time zone of a created user (default UTC)
  --mixed-platforms     publish each video on 1–4 platforms instead of all four
  --fading-tails        feed platforms' posts fade within weeks (default: every publication keeps
                        a daily tail, the dense worst case for benchmarks)
  --api-key             also create an API key for the user and print it
  --seed <n>            random seed for the parameters (default 42)
  --database-url <url>  the database (default DATABASE_URL, see .env.example)
`;

const { values } = parseArgs({
  options: {
    videos: { type: 'string', default: '500' },
    days: { type: 'string', default: '730' },
    'hourly-days': { type: 'string', default: '30' },
    user: { type: 'string', default: 'seed@pulse.dev' },
    timezone: { type: 'string', default: 'UTC' },
    'mixed-platforms': { type: 'boolean', default: false },
    'fading-tails': { type: 'boolean', default: false },
    'api-key': { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    'database-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const count = (name: string, min: number, max: number) => {
  const value = Number(values[name as keyof typeof values]);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`--${name} must be an integer between ${min} and ${max}`);
  return value;
};

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const videoCount = count('videos', 1, 100_000);
const days = count('days', 1, 3_650);
const hourlyDays = Math.min(count('hourly-days', 0, 400), days);
const seed = count('seed', 0, 2 ** 31);
if (!isTimeZone(values.timezone!)) fail('--timezone must be an IANA time zone');

const bar = new cliProgress.SingleBar(
  {
    format:
      'seeding [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | {eta_formatted}',
  },
  cliProgress.Presets.shades_classic,
);

try {
  await withDatabase(
    async ({ db, kind }) => {
      const started = Date.now();
      let writeStarted = started;
      let estimate = 0;
      const result = await seedCreator(db, {
        email: values.user!,
        timezone: values.timezone!,
        videos: videoCount,
        days,
        hourlyDays,
        mixedPlatforms: values['mixed-platforms']!,
        fadingTails: values['fading-tails']!,
        apiKey: values['api-key']!,
        seed,
        onStart: (rows) => {
          estimate = rows;
          writeStarted = Date.now();
          bar.start(rows, 0, { rate: 0 });
        },
        onProgress: (written) => {
          const seconds = (Date.now() - writeStarted) / 1000;
          bar.setTotal(Math.max(written, estimate));
          bar.update(written, { rate: Math.round(written / Math.max(seconds, 0.001)) });
        },
      });
      const { user, rows } = result;
      bar.setTotal(rows);
      bar.update(rows);
      bar.stop();
      const seconds = (Date.now() - writeStarted) / 1000;
      process.stdout.write(
        `seeded ${result.videos} videos, ${result.publications} publications, ${rows} rollup and audience rows for ${user.email} (${user.timezone}) on ${kind} in ${((Date.now() - started) / 1000).toFixed(1)} s — ${Math.round(rows / seconds)} rows/s\n`,
      );
      if (result.apiKey) process.stdout.write(`API key (shown once): ${result.apiKey}\n`);
    },
    {
      // Seeding statements insert tens of thousands of rows each; the API's 5 s limit is for requests.
      defaults: { DATABASE_STATEMENT_TIMEOUT_MS: '600000' },
      overrides: { DATABASE_URL: values['database-url'] },
    },
  );
} catch (error) {
  bar.stop();
  // One transaction: whatever failed, nothing of this run was written.
  if (error instanceof SeedError) fail(`seed failed, nothing was written: ${error.message}`);
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`seed failed, nothing was written: ${reason}\n`);
  process.exit(1);
}
