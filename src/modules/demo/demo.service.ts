import { faker } from '@faker-js/faker';
import type { Db } from '../../db/client.js';
import {
  channelTable,
  PLATFORMS,
  publicationTable,
  videoTable,
  type Platform,
  type User,
} from '../../db/schema.js';
import { createApiKey, findActiveApiKey, revokeApiKeysNamed } from '../api-key/api-key.service.js';
import { createUser, findUserByEmail } from '../user/user.service.js';
import { storedDemoKey } from './demo-key.js';
import { prng, writeHistory } from './history.js';

export const DEMO_EMAIL = 'demo@pulse.dev';
const DEMO_KEY_NAME = 'Demo key';
const DEMO_VIDEOS = 240;
const SEED = 20_260_101;
const DAY_MS = 86_400_000;

const handles: Record<Platform, string> = {
  youtube: '@pulsecreator',
  tiktok: '@pulse.creator',
  instagram: '@pulse.creator',
  twitter: '@pulsecreator',
};

/** Days of daily history the demo gets, and the most recent of them also hour by hour. */
export const DEMO_HISTORY_DAYS = 400;
export const DEMO_HOURLY_DAYS = 3;

/**
 * Fills an empty database with one creator, four channels, a few hundred videos published over
 * the last year or so, and their history (daily rollups for 400 days, hourly for the last 3,
 * counters and channel audience, all consistent), written set-based in the database.
 */
export function seedDemoData(db: Db, now = new Date()): Promise<User> {
  // One transaction: a start interrupted while seeding leaves an empty database, seeded again.
  return db.transaction((tx) => seedDemoDataIn(tx as unknown as Db, now));
}

async function seedDemoDataIn(db: Db, now: Date): Promise<User> {
  faker.seed(SEED);
  const created = await createUser(db, {
    email: DEMO_EMAIL,
    name: 'Demo Creator',
    plan: 'pro',
    timezone: 'Europe/Paris',
  });
  if (!created.ok) throw new Error(`demo user: ${created.errors.map((e) => e.message).join(', ')}`);
  const user = created.value;
  const channels = await db
    .insert(channelTable)
    .values(
      PLATFORMS.map((platform) => ({
        ownerId: user.id,
        platform,
        handle: handles[platform],
        name: 'Pulse Creator',
        externalId: `demo-${platform}-${faker.string.alphanumeric(10)}`,
      })),
    )
    .returning();
  const channelOf = new Map(channels.map((channel) => [channel.platform, channel.id]));
  const tagPool = [
    'tutorial',
    'vlog',
    'review',
    'behind-the-scenes',
    'shorts',
    'tips',
    'travel',
    'tech',
    'music',
    'q&a',
  ];

  const videos = Array.from({ length: DEMO_VIDEOS }, (_, index) => {
    // A growing channel posts more often lately: ages spread over the history, denser recently.
    const age =
      DEMO_HISTORY_DAYS *
        ((DEMO_VIDEOS - index) / DEMO_VIDEOS) ** 2 *
        faker.number.float({ min: 0.9, max: 1 }) +
      faker.number.float({ min: 0.2, max: 1 });
    const createdAt = new Date(now.getTime() - age * DAY_MS);
    const published = index < DEMO_VIDEOS - 6;
    const title = faker.helpers.arrayElement([
      `How I ${faker.hacker.verb()} my ${faker.hacker.noun()}`,
      `${faker.commerce.productName()} review`,
      `A day in ${faker.location.city()}`,
      `${faker.number.int({ min: 3, max: 12 })} ${faker.hacker.adjective()} tips for ${faker.word.noun()}`,
    ]);
    return {
      ownerId: user.id,
      title,
      description: faker.lorem.sentences({ min: 1, max: 3 }),
      url: `https://media.pulse.example/videos/${faker.string.uuid()}.mp4`,
      thumbnailUrl: `https://media.pulse.example/thumbnails/${faker.string.uuid()}.jpg`,
      durationSeconds: faker.number.int({ min: 15, max: 1_800 }),
      tags: faker.helpers.arrayElements(tagPool, { min: 1, max: 3 }),
      status: published
        ? ('published' as const)
        : faker.helpers.arrayElement(['draft', 'ready'] as const),
      createdAt,
      updatedAt: createdAt,
      publishedAt: published ? new Date(createdAt.getTime() + 3_600_000) : null,
    };
  });
  const insertedVideos = await db.insert(videoTable).values(videos).returning();

  const publications = insertedVideos
    .filter((video) => video.publishedAt)
    .flatMap((video) =>
      faker.helpers.arrayElements(PLATFORMS, { min: 1, max: 3 }).map((platform) => ({
        videoId: video.id,
        ownerId: user.id,
        channelId: channelOf.get(platform)!,
        platform,
        platformPostId: faker.string.alphanumeric(11),
        url: `https://${platform}.example/p/${faker.string.alphanumeric(11)}`,
        publishedAt: video.publishedAt!,
      })),
    );
  const insertedPublications = await db.insert(publicationTable).values(publications).returning();
  const durationOf = new Map(
    insertedVideos.map((video) => [video.id, video.durationSeconds ?? 60]),
  );
  await writeHistory(
    db,
    insertedPublications.map((publication) => ({
      publicationId: publication.id,
      videoId: publication.videoId,
      channelId: publication.channelId,
      platform: publication.platform,
      publishedAt: publication.publishedAt,
      durationSeconds: durationOf.get(publication.videoId)!,
    })),
    {
      ownerId: user.id,
      timeZone: user.timezone,
      days: DEMO_HISTORY_DAYS,
      hourlyDays: DEMO_HOURLY_DAYS,
      now: now.getTime(),
      chunkSize: 1_000,
      fadingTails: true,
    },
    prng(SEED),
  );
  return user;
}

export interface DemoAccess {
  user: User;
  /** The demo key in clear. */
  apiKey: string;
}

/**
 * Makes the demo usable: seeds an empty database and hands out a key for the demo user. With
 * DEMO_API_KEY that exact key is installed (once); with a `keyFile` (the embedded database's
 * directory) the key stored there is kept while it works; otherwise a fresh key replaces the
 * previous demo key at every start, so the startup log always shows one that works.
 */
export async function prepareDemo(
  db: Db,
  fixedKey: string | undefined,
  isEmptyDatabase: boolean,
  keyFile?: string,
): Promise<DemoAccess | null> {
  const user = isEmptyDatabase ? await seedDemoData(db) : await findUserByEmail(db, DEMO_EMAIL);
  if (!user) return null;
  if (fixedKey) {
    if (!(await findActiveApiKey(db, fixedKey))) {
      await createApiKey(db, {
        ownerId: user.id,
        name: `${DEMO_KEY_NAME} (DEMO_API_KEY)`,
        secret: fixedKey,
      });
    }
    return { user, apiKey: fixedKey };
  }
  if (keyFile) return { user, apiKey: await storedDemoKey(db, user.id, keyFile, DEMO_KEY_NAME) };
  await revokeApiKeysNamed(db, user.id, DEMO_KEY_NAME);
  const { secret } = await createApiKey(db, { ownerId: user.id, name: DEMO_KEY_NAME });
  return { user, apiKey: secret };
}
