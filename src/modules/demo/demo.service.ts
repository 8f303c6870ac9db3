import { faker } from '@faker-js/faker';
import type { Db } from '../../db/client.js';
import {
  channelTable,
  PLATFORMS,
  publicationCounterTable,
  publicationTable,
  videoCounterTable,
  videoTable,
  type MetricValues,
  type Platform,
  type User,
} from '../../db/schema.js';
import { createApiKey, findActiveApiKey, revokeApiKeysNamed } from '../api-key/api-key.service.js';
import { sumMetrics } from '../common/metrics.js';
import { createUser, findUserByEmail } from '../user/user.service.js';

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

/** Plausible lifetime numbers for one post: heavy-tailed views, rates that vary per post. */
function fakeCounters(durationSeconds: number, platform: Platform): MetricValues {
  const reachFactor = { youtube: 1, tiktok: 1.8, instagram: 0.7, twitter: 0.4 }[platform];
  const views = Math.round(Math.exp(faker.number.float({ min: 6, max: 12.5 })) * reachFactor);
  const rate = (min: number, max: number) => faker.number.float({ min, max });
  const clicks = Math.round(views * rate(0.6, 0.95));
  const impressions = Math.round(clicks / rate(0.03, 0.12));
  return {
    views,
    likes: Math.round(views * rate(0.02, 0.09)),
    comments: Math.round(views * rate(0.001, 0.01)),
    shares: Math.round(views * rate(0.001, 0.012)),
    saves: Math.round(views * rate(0.002, 0.02)),
    clicks,
    impressions,
    reach: Math.round(impressions * rate(0.4, 0.8)),
    watchSeconds: Math.round(views * durationSeconds * rate(0.25, 0.7)),
  };
}

/** Fills an empty database with one creator, four channels and a few hundred videos. */
export async function seedDemoData(db: Db, now = new Date()): Promise<User> {
  faker.seed(SEED);
  const created = await createUser(db, {
    email: DEMO_EMAIL,
    name: 'Demo Creator',
    plan: 'pro',
    timezone: 'Europe/Paris',
  });
  if (!created.ok) throw new Error(`demo user: ${created.errors.map((e) => e.message).join(', ')}`);
  const user = created.value;
  await db.transaction(async (tx) => {
    const channels = await tx
      .insert(channelTable)
      .values(
        PLATFORMS.map((platform) => ({
          ownerId: user.id,
          platform,
          handle: handles[platform],
          name: 'Pulse Creator',
          externalId: `demo-${platform}-${faker.string.alphanumeric(10)}`,
          followers: faker.number.int({ min: 5_000, max: 900_000 }),
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
      const age = (DEMO_VIDEOS - index) * faker.number.float({ min: 1.5, max: 3.5 });
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
    const insertedVideos = await tx.insert(videoTable).values(videos).returning();

    const publications = insertedVideos
      .filter((video) => video.publishedAt)
      .flatMap((video) =>
        faker.helpers.arrayElements(PLATFORMS, { min: 1, max: 4 }).map((platform) => ({
          videoId: video.id,
          ownerId: user.id,
          channelId: channelOf.get(platform)!,
          platform,
          platformPostId: faker.string.alphanumeric(11),
          url: `https://${platform}.example/p/${faker.string.alphanumeric(11)}`,
          publishedAt: video.publishedAt!,
        })),
      );
    const insertedPublications = await tx.insert(publicationTable).values(publications).returning();

    const durationOf = new Map(
      insertedVideos.map((video) => [video.id, video.durationSeconds ?? 60]),
    );
    const counters = insertedPublications.map((publication) => ({
      publicationId: publication.id,
      videoId: publication.videoId,
      ...fakeCounters(durationOf.get(publication.videoId)!, publication.platform),
    }));
    await tx.insert(publicationCounterTable).values(counters.map(({ videoId: _, ...row }) => row));

    const byVideo = new Map<string, MetricValues[]>();
    for (const { videoId, publicationId: _, ...metrics } of counters) {
      byVideo.set(videoId, [...(byVideo.get(videoId) ?? []), metrics]);
    }
    await tx
      .insert(videoCounterTable)
      .values(
        [...byVideo].map(([videoId, rows]) => ({ videoId, ownerId: user.id, ...sumMetrics(rows) })),
      );
  });
  return user;
}

export interface DemoAccess {
  user: User;
  /** The demo key in clear. */
  apiKey: string;
}

/**
 * Makes the demo usable: seeds an empty database and hands out a key for the demo user. With
 * DEMO_API_KEY that exact key is installed (once); otherwise a fresh key replaces the previous
 * demo key at every start, so the startup log always shows one that works.
 */
export async function prepareDemo(
  db: Db,
  fixedKey: string | undefined,
  isEmptyDatabase: boolean,
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
  await revokeApiKeysNamed(db, user.id, DEMO_KEY_NAME);
  const { secret } = await createApiKey(db, { ownerId: user.id, name: DEMO_KEY_NAME });
  return { user, apiKey: secret };
}
