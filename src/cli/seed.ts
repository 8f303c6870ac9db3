import { parseArgs } from 'node:util';
import { faker } from '@faker-js/faker';
import cliProgress from 'cli-progress';
import { eq } from 'drizzle-orm';
import {
  channelTable,
  PLATFORMS,
  publicationTable,
  videoTable,
  type Platform,
} from '../db/schema.js';
import { isTimeZone } from '../modules/analytics/time-zone.js';
import { createApiKey } from '../modules/api-key/api-key.service.js';
import { prng, writeHistory } from '../modules/demo/history.js';
import { createUser, findUserByEmail } from '../modules/user/user.service.js';
import { withDatabase } from './database.js';

const USAGE = `Usage: npm run seed -- [options]

Generates realistic history (weekly rhythm, channel growth, launch peaks and long tails, viral
spikes, per-platform mixes) for one user, written set-based in the database.

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

const DAY_MS = 86_400_000;

await withDatabase(
  async ({ db, kind }) => {
    const started = Date.now();
    faker.seed(seed);
    const random = prng(seed);
    let user = await findUserByEmail(db, values.user!);
    if (!user) {
      const created = await createUser(db, {
        email: values.user!,
        name: 'Seed Creator',
        plan: 'enterprise',
        timezone: values.timezone!,
      });
      if (!created.ok) fail(created.errors.map((e) => e.message).join(', '));
      user = created.value;
    }
    const existing = await db.select().from(channelTable).where(eq(channelTable.ownerId, user.id));
    const missing = PLATFORMS.filter((p) => !existing.some((c) => c.platform === p));
    const added = missing.length
      ? await db
          .insert(channelTable)
          .values(
            missing.map((platform) => ({
              ownerId: user!.id,
              platform,
              handle: `@seed-${platform}-${user!.id.slice(0, 6)}`,
              name: 'Seed Creator',
              externalId: `seed-${platform}-${user!.id}`,
            })),
          )
          .returning()
      : [];
    const channelOf = new Map<Platform, string>(
      [...existing, ...added].map((channel) => [channel.platform, channel.id]),
    );

    const now = Date.now();
    const tags = ['tutorial', 'vlog', 'review', 'shorts', 'tips', 'travel', 'tech', 'music', 'q&a'];
    const videos = Array.from({ length: videoCount }, () => {
      const publishedAt = new Date(now - random() * days * DAY_MS);
      return {
        ownerId: user!.id,
        title: `${faker.commerce.productName()} ${faker.helpers.arrayElement(['review', 'tutorial', 'vlog', 'tips'])}`,
        url: `https://media.pulse.example/videos/${faker.string.uuid()}.mp4`,
        durationSeconds: faker.number.int({ min: 15, max: 1_800 }),
        tags: faker.helpers.arrayElements(tags, { min: 1, max: 3 }),
        status: 'published' as const,
        createdAt: new Date(publishedAt.getTime() - 3_600_000),
        updatedAt: publishedAt,
        publishedAt,
      };
    });
    const insertedVideos = [];
    for (let i = 0; i < videos.length; i += 1000)
      insertedVideos.push(
        ...(await db
          .insert(videoTable)
          .values(videos.slice(i, i + 1000))
          .returning()),
      );
    const publicationRows = insertedVideos.flatMap((video) =>
      (values['mixed-platforms']
        ? faker.helpers.arrayElements(PLATFORMS, { min: 1, max: 4 })
        : [...PLATFORMS]
      ).map((platform) => ({
        videoId: video.id,
        ownerId: user!.id,
        channelId: channelOf.get(platform)!,
        platform,
        platformPostId: `seed-${faker.string.alphanumeric(16)}`,
        publishedAt: video.publishedAt!,
      })),
    );
    const publications = [];
    for (let i = 0; i < publicationRows.length; i += 1000)
      publications.push(
        ...(await db
          .insert(publicationTable)
          .values(publicationRows.slice(i, i + 1000))
          .returning()),
      );
    const durationOf = new Map(insertedVideos.map((v) => [v.id, v.durationSeconds ?? 60]));

    // Rows to expect (before empty ones are skipped), for the progress bar.
    const firstDay = now - days * DAY_MS;
    const estimate = publications.reduce((sum, p) => {
      const since = Math.max(p.publishedAt.getTime(), firstDay);
      const hourlyStart = now - hourlyDays * DAY_MS;
      const dailyOnly = Math.max(0, (hourlyStart - since) / DAY_MS);
      const hourly = Math.max(0, (now - Math.max(since, hourlyStart)) / 3_600_000);
      return sum + dailyOnly + hourly * (1 + 1 / 24);
    }, 0);
    const bar = new cliProgress.SingleBar(
      {
        format:
          'seeding [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | {eta_formatted}',
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.round(estimate), 0, { rate: 0 });
    const writeStarted = Date.now();
    const rows = await writeHistory(
      db,
      publications.map((p) => ({
        publicationId: p.id,
        videoId: p.videoId,
        channelId: p.channelId,
        platform: p.platform,
        publishedAt: p.publishedAt,
        durationSeconds: durationOf.get(p.videoId)!,
      })),
      {
        ownerId: user.id,
        timeZone: user.timezone,
        days,
        hourlyDays,
        now,
        chunkSize: 100,
        fadingTails: values['fading-tails'],
        onProgress: (written) => {
          const seconds = (Date.now() - writeStarted) / 1000;
          bar.setTotal(Math.max(written, Math.round(estimate)));
          bar.update(written, { rate: Math.round(written / Math.max(seconds, 0.001)) });
        },
      },
      random,
    );
    bar.setTotal(rows);
    bar.update(rows);
    bar.stop();
    const seconds = (Date.now() - writeStarted) / 1000;
    process.stdout.write(
      `seeded ${videoCount} videos, ${publications.length} publications, ${rows} rollup and audience rows for ${user.email} (${user.timezone}) on ${kind} in ${((Date.now() - started) / 1000).toFixed(1)} s — ${Math.round(rows / seconds)} rows/s\n`,
    );
    if (values['api-key']) {
      const { secret } = await createApiKey(db, { ownerId: user.id, name: 'seed key' });
      process.stdout.write(`API key (shown once): ${secret}\n`);
    }
  },
  {
    // Seeding statements insert tens of thousands of rows each; the API's 5 s limit is for requests.
    defaults: { DATABASE_STATEMENT_TIMEOUT_MS: '600000' },
    overrides: { DATABASE_URL: values['database-url'] },
  },
);
